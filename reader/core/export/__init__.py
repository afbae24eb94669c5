"""Exports of what the user reads: one post (HTML, Markdown) and the bookmarks."""

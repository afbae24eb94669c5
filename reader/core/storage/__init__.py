"""What Post Reader keeps on disk: the SQLite helper every database goes through, the folder
cache, and the user's own data (bookmarks, notes, read state, positions)."""

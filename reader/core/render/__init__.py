"""Post bodies to safe, offline HTML: Liquid, Markdown, sanitising, links and images, and the
plain-text and search-highlight views of that HTML."""

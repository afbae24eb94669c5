"""Reading a folder: scanning it by Jekyll's rules, decoding files, front matter, dates, and the
load that streams `Post` records from the cache and from worker processes."""

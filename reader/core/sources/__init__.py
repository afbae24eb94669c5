"""News sources: category display names established from the folder, pinyin matching and sorting.

`names` decides a category's name, `pinyin` spells, abbreviates and sorts names, `site_files`
reads the folder's category pages and `_data/` files that name categories.
"""

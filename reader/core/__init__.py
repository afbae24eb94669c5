"""The Qt-free core of Post Reader: loading folders of posts by Jekyll's rules, rendering them,
and the collection the window and the terminal commands query. Nothing here imports Qt."""

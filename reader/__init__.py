"""Post Reader: read folders of Jekyll-style posts offline."""

# The one place the version is written: pyproject.toml reads it from here (hatch's version
# source), and `post-reader --version` and the window's About box show it.
__version__ = "0.1.0"

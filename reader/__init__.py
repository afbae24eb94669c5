"""Post Reader: read folders of Jekyll-style posts offline."""

__version__ = "0.1.0"

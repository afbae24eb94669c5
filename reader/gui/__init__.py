"""The Qt window: a thin layer over `reader.core` (everything here may import PySide6)."""

# numpy before Qt: the window's first list needs it (a library's indexes,
# `reader.core.index_columns`), and a module imported after PySide6 goes through PySide's import
# hook (numpy's 42 ms became about 80, on the way to the first paint).
import numpy  # noqa: F401

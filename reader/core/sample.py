"""The bundled demo folder, which the window opens when it has no other and the tests read.

Owns `sample_folder`: `sample_posts/` beside the package in a checkout, inside it when installed
as a wheel. The window and the terminal both import it from here, downward.
"""

from __future__ import annotations

from pathlib import Path

from reader.core.errors import InputError


def sample_folder() -> Path:
    """The bundled `sample_posts` folder; InputError when it is missing."""
    here = Path(__file__).resolve().parent.parent  # the `reader` package
    for candidate in (here.parent / "sample_posts", here / "sample_posts"):
        if candidate.is_dir():
            return candidate
    raise InputError("the bundled sample_posts folder is missing; give a folder to open")

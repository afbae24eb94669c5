"""Access to the files in `resources/` (stylesheets, icons, translations, the .desktop file).

An installed wheel carries them inside the package (`reader/resources`, see pyproject's
force-include); a source checkout has them at the top level. Code asks here, never for a path
relative to the checkout.
"""

from __future__ import annotations

from importlib import resources
from importlib.abc import Traversable
from pathlib import Path


def resource(name: str) -> Traversable:
    """A resource file by name, from the installed package or, in a checkout, `resources/`."""
    packaged = resources.files("reader") / "resources" / name
    if packaged.is_file():
        return packaged
    checkout = Path(__file__).resolve().parent.parent / "resources" / name
    return checkout


def read_text(name: str) -> str:
    return resource(name).read_text(encoding="utf-8")


def read_bytes(name: str) -> bytes:
    return resource(name).read_bytes()

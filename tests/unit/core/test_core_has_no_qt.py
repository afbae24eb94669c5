"""reader.core (and the terminal commands) must work without Qt."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO


def test_core_and_cli_do_not_import_qt() -> None:
    code = (
        "import sys, pkgutil, importlib, reader.core, reader.cli\n"
        "for m in pkgutil.walk_packages(reader.core.__path__, 'reader.core.'):\n"
        "    importlib.import_module(m.name)\n"
        "bad = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6', 'PyQt')))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True
    )
    assert out.stdout.strip() == ""

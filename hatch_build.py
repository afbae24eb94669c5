"""Hatch build hook: compile the interface translations into the wheel.

resources/translations/*.ts (Qt Linguist source, kept in git) are compiled with `lrelease` from
the PySide6 wheel that pyproject names as this hook's build dependency, and the .qm files are
added to the wheel as reader/resources/translations/*.qm, where reader.gui.i18n looks first.
An editable install gets none: reader.gui.i18n compiles the .ts into the user's cache instead.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

TS_DIR = "resources/translations"
WHEEL_DIR = "reader/resources/translations"


def find_lrelease() -> Path:
    """lrelease from the PySide6 package of the build environment, else from PATH."""
    exe = "lrelease.exe" if sys.platform == "win32" else "lrelease"
    spec = importlib.util.find_spec("PySide6")
    if spec is not None and spec.origin:
        bundled = Path(spec.origin).resolve().parent / exe
        if bundled.is_file() and os.access(bundled, os.X_OK):
            return bundled
    for name in ("pyside6-lrelease", "lrelease", "lrelease-qt6", "lrelease6"):
        found = shutil.which(name)
        if found:
            return Path(found)
    raise RuntimeError(
        "lrelease was not found: the wheel build needs PySide6-Essentials (pyproject lists it "
        "under [tool.hatch.build.targets.wheel.hooks.custom] dependencies)"
    )


class TranslationsBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        sources = sorted((Path(self.root) / TS_DIR).glob("*.ts"))
        if not sources:
            return
        lrelease = find_lrelease()
        self._out = Path(tempfile.mkdtemp(prefix="post-reader-qm-"))
        for ts in sources:
            qm = self._out / (ts.stem + ".qm")
            result = subprocess.run(
                [str(lrelease), "-silent", str(ts), "-qm", str(qm)],
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
            )
            if result.returncode != 0 or not qm.is_file() or qm.stat().st_size == 0:
                raise RuntimeError(
                    f"lrelease failed on {ts} (status {result.returncode}): "
                    + (result.stderr or result.stdout).strip()
                )
            build_data["force_include"][str(qm)] = f"{WHEEL_DIR}/{qm.name}"
            self.app.display_info(f"compiled {ts.name} -> {WHEEL_DIR}/{qm.name}")

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        out = getattr(self, "_out", None)
        if out is not None:
            shutil.rmtree(out, ignore_errors=True)

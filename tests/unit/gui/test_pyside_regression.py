"""PySide6 6.12.0 aborts on Python 3.11 after ~5,000 calls of methods returning None
(`Fatal Python error: none_dealloc`). The pin keeps us below it; this test makes 20,000 such
calls in a child process so a future version bump is checked."""

from __future__ import annotations

import subprocess
import sys


def test_many_void_calls_do_not_abort() -> None:
    code = (
        "from PySide6.QtWidgets import QApplication, QLabel\n"
        "app = QApplication([])\n"
        "label = QLabel()\n"
        "for i in range(20000):\n"
        "    label.setText(str(i))\n"
        "    label.setVisible(False)\n"
        "print('ok')\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"},
        check=False,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "ok"

"""`reader.cli.main`: what it dispatches where, how it reports errors, and what it imports."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

import reader.cli
import reader.cli.commands
import reader.desktop_entry
from reader.cli import main
from reader.core import BugError, InputError, StorageError
from tests.conftest import REPO, SAMPLE_POSTS

QT_OR_WINDOW = ("PySide6", "shiboken6", "PyQt", "reader.gui")


def _fresh_modules(code: str) -> tuple[list[str], str]:
    """Run `code` in a fresh interpreter; its stdout's lines before the last, and the reader
    or Qt modules it had imported by the end (the last line)."""
    probe = f"import sys\nprint(sorted(m for m in sys.modules if m.startswith({QT_OR_WINDOW!r})))\n"
    out = subprocess.run(
        [sys.executable, "-c", code + probe],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=True,
        timeout=120,
        encoding="utf-8",
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    *lines, modules = out.stdout.splitlines()
    return lines, modules


def test_python_m_reader_list_does_not_import_qt() -> None:
    code = (
        "import runpy, sys\n"
        f"sys.argv = ['post-reader', 'list', {str(SAMPLE_POSTS)!r}]\n"
        "try:\n"
        "    runpy.run_module('reader', run_name='__main__', alter_sys=True)\n"
        "except SystemExit as exc:\n"
        "    assert exc.code == 0, exc.code\n"
    )
    listed, modules = _fresh_modules(code)
    assert len(listed) >= 30  # the command ran and listed the sample posts
    assert modules == "[]"


def test_importing_the_terminal_does_not_import_the_window() -> None:
    """No cycle between reader.cli and reader.gui: the terminal never loads the window."""
    code = "import reader.cli, reader.cli.commands, reader.cli.bookmarks, reader.__main__\n"
    assert _fresh_modules(code) == ([], "[]")


def test_the_probe_sees_the_window_when_it_is_imported() -> None:
    """The two tests above could fail: the same probe reports the window once it is loaded."""
    _lines, modules = _fresh_modules("import reader.gui.main_window\n")
    assert "'reader.gui.main_window'" in modules and "'PySide6" in modules


WINDOW_ENTRIES = {
    "__init__.py": {"reader.gui.app", "reader.gui.screenshot"},
    "export.py": {"reader.gui.pdf_export"},
}


def test_the_subcommand_modules_do_not_import_the_package_back() -> None:
    """commands.py and bookmarks.py stand below reader/cli/__init__.py (the old cli.py and
    cli_bookmarks.py imported each other)."""
    package = REPO / "reader" / "cli"
    for path in sorted(package.glob("*.py")):
        imported: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported.update(
                    node.module if node.module != "reader" else f"reader.{a.name}"
                    for a in node.names
                )
            elif isinstance(node, ast.Import):
                imported.update(a.name for a in node.names)
        reader_imports = {m for m in imported if m.split(".")[0] == "reader"}
        assert not {m for m in reader_imports if m.startswith("reader.core.")}
        # The window only where the terminal hands over to it, imported when asked for:
        # starting it, a screenshot, and a PDF (Qt lays the article out).
        window = {m for m in reader_imports if m.startswith("reader.gui")}
        assert window <= WINDOW_ENTRIES.get(path.name, set()), path.name
        if path.name != "__init__.py":
            assert "reader.cli" not in reader_imports, path.name
            assert reader_imports - window <= {"reader.core", "reader.cli.commands"}, path.name


def _record(calls: list[tuple[str, object]], name: str, result: int = 0) -> object:
    def fake(*args: object) -> int:
        calls.append((name, args))
        return result

    return fake


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], ("window", ([],))),
        (["/some/folder", "--lang", "en"], ("window", (["/some/folder", "--lang", "en"],))),
        (["screenshot", "F", "out.png"], ("screenshot", (["F", "out.png"],))),
        (["--install-desktop-entry"], ("desktop", ())),
        (["/some/folder", "--install-desktop-entry"], ("desktop", ())),
    ],
)
def test_main_dispatches_the_window_screenshot_and_desktop_entry(
    monkeypatch: pytest.MonkeyPatch, argv: list[str], expected: tuple[str, object]
) -> None:
    import reader.gui.app
    import reader.gui.screenshot

    calls: list[tuple[str, object]] = []
    monkeypatch.setattr(reader.gui.app, "run_gui", _record(calls, "window", 3))
    monkeypatch.setattr(reader.gui.screenshot, "run_screenshot", _record(calls, "screenshot", 4))
    monkeypatch.setattr(reader.desktop_entry, "main", _record(calls, "desktop", 5))
    code = main(argv)
    assert calls == [expected]
    assert code == {"window": 3, "screenshot": 4, "desktop": 5}[expected[0]]


def test_a_subcommand_never_reaches_the_window(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import reader.gui.app

    monkeypatch.setattr(reader.gui.app, "run_gui", _record([], "window", 99))
    assert main(["problems", str(SAMPLE_POSTS), "--json"]) == 0
    assert capsys.readouterr().out.startswith("[")


@pytest.mark.parametrize(
    "error",
    [
        InputError("what you gave is wrong"),
        StorageError("the disk is full"),
    ],
)
def test_core_errors_are_one_line_with_status_2(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    error: Exception,
) -> None:
    def failing(path: str, **options: object) -> object:
        raise error

    monkeypatch.setattr(reader.cli.commands, "open_folder", failing)
    assert main(["list", str(tmp_path)]) == 2
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", f"post-reader: error: {error}\n")


def test_a_bug_keeps_its_traceback(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def failing(path: str, **options: object) -> object:
        raise BugError("broke a rule")

    monkeypatch.setattr(reader.cli.commands, "open_folder", failing)
    with pytest.raises(BugError, match="broke a rule"):
        main(["show", str(tmp_path), "x.md"])


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out == f"post-reader {reader.__version__}\n"

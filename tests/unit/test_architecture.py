"""The rules of the program's shape (docs/ARCHITECTURE.md), checked on the source itself:
the window and the terminal stand on the public core API only, no module imports itself back
through others, and no module grows past the size one person can hold in mind."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import REPO

PACKAGE = REPO / "reader"
MAX_LINES = 500
# Known excesses, each with its reason and a ceiling that still fails if it grows.
OVER_THE_LIMIT: dict[str, int] = {}
# The window only lays out, holds its actions and menus (built in actions.py and menus.py) and
# wires the features in one _connect_signals(); a feature's logic lives in its own QObject.
MAIN_WINDOW_MAX_LINES = 400


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The reader modules `name` imports, at any depth of its code (imports inside functions
    run too), except under `if TYPE_CHECKING:`. `from pkg import x` names `pkg.x` when that is
    a module, else `pkg`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "reader")
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            if target.split(".")[0] == "reader":
                for alias in node.names:
                    sub = f"{target}.{alias.name}"
                    found.add(sub if sub in known else target)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    found.discard(name)
    return found


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    return {name: _imports(name, path, known) & known for name, path in modules.items()}


def test_no_module_is_longer_than_the_limit() -> None:
    long = {
        name: n
        for name, path in _modules().items()
        if (n := len(path.read_text(encoding="utf-8").splitlines()))
        > OVER_THE_LIMIT.get(name, MAX_LINES)
    }
    assert long == {}


def test_main_window_only_lays_out_and_wires() -> None:
    path = PACKAGE / "gui" / "main_window.py"
    assert len(path.read_text(encoding="utf-8").splitlines()) <= MAIN_WINDOW_MAX_LINES


def test_window_and_terminal_use_only_the_public_core_api() -> None:
    below = {
        name: sorted(i for i in imports if i.startswith("reader.core."))
        for name, imports in _graph().items()
        if name.startswith(("reader.gui", "reader.cli"))
    }
    assert {name: found for name, found in below.items() if found} == {}


def test_there_is_no_import_cycle() -> None:
    graph = _graph()
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the stack, 2: done
    stack: list[str] = []

    def walk(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append([*stack[stack.index(nxt) :], nxt])
            elif nxt not in state:
                walk(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            walk(node)
    assert cycles == []


def test_the_checker_sees_a_cycle_and_a_deep_import(tmp_path: Path) -> None:
    """The checks above could fail: a made-up pair of modules that import each other, and
    a window module that reaches below the core's API, are found."""
    a = tmp_path / "a.py"
    a.write_text("from reader.core.library import Library\nimport reader.gui.b\n")
    known = {"reader.gui.a", "reader.gui.b", "reader.core.library"}
    assert _imports("reader.gui.a", a, known) == {"reader.core.library", "reader.gui.b"}
    b = tmp_path / "b.py"
    b.write_text("def f():\n    from reader.gui import a\n")
    assert _imports("reader.gui.b", b, known) == {"reader.gui.a"}
    guarded = tmp_path / "c.py"
    guarded.write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import reader.gui.a\n"
    )
    assert _imports("reader.gui.c", guarded, known) == set()

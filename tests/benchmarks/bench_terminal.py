"""The terminal's figures for bench.py: `python -m reader list ...` timed as whole processes,
start to exit, against `grep -rlF` for the same text in the same run.

Each command runs once untimed first, so the page cache and the reader's own cache are warm; the
first `list --search` of a fresh cache also builds the full-text index, and is reported as such.
Output goes to a file, as to a pipe: GNU grep stops at its first match when it writes to
/dev/null, which would flatter it.
"""

from __future__ import annotations

import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def timed(command: list[str], env: dict[str, str]) -> tuple[float, str, str]:
    """Run `command` from the repository root: (seconds start to exit, stdout, stderr)."""
    with tempfile.TemporaryFile("w+", encoding="utf-8") as out:
        t0 = time.perf_counter()
        proc = subprocess.run(
            command, stdout=out, stderr=subprocess.PIPE, env=env, cwd=REPO, text=True, check=False
        )
        took = time.perf_counter() - t0
        out.seek(0)
        stdout = out.read()
    if proc.returncode not in (0, 1):  # grep: 1 is "no match"
        raise SystemExit(f"{' '.join(command)} failed ({proc.returncode}): {proc.stderr[-500:]}")
    return took, stdout, proc.stderr


def reader(folder: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "reader", "list", str(folder), *args]


def listed(stderr: str) -> int:
    """The count `list` prints last to stderr ("123 posts")."""
    found = re.findall(r"^(\d+) posts$", stderr, re.MULTILINE)
    return int(found[-1]) if found else -1


def search_against_grep(
    folder: Path, text: str, env: dict[str, str], runs: int
) -> dict[str, float | int]:
    """`list --search text` and `grep -rlF text` alternately, `runs` times each (warm)."""
    ours, theirs = [], []
    hits = grep_hits = 0
    for _ in range(runs):
        took, _out, err = timed(reader(folder, "--search", text), env)
        ours.append(took)
        hits = listed(err)
        took, out, _err = timed(["grep", "-rlF", text, str(folder)], env)
        theirs.append(took)
        grep_hits = len(out.splitlines())
    return {
        "list_s": statistics.median(ours),
        "hits": hits,
        "grep_s": statistics.median(theirs),
        "grep_hits": grep_hits,
    }


def terminal_figures(
    folder: Path,
    env: dict[str, str],
    runs: int,
    query: str,
    rare: str | None,
    largest: Callable[[], tuple[str, int]],
    progress: Callable[[str], None],
) -> dict[str, object]:
    """The terminal's figures (see the module docstring). `largest()` names the folder's
    largest category and its size (asked after the cache is warm)."""
    progress(f"terminal: first `list --search {query}` (fills the cache, builds the index)")
    first, _out, _err = timed(reader(folder, "--search", query), env)
    result: dict[str, object] = {"first_search_s": first}
    progress(f"terminal: `list --search {query}` against grep, {runs} run(s)")
    result["search"] = search_against_grep(folder, query, env, runs)
    if rare is not None:
        timed(reader(folder, "--search", rare), env)
        progress(f"terminal: `list --search {rare}` against grep")
        result["rare"] = search_against_grep(folder, rare, env, runs)
        result["rare_word"] = rare
    name, size = largest()
    command = reader(folder, "--category", name, "--json")
    timed(command, env)
    progress(f"terminal: `list --category {name} --json`")
    times, rows = [], 0
    for _ in range(runs):
        took, out, _err = timed(command, env)
        times.append(took)
        rows = out.count('"path":')
    result["category"] = {"name": name, "posts": size, "rows": rows, "s": statistics.median(times)}
    return result


def rows(figures: dict[str, object], query: str) -> list[tuple[str, str]]:
    """The table's rows for `terminal_figures`' result."""

    def versus(label: str, figure: dict[str, float | int]) -> tuple[str, str]:
        ratio = figure["grep_s"] / max(figure["list_s"], 1e-6)
        return (
            label,
            f"{figure['list_s']:.2f} s ({figure['hits']:,} posts); grep -rlF "
            f"{figure['grep_s']:.2f} s ({figure['grep_hits']:,} files); grep/list {ratio:.2f}x",
        )

    out = [
        (
            f"terminal: first list --search {query} (index build)",
            f"{float(figures['first_search_s']):.1f} s",  # type: ignore[arg-type]
        ),
        versus(f"terminal: list --search {query}", figures["search"]),  # type: ignore[arg-type]
    ]
    if "rare" in figures:
        label = f"terminal: list --search {figures['rare_word']} (rare)"
        out.append(versus(label, figures["rare"]))  # type: ignore[arg-type]
    cat = figures["category"]
    assert isinstance(cat, dict)
    out.append(
        (
            "terminal: list --category C --json (largest C)",
            f"{cat['s']:.2f} s ({cat['name']}, {cat['posts']:,} posts, {cat['rows']:,} rows)",
        )
    )
    return out

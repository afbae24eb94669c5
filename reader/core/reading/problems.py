"""How a problem file reads on one line, the same in the terminal and in the window.

Paths come from the folder being read, so they may hold anything a file name can: a newline
would split the line, a bidi override (U+202E) would show the name backwards. Both are shown as
escapes; everything else is kept as it is.
"""

from __future__ import annotations

import re

from reader.core.post import Problem

# C0 and C1 controls, and the bidi embeddings, overrides and isolates.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _escape(m: re.Match[str]) -> str:
    code = ord(m.group())
    return {9: "\\t", 10: "\\n", 13: "\\r"}.get(code) or (
        f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    )


def printable(text: str) -> str:
    """`text` with control and bidi-override characters shown as escapes (`\\n`, `\\u202e`)."""
    return _UNPRINTABLE.sub(_escape, text)


def problem_line(problem: Problem) -> str:
    """`path: reason`, as `post-reader problems` prints it and the Problems node shows it."""
    return f"{printable(problem.path)}: {printable(problem.reason)}"

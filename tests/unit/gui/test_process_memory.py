"""The window's process asks glibc for one malloc arena before its first thread starts."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import REPO

# Threads allocate (bytes objects above Python's small-object limit go to malloc), then glibc's
# malloc_info says how many arenas ("heaps") serve the process.
_COUNT_ARENAS = """
import ctypes, sys, tempfile, threading
from reader.gui.app import one_malloc_arena
took = one_malloc_arena() if sys.argv[1] == "one" else False
barrier = threading.Barrier(4)
def work():
    barrier.wait()
    keep = [bytes(2000) for _ in range(2000)]
    barrier.wait()
threads = [threading.Thread(target=work) for _ in range(4)]
for t in threads: t.start()
for t in threads: t.join()
libc = ctypes.CDLL(None)
libc.fopen.restype = ctypes.c_void_p
with tempfile.NamedTemporaryFile(suffix=".xml") as out:
    f = libc.fopen(out.name.encode(), b"w")
    libc.malloc_info(0, ctypes.c_void_p(f))
    libc.fclose(ctypes.c_void_p(f))
    print(took, open(out.name).read().count("<heap nr="))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc")
def test_the_window_process_serves_its_threads_from_one_malloc_arena() -> None:
    """`run_gui` first has glibc serve every thread from one malloc arena (what one thread
    frees, the others reuse); without it, threads allocating at once get arenas of their
    own. Not when the user set MALLOC_ARENA_MAX."""
    env = {k: v for k, v in os.environ.items() if k != "MALLOC_ARENA_MAX"}

    def arenas(mode: str) -> list[str]:
        ran = subprocess.run(
            [sys.executable, "-c", _COUNT_ARENAS, mode],
            capture_output=True,
            text=True,
            env=env,
            cwd=REPO,
        )
        return ran.stdout.split() or [ran.stderr[-300:]]

    assert arenas("one") == ["True", "1"]
    took, count = arenas("default")
    assert took == "False" and int(count) > 1
    env["MALLOC_ARENA_MAX"] = "4"
    assert arenas("one")[0] == "False"

"""The window's process sets glibc's malloc up before its first thread starts: one arena, and
large blocks mapped on their own."""

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
from reader.gui.app import tune_malloc
took = tune_malloc()[0] if sys.argv[1] == "one" else False
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


def _words_of(code: str, mode: str, env: dict[str, str]) -> list[str]:
    """What `code` prints, run with `mode` in a fresh interpreter, as words (its error's end
    when it prints nothing)."""
    ran = subprocess.run(
        [sys.executable, "-c", code, mode], capture_output=True, text=True, env=env, cwd=REPO
    )
    return ran.stdout.split() or [ran.stderr[-300:]]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc")
def test_the_window_process_serves_its_threads_from_one_malloc_arena() -> None:
    """`run_gui` first has glibc serve every thread from one malloc arena (what one thread
    frees, the others reuse); without it, threads allocating at once get arenas of their
    own. Not when the user set MALLOC_ARENA_MAX."""
    env = {k: v for k, v in os.environ.items() if k != "MALLOC_ARENA_MAX"}

    def arenas(mode: str) -> list[str]:
        return _words_of(_COUNT_ARENAS, mode, env)

    assert arenas("one") == ["True", "1"]
    took, count = arenas("default")
    assert took == "False" and int(count) > 1
    env["MALLOC_ARENA_MAX"] = "4"
    assert arenas("one")[0] == "False"


# A block of 1 MB is mapped and freed (glibc's own threshold rises to 1 MB), then one of 512 KB
# is kept: malloc_info says whether it was mapped on its own (one "mmap" block) or came from
# the heap, where the heap would keep its pages once it is freed among others.
_MAPPED_AFTER_LARGE_FREE = """
import ctypes, sys, tempfile
from reader.gui.app import tune_malloc
took = tune_malloc()[1] if sys.argv[1] == "tuned" else False
libc = ctypes.CDLL(None)
libc.fopen.restype = ctypes.c_void_p
def mapped_blocks():
    with tempfile.NamedTemporaryFile(suffix=".xml") as out:
        f = libc.fopen(out.name.encode(), b"w")
        libc.malloc_info(0, ctypes.c_void_p(f))
        libc.fclose(ctypes.c_void_p(f))
        info = open(out.name).read()
    return int(info[info.index('<total type="mmap"'):].split('count="')[1].split('"')[0])
big = bytes(1 << 20)
del big
before = mapped_blocks()
kept = bytes(512 << 10)
print(took, mapped_blocks() - before)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc")
def test_the_window_process_maps_large_blocks_on_their_own() -> None:
    """After `tune_malloc`, a block of 512 KB is mapped even after a larger one was freed
    (glibc's default raises its threshold then, and the block comes from the heap); not
    when the user set MALLOC_MMAP_THRESHOLD_."""
    env = {k: v for k, v in os.environ.items() if k != "MALLOC_MMAP_THRESHOLD_"}

    def mapped(mode: str) -> list[str]:
        return _words_of(_MAPPED_AFTER_LARGE_FREE, mode, env)

    assert mapped("tuned") == ["True", "1"]
    assert mapped("default") == ["False", "0"]
    env["MALLOC_MMAP_THRESHOLD_"] = str(4 << 20)
    assert mapped("tuned") == ["False", "0"]

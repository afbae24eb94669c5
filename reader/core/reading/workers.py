"""Parsing many post files fast: worker processes that stream results back in batches.

Owns the worker processes of a cold load, started the core's way (`reader.core.pool`: 'forkserver',
else 'spawn', never 'fork': the caller may be a Qt process with threads). Each worker has its own
pipe, so the parent always knows which chunk a worker was parsing; a worker that dies (a
C-level crash in a parser, the OOM killer) costs only a re-run of that chunk one file at a time,
and the file during which a process dies becomes a Problem. Small jobs are parsed in-process,
where starting processes would cost more than it saves.

Results travel as cache rows (`cache.Row`), not as `Post` objects: measured on 100,000 posts,
pickling frozen slotted dataclasses took 1.75 s and unpickling 1.0 s, against 0.23 s and 0.19 s
for tuples of strings and ints; and the parent needs the rows for the cache anyway.

As always with 'spawn' and 'forkserver', a program's main module must be importable without side
effects (`if __name__ == "__main__":`); `python -m reader` and the installed scripts are. Workers
that die as they start three times over are given up on, and the files are parsed in-process.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from multiprocessing.connection import Connection, wait
from multiprocessing.context import BaseContext
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from reader.core.errors import WorkerStartError
from reader.core.pool import worker_context
from reader.core.post import Post, Problem, SiteConfig
from reader.core.reading.parse import ParseSession, ZoneRules, parse_candidate
from reader.core.reading.scan import Candidate, ScanResult
from reader.core.storage.cache import KIND_PROBLEM, Decoded, Row, RowDecoder, encode_result

log = logging.getLogger(__name__)

# Below this many files, parsing in-process is faster than starting worker processes.
IN_PROCESS_BELOW = 2000
CHUNK_SIZE = 400
# The first chunks are small so the first rows show up at once; later ones amortise messaging.
_RAMP = (50, 100, 200)
CRASHED = "the parser crashed on this file"
# Tests only: a worker kills itself (SIGKILL) when it reaches a file of one of these names
# (comma-separated), to stand in for a C-level crash in a parser.
CRASH_HOOK_ENV = "POST_READER_TEST_CRASH_ON"
_POLL_SECONDS = 0.1
_MAX_START_FAILURES = 3

_CandTuple = tuple[str, int, int, bool, bool, tuple[str, ...], bool]
# A row without the path, which the parent has: (size, mtime_ns, kind, data, excerpt). The stat is
# the worker's: a cold load's scan leaves it to the parse (see `scan_folder(stat_files=False)`).
# A whole chunk's results come with the records the worker parsed (a `Decoded`).
_Result = tuple[int, int, int, str | None, str | None]


@dataclass(slots=True)
class ParsedBatch:
    """Records parsed since the last batch, with the cache rows for the same files."""

    posts: Sequence[Post]  # a `PostTable` from the cache rows
    problems: list[Problem]
    not_posts: list[str]
    rows: list[Row]
    done: int
    total: int


def default_workers() -> int:
    try:
        n = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        n = os.cpu_count() or 1
    return max(1, min(n, 8))


# --- the worker process ---------------------------------------------------------------------


def _as_tuple(c: Candidate) -> _CandTuple:
    return (c.path, c.size, c.mtime_ns, c.draft, c.in_posts_dir, c.path_categories, c.markdown)


def _parse_one(
    root: Path, cand: Candidate, site: SiteConfig, zones: ZoneRules, session: ParseSession
) -> Post | Problem | None:
    try:
        return parse_candidate(root, cand, site, zones, session)
    except Exception as exc:  # a parser bug must cost one file, not the load
        log.exception("parser failed on %s", cand.path)
        return Problem(cand.path, f"the parser failed on this file ({type(exc).__name__})")


def _worker_main(conn: Connection) -> None:
    """Entry point of a worker: init message, then chunks until None or the pipe closes."""
    try:
        _, root_text, site, crash_names, excerpts = conn.recv()
        crash_on = frozenset(crash_names.split(",")) if crash_names else frozenset()
        root = Path(root_text)
        zones = ZoneRules.for_site(site)
        conn.send(("ready", os.getpid()))
        while True:
            task = conn.recv()
            if task is None:
                return
            chunk_id, items, one_by_one = task
            out: list[_Result] = []
            # The records themselves, beside their rows: the parent would decode the rows
            # into the same records (1.6 s of the window's process at 100,000 posts).
            records = Decoded()
            add_post = records.posts.append
            with ParseSession(root, excerpts) as session:
                for item in items:
                    cand = Candidate(*item)
                    if crash_on and cand.path.rsplit("/", 1)[-1] in crash_on:
                        os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))
                    item = _parse_one(root, cand, site, zones, session)
                    row = encode_result(session.with_stat(cand), item, zones)
                    if one_by_one:
                        conn.send((chunk_id, [row[1:]]))
                        continue
                    out.append(row[1:])
                    if isinstance(item, Post):
                        add_post(item)
                    elif isinstance(item, Problem):
                        records.problems.append(item)
                    else:
                        records.not_posts.append(cand.path)
            if not one_by_one:
                conn.send((chunk_id, out, records))
    except (EOFError, OSError, KeyboardInterrupt):
        return  # the parent went away or cancelled


# --- the parent side ------------------------------------------------------------------------


@dataclass(slots=True)
class _Chunk:
    cands: list[Candidate]
    one_by_one: bool = False
    received: int = 0


@dataclass(slots=True)
class _Worker:
    proc: BaseProcess
    conn: Connection
    ready: bool = False
    assigned: deque[int] = field(default_factory=deque)


class WorkerPool:
    """Worker processes for one load. `start()` early (they start while the folder is scanned),
    then `parse()` once; always `close()` (or use `with`)."""

    def __init__(self, workers: int | None = None) -> None:
        self.size = workers if workers is not None else default_workers()
        self._ctx: BaseContext | None = None
        self._workers: list[_Worker] = []
        self._init: tuple[str, str, SiteConfig, str | None, bool] | None = None
        self.crashes = 0  # files during which a worker died
        self.start_failures = 0
        self._starter: threading.Thread | None = None

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self) -> None:
        """Start the processes (non-blocking; they wait for `parse()`)."""
        while len(self._workers) < self.size:
            self._spawn()

    def start_in_background(self) -> None:
        """`start()` on a thread of its own: starting the fork server blocks this thread until
        the server has imported the parser (~0.2 s), time the caller can spend scanning."""
        self._starter = threading.Thread(
            target=self._start_quietly, name="post-reader-pool-start", daemon=True
        )
        self._starter.start()

    def _start_quietly(self) -> None:
        try:
            self.start()
        except Exception:  # `parse()` starts what is missing again, and reports it
            log.warning("starting parser processes failed", exc_info=True)

    def _join_starter(self) -> None:
        if self._starter is not None:
            self._starter.join()
            self._starter = None

    def _spawn(self) -> _Worker:
        if self._ctx is None:
            self._ctx = worker_context()
        parent_end, child_end = self._ctx.Pipe(duplex=True)
        proc = self._ctx.Process(  # type: ignore[attr-defined]
            target=_worker_main, args=(child_end,), name="post-reader-parser", daemon=True
        )
        proc.start()
        child_end.close()
        worker = _Worker(proc, parent_end)
        self._workers.append(worker)
        if self._init is not None:
            with contextlib.suppress(OSError):
                parent_end.send(self._init)
        return worker

    def pids(self) -> list[int]:
        """The process ids of the live workers."""
        return [w.proc.pid for w in self._workers if w.proc.pid is not None]

    def close(self) -> None:
        """Stop every worker at once (they hold no state worth a graceful goodbye)."""
        self._join_starter()
        for w in self._workers:
            if w.proc.is_alive():
                w.proc.kill()
        for w in self._workers:
            w.proc.join(timeout=2)
            w.conn.close()
            with contextlib.suppress(ValueError):  # still running after SIGKILL and 2 s
                w.proc.close()
        self._workers.clear()

    def parse(
        self,
        result: ScanResult,
        candidates: Sequence[Candidate],
        cancelled: Callable[[], bool] | None = None,
        zones: ZoneRules | None = None,
        chunk_size: int = CHUNK_SIZE,
        excerpts: bool = True,
    ) -> Iterator[ParsedBatch]:
        """Parse `candidates` in the workers, yielding each chunk's records as it arrives (in no
        particular order). Stops, killing the workers, as soon as `cancelled()` is true.
        `excerpts=False`: posts come without excerpts (see `parse.excerpt_from_file`)."""
        self._join_starter()
        zones = zones or ZoneRules.for_site(result.site)
        crash_on = os.environ.get(CRASH_HOOK_ENV) or None
        self._init = ("init", str(result.root), result.site, crash_on, excerpts)
        for w in self._workers:
            with contextlib.suppress(OSError):  # died already: its sentinel reports it below
                w.conn.send(self._init)
        self.start()
        chunks = _split(candidates, chunk_size)
        queue: deque[int] = deque(range(len(chunks)))
        total = len(candidates)
        done = 0
        decoder = RowDecoder(zones)
        try:
            while queue or any(w.assigned for w in self._workers):
                if cancelled is not None and cancelled():
                    return
                if not self._workers:
                    self._spawn()
                self._feed(chunks, queue)
                ready = wait(
                    [w.conn for w in self._workers] + [w.proc.sentinel for w in self._workers],
                    timeout=_POLL_SECONDS,
                )
                for w in list(self._workers):
                    if w.conn not in ready and w.proc.sentinel not in ready:
                        continue
                    # Death is checked before draining: what a dead process wrote is all in
                    # the pipe, so the file it died on is the one after its last result.
                    dead = not w.proc.is_alive()
                    rows: list[Row] = []
                    # The records of those rows, while every message came with them.
                    pieces: list[Decoded] | None = []
                    try:
                        while w.conn.poll():
                            msg = w.conn.recv()
                            rows.extend(self._receive(w, msg, chunks))
                            if len(msg) == 3 and pieces is not None:
                                pieces.append(msg[2])
                            elif msg[0] != "ready":
                                pieces = None
                    except (EOFError, OSError):
                        w.proc.join(timeout=5)  # it closed its end: it is exiting
                        dead = True
                    if rows:
                        done += len(rows)
                        yield _batch(decoder, rows, done, total, pieces)
                    if dead:
                        rows = self._bury(w, chunks, queue)
                        if rows:
                            done += len(rows)
                            yield _batch(decoder, rows, done, total)
                    if cancelled is not None and cancelled():
                        return
        except WorkerStartError as exc:
            log.warning("%s; parsing in this process instead", exc)
            self.close()
            rest = [c for ch in chunks for c in ch.cands[ch.received :]]
            for batch in parse_in_process(result, rest, cancelled, zones):
                batch.done += done
                batch.total = total
                yield batch
        finally:
            self.close()

    def _feed(self, chunks: list[_Chunk], queue: deque[int]) -> None:
        for w in self._workers:
            # Two chunks per worker, so it never waits for the parent between chunks. The pipe
            # cannot deadlock: a worker reads its next chunk before parsing it, so the parent's
            # send never waits on a worker that is itself waiting to send.
            while w.ready and len(w.assigned) < 2 and queue:
                cid = queue.popleft()
                ch = chunks[cid]
                try:
                    w.conn.send((cid, [_as_tuple(c) for c in ch.cands], ch.one_by_one))
                except OSError:
                    queue.appendleft(cid)  # it died; its sentinel says so next
                    break
                w.assigned.append(cid)

    def _receive(self, w: _Worker, msg: Any, chunks: list[_Chunk]) -> list[Row]:
        if msg[0] == "ready":
            w.ready = True
            return []
        cid, results = msg[0], msg[1]
        ch = chunks[cid]
        cands = ch.cands[ch.received : ch.received + len(results)]
        ch.received += len(results)
        if ch.received >= len(ch.cands) and w.assigned and w.assigned[0] == cid:
            w.assigned.popleft()
        return [(c.path, *result) for c, result in zip(cands, results, strict=True)]

    def _bury(self, w: _Worker, chunks: list[_Chunk], queue: deque[int]) -> list[Row]:
        """Replace a dead worker. Its current chunk is parsed again one file at a time (by a
        fresh process) from the file it died on; in one-file-at-a-time mode that file is known
        exactly and becomes a Problem, returned as a row. Unstarted chunks are requeued."""
        self._workers.remove(w)
        w.conn.close()
        w.proc.join(timeout=2)
        if not w.ready:
            self.start_failures += 1
            if self.start_failures >= _MAX_START_FAILURES:
                raise WorkerStartError("parser processes die as they start")
        rows: list[Row] = []
        if w.assigned:
            current = chunks[w.assigned[0]]
            rest = current.cands[current.received :]
            if current.one_by_one and rest:
                bad, rest = rest[0], rest[1:]
                self.crashes += 1
                log.warning("a parser process died on %s; it is reported as a problem", bad.path)
                if bad.size < 0 and self._init is not None:  # a cold load: stat it here
                    bad = _with_lstat(Path(self._init[1]), bad)
                rows.append((bad.path, bad.size, bad.mtime_ns, KIND_PROBLEM, CRASHED, None))
            current.received = len(current.cands)  # what is left moves to a new chunk
            if rest:
                chunks.append(_Chunk(rest, one_by_one=True))
                queue.appendleft(len(chunks) - 1)
            for cid in reversed(list(w.assigned)[1:]):
                queue.appendleft(cid)
        return rows


def _with_lstat(root: Path, cand: Candidate) -> Candidate:
    """`cand` with the real size and mtime of its path (unchanged when it cannot be stat'ed)."""
    try:
        st = os.stat(root / cand.path, follow_symlinks=False)
    except (OSError, ValueError):
        return cand
    return replace(cand, size=st.st_size, mtime_ns=st.st_mtime_ns)


def _split(candidates: Sequence[Candidate], size: int) -> list[_Chunk]:
    chunks: list[_Chunk] = []
    i = 0
    ramp = iter(_RAMP)
    while i < len(candidates):
        n = min(next(ramp, size), size)
        chunks.append(_Chunk(list(candidates[i : i + n])))
        i += n
    return chunks


def _batch(
    decoder: RowDecoder,
    rows: list[Row],
    done: int,
    total: int,
    pieces: list[Decoded] | None = None,
) -> ParsedBatch:
    """The batch of `rows`: its records from `pieces` (the workers' records of those rows, in
    order) when given, else decoded here (a chunk sent a file at a time, a crashed file's row)."""
    out = Decoded()
    if pieces:
        posts = out.posts if len(pieces) > 1 else pieces[0].posts
        for piece in pieces:
            if posts is not piece.posts:
                posts.extend(piece.posts)  # a table's columns, copied in C
            out.problems += piece.problems
            out.not_posts += piece.not_posts
        out.posts = posts
    else:
        decoder.decode(rows, out)
    return ParsedBatch(out.posts, out.problems, out.not_posts, rows, done, total)


# --- in-process, and the choice between the two --------------------------------------------


def parse_in_process(
    result: ScanResult,
    candidates: Sequence[Candidate],
    cancelled: Callable[[], bool] | None = None,
    zones: ZoneRules | None = None,
    batch_size: int = CHUNK_SIZE,
    excerpts: bool = True,
) -> Iterator[ParsedBatch]:
    """The same batches as the workers give, parsed in this process."""
    zones = zones or ZoneRules.for_site(result.site)
    total = len(candidates)
    done = 0
    for start in range(0, total, batch_size):
        if cancelled is not None and cancelled():
            return
        posts: list[Post] = []
        problems: list[Problem] = []
        not_posts: list[str] = []
        rows: list[Row] = []
        with ParseSession(result.root, excerpts) as session:
            for cand in candidates[start : start + batch_size]:
                item = _parse_one(result.root, cand, result.site, zones, session)
                if isinstance(item, Post):
                    posts.append(item)
                elif isinstance(item, Problem):
                    problems.append(item)
                else:
                    not_posts.append(cand.path)
                rows.append(encode_result(session.with_stat(cand), item, zones))
        done += len(rows)
        yield ParsedBatch(posts, problems, not_posts, rows, done, total)


def should_use_workers(files: int, workers: int | None, use_workers: bool | None) -> bool:
    """Whether parsing `files` files is worth worker processes (`use_workers` forces it)."""
    if use_workers is not None:
        return use_workers
    return files >= IN_PROCESS_BELOW and (workers or default_workers()) > 1


def parse_in_workers(
    result: ScanResult,
    candidates: Sequence[Candidate] | None = None,
    workers: int | None = None,
    cancelled: Callable[[], bool] | None = None,
    *,
    zones: ZoneRules | None = None,
    use_workers: bool | None = None,
    pool: WorkerPool | None = None,
    excerpts: bool = True,
) -> Iterator[ParsedBatch]:
    """Parse `candidates` (default: all of the scan) and yield batches as they are ready.

    `use_workers`: None decides by size (in-process below IN_PROCESS_BELOW files), True/False
    force one way. `pool`: processes already started (see WorkerPool.start); it is closed here.
    `excerpts=False`: posts parsed in workers come without excerpts, a fifth of the parse (a
    cached folder's are made when asked: `reading.excerpts`); in-process ones (small jobs) keep
    theirs.
    """
    cands = result.candidates if candidates is None else candidates
    if not should_use_workers(len(cands), workers, use_workers):
        if pool is not None:
            pool.close()
        yield from parse_in_process(result, cands, cancelled, zones)
        return
    pool = pool or WorkerPool(workers)
    with pool:
        yield from pool.parse(result, cands, cancelled, zones, excerpts=excerpts)

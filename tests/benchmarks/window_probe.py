"""One window process for the benchmark: opens FOLDER offscreen and prints timings as JSON.

Timestamps are wall-clock (time.time()) so the parent can measure from before it started this
process. Measured: first paint of the list with rows, full list painted, the longest event-loop
stall while loading (a 10 ms timer's longest gap; with --after, also in the seconds after the
load's end), category switch, sort change, opening an article, a search (its first page, then
every match), and peak RSS.

    python tests/benchmarks/window_probe.py FOLDER [--repeat 5] [--search WORD ...]
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import resource
import statistics
import sys
import time

START = time.time()
# Measure the checkout this file is in: run as a script, `import reader` would otherwise find
# whatever the virtualenv's editable install points at (another worktree, say).
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--search", nargs="*", default=[])
    parser.add_argument(
        "--settle",
        type=float,
        default=0,
        help="then wait (at most this many seconds) for the window's background work to end,"
        " and report the peak RSS again",
    )
    parser.add_argument(
        "--after",
        type=float,
        default=0,
        help="also measure the event loop's stalls for this many seconds after the load's end"
        " (the watches, the index check and the other work the load's end starts)",
    )
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import tempfile
    from pathlib import Path

    # As `post-reader` starts: its entry point (reader.cli) imports the core, and `run_gui` the
    # window's package (and with it numpy), before Qt. Imported after PySide6, every module goes
    # through PySide's import hook (40 ms more for the core).
    importlib.import_module("reader.cli")
    importlib.import_module("reader.gui")
    # As `run_gui` does first: one malloc arena for all threads, large blocks mapped.
    importlib.import_module("reader.gui.app").tune_malloc()
    # As `run_gui` does with the folder it is given, before the window is built.
    importlib.import_module("reader.core").look_ahead(args.folder)
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    from reader.core.post import SortKey
    from reader.core.storage.userdata import UserStore
    from reader.gui.main_window import MainWindow
    from reader.gui.models.nav_tree import NodeKind
    from reader.gui.settings import AppSettings

    out: dict[str, object] = {"start": START}
    tmp = tempfile.mkdtemp()
    window = MainWindow(AppSettings(Path(tmp) / "s.ini"), UserStore.open(Path(tmp) / "u.sqlite3"))
    window.resize(1280, 800)

    class PaintWatch(QObject):
        def eventFilter(self, _obj: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and window.list_model.rowCount() > 0:
                out.setdefault("first_rows_painted", time.time())
                if window.library is not None and not window.loading:
                    out.setdefault("full_list_painted", time.time())
            return False

    watch = PaintWatch()
    window.list_view.viewport().installEventFilter(watch)
    gaps: list[float] = []
    gap_ends: list[float] = []  # when each gap ended (time.time()), to say where the stall was
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        gap_ends.append(time.time())
        last[0] = now

    ticker = QTimer()
    ticker.setInterval(10)
    ticker.timeout.connect(tick)
    window.show()
    done = [False]
    window.folder_loaded.connect(lambda: done.__setitem__(0, True))
    ticker.start()
    window.open_folder(Path(args.folder))
    while not done[0]:
        app.processEvents()
        time.sleep(0.001)
    out["loaded"] = loaded = time.time()
    for _ in range(20):  # let the final repaint happen
        app.processEvents()
        time.sleep(0.005)
    during = len(gaps)
    if args.after:
        until = time.perf_counter() + args.after
        while time.perf_counter() < until:
            app.processEvents()
            time.sleep(0.001)
        later = gaps[during:]
        out["max_stall_after_ms"] = round(max(later) * 1000, 1) if later else None
        if later:
            worst_later = during + max(range(len(later)), key=later.__getitem__)
            out["max_stall_after_at_s"] = round(gap_ends[worst_later] - loaded, 2)
    ticker.stop()
    gaps = gaps[:during]
    out["max_stall_ms"] = round(max(gaps) * 1000, 1) if gaps else None
    if gaps:
        worst = max(range(len(gaps)), key=gaps.__getitem__)
        out["max_stall_end"] = gap_ends[worst]
    out["posts"] = len(window.library.posts) if window.library else 0

    def timed(action: object) -> float:
        t0 = time.perf_counter()
        action()  # type: ignore[operator]
        window.list_view.viewport().repaint()
        app.processEvents()
        return (time.perf_counter() - t0) * 1000

    def open_and_paint(p: str) -> None:
        window.open_post(p)
        window.pane.viewport().repaint()

    def interactions(offset: int) -> tuple[float, float, float]:
        """Median ms of a category switch, a sort change and opening an article (the articles
        and categories taken from `offset` on, so a second round opens others)."""
        assert window.library is not None
        counts = window.library.category_counts()
        cats = [name for name, _n in counts[offset : offset + args.repeat + 1]]
        switch = [timed(lambda c=c: window.nav.select_node(NodeKind.CATEGORY, c)) for c in cats]
        window.nav.select_node(NodeKind.ALL)
        app.processEvents()
        sort = []
        for key, desc in [(SortKey.TITLE, False), (SortKey.DATE, True)] * args.repeat:
            sort.append(timed(lambda k=key, d=desc: window.listing.on_sort_requested(k, d)))
        posts = window.library.posts
        step = max(1, len(posts) // (args.repeat + 1))
        paths = [posts[i].path for i in range(offset, len(posts), step)][: args.repeat]
        opening = [timed(lambda p=p: open_and_paint(p)) for p in paths]
        return tuple(round(statistics.median(v), 1) for v in (switch, sort, opening))  # type: ignore[return-value]

    switch_ms, sort_ms, open_ms = interactions(0)
    searches, whole = {}, {}
    for word in args.search:
        runs, complete = [], []
        for _ in range(args.repeat):
            window.search._whole = None  # each run a fresh search, not the last one's answer
            window.search_edit.setText(word)
            t0 = time.perf_counter()
            runs.append(timed(window.search.on_search_return))  # typed, then Return
            while getattr(window.search, "counting", False):  # every match, from a thread
                app.processEvents()
                time.sleep(0.001)
            complete.append((time.perf_counter() - t0) * 1000)
            window.search_edit.setText("")
        searches[word] = round(statistics.median(runs), 1)
        whole[word] = round(statistics.median(complete), 1)
    out["category_switch_ms"], out["sort_change_ms"], out["open_article_ms"] = (
        switch_ms,
        sort_ms,
        open_ms,
    )
    out["search_ms"] = searches  # the first page listed
    out["search_whole_ms"] = whole  # every match listed, with their count
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    if args.settle:
        # What the window reaches once the work a load starts has run (the index build or its
        # check, the sources' names, the copies of stories, the sort orders): a user's window
        # a few seconds after a warm reopen, not only at its first full list.
        session, sources = window.session, window.sources

        def busy() -> bool:
            return bool(
                session.settle_pending
                or session.indexer.running
                or sources.running
                or session.orders.running
            )

        t0 = time.perf_counter()
        idle_since = None
        while time.perf_counter() - t0 < args.settle:
            app.processEvents()
            time.sleep(0.01)
            if busy():
                idle_since = None
            elif idle_since is None:
                idle_since = time.perf_counter()
            elif time.perf_counter() - idle_since > 0.5:
                break
        out["settled_s"] = round(time.perf_counter() - t0, 1)
        out["settled"] = not busy()
        out["settled_peak_rss_mb"] = round(
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1
        )
        # The same interactions in a window with no work of its own going on: what is left of
        # each is its own cost, the rest was waiting for that work.
        quiet = interactions(1)
        out["quiet_switch_ms"], out["quiet_sort_ms"], out["quiet_open_ms"] = quiet
    t0 = time.perf_counter()
    window.close()  # cold: while the index is still being built, at 10,000 posts and more
    out["close_ms"] = round((time.perf_counter() - t0) * 1000, 1)
    print(json.dumps(out))
    sys.stdout.flush()
    os._exit(0)  # skip slow teardown of 100k Python objects


if __name__ == "__main__":
    main()

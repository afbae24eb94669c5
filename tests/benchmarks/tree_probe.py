"""The navigation tree with many categories, measured in one window process (offscreen).

Prints JSON: each rebuild of the tree while FOLDER loads (milliseconds until laid out and
painted), the rebuilds after the load (the order settling, the sources' names arriving), how
often top-level category rows changed their relative order between two model changes during
the load (and how many rows moved), and, after the load, the time from a keystroke in the
tree's filter field to the tree painted with the filtered rows (the field's pause included),
and the filtering alone (text set, filtered, painted).

    POST_READER_CACHE_DIR=/tmp/tree-cache POST_READER_DATA_DIR=/tmp/tree-data \\
        python tests/benchmarks/tree_probe.py FOLDER [--by-name] [--type xin zgs 新]
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import json
import os
import statistics
import sys
import time

# Measure the checkout this file is in (see window_probe.py).
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


def moved_rows(before: list[str], after: list[str]) -> int:
    """How many of the rows present in both lists changed place relative to the others (the
    common rows minus the longest run kept in order)."""
    where = {key: i for i, key in enumerate(after)}
    positions = [where[key] for key in before if key in where]
    tails: list[int] = []  # longest increasing subsequence, patience sorting
    for p in positions:
        at = bisect.bisect_left(tails, p)
        if at == len(tails):
            tails.append(p)
        else:
            tails[at] = p
    return len(positions) - len(tails)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder")
    parser.add_argument("--by-name", action="store_true", help="the tree's A-Z switch on")
    parser.add_argument("--type", nargs="*", default=["xin", "zgs", "新闻", "sh"])
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import tempfile
    from pathlib import Path

    from PySide6.QtCore import QEvent, QObject, Qt
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    from reader.core.storage.userdata import UserStore
    from reader.gui.main_window import MainWindow
    from reader.gui.models.nav_tree import NodeKind
    from reader.gui.settings import AppSettings

    tmp = tempfile.mkdtemp()
    window = MainWindow(AppSettings(Path(tmp) / "s.ini"), UserStore.open(Path(tmp) / "u.sqlite3"))
    window.resize(1280, 800)
    nav, model = window.nav, window.nav.model
    nav.sort_button.setChecked(args.by_name)

    def category_order() -> list[str]:
        cats = model.find(NodeKind.CATEGORIES)
        if not cats.isValid():
            return []
        return [
            str(model.index(r, 0, cats).data(Qt.ItemDataRole.UserRole + 2))
            for r in range(model.rowCount(cats))
        ]

    # Every model change during the load: the categories' order then.
    samples: list[list[str]] = []
    loading = [True]

    def sample(*_args: object) -> None:
        # Until the session says the load ended (the order may settle from then on).
        if window.session.loading or window.session.checking:
            samples.append(category_order())

    for sig in (model.modelReset, model.layoutChanged, model.rowsInserted, model.rowsRemoved):
        sig.connect(sample)

    # Each rebuild of the panel (model + expansion + selection restored), timed.
    # (wall ms, this thread's CPU ms: without the waits for the GIL a worker holds, categories
    # shown, during the load?)
    rebuilds: list[tuple[float, float, int, bool]] = []
    original = nav._rebuild

    def timed_rebuild(*a: object, **k: object) -> None:
        t0, c0 = time.perf_counter(), time.thread_time()
        original(*a, **k)
        nav.tree.viewport().repaint()  # laid out and painted: the tree as the user sees it
        wall, cpu = (time.perf_counter() - t0) * 1000, (time.thread_time() - c0) * 1000
        rebuilds.append((wall, cpu, len(category_order()), loading[0]))

    nav._rebuild = timed_rebuild  # type: ignore[method-assign]
    window.show()
    done = [False]
    window.folder_loaded.connect(lambda: done.__setitem__(0, True))
    t_open = time.perf_counter()
    window.open_folder(Path(args.folder))
    while not done[0]:
        app.processEvents()
        time.sleep(0.001)
    load_s = time.perf_counter() - t_open
    loading[0] = False
    for _ in range(20):
        app.processEvents()
        time.sleep(0.005)
    # The names found after the load (a second rebuild): wait for the sources worker.
    deadline = time.monotonic() + 60
    while window.sources.running and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.005)
    app.processEvents()

    reorders = moved = 0
    for before, after in itertools.pairwise(samples):
        n = moved_rows(before, after)
        if n:
            reorders += 1
            moved += n
    during = [ms for ms, _cpu, _n, during in rebuilds if during]
    during_cpu = [cpu for _ms, cpu, _n, during in rebuilds if during]
    after_load = [(ms, cpu) for ms, cpu, _n, during in rebuilds if not during]

    # Keystrokes in the filter field, each until the tree has painted its new rows.
    painted = [False]

    class PaintWatch(QObject):
        def eventFilter(self, _obj: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                painted[0] = True
            return False

    watch = PaintWatch()
    nav.tree.viewport().installEventFilter(watch)
    changed = [False]
    model.modelReset.connect(lambda: changed.__setitem__(0, True))
    model.layoutChanged.connect(lambda: changed.__setitem__(0, True))
    model.rowsRemoved.connect(lambda *_a: changed.__setitem__(0, True))
    model.rowsInserted.connect(lambda *_a: changed.__setitem__(0, True))

    keystroke: list[float] = []
    keystroke_cpu: list[float] = []
    shown: dict[str, int] = {}
    nav.filter_edit.setFocus()
    for _round in range(3):
        for word in args.type:
            for ch in word:
                changed[0] = painted[0] = False
                t0, c0 = time.perf_counter(), time.thread_time()
                nav.filter_edit.insert(ch)  # as typed: textChanged, then the pause
                limit = time.monotonic() + 5
                while nav._filter_timer.isActive() and time.monotonic() < limit:
                    app.processEvents()
                app.processEvents()  # the tree's repaint (when the rows changed)
                if changed[0] and not painted[0]:
                    nav.tree.viewport().repaint()
                keystroke.append((time.perf_counter() - t0) * 1000)
                keystroke_cpu.append((time.thread_time() - c0) * 1000)
            shown[word] = len(category_order())
            nav.filter_edit.clear()
            limit = time.monotonic() + 5
            while len(category_order()) < 100 and time.monotonic() < limit:
                app.processEvents()
    # The filtering alone (no pause): set the text and filter at once.
    direct: list[float] = []
    for word in args.type * 3:
        for n in range(1, len(word) + 1):
            nav.filter_edit.blockSignals(True)
            nav.filter_edit.setText(word[:n])
            nav.filter_edit.blockSignals(False)
            t0 = time.perf_counter()
            nav.on_filter_changed()
            nav.tree.viewport().repaint()
            direct.append((time.perf_counter() - t0) * 1000)
    out = {
        "posts": len(window.library.posts) if window.library else 0,
        "categories": len(window.library.category_counts()) if window.library else 0,
        "by_name": args.by_name,
        "load_s": round(load_s, 2),
        "rebuilds_during_load": len(during),
        "rebuild_during_load_ms": {
            "median": round(statistics.median(during), 1) if during else None,
            "max": round(max(during), 1) if during else None,
        },
        "rebuild_during_load_cpu_ms": {
            "median": round(statistics.median(during_cpu), 1) if during_cpu else None,
            "max": round(max(during_cpu), 1) if during_cpu else None,
        },
        "rebuilds_after_load_ms_wall_cpu": [(round(a, 1), round(b, 1)) for a, b in after_load[:6]],
        "model_changes_during_load": len(samples),
        "reorders_during_load": reorders,
        "rows_moved_during_load": moved,
        "keystroke_to_painted_ms": {
            "median": round(statistics.median(keystroke), 1),
            "max": round(max(keystroke), 1),
        },
        "keystroke_cpu_ms": {
            "median": round(statistics.median(keystroke_cpu), 1),
            "max": round(max(keystroke_cpu), 1),
        },
        "filter_alone_ms": {
            "median": round(statistics.median(direct), 1),
            "max": round(max(direct), 1),
        },
        "categories_shown": shown,
    }
    window.close()
    print(json.dumps(out, indent=1, ensure_ascii=False))
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    main()

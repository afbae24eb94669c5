"""The navigation tree at scale, for the benchmark: opens FOLDER offscreen and prints, as JSON,
what building the tree and filtering it cost and whether category rows reordered while loading.

Measured in the window process:
  rebuilds during the load   how many times the tree was rebuilt, the longest and the total
  build                      the tree rebuilt after the load (model reset and population, the
                             expansion and selection restored, the tree repainted), median
  keystroke                  one keystroke in the filter field ("s", then "sh"; then cleared) to
                             the tree answering: setText to the filtered tree repainted, the
                             field's debounce included; and the rebuild's own share of it
  reorders during load       at each paint of the tree while the folder loads (until the load
                             has ended: the order by count settles then, once), the order of the
                             top-level category rows is sampled; a reorder is a sample in which
                             rows that were already there stand in another relative order

    python tests/benchmarks/window_tree.py FOLDER [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

# Measure the checkout this file is in (not whatever the virtualenv's install points at).
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def relative_order_changed(before: list[object], after: list[object]) -> bool:
    """Whether the rows present in both samples stand in another order in `after`."""
    common = set(before) & set(after)
    return [k for k in before if k in common] != [k for k in after if k in common]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEvent, QObject

    from reader.core import UserStore
    from reader.gui.app import create_application, make_main_window
    from reader.gui.models.nav_tree import NodeKind
    from reader.gui.settings import AppSettings

    app = create_application([])
    tmp = Path(tempfile.mkdtemp())
    window = make_main_window(
        AppSettings(tmp / "settings.ini"), UserStore.open(tmp / "u.sqlite3"), "light"
    )
    window.resize(1280, 800)
    nav, model = window.nav, window.nav.model

    # Every rebuild of the panel (model reset + expansion/selection restored) is timed.
    rebuilds: list[tuple[float, float]] = []  # (ended at, seconds)
    panel_rebuild: Callable[..., None] = nav._rebuild

    def timed_rebuild(*args: object, **kwargs: object) -> None:
        t0 = time.perf_counter()
        panel_rebuild(*args, **kwargs)
        rebuilds.append((time.perf_counter(), time.perf_counter() - t0))

    nav._rebuild = timed_rebuild  # type: ignore[method-assign]

    def category_order() -> list[object]:
        node = model.node(model.find(NodeKind.CATEGORIES))
        return [child.value for child in node.children] if node is not None else []

    loading = [True]
    samples: list[list[object]] = []
    reorders = [0]

    class PaintWatch(QObject):
        def eventFilter(self, _obj: QObject, event: QEvent) -> bool:
            if loading[0] and event.type() == QEvent.Type.Paint:
                order = category_order()
                if order and (not samples or order != samples[-1]):
                    if samples and relative_order_changed(samples[-1], order):
                        reorders[0] += 1
                    samples.append(order)
            return False

    watch = PaintWatch()
    nav.tree.viewport().installEventFilter(watch)
    window.show()
    done = [False]

    def ended(_cancelled: bool) -> None:
        # The order may settle once when the load ends (by count): that is not "during". The
        # tree settles as the load ends, the list a turn later (`folder_loaded` after it).
        loading[0] = False

    window.session.load_finished.connect(ended)
    window.folder_loaded.connect(lambda: done.__setitem__(0, True))
    window.open_folder(args.folder)
    while not done[0]:
        app.processEvents()
        time.sleep(0.001)
    for _ in range(20):  # the last repaint
        app.processEvents()
        time.sleep(0.005)
    loading[0] = False
    during = [seconds for _end, seconds in rebuilds]
    out: dict[str, object] = {
        "categories": len(category_order()),
        "rebuilds_during_load": len(during),
        "longest_rebuild_during_load_ms": round(max(during, default=0) * 1000, 1),
        "total_rebuild_during_load_ms": round(sum(during) * 1000, 1),
        "order_samples": len(samples),
        "reorders_during_load": reorders[0],
    }

    build = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        nav._rebuild()
        nav.tree.viewport().repaint()
        build.append((time.perf_counter() - t0) * 1000)
    out["build_ms"] = round(statistics.median(build), 1)

    def keystroke(text: str) -> tuple[float, float]:
        """setText(text) until the tree has been rebuilt and repainted: (total, rebuild) ms."""
        seen = len(rebuilds)
        t0 = time.perf_counter()
        nav.filter_edit.setText(text)
        while len(rebuilds) == seen:
            app.processEvents()
            time.sleep(0.0005)
        nav.tree.viewport().repaint()
        return (time.perf_counter() - t0) * 1000, rebuilds[-1][1] * 1000

    typed: dict[str, list[tuple[float, float]]] = {"s": [], "sh": [], "": []}
    for _ in range(args.repeat):
        for text in typed:
            typed[text].append(keystroke(text))
    for text, runs in typed.items():
        label = text or "cleared"
        out[f"keystroke_{label}_ms"] = round(statistics.median(r[0] for r in runs), 1)
        out[f"keystroke_{label}_rebuild_ms"] = round(statistics.median(r[1] for r in runs), 1)
    keystroke("s")
    out["categories_matching_s"] = len(category_order())
    out["filter_interval_ms"] = nav._filter_timer.interval()
    window.close()
    print(json.dumps(out))
    sys.stdout.flush()
    os._exit(0)  # skip the slow teardown of many Python objects


if __name__ == "__main__":
    main()

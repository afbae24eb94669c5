"""The window's timeline at scale: opens FOLDER offscreen and times the timeline's redraw
(recount of the view + paint) for all posts and for the largest category, and choosing a range
(the list's query, the recount and the paint request). Medians of 7 runs, in milliseconds.
The full-text index is being built on another thread meanwhile, as after a first open.

    python tests/benchmarks/window_timeline.py FOLDER [--out SCREENSHOT.png]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

# Measure the checkout this file is in (not whatever the virtualenv's install points at).
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", type=Path)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop

    from reader.core import UserStore
    from reader.gui.app import create_application, make_main_window
    from reader.gui.models.nav_tree import NodeKind
    from reader.gui.settings import AppSettings

    app = create_application([])
    tmp = Path(tempfile.mkdtemp())
    store = UserStore.open(tmp / "userdata.sqlite3")
    window = make_main_window(AppSettings(tmp / "settings.ini"), store, "light")
    window.resize(1280, 800)
    window.show()
    loop = QEventLoop()
    window.folder_loaded.connect(loop.quit)
    window.open_folder(args.folder)
    loop.exec()
    for _ in range(20):
        app.processEvents()
    folder = window.session.folder
    assert folder is not None
    chart = window.timeline.bar.chart
    print(f"posts: {len(folder.posts)}")

    def measure(label: str) -> None:
        recounts, paints = [], []
        for _ in range(7):
            t0 = time.perf_counter()
            window.timeline.on_list_refreshed()
            t1 = time.perf_counter()
            chart.repaint()
            recounts.append((t1 - t0) * 1000)
            paints.append((time.perf_counter() - t1) * 1000)
        timeline = chart.timeline
        assert timeline is not None
        print(
            f"{label}: recount {sorted(recounts)[3]:.1f} ms, paint {sorted(paints)[3]:.1f} ms"
            f" ({timeline.period.value}, {len(timeline.buckets)} bars, {timeline.total} posts)"
        )

    measure("all posts")
    name, count = folder.library.category_counts()[0]
    window.nav.select_node(NodeKind.CATEGORY, name)
    measure(f"category {name} ({count})")
    window.nav.select_node(NodeKind.ALL)
    buckets = len(chart.timeline.buckets) if chart.timeline is not None else 0
    t0 = time.perf_counter()
    chart.choose(buckets - max(1, buckets // 10), buckets - 1)
    print(
        f"choose the last tenth: {(time.perf_counter() - t0) * 1000:.1f} ms,"
        f" {window.list_model.rowCount()} rows listed"
    )
    if args.out is not None:
        for _ in range(10):
            app.processEvents()
        window.grab().save(str(args.out))
    window.close()
    store.close()


if __name__ == "__main__":
    main()

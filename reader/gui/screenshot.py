"""`post-reader screenshot FOLDER OUT.png [...]`: open the window, select, save a PNG, exit.

The README's pictures are made with it. Runs offscreen when there is no display."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="post-reader screenshot", description="Save a PNG of the window showing FOLDER."
    )
    parser.add_argument("folder", metavar="FOLDER")
    parser.add_argument("out", metavar="OUT.png")
    parser.add_argument("--post", metavar="PATH", help="open this post (path inside FOLDER)")
    parser.add_argument("--category", metavar="C", help="select this category in the tree")
    parser.add_argument("--tag", metavar="T", help="select this tag in the tree")
    parser.add_argument("--size", metavar="WxH", default="1280x800", help="window size (1280x800)")
    from reader.gui.app import add_appearance_options

    add_appearance_options(parser)
    return parser


def _size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise SystemExit(
            f"post-reader: error: --size must look like 1280x800, not {text!r}"
        ) from None
    return w, h


# Offscreen Qt says this once per window: it has no window manager to pass size hints to.
_OFFSCREEN_NOTICE = "This plugin does not support propagateSizeHints()"


def _quiet_offscreen_notice() -> None:
    """Drop the offscreen platform's one harmless notice; every other Qt message goes on to
    the handler that was there before (Qt's own when there was none)."""
    from PySide6.QtCore import QtMsgType, qFormatLogMessage, qInstallMessageHandler

    previous = None

    def handler(kind: QtMsgType, context: object, message: str) -> None:
        if message == _OFFSCREEN_NOTICE:
            return
        if previous is not None:
            previous(kind, context, message)
        else:
            sys.stderr.write(qFormatLogMessage(kind, context, message) + "\n")  # type: ignore[arg-type]

    previous = qInstallMessageHandler(handler)


def run_screenshot(argv: Sequence[str]) -> int:
    args = _parser().parse_args(list(argv))
    folder = Path(args.folder)
    if not folder.is_dir():
        print(f"post-reader: error: no such folder: {args.folder}", file=sys.stderr)
        return 2
    width, height = _size(args.size)
    from reader.gui.app import create_application, ensure_platform, make_main_window

    ensure_platform()
    _quiet_offscreen_notice()
    app = create_application([], lang=args.lang)
    import tempfile

    from PySide6.QtCore import QEventLoop, QTimer

    from reader.gui.models.nav_tree import NodeKind
    from reader.gui.settings import AppSettings

    # A throwaway settings file: a screenshot must not depend on, or change, the user's window.
    with tempfile.TemporaryDirectory() as tmp:
        from reader.core import UserStore

        store = UserStore.open(Path(tmp) / "userdata.sqlite3")
        window = make_main_window(AppSettings(Path(tmp) / "settings.ini"), store, args.theme)
        window.resize(width, height)
        window.show()
        loop = QEventLoop()
        window.folder_loaded.connect(loop.quit)
        window.open_folder(folder)
        QTimer.singleShot(120_000, loop.quit)
        loop.exec()
        # Source names and folded copies come from a worker thread, started once the window
        # has painted the loaded folder (`settled`).
        if window.session.settle_pending:
            settled = QEventLoop()
            window.session.settled.connect(settled.quit)
            QTimer.singleShot(10_000, settled.quit)
            settled.exec()
        deadline = QTimer()
        deadline.setSingleShot(True)
        deadline.start(120_000)
        while window.sources.running and deadline.isActive():
            app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)  # type: ignore[attr-defined]
        if args.category and not window.nav.select_node(NodeKind.CATEGORY, args.category):
            print(f"post-reader: warning: no category {args.category!r}", file=sys.stderr)
        if args.tag and not window.nav.select_node(NodeKind.TAG, args.tag, add=bool(args.category)):
            print(f"post-reader: warning: no tag {args.tag!r}", file=sys.stderr)
        if args.post:
            rel = Path(args.post)
            if rel.is_absolute():
                rel = rel.resolve().relative_to(folder.resolve())
            window.article.on_post_link("/" + rel.as_posix())
        for _ in range(5):
            app.processEvents()  # type: ignore[attr-defined]
        out = Path(args.out)
        out.parent.mkdir(parents=True, exist_ok=True)
        ok = window.grab().save(str(out))
        window.close()
        store.close()
    if not ok:
        print(f"post-reader: error: could not write {out}", file=sys.stderr)
        return 1
    print(out)
    return 0

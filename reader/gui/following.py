"""ArticleFollower: the open article follows its file.

When a live refresh (`FolderChanges`) reports the open post's file changed, the pane renders it
again where the reader was (the pane keeps its scroll position across a re-render); when the
file is gone, the pane says so, and the post is no longer the open one, so Ctrl+D and the star
cannot bookmark what is not in the folder any more.
"""

from __future__ import annotations

import html
import logging

from PySide6.QtCore import QObject, Slot

from reader.core import FolderChanges
from reader.gui.context import WindowContext

log = logging.getLogger(__name__)


class ArticleFollower(QObject):
    """Re-render or retire the open article after a live refresh (see the module docstring)."""

    def __init__(self, ctx: WindowContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.gone_path: str | None = None  # the open post whose file went away

    @Slot(FolderChanges)
    def on_refreshed(self, changes: FolderChanges) -> None:
        ctx = self._ctx
        path = ctx.article.current_path
        if path is None or ctx.folder is None or changes.reload:
            return
        if any(post.path == path for post in changes.posts):
            log.debug("the open post changed on disk: %s", path)
            ctx.article.refresh_header()
        elif path in changes.removed and ctx.folder.post(path) is None:
            self._show_gone(path)

    def _show_gone(self, path: str) -> None:
        ctx = self._ctx
        ctx.marks.position_timer.stop()  # a pending save belongs to the gone post
        ctx.article.current_path = None  # nothing to bookmark, mark read or export
        ctx.article.gone_path = self.gone_path = path
        notice = self.tr(
            "This article's file is gone from the folder: {path}. It was deleted, moved or "
            "renamed; choose another article in the list."
        ).format(path=path)
        ctx.pane.show_html(f'<p class="notice">{html.escape(notice)}</p>')

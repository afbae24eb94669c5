"""ProblemDetails: a Problem selected in the tree explains itself in the reading pane.

A file that looked like a post but could not be read shows its path, the reason and what can be
done (open its folder, copy the path and reason, reload after fixing it), instead of only a
tooltip. While it is shown no post is open, so the Article menu does not act on a hidden post.
"""

from __future__ import annotations

import html
import logging

from PySide6.QtCore import QModelIndex, QObject, Signal, Slot
from PySide6.QtGui import QGuiApplication

from reader.core import Problem, problem_line
from reader.gui.context import WindowContext
from reader.gui.widgets.nav_panel import problem_of
from reader.gui.widgets.reading_pane import ACTION_SCHEME

log = logging.getLogger(__name__)

OPEN_FOLDER = "problem-open-folder"
COPY = "problem-copy"


class ProblemDetails(QObject):
    """The pane's view of a Problem (see the module docstring)."""

    open_folder_requested = Signal(Problem)

    def __init__(self, ctx: WindowContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.shown: Problem | None = None

    @Slot(QModelIndex, QModelIndex)
    def on_tree_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        problem = problem_of(current)
        if problem is not None:
            self.show(problem)
        else:
            self.shown = None

    def show(self, problem: Problem) -> None:
        ctx = self._ctx
        ctx.marks.position_timer.stop()
        ctx.article.current_path = None
        self.shown = problem
        esc = html.escape
        title = self.tr("This file could not be read")
        hidden = self.tr("It is not in the list until it can be read as a post.")
        open_folder = self.tr("Open its folder")
        copy = self.tr("Copy the path and reason")
        after = self.tr(
            "After fixing the file, it is read again within seconds (F5 reloads the folder)."
        )
        ctx.pane.show_html(
            f"<h1>{esc(title)}</h1>"
            f'<p class="meta">{esc(problem.path)}</p>'
            f'<p class="notice">{esc(problem.reason)}</p>'
            f"<p>{esc(hidden)}</p>"
            f'<p><a href="{ACTION_SCHEME}:{OPEN_FOLDER}">{esc(open_folder)}</a>'
            " &nbsp;·&nbsp; "
            f'<a href="{ACTION_SCHEME}:{COPY}">{esc(copy)}</a></p>'
            f"<p>{esc(after)}</p>"
        )

    @Slot(str)
    def on_action(self, action: str) -> None:
        problem = self.shown
        if problem is None:
            return
        if action == OPEN_FOLDER:
            self.open_folder_requested.emit(problem)
        elif action == COPY:
            QGuiApplication.clipboard().setText(problem_line(problem))
            self._ctx.show_message(self.tr("Copied"), 3000)

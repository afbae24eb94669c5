"""WindowMenus: where the window's actions show — the menu bar, and the search row's button.

Owns the File, View, Article, Go and Help menus (which actions, in what order, between which
separators), the File menu's Open Recent submenu (filled by `opening.FolderOpener` when it is
about to show) and the search row's Save button. The actions themselves are `actions.py`'s;
the context menus belong to their features (the list's to `marks.py`, the tree's to
`widgets/nav_panel.py`, a saved search's to `saved_searches.py`).

The menu titles keep the "MainWindow" translation context, like the actions' texts (see
`actions.py`).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMainWindow, QMenu, QToolButton

from reader.gui.actions import WindowActions

translate = QCoreApplication.translate


@dataclass(frozen=True)
class WindowMenus:
    """The menu bar's menus, and Open Recent."""

    file: QMenu
    recent: QMenu
    view: QMenu
    article: QMenu
    go: QMenu
    help: QMenu


def build_menus(window: QMainWindow, acts: WindowActions, save_button: QToolButton) -> WindowMenus:
    """Fill `window`'s menu bar with `acts`; `save_button` (beside the search field) runs Save
    Search, under a short label."""
    save_button.setDefaultAction(acts.save_search)
    save_button.setText(translate("MainWindow", "Save"))
    bar = window.menuBar()
    file_menu = bar.addMenu(translate("MainWindow", "&File"))
    file_menu.addAction(acts.open)
    recent = file_menu.addMenu(translate("MainWindow", "Open &Recent"))
    for group in (
        (acts.reload,),
        (acts.print, acts.pdf, acts.html, acts.markdown),
        (acts.export_bookmarks, acts.import_bookmarks),
        (acts.prefs,),
    ):
        file_menu.addActions(list(group))
        file_menu.addSeparator()
    file_menu.addAction(acts.quit)

    view = bar.addMenu(translate("MainWindow", "&View"))
    view.addActions([acts.zoom_in, acts.zoom_out, acts.zoom_reset])
    view.addSeparator()
    view.addMenu(translate("MainWindow", "&Theme")).addActions(list(acts.theme_actions.values()))
    view.addAction(acts.font)
    widths = view.addMenu(translate("MainWindow", "&Line Width"))
    widths.addActions(list(acts.width_actions.values()))
    view.addSeparator()
    view.addActions([acts.hide_duplicates, acts.find, acts.search, acts.save_search])
    view.addSeparator()
    view.addAction(acts.timeline)

    article = bar.addMenu(translate("MainWindow", "&Article"))
    article.addActions([acts.bookmark, acts.note, acts.toggle_read, acts.mark_all_read])
    article.addSeparator()
    article.addAction(acts.undo)

    go = bar.addMenu(translate("MainWindow", "&Go"))
    go.addActions([acts.back, acts.forward])
    go.addSeparator()
    go.addActions([acts.next, acts.prev, acts.space])
    go.addSeparator()
    go.addActions([acts.focus_tree, acts.focus_list, acts.focus_pane])

    help_menu = bar.addMenu(translate("MainWindow", "&Help"))
    help_menu.addActions([acts.shortcuts, acts.about])
    return WindowMenus(file_menu, recent, view, article, go, help_menu)

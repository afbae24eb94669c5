"""WindowActions: the window's commands as QActions, with their texts, shortcuts and states.

Owns creating every action of the window (each added to the window, so its shortcut works
wherever the focus is and the Help menu's list of shortcuts finds it, in this order), the View
menu's theme and line-width choices, and keeping Undo's text and Back/Forward's enabled state
current. What an action does is wired in `MainWindow._connect_signals`; where it shows is
`menus.py`.

The texts were the window's own and keep its translation context, "MainWindow", so the Chinese
translations stay valid: hence `QCoreApplication.translate("MainWindow", ...)` rather than
`self.tr()` (which would look them up under "WindowActions").
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, Qt, Slot
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMainWindow

from reader.gui.theme import LINE_WIDTHS, THEMES

Shortcut = QKeySequence | QKeySequence.StandardKey | str
translate = QCoreApplication.translate
Key = QKeySequence.StandardKey


class WindowActions(QObject):
    """The window's actions, one attribute each (`open`, `bookmark`, `undo`…), plus
    `theme_actions` and `width_actions` keyed by THEMES and LINE_WIDTHS (see the module
    docstring)."""

    def __init__(self, window: QMainWindow, hide_duplicates: bool, timeline_visible: bool) -> None:
        super().__init__(window)
        self._window = window
        act = self._action
        self.open = act(translate("MainWindow", "&Open Folder…"), [Key.Open])
        self.reload = act(translate("MainWindow", "&Reload"), ["F5"])
        self.quit = act(translate("MainWindow", "&Quit"), ["Ctrl+Q"])
        self.next = act(translate("MainWindow", "&Next Article"), ["J", "N"])
        self.prev = act(translate("MainWindow", "&Previous Article"), ["K", "P"])
        self.space = act(translate("MainWindow", "Scroll Down or Next Article"), ["Space"])
        self.back = act(translate("MainWindow", "&Back"), ["Alt+Left", Key.Back])
        self.forward = act(translate("MainWindow", "&Forward"), ["Alt+Right", Key.Forward])
        self.back.setEnabled(False)
        self.forward.setEnabled(False)
        self.focus_tree = act(translate("MainWindow", "Focus &Tree"), ["Alt+1"])
        self.focus_list = act(translate("MainWindow", "Focus &List"), ["Alt+2"])
        self.focus_pane = act(translate("MainWindow", "Focus &Pane"), ["Alt+3"])
        self.search = act(translate("MainWindow", "&Search Posts"), ["Ctrl+F", "Ctrl+K"])
        self.find = act(translate("MainWindow", "&Find in Article"), ["Ctrl+Shift+F", "/"])
        self.find_next = act(translate("MainWindow", "Find Next"), ["F3"])
        self.find_prev = act(translate("MainWindow", "Find Previous"), ["Shift+F3"])
        self.zoom_in = act(translate("MainWindow", "Zoom &In"), ["Ctrl++", "Ctrl+="])
        self.zoom_out = act(translate("MainWindow", "Zoom &Out"), ["Ctrl+-"])
        self.zoom_reset = act(translate("MainWindow", "&Actual Size"), ["Ctrl+0"])
        self.shortcuts = act(translate("MainWindow", "&Keyboard Shortcuts"), ["F1"])
        self.about = act(translate("MainWindow", "&About Post Reader"))
        self.cancel_load = act(translate("MainWindow", "Cancel Loading"))
        self.bookmark = act(translate("MainWindow", "&Bookmark"), ["Ctrl+D"])
        self.note = act(translate("MainWindow", "Edit Bookmark &Note…"))
        self.toggle_read = act(translate("MainWindow", "Mark Read/&Unread"), ["U"])
        self.mark_all_read = act(translate("MainWindow", "Mark &All in View as Read"))
        self.undo = act(translate("MainWindow", "&Undo"), [Key.Undo])
        self.undo.setEnabled(False)
        self.export_bookmarks = act(translate("MainWindow", "&Export Bookmarks…"))
        self.print = act(translate("MainWindow", "&Print…"), [Key.Print])
        self.pdf = act(translate("MainWindow", "Export Article as P&DF…"))
        self.html = act(translate("MainWindow", "Export Article as &HTML…"))
        self.markdown = act(translate("MainWindow", "Export Article as &Markdown…"))
        self.prefs = act(translate("MainWindow", "&Preferences…"), ["Ctrl+,"])
        self.font = act(translate("MainWindow", "Reading &Font…"))
        self.import_bookmarks = act(translate("MainWindow", "&Import Bookmarks…"))
        self.hide_duplicates = act(translate("MainWindow", "Hide &Duplicates"))
        self.hide_duplicates.setCheckable(True)
        self.hide_duplicates.setChecked(hide_duplicates)
        self.hide_duplicates.setToolTip(
            translate("MainWindow", "Show each re-published story once (×N)")
        )
        self.timeline = act(translate("MainWindow", "Show &Timeline"))
        self.timeline.setCheckable(True)
        self.timeline.setChecked(timeline_visible)
        self.save_search = act(translate("MainWindow", "Sa&ve Search…"), ["Ctrl+Shift+S"])
        self.save_search.setToolTip(
            translate(
                "MainWindow",
                "Save the search with the selected node and filters under Saved searches",
            )
        )
        self.theme_group = QActionGroup(window)
        labels = {
            "system": translate("MainWindow", "System"),
            "light": translate("MainWindow", "Light"),
            "dark": translate("MainWindow", "Dark"),
        }
        self.theme_actions = {k: QAction(labels[k], window, checkable=True) for k in THEMES}
        self.width_group = QActionGroup(window)
        labels = {
            "narrow": translate("MainWindow", "Narrow"),
            "wide": translate("MainWindow", "Wide"),
            "full": translate("MainWindow", "Full Width"),
        }
        self.width_actions = {k: QAction(labels[k], window, checkable=True) for k in LINE_WIDTHS}
        for a in self.theme_actions.values():
            self.theme_group.addAction(a)
        for a in self.width_actions.values():
            self.width_group.addAction(a)

    def _action(self, text: str, shortcuts: list[Shortcut] | None = None) -> QAction:
        action = QAction(text, self._window)
        if shortcuts:
            action.setShortcuts([QKeySequence(s) for s in shortcuts])
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self._window.addAction(action)
        return action

    @Slot(str)
    def on_undo_available(self, label: str) -> None:
        """Undo names what it would undo ("Undo Mark Read"), and is off when there is none."""
        self.undo.setEnabled(bool(label))
        self.undo.setText(
            translate("MainWindow", "&Undo {what}").format(what=label)
            if label
            else translate("MainWindow", "&Undo")
        )

    @Slot(bool, bool)
    def on_can_go_changed(self, back: bool, forward: bool) -> None:
        self.back.setEnabled(back)
        self.forward.setEnabled(forward)

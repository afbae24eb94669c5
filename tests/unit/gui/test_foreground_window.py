"""The window tells background work when the user acts (reader.gui.input_watch and the
handlers that run inside `reader.core.interacting`)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from reader.core import acted, give_way, release_background
from reader.core.foreground import is_acting
from reader.gui.main_window import MainWindow
from reader.gui.models.nav_tree import NodeKind

WindowFactory = Callable[..., MainWindow]


def test_a_key_or_click_in_the_window_holds_background_work(
    make_window: WindowFactory, site: Path
) -> None:
    window = make_window(site)
    release_background()
    assert not is_acting()
    QTest.keyClick(window.list_view, Qt.Key.Key_Down)
    assert is_acting() and window.input_watch.seen >= 1
    release_background()
    QTest.mouseClick(window.list_view.viewport(), Qt.MouseButton.LeftButton)
    assert is_acting()


def test_switching_sorting_and_opening_run_as_interactions(
    make_window: WindowFactory, site: Path
) -> None:
    window = make_window(site)
    assert window.library is not None
    seen: list[tuple[str, bool]] = []
    query = window.library.query

    def watched_query(*args: object, **kwargs: object) -> object:
        seen.append(("query", is_acting()))
        return query(*args, **kwargs)  # type: ignore[arg-type]

    window.library.query = watched_query  # type: ignore[method-assign]
    render = window.article.render_post

    def watched_render(post: object) -> str:
        seen.append(("render", is_acting()))
        return render(post)  # type: ignore[arg-type]

    window.article.render_post = watched_render  # type: ignore[method-assign]
    release_background()
    assert window.nav.select_node(NodeKind.CATEGORY, "tech")
    release_background()
    window.listing.on_sort_requested(window.listing.sort, not window.listing.descending)
    release_background()
    window.open_post("_posts/2021-01-01-alpha.md")
    assert ("query", True) in seen and ("render", True) in seen
    assert all(acting for _what, acting in seen)
    assert is_acting()  # and for a moment after


def test_closing_the_window_lets_waiting_work_end(make_window: WindowFactory, site: Path) -> None:
    window = make_window(site)
    acted(grace=60)
    waited: list[float] = []
    thread = threading.Thread(target=lambda: waited.append(give_way(max_wait=30)))
    thread.start()
    window.close()
    thread.join(5)
    assert not thread.is_alive() and waited[0] < 5
    assert not is_acting()


def test_the_sources_worker_ends_before_the_folder_closes_its_store(
    make_window: WindowFactory, site: Path
) -> None:
    """The copies' worker writes through the folder's store: closing the store under it
    crashed the process (SQLite), when giving way had made it finish late."""
    window = make_window(site)
    folder = window.session.folder
    assert folder is not None
    calls: list[str] = []
    stop, close = window.sources.stop, folder.close
    window.sources.stop = lambda: (calls.append("sources stopped"), stop())[1]  # type: ignore[method-assign]
    folder.close = lambda: (calls.append("folder closed"), close())[1]  # type: ignore[method-assign]
    window.close()
    assert calls[:2] == ["sources stopped", "folder closed"]


def test_a_header_refresh_renders_the_body_once_and_lays_out_only_what_changed(
    make_window: WindowFactory, site: Path
) -> None:
    """Copies of stories found late (a background job giving way) refresh the open article's
    header: a hostile post took 14 s to open when that rendered and laid it out again."""
    alpha = "_posts/2021-01-01-alpha.md"
    window = make_window(site)
    window.open_post(alpha)
    folder = window.session.folder
    assert folder is not None
    renders: list[int] = []
    applies: list[int] = []
    render, apply = folder.render, window.pane._apply
    folder.render = lambda *a, **k: (renders.append(1), render(*a, **k))[1]  # type: ignore[method-assign]
    window.pane._apply = lambda: (applies.append(1), apply())[1]  # type: ignore[method-assign]
    window.article.refresh_header()
    assert renders == [] and applies == []  # nothing changed: nothing done
    post = folder.post(alpha)
    assert post is not None and window.marks.toggle_bookmark(post)
    window.article.refresh_header()
    assert renders == [] and len(applies) >= 1  # the header changed: laid out, body kept
    assert "Alpha" in window.pane.toPlainText()


def test_the_list_getting_the_focus_opens_no_post_of_its_own(
    make_window: WindowFactory, site: Path, qtbot: object
) -> None:
    """Qt's views make the first row current when they get the focus with none: a window
    shown while its folder was checked opened the newest post that way, and the post open
    before the restart was not restored (a test failed 1 run in 12)."""
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QFocusEvent
    from PySide6.QtWidgets import QApplication

    window = make_window(site)
    assert window.library is not None
    # Rows set anew, none current yet (as while a folder is checked): Qt would pick one now.
    window.list_model.set_rows(window.library, window.library.query())
    window.article.current_path = None
    # The focus arriving (offscreen, a window is not made active: the event is sent).
    QApplication.sendEvent(
        window.list_view, QFocusEvent(QEvent.Type.FocusIn, Qt.FocusReason.TabFocusReason)
    )
    QApplication.processEvents()
    assert not window.list_view.currentIndex().isValid()
    assert window.article.current_path is None
    window.listing.select_row(1, open_post=True)  # the window's own choice still opens
    assert window.article.current_path is not None

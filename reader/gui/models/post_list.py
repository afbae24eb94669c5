"""PostListModel: the article list's table model, a view of rows the core already filtered and
sorted (`Library.query`). It formats cells for the visible rows only, so 100,000 rows cost
nothing until they are scrolled into view."""

from __future__ import annotations

import re
from array import array
from collections.abc import Callable, Sequence
from datetime import datetime, tzinfo
from enum import IntEnum

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QApplication

from reader.core import Library, Post, SortKey, resolve_zone
from reader.gui.core_text import translate_warning

ModelIndex = QModelIndex | QPersistentModelIndex


class Column(IntEnum):
    STAR = 0
    TITLE = 1
    DATE = 2
    CATEGORY = 3


SORT_KEYS = {
    Column.TITLE: SortKey.TITLE,
    Column.DATE: SortKey.DATE,
    Column.CATEGORY: SortKey.CATEGORY,
}

PATH_ROLE = Qt.ItemDataRole.UserRole + 1
# Plain ints: comparing with the enum members costs an attribute lookup and an enum compare
# per call, and data() is called thousands of times a paint.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole.value)
_FONT = int(Qt.ItemDataRole.FontRole.value)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole.value)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole.value)
_ACCESSIBLE = int(Qt.ItemDataRole.AccessibleTextRole.value)
_ROLES = frozenset(
    {_DISPLAY, _TOOLTIP, _FONT, _FOREGROUND, _ALIGNMENT, _ACCESSIBLE, int(PATH_ROLE)}
)


_SINGLE_MONTH = re.compile(r"(?<!M)M(?!M)")
_SINGLE_DAY = re.compile(r"(?<!d)d(?!d)")


def short_date(locale: QLocale, value: datetime) -> str:
    """The locale's short date, always with a 4-digit year (archives span decades) and
    two-digit months and days, so a column of dates lines up (2021/04/05, not 2021/4/5)."""
    if locale.language() == QLocale.Language.C:
        return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
    fmt = locale.dateFormat(QLocale.FormatType.ShortFormat)
    if "yyyy" not in fmt:
        fmt = fmt.replace("yy", "yyyy")
    fmt = _SINGLE_DAY.sub("dd", _SINGLE_MONTH.sub("MM", fmt))
    return locale.toString(QDate(value.year, value.month, value.day), fmt)


def list_date(locale: QLocale, value: datetime, zone: tzinfo | None) -> str:
    """The list's date: the day, and the time where the post gives one (a date from the file
    name alone is midnight), both in the site's zone (`zone`) when it has one."""
    if zone is not None and value.tzinfo is not None:
        value = value.astimezone(zone)
    day = short_date(locale, value)
    if value.hour == value.minute == value.second == 0:
        return day
    return f"{day} {value.hour:02d}:{value.minute:02d}"


def site_zone(library: Library | None) -> tzinfo | None:
    """The zone of the site's `_config.yml` (None: none, or not one this system knows)."""
    return resolve_zone(library.site.timezone) if library is not None else None


# Posts kept built between paints: a few screens of rows.
_KEEP_BUILT = 512


class PostListModel(QAbstractTableModel):
    """Rows are indexes into `Library.posts`, in the order the core returned them. `flags` is
    Qt's own (enabled, selectable, no children), answered in C++ for every painted cell."""

    sort_requested = Signal(SortKey, bool)  # (sort key, descending)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._library: Library | None = None
        self._rows: array[int] = array("i")
        self._is_bookmarked: Callable[[str], bool] = lambda _path: False
        self._is_unread: Callable[[str], bool] = lambda _path: False
        self._note: Callable[[str], str] = lambda _path: ""
        self._category_name: Callable[[str], str] = lambda slug: slug
        self._copy_count: Callable[[str], int] = lambda _path: 0
        self._locale = QLocale()
        self._zone: tzinfo | None = None
        self._bold = QFont()
        self._bold.setBold(True)
        self._now = datetime.now().astimezone()
        # The library keeps posts as columns and builds a `Post` when asked (a few µs); a paint
        # asks each row's cells for about thirty roles: the rows built lately are kept, for the
        # library version they were built at.
        self._built: dict[int, Post] = {}
        self._built_version = -1

    # --- feeding the model ------------------------------------------------------------------

    def set_rows(self, library: Library | None, rows: Sequence[int]) -> None:
        """Replace all rows (one reset: cheaper than row inserts for large changes)."""
        self.beginResetModel()
        if library is not self._library:
            self._zone = site_zone(library)
        self._library = library
        self._built.clear()
        self._rows = array("i", rows)
        self._now = datetime.now().astimezone()
        self.endResetModel()

    def set_state_lookups(
        self,
        is_bookmarked: Callable[[str], bool],
        is_unread: Callable[[str], bool],
        note: Callable[[str], str] | None = None,
    ) -> None:
        self._is_bookmarked = is_bookmarked
        self._is_unread = is_unread
        if note is not None:
            self._note = note
        self.refresh_state()

    def set_source_lookups(
        self, category_name: Callable[[str], str], copy_count: Callable[[str], int]
    ) -> None:
        """A category's display name, and how many copies a story's main row folds (×N)."""
        self._category_name = category_name
        self._copy_count = copy_count
        self.refresh_state()

    def refresh_state(self, row: int | None = None) -> None:
        """Repaint stars and bold (read) state, for one row or all."""
        if not self._rows:
            return
        first = 0 if row is None else row
        last = len(self._rows) - 1 if row is None else row
        self.dataChanged.emit(
            self.index(first, 0),
            self.index(last, len(Column) - 1),
            [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.FontRole],
        )

    def set_locale(self, locale: QLocale) -> None:
        self._locale = locale
        if self._rows:
            self.dataChanged.emit(
                self.index(0, Column.DATE), self.index(len(self._rows) - 1, Column.DATE)
            )

    def post_at(self, row: int) -> Post | None:
        if self._library is None or not 0 <= row < len(self._rows):
            return None
        return self._post(self._rows[row])

    def _post(self, i: int) -> Post:
        library = self._library
        assert library is not None
        built = self._built
        if library.version != self._built_version or len(built) >= _KEEP_BUILT:
            built.clear()
            self._built_version = library.version
        post = built.get(i)
        if post is None:
            post = built[i] = library.posts[i]
        return post

    def row_of(self, path: str) -> int | None:
        if self._library is None:
            return None
        post_index = self._library.index_of(path)
        if post_index is None:
            return None
        # One scan in C (about 1 ms at 100,000 rows) beats building a dict after every reset.
        try:
            return self._rows.index(post_index)
        except ValueError:
            return None

    def paths(self) -> list[str]:
        if self._library is None:
            return []
        path = self._library.posts.path
        return [path(i) for i in self._rows]

    # --- QAbstractTableModel ------------------------------------------------------------------

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        """Override of QAbstractItemModel.rowCount: rows below the invisible root only (a table
        has no children)."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        """Override of QAbstractItemModel.columnCount: the four fixed columns."""
        return 0 if parent.isValid() else len(Column)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """Override of QAbstractItemModel.data: cell text, tooltips and fonts, computed for
        visible cells only."""
        # A paint asks each cell for about eight roles; most are answered here, at once.
        if role not in _ROLES or self._library is None:
            return None
        row = index.row()
        if not 0 <= row < len(self._rows) or not index.isValid():
            return None
        post = self._post(self._rows[row])
        col = index.column()
        if role == _DISPLAY:
            return self._display(post, col)
        if role == _TOOLTIP:
            return self._tooltip(post)
        if role == _FONT:
            return self._bold if col == Column.TITLE and self._is_unread(post.path) else None
        if role == _FOREGROUND:
            if post.draft or not post.published or self._scheduled(post):
                return QApplication.palette().brush(QPalette.ColorRole.PlaceholderText)
            return None
        if role == _ALIGNMENT:
            return Qt.AlignmentFlag.AlignCenter if col == Column.STAR else None
        if role == PATH_ROLE:
            return post.path
        if role == _ACCESSIBLE and col == Column.STAR:
            return self.tr("Bookmarked") if self._is_bookmarked(post.path) else ""
        return None

    def _scheduled(self, post: Post) -> bool:
        return post.date is not None and post.date > self._now

    def _display(self, post: Post, col: int) -> str:
        if col == Column.STAR:
            return "★" if self._is_bookmarked(post.path) else ""
        if col == Column.TITLE:
            badges = []
            if post.draft:
                badges.append(self.tr("draft"))
            if not post.published:
                badges.append(self.tr("unpublished"))
            if self._scheduled(post):
                badges.append(self.tr("scheduled"))
            copies = self._copy_count(post.path)
            folded = f"  ×{copies}" if copies > 1 else ""
            return post.title + folded + "".join(f"  [{b}]" for b in badges)
        if col == Column.DATE:
            return list_date(self._locale, post.date, self._zone) if post.date else ""
        if col == Column.CATEGORY:
            return ", ".join(self._category_name(c) for c in post.categories)
        return ""

    def _tooltip(self, post: Post) -> str:
        lines = [post.title]
        note = self._note(post.path)
        if note:
            lines.append(f"✎ {note}")
        excerpt = self._library.excerpt(post) if self._library is not None else post.excerpt
        if excerpt:
            lines.append(excerpt[:200])
        lines.append(post.path)
        slugs = [c for c in post.categories if self._category_name(c) != c]
        if slugs:
            lines.append(", ".join(slugs))  # the categories as written in the post
        lines.extend(f"⚠ {translate_warning(w)}" for w in post.warnings)
        return "\n".join(lines)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        """Override of QAbstractItemModel.headerData: column titles."""
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                {
                    Column.STAR: "★",
                    Column.TITLE: self.tr("Title"),
                    Column.DATE: self.tr("Date"),
                    Column.CATEGORY: self.tr("Category"),
                }.get(Column(section))
                if 0 <= section < len(Column)
                else None
            )
        if role == Qt.ItemDataRole.ToolTipRole and section == Column.STAR:
            return self.tr("Bookmarked")
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Override of QAbstractItemModel.sort: ask the core to sort (the view's header click
        lands here)."""
        key = SORT_KEYS.get(Column(column)) if 0 <= column < len(Column) else None
        if key is None:
            return
        self.sort_requested.emit(key, order == Qt.SortOrder.DescendingOrder)

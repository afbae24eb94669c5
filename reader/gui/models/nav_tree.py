"""NavTreeModel: the navigation tree (All posts, Bookmarks, Unread, Categories, Tags, Archive,
Drafts, Problems), built from the core's counts. Each node carries the filter it stands for."""

from __future__ import annotations

import operator
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from PySide6.QtCore import (
    QAbstractItemModel,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from reader.core import (
    CategoryName,
    Library,
    Problem,
    SourceMatcher,
    display_name,
    pinyin_sort_key,
)
from reader.gui.models.nav_node import Node, NodeKind
from reader.gui.models.nav_update import update_in_place

ModelIndex = QModelIndex | QPersistentModelIndex

COUNT_ROLE = Qt.ItemDataRole.UserRole + 1
KEY_ROLE = Qt.ItemDataRole.UserRole + 2

__all__ = [
    "COUNT_ROLE",
    "FILTER_KINDS",
    "KEY_ROLE",
    "NavTreeModel",
    "Node",
    "NodeKind",
    "TreeOptions",
]


_CATEGORY, _TAG = NodeKind.CATEGORY, NodeKind.TAG
_NO_NAMES: Mapping[str, CategoryName] = {}  # tags show as written (one object: see _ordered)


def _same_source(shown: tuple[object, ...], made_from: tuple[object, ...]) -> bool:
    """Whether rows made from `made_from` are those made from `shown`: the same counts and
    names objects (a new load or new names make new ones), the same order and filter."""
    return all(map(operator.is_, shown[:4], made_from[:4])) and shown[4] == made_from[4]


# Nodes that filter the list when selected (headers such as "Categories" show everything).
FILTER_KINDS = {
    NodeKind.ALL,
    NodeKind.BOOKMARKS,
    NodeKind.UNREAD,
    NodeKind.CATEGORY,
    NodeKind.TAG,
    NodeKind.YEAR,
    NodeKind.MONTH,
    NodeKind.DRAFTS,
    NodeKind.SAVED_SEARCH,
}


@dataclass(frozen=True, slots=True)
class TreeOptions:
    filter_text: str = ""
    sort_by_name: bool = False
    bookmark_count: int | None = None  # None: no user store (node still shown, count 0)
    unread_count: int | None = None


class NavTreeModel(QAbstractItemModel):
    """A read-only tree, rebuilt when the library or the options change; the shown rows are
    updated in place (see nav_update) so the view keeps its scroll position and selection.

    While a folder loads (`set_loading`), categories and tags sorted by count keep the order
    they were first shown in, new ones after them: counts grow batch by batch and would move
    rows under the mouse. The order by count settles at the first rebuild after the load. By
    name, the order never depends on counts, so new rows go straight to their place."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._root = Node(NodeKind.ALL, "")
        self._locale = QLocale()
        # A news archive's source names (slug -> name) and the copies Hide Duplicates hides.
        self._names: Mapping[str, CategoryName] = {}
        self._exclude: frozenset[str] = frozenset()
        # (name, total, unread) of each saved search, in the user's order.
        self._saved_searches: list[tuple[str, int, int]] = []
        self._by_key: dict[str, Node] = {}
        self._sort_keys: dict[str, tuple[str, str]] = {}  # label -> pinyin_sort_key(label)
        self._loading = False
        self._order_of: Library | None = None  # the library `_ranks` were made for
        self._ranks: dict[NodeKind, dict[str, int]] = {}  # the kept order, while loading
        # The library's category and tag counts, for (its version, exclude) (another library
        # clears them): each keystroke in the filter field rebuilds from the same counts.
        self._counts_key: tuple[object, ...] = ()
        self._counts: tuple[list[tuple[str, int]], list[tuple[str, int]]] = ([], [])
        # Per kind, what the shown categories and tags were made from, and what the last build
        # made them from (see `_build`'s `keep`).
        self._shown_from: dict[NodeKind, tuple[object, ...]] = {}
        self._built_from: dict[NodeKind, tuple[object, ...]] = {}
        # Per kind, the (label, key, count) rows in tree order and what they were made from.
        self._ordered: dict[NodeKind, tuple[tuple[object, ...], list[tuple[str, str, int]]]] = {}

    def set_sources(self, names: Mapping[str, CategoryName], exclude: frozenset[str]) -> None:
        """Category names to show, and posts to leave out of every count (takes effect at the
        next rebuild)."""
        if exclude == self._exclude:  # the same posts: the counts made for them still hold
            exclude = self._exclude
        self._names, self._exclude = names, exclude

    def set_saved_searches(self, entries: list[tuple[str, int, int]]) -> None:
        """The saved searches shown (applied at the next `rebuild`)."""
        self._saved_searches = entries

    def set_locale(self, locale: QLocale) -> None:
        self._locale = locale

    def set_loading(self, loading: bool) -> None:
        """Whether a load is under way (rows sorted by count keep their order meanwhile)."""
        self._loading = loading

    # --- building -----------------------------------------------------------------------------

    def rebuild(self, library: Library | None, options: TreeOptions = TreeOptions()) -> bool:
        """Show the tree for `library` and `options`; True when that took a model reset (the
        view lost its expansion and selection), False when the rows were updated in place."""
        if library is not self._order_of:  # another folder (or none): hold nothing of the last
            self._order_of, self._ranks, self._ordered = library, {}, {}
            self._counts_key, self._counts = (), ([], [])
        fresh = self._build(library, options, keep=bool(self._root.children))
        reset = not self._root.children or not update_in_place(self, self._root, fresh)
        if reset:
            if any(node.kept for node in fresh.children):  # their rows are the shown tree's
                fresh = self._build(library, options, keep=False)
            self.beginResetModel()
            self._root = fresh
            self.endResetModel()
        self._shown_from = self._built_from
        self._by_key = {}
        stack = list(self._root.children)
        while stack:
            node = stack.pop()
            self._by_key.setdefault(node.key, node)
            stack.extend(node.children)
        return reset

    def _build(self, library: Library | None, options: TreeOptions, keep: bool) -> Node:
        """The tree for `library` and `options`. With `keep`, categories or tags made from
        what the shown ones were made from come as a `kept` node without children."""
        self._built_from = {}
        root = Node(NodeKind.ALL, "")
        total = len(library.posts) if library is not None else 0
        exclude = self._exclude or None
        if library is not None and exclude:
            total -= sum(1 for path in exclude if library.index_of(path) is not None)
        root.add(Node(NodeKind.ALL, self.tr("All posts"), count=total))
        root.add(Node(NodeKind.BOOKMARKS, self.tr("Bookmarks"), count=options.bookmark_count or 0))
        if options.unread_count is not None:
            root.add(Node(NodeKind.UNREAD, self.tr("Unread"), count=options.unread_count))
        if self._saved_searches:
            saved = root.add(
                Node(
                    NodeKind.SAVED_SEARCHES,
                    self.tr("Saved searches"),
                    count=len(self._saved_searches),
                )
            )
            for name, total, unread in self._saved_searches:
                node = Node(NodeKind.SAVED_SEARCH, name, value=name, count=total)
                node.count_text = f"{unread}/{total}" if unread else str(total)
                saved.add(node)
        if library is None:
            return root
        matches = SourceMatcher(options.filter_text)
        sort_keys = self._sort_keys

        def sort_key(item: tuple[str, str, int]) -> tuple[str, str]:
            key = sort_keys.get(item[0])
            if key is None:  # spelt once per name, not at every rebuild
                key = sort_keys[item[0]] = pinyin_sort_key(item[0])
            return key

        def pick(
            kind: NodeKind, counts: Sequence[tuple[str, int]], names: Mapping[str, CategoryName]
        ) -> list[tuple[str, str, int]]:
            # (label, key, count): the name where the folder establishes one (a source's
            # name for a pinyin slug), found by name, slug or pinyin initials, sorted by pinyin
            # or by count (the counts come most first).
            # Ordered once for the same counts, names and sort: a keystroke only filters.
            ordered_for = (counts, names, options.sort_by_name, self._loading)
            cached = self._ordered.get(kind)
            if cached is not None and all(map(operator.is_, cached[0], ordered_for)):
                items = cached[1]
            else:
                items = [(display_name(names, k), k, n) for k, n in counts]
                if options.sort_by_name:
                    items.sort(key=sort_key)
                else:
                    items = self._keep_order(kind, items)
                self._ordered[kind] = (ordered_for, items)
            if options.filter_text.strip():
                items = [it for it in items if matches(it[1], it[0])]
            return items

        counts_key = (library.version, self._exclude)
        if not (
            self._counts_key
            and self._counts_key[0] == counts_key[0]
            and self._counts_key[1] is counts_key[1]
        ):
            self._counts_key = counts_key
            self._counts = (library.category_counts(exclude), library.tag_counts(exclude))
        cat_counts, tag_counts = self._counts
        for header, label, kind, counts, names in (
            (NodeKind.CATEGORIES, self.tr("Categories"), _CATEGORY, cat_counts, self._names),
            (NodeKind.TAGS, self.tr("Tags"), _TAG, tag_counts, _NO_NAMES),
        ):
            parent = root.add(Node(header, label, count=len(counts)))
            # What the rows are made from (compared by identity, the filter by value).
            made_from = (counts, names, options.sort_by_name, self._loading, options.filter_text)
            self._built_from[kind] = made_from
            shown = self._shown_from.get(kind)
            if keep and shown is not None and _same_source(shown, made_from):
                parent.kept = True
                continue
            for row_label, name, n in pick(kind, counts, names):
                parent.add(Node(kind, row_label, name, n))

        archive = root.add(Node(NodeKind.ARCHIVE, self.tr("Archive")))
        years: dict[int, Node] = {}
        for year, n in library.year_counts(exclude):
            years[year] = archive.add(Node(NodeKind.YEAR, str(year), value=year, count=n))
        for year, month, n in library.archive_counts(exclude):
            label = self._locale.monthName(month, QLocale.FormatType.LongFormat) or f"{month:02d}"
            years[year].add(Node(NodeKind.MONTH, label, value=(year, month), count=n))
        archive.count = len(years)

        drafts = library.draft_count()
        if drafts:
            root.add(Node(NodeKind.DRAFTS, self.tr("Drafts"), count=drafts))
        if library.problems:
            probs = root.add(
                Node(NodeKind.PROBLEMS, self.tr("Problems"), count=len(library.problems))
            )
            for problem in sorted(library.problems, key=lambda p: p.path):
                probs.add(Node(NodeKind.PROBLEM, problem.path, value=problem))
        return root

    def _keep_order(
        self, kind: NodeKind, items: list[tuple[str, str, int]]
    ) -> list[tuple[str, str, int]]:
        """`items` (by count) as they go in the tree: while loading, in the order shown so far
        with new ones after them (by count); otherwise as they are (and that order is kept)."""
        ranks = self._ranks.get(kind)
        if not self._loading or ranks is None:
            self._ranks[kind] = {key: i for i, (_label, key, _n) in enumerate(items)}
            return items
        for _label, key, _n in items:
            ranks.setdefault(key, len(ranks))
        return sorted(items, key=lambda it: ranks[it[1]])

    # --- lookups -------------------------------------------------------------------------------

    def node(self, index: ModelIndex) -> Node | None:
        if not index.isValid():
            return None
        node = index.internalPointer()
        return node if isinstance(node, Node) else None

    def index_of_key(self, key: str) -> QModelIndex:
        found = self._by_key.get(key)
        return self.createIndex(found.row, 0, found) if found is not None else QModelIndex()

    def index_for(self, node: Node) -> QModelIndex:
        """The index of a node of the shown tree (the invisible root's: an invalid one)."""
        if node is self._root or node.parent is None:
            return QModelIndex()
        return self.createIndex(node.row, 0, node)

    def filter_sources(self) -> list[tuple[str, str]]:
        """(key, label) of every category and tag as the filter field matches them (the
        rows made for the last rebuild, filtered or not)."""
        return [(key, label) for _from, items in self._ordered.values() for label, key, _n in items]

    def find(self, kind: NodeKind, value: object = None) -> QModelIndex:
        probe = Node(kind, "", value=value)
        return self.index_of_key(probe.key)

    # --- QAbstractItemModel --------------------------------------------------------------------

    def index(self, row: int, column: int, parent: ModelIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        """Override of QAbstractItemModel.index: range-checked; internal pointers are Node
        objects owned by the model."""
        # Asked for every row the view lays out: no helper calls (the pointer is always a Node).
        if column or row < 0:
            return QModelIndex()
        children = (parent.internalPointer() if parent.isValid() else self._root).children
        if row >= len(children):
            return QModelIndex()
        return self.createIndex(row, 0, children[row])

    def parent(self, index: ModelIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        """Override of QAbstractItemModel.parent: the parent of a node (the invisible root has
        none)."""
        if not index.isValid():
            return QModelIndex()
        up = index.internalPointer().parent
        if up is None or up is self._root:
            return QModelIndex()
        return self.createIndex(up.row, 0, up)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        """Override of QAbstractItemModel.rowCount: children of a node."""
        if not parent.isValid():
            return len(self._root.children)
        if parent.column() > 0:
            return 0
        return len(parent.internalPointer().children)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        """Override of QAbstractItemModel.columnCount: one column; counts are drawn by the
        view's delegate."""
        return 1

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """Override of QAbstractItemModel.data: labels, counts (COUNT_ROLE), keys and tooltips."""
        node = self.node(index)
        if node is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return node.label
        if role == COUNT_ROLE:
            return node.count_text if node.count_text is not None else node.count
        if role == KEY_ROLE:
            return node.key
        if role == Qt.ItemDataRole.ToolTipRole:
            if isinstance(node.value, Problem):
                return f"{node.value.path}\n{node.value.reason}"
            if node.kind is NodeKind.CATEGORY and node.value != node.label:
                return f"{node.label} ({node.count})\n{node.value}"  # the slug, as written
            if node.kind is NodeKind.SAVED_SEARCH and node.count_text is not None:
                unread = node.count_text.partition("/")[0] if "/" in node.count_text else "0"
                return self.tr("{name}: {total} posts, {unread} unread").format(
                    name=node.label, total=node.count, unread=unread
                )
            if node.count is not None:
                return f"{node.label} ({node.count})"
            return node.label
        return None

    def hasChildren(self, parent: ModelIndex = QModelIndex()) -> bool:  # noqa: B008
        """Override of QAbstractItemModel.hasChildren, asked for every row the view lays out.
        `flags` is not overridden: Qt's own (enabled, selectable) answers in C++. A Python
        `flags` with `ItemNeverHasChildren` on leaves was asked twice a row, this once: a
        layout of 4,000 rows makes 8,000 calls into Python instead of 12,000."""
        if not parent.isValid():
            return bool(self._root.children)
        return bool(parent.internalPointer().children)  # only column 0 is ever made

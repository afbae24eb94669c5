"""NavTreeModel: the navigation tree (All posts, Bookmarks, Unread, Categories, Tags, Archive,
Drafts, Problems), built from the core's counts. Each node carries the filter it stands for."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum

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
    display_name,
    matches_source,
    pinyin_sort_key,
)

ModelIndex = QModelIndex | QPersistentModelIndex

COUNT_ROLE = Qt.ItemDataRole.UserRole + 1
KEY_ROLE = Qt.ItemDataRole.UserRole + 2


class NodeKind(Enum):
    ALL = "all"
    BOOKMARKS = "bookmarks"
    UNREAD = "unread"
    CATEGORIES = "categories"
    CATEGORY = "category"
    TAGS = "tags"
    TAG = "tag"
    ARCHIVE = "archive"
    YEAR = "year"
    MONTH = "month"
    DRAFTS = "drafts"
    PROBLEMS = "problems"
    PROBLEM = "problem"
    SAVED_SEARCHES = "saved_searches"
    SAVED_SEARCH = "saved_search"


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


@dataclass(eq=False)
class Node:
    kind: NodeKind
    label: str
    value: object = None  # category/tag name, year, (year, month), Problem
    count: int | None = None
    parent: Node | None = None
    children: list[Node] = field(default_factory=list)
    row: int = 0
    count_text: str | None = None  # drawn instead of `count` (a saved search's "unread/total")

    @property
    def key(self) -> str:
        """A stable identity across rebuilds (for restoring selection and expansion)."""
        return f"{self.kind.value}:{self.value!r}" if self.value is not None else self.kind.value

    def add(self, child: Node) -> Node:
        child.parent = self
        child.row = len(self.children)
        self.children.append(child)
        return child


@dataclass(frozen=True, slots=True)
class TreeOptions:
    filter_text: str = ""
    sort_by_name: bool = False
    bookmark_count: int | None = None  # None: no user store (node still shown, count 0)
    unread_count: int | None = None


class NavTreeModel(QAbstractItemModel):
    """A read-only tree; rebuilt (one reset) when the library or the options change."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._root = Node(NodeKind.ALL, "")
        self._locale = QLocale()
        # A news archive's source names (slug -> name) and the copies Hide Duplicates hides.
        self._names: Mapping[str, CategoryName] = {}
        self._exclude: frozenset[str] = frozenset()
        # (name, total, unread) of each saved search, in the user's order.
        self._saved_searches: list[tuple[str, int, int]] = []

    def set_sources(self, names: Mapping[str, CategoryName], exclude: frozenset[str]) -> None:
        """Category names to show, and posts to leave out of every count (takes effect at the
        next rebuild)."""
        self._names, self._exclude = names, exclude

    def set_saved_searches(self, entries: list[tuple[str, int, int]]) -> None:
        """The saved searches shown (applied at the next `rebuild`)."""
        self._saved_searches = entries

    def set_locale(self, locale: QLocale) -> None:
        self._locale = locale

    # --- building -----------------------------------------------------------------------------

    def rebuild(self, library: Library | None, options: TreeOptions = TreeOptions()) -> None:
        self.beginResetModel()
        self._root = self._build(library, options)
        self.endResetModel()

    def _build(self, library: Library | None, options: TreeOptions) -> Node:
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
        needle = options.filter_text.strip().casefold()

        def pick(
            counts: Sequence[tuple[str, int]], names: Mapping[str, CategoryName]
        ) -> list[tuple[str, str, int]]:
            # (label, key, count): the name where the folder establishes one (a source's
            # name for a pinyin slug), found by name, slug or pinyin initials, sorted by pinyin.
            items = [(display_name(names, k), k, n) for k, n in counts]
            if needle:
                items = [it for it in items if matches_source(needle, it[1], it[0])]
            if options.sort_by_name:
                items.sort(key=lambda it: pinyin_sort_key(it[0]))
            return items

        cat_counts = library.category_counts(exclude)
        cats = root.add(Node(NodeKind.CATEGORIES, self.tr("Categories"), count=len(cat_counts)))
        for label, name, n in pick(cat_counts, self._names):
            cats.add(Node(NodeKind.CATEGORY, label, value=name, count=n))
        tag_counts = library.tag_counts(exclude)
        tags = root.add(Node(NodeKind.TAGS, self.tr("Tags"), count=len(tag_counts)))
        for label, name, n in pick(tag_counts, {}):
            tags.add(Node(NodeKind.TAG, label, value=name, count=n))

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

    # --- lookups -------------------------------------------------------------------------------

    def node(self, index: ModelIndex) -> Node | None:
        if not index.isValid():
            return None
        node = index.internalPointer()
        return node if isinstance(node, Node) else None

    def index_of_key(self, key: str) -> QModelIndex:
        def walk(node: Node) -> Node | None:
            for child in node.children:
                if child.key == key:
                    return child
                found = walk(child)
                if found is not None:
                    return found
            return None

        found = walk(self._root)
        return self.createIndex(found.row, 0, found) if found is not None else QModelIndex()

    def find(self, kind: NodeKind, value: object = None) -> QModelIndex:
        probe = Node(kind, "", value=value)
        return self.index_of_key(probe.key)

    # --- QAbstractItemModel --------------------------------------------------------------------

    def index(self, row: int, column: int, parent: ModelIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        """Override of QAbstractItemModel.index: range-checked; internal pointers are Node
        objects owned by the model."""
        if column != 0 or row < 0:
            return QModelIndex()
        parent_node = self.node(parent) if parent.isValid() else self._root
        if parent_node is None or row >= len(parent_node.children):
            return QModelIndex()
        return self.createIndex(row, 0, parent_node.children[row])

    def parent(self, index: ModelIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        """Override of QAbstractItemModel.parent: the parent of a node (the invisible root has
        none)."""
        node = self.node(index)
        if node is None or node.parent is None or node.parent is self._root:
            return QModelIndex()
        return self.createIndex(node.parent.row, 0, node.parent)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        """Override of QAbstractItemModel.rowCount: children of a node."""
        if parent.column() > 0:
            return 0
        node = self.node(parent) if parent.isValid() else self._root
        return len(node.children) if node is not None else 0

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

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        """Override of QAbstractItemModel.flags: every node is selectable; nothing is editable."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

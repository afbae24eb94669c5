"""Node and NodeKind: one row of the navigation tree and what it stands for (shared by the tree
model and the in-place update that keeps the shown tree in step)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


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


@dataclass(eq=False, slots=True)
class Node:
    kind: NodeKind
    label: str
    value: object = None  # category/tag name, year, (year, month), Problem
    count: int | None = None
    parent: Node | None = None
    children: list[Node] = field(default_factory=list)
    row: int = 0
    count_text: str | None = None  # drawn instead of `count` (a saved search's "unread/total")
    # A rebuilt node whose children are exactly the shown node's (made from the same counts,
    # names, order and filter): it carries none, and the update leaves the shown ones alone.
    kept: bool = False
    # A stable identity across rebuilds (for restoring selection and expansion, and for pairing
    # a shown row with its rebuilt self); computed once: kind and value never change.
    key: str = field(init=False)

    def __post_init__(self) -> None:
        # `_value_`, not the slow `value` property: a rebuild makes 4,000 keys.
        value, name = self.value, self.kind._value_
        self.key = f"{name}:{value!r}" if value is not None else name

    def add(self, child: Node) -> Node:
        child.parent = self
        child.row = len(self.children)
        self.children.append(child)
        return child

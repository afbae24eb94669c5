"""Bringing the shown navigation tree in step with a freshly built one, in place.

A model reset makes the view forget its scroll position, lay out every row again and lose the
row under the mouse; the tree is rebuilt at every load batch and every change of a count. So the
new tree is compared with the shown one, parent by parent (nodes pair up by key): rows that went
are removed, rows that stay are moved only when their order changed (one layout change that
carries the view's persistent indexes: selection, expansion, current row), new rows are
inserted, and labels and counts are copied into the shown nodes. Too many scattered changes at
once (typing in the filter field turns most rows on or off) cost more in row signals than one
reset; then `update_in_place` changes nothing and says so. A `kept` node (its children made
from what the shown ones were made from) is compared by itself only: a saved search's count or a
bookmark count does not walk 2,000 categories.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, SignalInstance

from reader.gui.models.nav_node import Node

# More runs of removed or inserted rows than this in one update: a reset is cheaper.
MAX_RUNS = 48


class TreeModel(Protocol):
    """What the update needs of the model (NavTreeModel)."""

    layoutAboutToBeChanged: SignalInstance
    layoutChanged: SignalInstance
    dataChanged: SignalInstance

    def index_for(self, node: Node) -> QModelIndex: ...
    def node(self, index: QModelIndex | QPersistentModelIndex) -> Node | None: ...
    def beginRemoveRows(self, parent: QModelIndex, first: int, last: int) -> None: ...
    def endRemoveRows(self) -> None: ...
    def beginInsertRows(self, parent: QModelIndex, first: int, last: int) -> None: ...
    def endInsertRows(self) -> None: ...
    def persistentIndexList(self) -> list[QModelIndex]: ...
    def changePersistentIndexList(self, old: list[QModelIndex], new: list[QModelIndex]) -> None: ...


def _runs(keys: list[str], present: set[str]) -> int:
    """How many runs of consecutive keys are missing from `present`."""
    runs, inside = 0, False
    for key in keys:
        missing = key not in present
        runs += missing and not inside
        inside = missing
    return runs


def _count_runs(old: Node, new: Node) -> int:
    if new.kept:
        return 0
    old_keys = [c.key for c in old.children]
    new_keys = [c.key for c in new.children]
    if old_keys == new_keys:
        runs = 0
    else:
        runs = _runs(old_keys, set(new_keys)) + _runs(new_keys, set(old_keys))
    by_key = {c.key: c for c in new.children}
    for child in old.children:
        match = by_key.get(child.key)
        if match is not None and (child.children or match.children):
            runs += _count_runs(child, match)
    return runs


def _renumber(node: Node, start: int = 0) -> None:
    for row in range(start, len(node.children)):
        node.children[row].row = row


def _remove(model: TreeModel, old: Node, new: Node) -> None:
    if new.kept:
        return
    by_key = {c.key: c for c in new.children}
    row = len(old.children) - 1
    while row >= 0:  # from the end, so the rows before a run keep their numbers
        if old.children[row].key in by_key:
            row -= 1
            continue
        last = row
        while row >= 0 and old.children[row].key not in by_key:
            row -= 1
        model.beginRemoveRows(model.index_for(old), row + 1, last)
        del old.children[row + 1 : last + 1]
        _renumber(old, row + 1)
        model.endRemoveRows()
    for child in old.children:
        if child.children:  # a leaf has nothing to remove (2,000 categories: 2,000 calls)
            _remove(model, child, by_key[child.key])


def _reorder(old: Node, new: Node, moved: list[tuple[Node, list[Node]]]) -> None:
    """Collect the parents whose staying children changed order (with their new order)."""
    if new.kept:
        return
    rank = {c.key: i for i, c in enumerate(new.children)}
    order = sorted(old.children, key=lambda c: rank[c.key])
    if order != old.children:
        moved.append((old, order))
    by_key = {c.key: c for c in new.children}
    for child in old.children:
        if child.children:  # a leaf has nothing to order (2,000 categories: 2,000 calls)
            _reorder(child, by_key[child.key], moved)


def _apply_moves(model: TreeModel, moved: list[tuple[Node, list[Node]]]) -> None:
    model.layoutAboutToBeChanged.emit()
    before = model.persistentIndexList()
    nodes = [model.node(index) for index in before]
    for parent, order in moved:
        parent.children[:] = order
        _renumber(parent)
    after = [model.index_for(n) if n is not None else QModelIndex() for n in nodes]
    model.changePersistentIndexList(before, after)
    model.layoutChanged.emit()


def _insert(model: TreeModel, old: Node, new: Node) -> None:
    if new.kept:
        return
    present = {c.key for c in old.children}
    shown = {c.key: c for c in old.children}
    row = 0
    while row < len(new.children):
        if new.children[row].key in present:
            row += 1
            continue
        first = row
        while row < len(new.children) and new.children[row].key not in present:
            row += 1
        model.beginInsertRows(model.index_for(old), first, row - 1)
        for node in new.children[first:row]:
            node.parent = old
        old.children[first:first] = new.children[first:row]
        _renumber(old, first)
        model.endInsertRows()
    for child in new.children:
        match = shown.get(child.key)
        if match is not None and child.children:  # nothing to insert under a fresh leaf
            _insert(model, match, child)


def _copy_data(model: TreeModel, old: Node, new: Node) -> None:
    changed: list[int] = []
    for row, (shown, fresh) in enumerate(zip(old.children, new.children, strict=True)):
        if shown is fresh:
            continue  # inserted just now
        if (shown.label, shown.count, shown.count_text) != (
            fresh.label,
            fresh.count,
            fresh.count_text,
        ):
            shown.label, shown.count, shown.count_text = fresh.label, fresh.count, fresh.count_text
            changed.append(row)
        if fresh.children:  # the shown node has the same children by now
            _copy_data(model, shown, fresh)
    if changed:
        first = model.index_for(old.children[changed[0]])
        last = model.index_for(old.children[changed[-1]])
        model.dataChanged.emit(first, last)


def update_in_place(model: TreeModel, shown: Node, fresh: Node) -> bool:
    """Make the `shown` tree (the model's) read like `fresh`, row signals and all; False, with
    nothing changed, when a reset would be cheaper (see the module docstring)."""
    if _count_runs(shown, fresh) > MAX_RUNS:
        return False
    _remove(model, shown, fresh)
    moved: list[tuple[Node, list[Node]]] = []
    _reorder(shown, fresh, moved)
    if moved:
        _apply_moves(model, moved)
    _insert(model, shown, fresh)
    _copy_data(model, shown, fresh)
    return True

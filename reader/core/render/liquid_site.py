"""What Liquid templates see of a site (`LiquidSite`), without the engine: building a page's
context must not import python-liquid (9 MB and 0.1 s), which `liquid_engine` loads only when a
post holds Liquid markup."""

from __future__ import annotations

import html as htmllib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


class LiquidFailed(Exception):
    """The template could not be evaluated (a syntax error, a limit reached)."""


class LazyMapping(Mapping[str, Any]):
    """A mapping whose values may be zero-argument callables, called once on first use:
    `site.posts` costs nothing for a post that never asks for it."""

    def __init__(self, values: Mapping[str, Any], lazy: Mapping[str, Callable[[], Any]]):
        self._values = dict(values)
        self._lazy = dict(lazy)

    def __getitem__(self, key: str) -> Any:
        if key in self._lazy:
            self._values[key] = self._lazy.pop(key)()
        return self._values[key]

    def __iter__(self) -> Iterator[str]:
        yield from self._values
        yield from self._lazy

    def __len__(self) -> int:
        return len(self._values) + len(self._lazy)


@dataclass
class LiquidSite:
    """What templates see, and how Jekyll's tags find posts and files."""

    root: Path  # the opened folder, resolved
    post_path: str = ""  # folder-relative, for include_relative
    site: Mapping[str, Any] = field(default_factory=dict)  # config + data + posts (lazy)
    page: Mapping[str, Any] = field(default_factory=dict)
    url: str = ""
    baseurl: str = ""
    post_url: Callable[[str], str | None] = lambda _name: None
    link: Callable[[str], str | None] = lambda _path: None
    markdownify: Callable[[str], str] = htmllib.escape

"""Safe YAML loading for front matter and `_config.yml`.

Only safe loaders are ever used, so tags such as `!!python/object/apply` raise instead of running.
PyYAML's C loader is 7x faster, but it recurses on the C stack and kills the whole process on deeply
nested input (100,000 levels of `[`); text that could nest deeply goes to the pure-Python loader,
which raises RecursionError instead. Alias bombs ("billion laughs") load cheaply as shared
references but explode when walked, so the loaded value's expanded size is bounded.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from frontmatter.default_handlers import YAMLHandler

_HANDLER = YAMLHandler()


def _timestamp_or_text(loader: Any, node: yaml.ScalarNode) -> object:
    # `2021-13-45` matches YAML's timestamp pattern but is no date: keep the text, so the date
    # rules can report it instead of the whole front matter failing.
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError):
        return loader.construct_scalar(node)


class _SlowLoader(yaml.SafeLoader):
    """Pure-Python safe loader: raises RecursionError on deep nesting instead of crashing."""


class _FastLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """libyaml-backed safe loader."""


for _loader in (_SlowLoader, _FastLoader):
    _loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)

# Far below the depth where the C loader overflows (tens of thousands of levels), far above real
# front matter (a handful of levels).
_MAX_FLOW_OPENERS = 200
_DEEP_BLOCK = re.compile(r"^(?:[ \t]*(?:-|\?|[^\s:#][^:\n]*:)[ \t]+){48}", re.MULTILINE)
_DEEP_INDENT = re.compile(r"^[ \t]{512}", re.MULTILINE)
MAX_EXPANDED_NODES = 100_000


def loader_class() -> type[Any]:
    """The loader used for ordinary front matter (its resolvers and constructors)."""
    return _FastLoader


class YamlProblem(ValueError):
    """Front matter that cannot be loaded; the message is shown to the user."""


def could_nest_deeply(text: str) -> bool:
    """A cheap upper-bound test: can this YAML nest deeper than the C loader safely handles?"""
    if text.count("[") + text.count("{") > _MAX_FLOW_OPENERS:
        return True
    return bool(_DEEP_BLOCK.search(text) or _DEEP_INDENT.search(text))


def _check_expanded_size(value: object) -> None:
    # Walk with revisits (that is what any consumer does), stopping at a fixed budget.
    budget = MAX_EXPANDED_NODES
    stack = [value]
    while stack:
        cur = stack.pop()
        budget -= 1
        if budget < 0:
            raise YamlProblem("YAML front matter expands to too many values (an alias bomb?)")
        if isinstance(cur, dict):
            stack.extend(cur.keys())
            stack.extend(cur.values())
        elif isinstance(cur, list | tuple | set):
            stack.extend(cur)


def load_yaml_mapping(text: str) -> object:
    """Load YAML with a safe loader; raises YamlProblem with a one-line reason."""
    loader = _SlowLoader if could_nest_deeply(text) else _FastLoader
    try:
        value = _HANDLER.load(text, Loader=loader)
    except RecursionError:
        raise YamlProblem("YAML front matter is nested too deeply") from None
    except yaml.MarkedYAMLError as exc:
        where = f" (line {exc.problem_mark.line + 1})" if exc.problem_mark else ""
        reason = _one_line(exc.problem or exc)
        raise YamlProblem(f"invalid YAML front matter{where}: {reason}") from None
    except yaml.YAMLError as exc:
        # e.g. a control character (yaml.reader.ReaderError: its text spans two lines)
        raise YamlProblem(f"invalid YAML front matter: {_one_line(exc)}") from None
    except (ValueError, TypeError, OverflowError) as exc:
        # e.g. a timestamp the constructor cannot build (year 0), or an unhashable key
        raise YamlProblem(f"invalid YAML front matter: {_one_line(exc)}") from None
    if "&" in text and "*" in text:
        _check_expanded_size(value)
    return value


def _one_line(reason: object) -> str:
    """A reason as one line (a problem is listed on one)."""
    return " ".join(str(reason).split())

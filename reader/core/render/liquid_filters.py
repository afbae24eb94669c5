"""Jekyll's Liquid filters, added to python-liquid's standard ones.

Owns `jekyll_filters(env)`: `relative_url`, `absolute_url`, the `date_to_*` family,
`markdownify`, `jsonify`, `where`/`where_exp`/`find`/`find_exp`, `group_by`, `slugify`,
`xml_escape`, `cgi_escape`, `uri_escape`, `number_of_words`, `array_to_sentence_string`,
`normalize_whitespace`, `smartify`, `inspect`. None of them reads files or the network.
"""

from __future__ import annotations

import html as htmllib
import json
import re
import unicodedata
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any
from urllib.parse import quote, quote_plus


def _as_datetime(value: object) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if isinstance(value, str):
        text = value.strip()
        for fmt in ("%Y-%m-%d %H:%M:%S %z", "%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d"):
            try:
                return datetime.strptime(text, fmt)
            except ValueError:
                continue
        try:
            return datetime.fromisoformat(text)
        except ValueError:
            return None
    return None


def _date_filter(fmt: str) -> Callable[[object], object]:
    def apply(value: object) -> object:
        dt = _as_datetime(value)
        if dt is None:
            return value
        return dt.strftime(fmt).replace(" 0", " ") if "%-" not in fmt else dt.strftime(fmt)

    return apply


def _date_to_xmlschema(value: object) -> object:
    dt = _as_datetime(value)
    return dt.isoformat() if dt is not None else value


def _ordinal_long(value: object) -> object:
    dt = _as_datetime(value)
    return f"{dt.day} {dt.strftime('%B %Y')}" if dt is not None else value


def _short(value: object) -> object:
    dt = _as_datetime(value)
    return f"{dt.day:02d} {dt.strftime('%b %Y')}" if dt is not None else value


def slugify(value: object, mode: str = "default") -> str:
    """Jekyll's `slugify`: lower case, runs of other characters as one hyphen."""
    text = str(value if value is not None else "")
    if mode == "none":
        return text
    if mode == "raw":
        pattern = r"\s+"
    elif mode == "pretty":
        pattern = r"[^\w._~!$&'()+,;=@]+"
    elif mode == "ascii":
        pattern = r"[^A-Za-z0-9]+"
    elif mode == "latin":
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
        pattern = r"[^A-Za-z0-9]+"
    else:
        pattern = r"[^\w]+|_+"
    return re.sub(pattern, "-", text).strip("-").lower()


def _jsonify(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, default=str, separators=(",", ":"))


def _xml_escape(value: object) -> str:
    return htmllib.escape(str(value if value is not None else ""), quote=True)


def _number_of_words(value: object, mode: str = "") -> int:
    text = str(value or "")
    if mode in ("cjk", "auto"):
        cjk = re.findall(r"[\u4e00-\u9fff\u3040-\u30ff\uac00-\ud7af]", text)
        rest = re.sub(r"[\u4e00-\u9fff\u3040-\u30ff\uac00-\ud7af]", " ", text)
        return len(cjk) + len(rest.split())
    return len(text.split())


def _array_to_sentence(value: object, connector: str = "and") -> str:
    items = [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]
    if len(items) <= 1:
        return "".join(items)
    if len(items) == 2:
        return f"{items[0]} {connector} {items[1]}"
    return ", ".join(items[:-1]) + f", {connector} {items[-1]}"


def _get(item: object, key: str) -> object:
    for part in key.split("."):
        if isinstance(item, Mapping):
            item = item.get(part)
        else:
            return None
    return item


def _group_by(value: object, key: str) -> list[dict[str, object]]:
    groups: dict[str, list[object]] = {}
    for item in value if isinstance(value, list | tuple) else []:
        groups.setdefault(str(_get(item, key) or ""), []).append(item)
    return [{"name": k, "items": v, "size": len(v)} for k, v in groups.items()]


def _where(value: object, key: str, expected: object = None) -> list[object]:
    """Jekyll's `where`: items whose property equals the value as text (or contains it, for a
    list); without a value, items whose property is set (Liquid's own `where`)."""
    items = value.values() if isinstance(value, Mapping) else value
    if isinstance(items, str) or not hasattr(items, "__iter__"):
        return []
    out = []
    for item in items:
        got = _get(item, key)
        if expected is None:
            if got not in (None, False, "", [], {}):
                out.append(item)
        elif isinstance(got, list | tuple):
            if str(expected) in (str(g) for g in got):
                out.append(item)
        elif str(got if got is not None else "") == str(expected if expected is not None else ""):
            out.append(item)
    return out


class _Filters:
    """Filters that need the site or the environment."""

    def __init__(self, env: Any) -> None:
        self.env = env

    def relative_url(self, value: object) -> str:
        text = str(value if value is not None else "")
        if re.match(r"[A-Za-z][A-Za-z0-9+.\-]*:|//", text):
            return text
        base = self.env.liquid_site.baseurl.strip("/")
        return ("/" + base if base else "") + "/" + text.lstrip("/")

    def absolute_url(self, value: object) -> str:
        text = str(value if value is not None else "")
        if re.match(r"[A-Za-z][A-Za-z0-9+.\-]*:|//", text):
            return text
        return str(self.env.liquid_site.url).rstrip("/") + self.relative_url(text)

    def markdownify(self, value: object) -> str:
        return str(self.env.liquid_site.markdownify(str(value if value is not None else "")))

    def where_exp(self, value: object, variable: str, expression: str) -> list[object]:
        items = value.values() if isinstance(value, Mapping) else value
        if not isinstance(items, list | tuple):
            items = list(items) if hasattr(items, "__iter__") else []
        test = self.env.from_string("{% if " + expression + " %}1{% endif %}")
        scope = dict(self.env.scope_for_filters)
        out = []
        for item in items:
            scope[variable] = item
            if test.render(**scope) == "1":
                out.append(item)
        return out


def jekyll_filters(env: Any) -> dict[str, Callable[..., Any]]:
    """The filters by name, for a `JekyllEnvironment` (its `liquid_site` gives the URLs)."""
    filters = _Filters(env)
    return {
        "relative_url": filters.relative_url,
        "absolute_url": filters.absolute_url,
        "markdownify": filters.markdownify,
        "where_exp": filters.where_exp,
        "find_exp": lambda v, var, e: next(iter(filters.where_exp(v, var, e)), None),
        "where": _where,
        "find": lambda v, k, e=None: next(iter(_where(v, k, e)), None),
        "group_by": _group_by,
        "jsonify": _jsonify,
        "xml_escape": _xml_escape,
        "cgi_escape": lambda v: quote_plus(str(v)),
        "uri_escape": lambda v: quote(str(v), safe="/:?#[]@!$&'()*+,;=%"),
        "slugify": slugify,
        "number_of_words": _number_of_words,
        "array_to_sentence_string": _array_to_sentence,
        "date_to_xmlschema": _date_to_xmlschema,
        "date_to_rfc822": _date_filter("%a, %d %b %Y %H:%M:%S %z"),
        "date_to_string": _short,
        "date_to_long_string": _ordinal_long,
        "smartify": lambda v: v,
        "normalize_whitespace": lambda v: " ".join(str(v).split()),
        "inspect": lambda v: repr(v),
    }

"""The core's fixed English phrases, in the interface language.

The core (which never imports Qt) words a post's warnings and the rendered placeholders for
images it does not show ("[image] host", "[image not shown: reason]") in English. The window
translates them here by their fixed phrases, keeping the variable parts (a key, a value, a file
name) as they are; a phrase not listed stays English, so a new core warning is never lost. The
choice (phrases here rather than codes in the core) keeps the core's warnings stable for the
terminal, its JSON output and the cache.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication

# The translations' context is "CoreText", written out in each call: lupdate reads only literals.


def _patterns() -> list[tuple[re.Pattern[str], Callable[[], str]]]:
    """(English warning, its translation with {0}, {1}… for the groups), most common first.
    The translations are looked up when used, so a language installed later applies."""
    table: list[tuple[str, Callable[[], str]]] = [
        (
            r"the date (.+) has no time zone: read as UTC, as Jekyll does, so it is shown "
            r"(\S+) hours later; the folder's preferences can read such times in the site's zone",
            lambda: QCoreApplication.translate(
                "CoreText",
                "the date {0} has no time zone: read as UTC, as Jekyll does, so it is shown {1} "
                "hours later; the folder's preferences can read such times in the site's zone",
            ),
        ),
        (
            r"the date (.+) has no time zone: read as UTC, as Jekyll does, so it is shown "
            r"(\S+) hours earlier; the folder's preferences can read such times in the site's "
            r"zone",
            lambda: QCoreApplication.translate(
                "CoreText",
                "the date {0} has no time zone: read as UTC, as Jekyll does, so it is shown {1} "
                "hours earlier; the folder's preferences can read such times in the site's zone",
            ),
        ),
        (
            r"date cannot be used \((.+)\); (.+) is used instead",
            lambda: QCoreApplication.translate(
                "CoreText", "date cannot be used ({0}); {1} is used instead"
            ),
        ),
        (
            r"blank lines before the front matter \(Jekyll would ignore it\)",
            lambda: QCoreApplication.translate(
                "CoreText", "blank lines before the front matter (Jekyll would ignore it)"
            ),
        ),
        (
            r"front matter is never closed by `---`; read as body text",
            lambda: QCoreApplication.translate(
                "CoreText", "front matter is never closed by `---`; read as body text"
            ),
        ),
        (
            r"front matter closed with `\.\.\.` instead of `---`",
            lambda: QCoreApplication.translate(
                "CoreText", "front matter closed with `...` instead of `---`"
            ),
        ),
        (
            r"file name has no valid date \(YYYY-MM-DD-title\); Jekyll would skip this post",
            lambda: QCoreApplication.translate(
                "CoreText",
                "file name has no valid date (YYYY-MM-DD-title); Jekyll would skip this post",
            ),
        ),
        (
            r"file name date (.+) is not a real date; Jekyll would skip this post",
            lambda: QCoreApplication.translate(
                "CoreText", "file name date {0} is not a real date; Jekyll would skip this post"
            ),
        ),
        (
            r"title is longer than (\d+) characters; shortened",
            lambda: QCoreApplication.translate(
                "CoreText", "title is longer than {0} characters; shortened"
            ),
        ),
        (
            r"Windows \(CRLF\) line ends",
            lambda: QCoreApplication.translate("CoreText", "Windows (CRLF) line ends"),
        ),
        (
            r"old Mac \(CR\) line ends",
            lambda: QCoreApplication.translate("CoreText", "old Mac (CR) line ends"),
        ),
        (
            r"starts with a UTF-8 byte-order mark",
            lambda: QCoreApplication.translate("CoreText", "starts with a UTF-8 byte-order mark"),
        ),
        (
            r"encoded as (\S+) \(with a byte-order mark\)",
            lambda: QCoreApplication.translate(
                "CoreText", "encoded as {0} (with a byte-order mark)"
            ),
        ),
        (
            r"encoded as (\S+) without a byte-order mark",
            lambda: QCoreApplication.translate(
                "CoreText", "encoded as {0} without a byte-order mark"
            ),
        ),
        (
            r"not UTF-8: decoded as (\S+)",
            lambda: QCoreApplication.translate("CoreText", "not UTF-8: decoded as {0}"),
        ),
        (
            r"both `tag` and `tags` are set; Jekyll uses `tag` only, and so do we",
            lambda: QCoreApplication.translate(
                "CoreText", "both `tag` and `tags` are set; Jekyll uses `tag` only, and so do we"
            ),
        ),
        (
            r"`(\w+)` holds a (\w+); it was dropped",
            lambda: QCoreApplication.translate("CoreText", "`{0}` holds a {1}; it was dropped"),
        ),
        (
            r"`(\w+)` value (.+) was not text; read as text",
            lambda: QCoreApplication.translate(
                "CoreText", "`{0}` value {1} was not text; read as text"
            ),
        ),
        (
            r"`(\w+)` is a mapping, not a list; its keys were used",
            lambda: QCoreApplication.translate(
                "CoreText", "`{0}` is a mapping, not a list; its keys were used"
            ),
        ),
        (
            r"`(\w+)` is a boolean, not text; it was ignored",
            lambda: QCoreApplication.translate(
                "CoreText", "`{0}` is a boolean, not text; it was ignored"
            ),
        ),
        (
            r"`(\w+)` is a list; its items were joined",
            lambda: QCoreApplication.translate(
                "CoreText", "`{0}` is a list; its items were joined"
            ),
        ),
        (
            r"`(\w+)` is a mapping, not text; it was ignored",
            lambda: QCoreApplication.translate(
                "CoreText", "`{0}` is a mapping, not text; it was ignored"
            ),
        ),
        (
            r"`(\w+)` is a (\w+), not a list; read as text",
            lambda: QCoreApplication.translate(
                "CoreText", "`{0}` is a {1}, not a list; read as text"
            ),
        ),
        (
            r"`(\w+)` is a (\w+), not text; read as text",
            lambda: QCoreApplication.translate(
                "CoreText", "`{0}` is a {1}, not text; read as text"
            ),
        ),
        (
            r"`(\w+)` is (.+), not true/false; treated as (\w+)",
            lambda: QCoreApplication.translate(
                "CoreText", "`{0}` is {1}, not true/false; treated as {2}"
            ),
        ),
        (
            r"_config\.yml timezone (.+) is unknown; the local zone is used",
            lambda: QCoreApplication.translate(
                "CoreText", "_config.yml timezone {0} is unknown; the local zone is used"
            ),
        ),
    ]
    return [(re.compile(f"^{pattern}$"), text) for pattern, text in table]


_PATTERNS = _patterns()


def translate_warning(warning: str) -> str:
    """`warning` (the core's English) in the interface language, when its phrase is known."""
    for pattern, text in _PATTERNS:
        match = pattern.match(warning)
        if match is not None:
            return text().format(*match.groups())
    return warning


# The placeholders the core renders for images it does not show (reader/core/render/urls.py).
_REMOTE_IMAGE = re.compile(r'(<(?:a|span) class="remote-image"[^>]*>)\[image\] ')
_MISSING_IMAGE = re.compile(r'(<span class="missing-image"[^>]*>)\[image not shown: ([^\]<]*)\]')
_REASONS = {
    "embedded data": lambda: QCoreApplication.translate("CoreText", "embedded data"),
    "file address": lambda: QCoreApplication.translate("CoreText", "file address"),
    "no address": lambda: QCoreApplication.translate("CoreText", "no address"),
    "address too long": lambda: QCoreApplication.translate("CoreText", "address too long"),
    "unsupported address": lambda: QCoreApplication.translate("CoreText", "unsupported address"),
}


def translate_placeholders(html: str) -> str:
    """The rendered article with its image placeholders in the interface language."""
    if "[image" not in html:
        return html
    image = QCoreApplication.translate("CoreText", "[image]")
    html = _REMOTE_IMAGE.sub(lambda m: f"{m.group(1)}{image} ", html)

    def missing(match: re.Match[str]) -> str:
        reason = match.group(2)
        known = _REASONS.get(reason)
        text = QCoreApplication.translate("CoreText", "[image not shown: {reason}]").format(
            reason=known() if known is not None else reason
        )
        return match.group(1) + text

    return _MISSING_IMAGE.sub(missing, html)

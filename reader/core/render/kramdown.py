"""kramdown's dialect of Markdown on top of Python-Markdown: the rules where the two differ.

Owns `KramdownOptions` (from a site's `markdown:`/`kramdown:` settings) and `prepare`, a
linear pass over the source lines that rewrites kramdown constructs into what Python-Markdown
reads the same way (`kramdown_ext` then gives headings their ids, builds `{:toc}`, sets the
typographic symbols and puts tabs back). What `prepare` does, line by line, never looking back
more than one line:

- list items: kramdown nests by the column of an item's text (2 or 3 spaces under `* ` or
  `1. `), Python-Markdown by steps of 4; continuation lines, nested items and code inside an
  item are re-indented onto Python-Markdown's grid, relative to their item;
- with `input: GFM`, a list, quote or fence may interrupt a paragraph (a blank line is put
  before it), and `#Heading` without a space after the hashes is text, not a heading;
- IALs on a line of their own after a heading join the heading; ALDs (`{:ref: .x}`),
  `{::options /}` and IALs that attach to no paragraph are removed (never printed); `* TOC`
  followed by `{:toc}` becomes a marker the extension replaces with the table of contents;
- `$$ … $$` display math becomes a fenced `math` code block;
- tabs outside the indentation and everything inside fenced code are kept as tabs (Python-
  Markdown would expand them).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

TAB_MARK: Final = "\ue00d"  # a tab Python-Markdown must not expand (private use: never input)
TOC_MARK: Final = "\ue00e"  # where `{:toc}` asks for the table of contents


@dataclass(frozen=True, slots=True)
class KramdownOptions:
    """The settings of a site's `kramdown:` section that change what a reader sees."""

    gfm: bool = True  # input: GFM (Jekyll's default) or kramdown
    auto_ids: bool = True
    auto_id_prefix: str = ""
    smart_typography: bool = True  # off with gfm_quirks: no_auto_typographic
    hard_wrap: bool = False  # Jekyll sets it off

    @classmethod
    def from_config(cls, config: Mapping[str, Any] | None) -> KramdownOptions:
        """From a site's `kramdown:` mapping (anything else: the defaults)."""
        if not isinstance(config, Mapping):
            return cls()
        quirks = config.get("gfm_quirks")
        quirk_text = " ".join(quirks) if isinstance(quirks, list) else str(quirks or "")
        prefix = config.get("auto_id_prefix")

        def flag(key: str, default: bool) -> bool:
            value = config.get(key, default)
            return value if isinstance(value, bool) else str(value).strip().lower() == "true"

        return cls(
            gfm=str(config.get("input", "GFM")).strip().lower() == "gfm",
            auto_ids=flag("auto_ids", True),
            auto_id_prefix=prefix if isinstance(prefix, str) else "",
            smart_typography="no_auto_typographic" not in quirk_text,
            hard_wrap=flag("hard_wrap", False),
        )


# ---------------------------------------------------------------------------------------------
# The line pass

_ITEM = re.compile(r"([*+-]|\d{1,9}[.)])([ \t]+|$)")
_FENCE = re.compile(r"(`{3,}|~{3,})")
_IAL_LINE = re.compile(r"\{:(?:[ \t]*[.#]|[ \t]*[\w-]+=|[ \t]*\})[^\n{}]*\}[ \t]*")
_ALD_LINE = re.compile(r"\{:[\w-]+:[^\n]*\}[ \t]*|\{::options\b[^\n]*/\}[ \t]*")
_TOC_LINE = re.compile(r"\{:[ \t]*\.?toc[ \t]*\}[ \t]*|\{:toc\}[ \t]*")
_ATX = re.compile(r"#{1,6}(?:[ \t]|$)")
_HEADING_LINE = re.compile(r"#{1,6}[ \t]")
_SETEXT = re.compile(r"(?:=+|-+)[ \t]*")
_PRE_OPEN = re.compile(r"<pre[\s>]", re.IGNORECASE)
_PRE_CLOSE = re.compile(r"</pre\s*>", re.IGNORECASE)
_RULE = re.compile(r"([*_-])[ \t]*(?:\1[ \t]*){2,}")
_MATH_OPEN = re.compile(r"\$\$(.*)")
_INTERRUPTS = re.compile(r"(?:[*+-]|\d{1,9}[.)])[ \t]+\S|>|`{3,}|~{3,}")


def _expand_indent(line: str) -> tuple[int, str]:
    """(column of the first non-blank character, the rest), tabs counted as stops of 4."""
    col = 0
    i = 0
    for i, ch in enumerate(line):
        if ch == " ":
            col += 1
        elif ch == "\t":
            col += 4 - col % 4
        else:
            return col, line[i:]
    return col, ""


@dataclass(slots=True)
class _Item:
    src: int  # column where the item's text starts in the source
    out: int  # column where it starts in what Python-Markdown reads


def prepare(text: str, options: KramdownOptions) -> str:
    """The source rewritten so Python-Markdown reads it as kramdown would (see module doc)."""
    out: list[str] = []
    items: list[_Item] = []
    fence: tuple[str, int, int] | None = None  # (marker, source indent, output indent)
    math: int | None = None  # output indent of an open $$ block
    in_pre = False
    loose = False  # a blank line inside the open list items
    prev_blank = True
    prev_kind = "blank"  # blank, text, item, heading, fence, other
    for raw in text.split("\n"):
        col, rest = _expand_indent(raw)
        if fence is not None:
            marker, src_indent, out_indent = fence
            m = _FENCE.match(rest)
            if (
                m
                and m.group(1)[0] == marker[0]
                and len(m.group(1)) >= len(marker)
                and (not rest[m.end() :].strip() and col - src_indent < 4)
            ):
                out.append(" " * out_indent + rest.rstrip())
                fence = None
                prev_kind, prev_blank = "fence", False
                continue
            body = _strip_columns(raw, min(col, src_indent))
            out.append(" " * out_indent + body.replace("\t", TAB_MARK))
            continue
        if math is not None:
            if rest.rstrip().endswith("$$"):
                last = rest.rstrip()[:-2]
                if last.strip():
                    out.append(" " * math + last)
                out.append(" " * math + "```")
                math = None
                prev_kind, prev_blank = "fence", False
            else:
                out.append(" " * math + rest)
            continue
        if in_pre:  # raw HTML <pre>: every character is content, tabs included
            out.append(_keep_tabs(raw))
            in_pre = _PRE_CLOSE.search(raw) is None
            continue
        if not items and _PRE_OPEN.match(rest) and _PRE_CLOSE.search(rest) is None:
            out.append(_keep_tabs(raw))
            in_pre = True
            prev_kind, prev_blank = "other", False
            continue
        if not rest:
            out.append("")
            prev_blank, prev_kind = True, "blank"
            loose = loose or bool(items)
            continue
        # Where this line sits among the open list items.
        is_item = (
            _ITEM.match(rest) is not None
            and not (items and col >= items[-1].src + 4)
            and not _RULE.fullmatch(rest)
            and not (prev_kind == "text" and _SETEXT.fullmatch(rest))
        )
        if is_item and not items and col >= 4:
            is_item = False  # indented code
        if items and (is_item or prev_blank):
            depth = len(items)
            while items and col < items[-1].src:
                items.pop()
            if is_item and len(items) < depth and loose and not prev_blank:
                # Back out of nested items whose list had blank lines: Python-Markdown reads
                # an indented block there, and would take this item as its lazy text.
                out.append("")
        if not items:
            loose = False
        lazy = items and col < items[-1].src and not prev_blank
        if items and not lazy:
            base = items[-1]
            extra = col - base.src
            # Less than a code block's 4 columns past the item's text is the item's own level.
            indent = base.out + (extra if extra >= 4 else 0)
        elif is_item:
            indent = 0  # a list at the top: kramdown allows 0-3 spaces before the marker
        elif lazy:
            indent = items[-1].out  # a lazy continuation of the item's paragraph
        else:
            indent = col
        # kramdown-only syntax on a line of its own.
        stripped = rest.rstrip()
        if _TOC_LINE.fullmatch(stripped):
            if prev_kind == "item" and out:
                if items:
                    items.pop()
                out[-1] = "\n" + TOC_MARK + "\n"  # a paragraph of its own
            prev_kind, prev_blank = "other", False
            continue
        if _ALD_LINE.fullmatch(stripped):
            continue
        if _IAL_LINE.fullmatch(stripped):
            if prev_kind == "heading" and out:
                out[-1] = out[-1].rstrip() + " " + stripped
            elif prev_kind in ("text", "item"):
                out.append(" " * indent + stripped)
            continue  # before a block, or after code: kramdown applies it, never prints it
        m = _MATH_OPEN.match(rest) if not is_item else None
        if m is not None and not lazy and (prev_blank or prev_kind != "text"):
            inner = m.group(1).rstrip()
            if inner.endswith("$$") and len(inner) >= 2:
                out.extend(
                    [" " * indent + "```math", " " * indent + inner[:-2], " " * indent + "```"]
                )
                prev_kind, prev_blank = "fence", False
                continue
            out.append(" " * indent + "```math")
            if inner.strip():
                out.append(" " * indent + inner)
            math = indent
            continue
        fm = _FENCE.match(rest)
        if fm is not None and (prev_blank or options.gfm or prev_kind != "text"):
            if options.gfm and prev_kind == "text" and not prev_blank:
                out.append("")
            fence = (fm.group(1), col, indent)
            out.append(" " * indent + rest.rstrip().replace("\t", " "))
            prev_kind, prev_blank = "fence", False
            continue
        if options.gfm and not prev_blank and prev_kind == "text" and _INTERRUPTS.match(rest):
            out.append("")  # GFM: these interrupt a paragraph (kramdown needs a blank line)
        if rest.startswith(": ") and prev_blank:
            # kramdown: a definition follows its term directly (a blank line between makes
            # the colon text); Python-Markdown's def_list would allow one.
            rest = "&#58;" + rest[1:]
        if rest.startswith("#"):
            if options.gfm and not _ATX.match(rest):
                rest = "\\" + rest  # `#Heading`, `#16197]`: text under GFM
            elif options.gfm and prev_kind == "text" and not prev_blank:
                out.append("")
        if is_item:
            im = _ITEM.match(rest)
            assert im is not None
            marker = im.group(1)
            after = _keep_tabs(rest[im.end() :])
            spaces = len(im.group(2).expandtabs(4)) if after else 1
            if spaces > 4:  # the text is indented code: the item starts one column in
                after = " " * (spaces - 1) + after
                spaces = 1
            src_text = col + len(marker) + spaces
            out.append(" " * indent + marker + " " + after)
            items.append(_Item(src=src_text, out=indent + 4))
            prev_kind = "item"
        else:
            body = _keep_tabs(rest)
            out.append(" " * indent + body)
            if _HEADING_LINE.match(body):
                prev_kind = "heading"
            elif body.startswith(">"):
                prev_kind = "quote"
            elif _SETEXT.fullmatch(body) and prev_kind == "text":
                prev_kind = "other"
            else:
                prev_kind = "text"
        prev_blank = False
    if fence is not None or math is not None:
        pass  # an unclosed block runs to the end, as in kramdown
    return kramdown_tables("\n".join(out))


_TABLE_ROW = re.compile(r"[ ]{0,3}\|")
_TABLE_SEPARATOR = re.compile(r"[ ]{0,3}\|[ \t|:+=-]*[-=][ \t|:+=-]*")
_CELL_SPLIT = re.compile(r"(?<!\\)\|")


def _cells(row: str) -> int:
    return len(_CELL_SPLIT.split(row.strip().strip("|")))


def kramdown_tables(text: str) -> str:
    """kramdown's tables (separator lines anywhere: `|---` before the header, `|-----|`
    between body parts, `|===|` before the footer) as the one header row, one separator and
    body rows Python-Markdown's tables extension reads. Never printed as text."""
    if "|" not in text:
        return text
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        if not _TABLE_ROW.match(lines[i]) or (out and out[-1].strip()):
            out.append(lines[i])
            i += 1
            continue
        j = i
        while j < len(lines) and _TABLE_ROW.match(lines[j]):
            j += 1
        block = lines[i:j]
        seps = [k for k, line in enumerate(block) if _TABLE_SEPARATOR.fullmatch(line.rstrip())]
        if not seps:
            out.extend(block)  # rows only: kramdown's table without a header
            i = j
            continue
        rows = [line for k, line in enumerate(block) if k not in seps]
        first_row = next((k for k in range(len(block)) if k not in seps), None)
        header_sep = next((k for k in seps if first_row is not None and k > first_row), None)
        if not rows:
            i = j
            continue
        width = max(_cells(r) for r in rows)
        if header_sep is not None and header_sep == first_row + 1:  # type: ignore[operator]
            header = block[first_row]  # type: ignore[index]
            body = [r for r in rows if r is not header]
            align = block[header_sep].strip()
            if _cells(align) != width or "=" in align or "+" in align:
                align = "|" + "---|" * width
        else:
            header = "|" + " |" * width
            body = rows
            align = "|" + "---|" * width
        out.append(header)
        out.append(align)
        out.extend(body)
        i = j
    return "\n".join(out)


def _strip_columns(line: str, columns: int) -> str:
    """`line` without its first `columns` columns of indentation."""
    col = 0
    for i, ch in enumerate(line):
        if col >= columns or ch not in " \t":
            return line[i:]
        col += 1 if ch == " " else 4 - col % 4
    return ""


def _keep_tabs(text: str) -> str:
    return text.replace("\t", TAB_MARK) if "\t" in text else text

"""Refresh resources/translations/post-reader_<lang>.ts from the tr() calls in reader/gui.

    python scripts/update_translations.py            rewrite the .ts files (translations kept)
    python scripts/update_translations.py --check    exit 1 if a .ts is out of date or unfinished

Runs PySide6's `lupdate` over reader/gui/**/*.py, then puts every message in the context that
PySide6 looks up at run time. `QObject.tr()` in PySide6 translates with the name of the
object's Python class, then of each base class in its MRO, so a string belongs to the class
whose method calls tr(). lupdate gets that right for `self.tr("...")` but not for an alias
(`tr = self.tr; tr("...")` lands in an empty context) or for `window.tr("...")` (a context
named `window`); here each such message is moved to the class that encloses the call. Outside
a class, use `QCoreApplication.translate("Context", "...")`, whose context lupdate reads.

Existing translations are carried over by (context, source), or by source alone when a string
moved to another class; new strings are marked unfinished for a translator (Qt Linguist,
`pyside6-linguist`, or any editor) to fill in. Strings no longer in the code are dropped.
"""

from __future__ import annotations

import argparse
import ast
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SOURCES = REPO / "reader" / "gui"
TRANSLATIONS = REPO / "resources" / "translations"
LANGUAGES = ("zh_CN",)


@dataclass
class Message:
    context: str
    source: str
    comment: str = ""
    locations: list[tuple[str, int]] = field(default_factory=list)
    translation: str = ""
    unfinished: bool = True

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.context, self.source, self.comment)


def _tr_call_classes(path: Path) -> dict[int, str | None]:
    """line → the class enclosing a `tr(...)` / `x.tr(...)` call that spans it (None: none)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    lines: dict[int, str | None] = {}

    def visit(node: ast.AST, cls: str | None) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef):
                visit(child, child.name)
                continue
            if isinstance(child, ast.Call):
                func = child.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                if name == "tr":
                    end = child.end_lineno or child.lineno
                    for line in range(child.lineno, end + 1):
                        lines[line] = cls
            visit(child, cls)

    visit(tree, None)
    return lines


def _lupdate() -> Path:
    sys.path.insert(0, str(REPO))
    from reader.gui.i18n import qt_tool

    tool = qt_tool("lupdate")
    if tool is None:
        raise SystemExit("lupdate was not found: install PySide6 (it ships pyside6-lupdate)")
    return tool


def _repo_relative(ts: Path, filename: str) -> str:
    """A location's file name (relative to the .ts) as a path relative to the repository."""
    src = (ts.parent / filename).resolve()
    try:
        return src.relative_to(REPO).as_posix()
    except ValueError:
        return filename


def read_ts(path: Path) -> tuple[ET.Element, list[Message]]:
    """A .ts file's messages; locations are given relative to the repository."""
    root = ET.parse(path).getroot()
    messages = []
    for ctx in root.iter("context"):
        name = ctx.findtext("name") or ""
        for m in ctx.iter("message"):
            tr_el = m.find("translation")
            kind = tr_el.get("type", "") if tr_el is not None else "unfinished"
            messages.append(
                Message(
                    context=name,
                    source=m.findtext("source") or "",
                    comment=m.findtext("comment") or "",
                    locations=[
                        (_repo_relative(path, loc.get("filename", "")), int(loc.get("line", "0")))
                        for loc in m.iter("location")
                    ],
                    translation=(tr_el.text or "") if tr_el is not None else "",
                    unfinished=kind in ("unfinished", "vanished", "obsolete"),
                )
            )
    return root, messages


def extract() -> list[Message]:
    """The messages of reader/gui as PySide6 will look them up (no translations)."""
    files = sorted(SOURCES.rglob("*.py"))
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "extract.ts"
        result = subprocess.run(
            [str(_lupdate()), "-silent", "-no-obsolete", *map(str, files), "-ts", str(out)],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if result.returncode != 0:
            raise SystemExit(f"lupdate failed: {result.stderr.strip()}")
        _root, messages = read_ts(out)
        calls = {f.resolve(): _tr_call_classes(f) for f in files}
        problems = []
        merged: dict[tuple[str, str, str], Message] = {}
        for msg in messages:
            for filename, line in msg.locations:
                rel = filename
                lines = calls.get((REPO / rel).resolve(), {})
                ctx = msg.context  # QCoreApplication.translate("Context", ...): as lupdate read it
                if line in lines:  # a tr() call: PySide6 uses the enclosing class
                    cls = lines[line]
                    if cls is None:
                        problems.append(
                            f"{rel}:{line}: tr() outside a class; use "
                            f'QCoreApplication.translate("Context", ...)'
                        )
                        continue
                    ctx = cls
                key = (ctx, msg.source, msg.comment)
                target = merged.setdefault(key, Message(ctx, msg.source, msg.comment))
                if (rel, line) not in target.locations:
                    target.locations.append((rel, line))
    if problems:
        raise SystemExit("\n".join(problems))
    return sorted(merged.values(), key=lambda m: (m.context, m.locations[:1], m.source))


def merge(fresh: list[Message], old: list[Message]) -> list[Message]:
    """`fresh` with the translations of `old` carried over."""
    by_key = {m.key: m for m in old if m.translation}
    by_source: dict[str, set[str]] = {}
    for m in old:
        if m.translation:
            by_source.setdefault(m.source, set()).add(m.translation)
    for msg in fresh:
        prev = by_key.get(msg.key)
        if prev is not None:
            msg.translation, msg.unfinished = prev.translation, prev.unfinished
        elif len(by_source.get(msg.source, ())) == 1:
            (msg.translation,) = by_source[msg.source]
            msg.unfinished = True  # moved to another class: a translator should look again
    return fresh


def write_ts(path: Path, lang: str, messages: list[Message]) -> None:
    root = ET.Element("TS", version="2.1", language=lang, sourcelanguage="en")
    contexts: dict[str, ET.Element] = {}
    for msg in messages:
        ctx = contexts.get(msg.context)
        if ctx is None:
            ctx = contexts[msg.context] = ET.SubElement(root, "context")
            ET.SubElement(ctx, "name").text = msg.context
        el = ET.SubElement(ctx, "message")
        for filename, line in msg.locations:
            rel = Path("../..") / filename  # relative to resources/translations/
            ET.SubElement(el, "location", filename=rel.as_posix(), line=str(line))
        ET.SubElement(el, "source").text = msg.source
        if msg.comment:
            ET.SubElement(el, "comment").text = msg.comment
        tr_el = ET.SubElement(el, "translation")
        tr_el.text = msg.translation
        if msg.unfinished:
            tr_el.set("type", "unfinished")
    ET.indent(root, space="    ")
    # Qt Linguist's own spelling, so that saving the file there gives a small diff.
    body = ET.tostring(root, encoding="unicode").replace(" />", "/>")
    body = body.replace(
        '<translation type="unfinished"/>', '<translation type="unfinished"></translation>'
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n", encoding="utf-8"
    )


def ts_path(lang: str) -> Path:
    return TRANSLATIONS / f"post-reader_{lang}.ts"


def check(lang: str, fresh: list[Message]) -> list[str]:
    """What is wrong with the .ts of `lang`: strings missing from it, or not translated."""
    path = ts_path(lang)
    if not path.is_file():
        return [f"{path} is missing"]
    _root, old = read_ts(path)
    have = {m.key: m for m in old}
    errors = []
    for msg in fresh:
        got = have.get(msg.key)
        where = ":".join(map(str, msg.locations[0])) if msg.locations else "?"
        if got is None:
            errors.append(f"{where}: not in {path.name}: [{msg.context}] {msg.source!r}")
        elif got.unfinished or not got.translation.strip():
            errors.append(f"{where}: not translated: [{msg.context}] {msg.source!r}")
    return errors


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only report; exit 1 on problems")
    args = parser.parse_args(argv)
    fresh = extract()
    status = 0
    for lang in LANGUAGES:
        if args.check:
            errors = check(lang, fresh)
            for error in errors:
                print(error, file=sys.stderr)
            status |= bool(errors)
            continue
        path = ts_path(lang)
        old = read_ts(path)[1] if path.is_file() else []
        messages = merge([Message(m.context, m.source, m.comment, m.locations) for m in fresh], old)
        write_ts(path, lang, messages)
        todo = sum(m.unfinished for m in messages)
        print(f"{path.relative_to(REPO)}: {len(messages)} strings, {todo} to translate")
    return status


if __name__ == "__main__":
    sys.exit(main())

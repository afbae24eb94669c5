"""Hostile folders: nothing crashes, hangs, leaks or runs.

One generated folder (tests/fixtures/hostile.py) holds every kind of bad file we know of. The
core reads it within a bound, each path becoming exactly what its expectation says; every post
renders within its budget to inert, offline HTML; the window opens every post without a Qt
warning or a freeze, never loads anything but images inside the folder, and shows nothing from
outside it; and reading a folder full of remote references opens no socket at all.
"""

from __future__ import annotations

import html as htmllib
import json
import os
import re
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QImage, QTextDocument
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from reader.core.library import Library
from reader.core.post import Post, Problem
from reader.core.reading import parse
from reader.core.reading.parse import read_body
from reader.core.reading.problems import problem_line
from reader.core.render.pipeline import RenderContext, html_to_text, render_body
from reader.core.render.tokens import LONG_RUN_CHARS, ZWSP
from reader.core.render.tree import max_nesting
from reader.gui.main_window import MainWindow
from reader.gui.models.nav_tree import NodeKind
from reader.gui.widgets.reading_pane import ReadingPane
from tests.conftest import REPO, load_cached, load_folder
from tests.fixtures.hostile import (
    ACTIVE_MARKUP,
    NOTHING,
    PAYLOAD_MARKER,
    POST,
    PROBLEM,
    REMOTE_HOST,
    SECRET,
    UNREADABLE,
    Expect,
    make_hostile_folder,
    outside_of,
)

pytestmark = pytest.mark.slow

LOAD_BOUND = 60.0  # seconds for the core to read the whole folder (it takes about 3 here)
POST_BOUND = 10.0  # seconds for one post to render, or to open in the window: "no freeze"
PASSWD_TEXT = "root:x:0:0"

WindowFactory = Callable[..., MainWindow]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Expect]]:
    root = tmp_path_factory.mktemp("hostile") / "site"
    return root, make_hostile_folder(root)


@pytest.fixture
def deny_unreadable(monkeypatch: pytest.MonkeyPatch) -> None:
    """chmod 0 does not stop root (CI runs as root), so the open itself is refused."""
    real_open = os.open

    def guarded_open(path: object, flags: int, *args: object, **kwargs: object) -> int:
        if str(path).endswith(UNREADABLE.rsplit("/", 1)[-1]):
            raise PermissionError(13, "Permission denied")
        return real_open(path, flags, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(parse.os, "open", guarded_open)


@pytest.fixture
def no_background_indexing(monkeypatch: pytest.MonkeyPatch) -> None:
    """The full-text indexer is kept out of the window tests: its markup stripping is quadratic
    on some hostile bodies and holds the GIL meanwhile (see test_search_indexing_is_bounded)."""
    from reader.gui import indexer

    monkeypatch.setattr(indexer.IndexBuilder, "start", lambda self, *args, **kwargs: None)


def _mismatches(path: str, expect: Expect, item: Post | Problem | None) -> list[str]:
    kind = NOTHING if item is None else PROBLEM if isinstance(item, Problem) else POST
    if kind != expect.kind:
        return [f"{path!r} ({expect.what}): expected a {expect.kind}, got {item!r}"]
    wrong = []
    if isinstance(item, Problem) and expect.reason not in item.reason:
        wrong.append(f"{path!r}: reason {item.reason!r} lacks {expect.reason!r}")
    if isinstance(item, Post):
        if expect.title is not None and item.title != expect.title:
            wrong.append(f"{path!r}: title {item.title!r}, expected {expect.title!r}")
        for w in expect.warnings:
            if not any(w in have for have in item.warnings):
                wrong.append(f"{path!r}: no warning with {w!r} in {item.warnings!r}")
        if len(item.warnings) > parse.MAX_WARNINGS or len(item.title) > parse.MAX_TITLE_CHARS:
            wrong.append(f"{path!r}: unbounded title or warnings")
    return wrong


def _records(library: Library) -> dict[str, Post | Problem]:
    records: dict[str, Post | Problem] = {p.path: p for p in library.posts}
    records.update({p.path: p for p in library.problems})
    return records


# --- the core ---------------------------------------------------------------------------------


def test_the_folder_has_every_kind_of_case(hostile: tuple[Path, dict[str, Expect]]) -> None:
    _root, cases = hostile
    groups = {e.group for e in cases.values()}
    assert groups == {
        "encodings", "front matter", "dates", "value types", "bodies", "attacks", "file system",
    }  # fmt: skip
    assert len(cases) >= 50
    assert {e.kind for e in cases.values()} == {POST, PROBLEM, NOTHING}


def test_core_reads_every_case_as_expected_within_bounds(
    hostile: tuple[Path, dict[str, Expect]], deny_unreadable: None
) -> None:
    root, cases = hostile
    started = time.monotonic()
    library = load_cached(root)
    elapsed = time.monotonic() - started
    assert elapsed < LOAD_BOUND, f"loading took {elapsed:.1f} s"

    records = _records(library)
    wrong = [m for path, e in cases.items() for m in _mismatches(path, e, records.get(path))]
    assert not wrong, "\n".join(wrong)
    assert set(records) <= set(cases), set(records) - set(cases)
    assert not (outside_of(root) / PAYLOAD_MARKER).exists(), "a YAML tag ran code"

    # The second time everything comes from the SQLite cache: names with newlines, NULs in
    # titles and the rest survive the round trip.
    again = _records(load_cached(root))
    assert again == records


def test_parsing_has_a_time_budget(
    hostile: tuple[Path, dict[str, Expect]], monkeypatch: pytest.MonkeyPatch
) -> None:
    root, _cases = hostile
    real_split = parse.decode_and_split

    def slow_split(data: bytes) -> parse.Split:
        if b"Plain" in data:
            while True:  # stands in for a parser stuck on a pathological input
                time.sleep(0.01)
        return real_split(data)

    monkeypatch.setattr(parse, "decode_and_split", slow_split)
    monkeypatch.setattr(parse, "PARSE_SECONDS", 0.3)
    started = time.monotonic()
    library = load_cached(root)
    assert time.monotonic() - started < LOAD_BOUND
    reasons = {p.path: p.reason for p in library.problems}
    too_slow = "took too long to parse (over 0.3 s); not read"
    assert reasons["_posts/2021-09-01-plain.md"] == too_slow
    assert reasons["_posts/2021-08-08-inside-link.md"] == too_slow  # the same file, linked
    assert library.post_at("_posts/2021-07-01-script.html") is not None  # the rest is read


class _Markup(HTMLParser):
    """Every attribute, image source and link target of a fragment."""

    def __init__(self) -> None:
        super().__init__()
        self.attributes: list[str] = []
        self.sources: list[str] = []
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            self.attributes.append(name)
            if tag == "img" and name == "src":
                self.sources.append(value or "")
            if name == "href":
                self.hrefs.append(value or "")


def _safe_href(href: str) -> bool:
    return href.startswith(("/", "#", "http://", "https://", "mailto:"))


def test_every_post_renders_inert_offline_html_within_its_budget(
    hostile: tuple[Path, dict[str, Expect]],
) -> None:
    root, cases = hostile
    library = load_cached(root)
    wrong: list[str] = []
    slowest = (0.0, "")
    for post in library.posts:
        expect = cases[post.path]
        body, fmt, _warnings = read_body(root, post.path)
        ctx = RenderContext(root, post.path, library.site.url, library.site.baseurl)
        started = time.monotonic()
        html = render_body(body, fmt, ctx)
        slowest = max(slowest, (time.monotonic() - started, post.path))
        lower, text = html.lower(), html_to_text(html)
        markup = _Markup()
        markup.feed(html)
        wrong += [f"{post.path}: shows no {s!r}" for s in expect.shows if s not in text]
        wrong += [f"{post.path}: has {n!r}" for n in expect.never if n.lower() in lower]
        wrong += [f"{post.path}: has {a!r}" for a in ACTIVE_MARKUP if a.lower() in lower]
        if expect.notice and expect.notice not in html:
            wrong.append(f"{post.path}: no notice {expect.notice!r}")
        wrong += [f"{post.path}: attribute {a}" for a in markup.attributes if a.startswith("on")]
        wrong += [
            f"{post.path}: image {s}" for s in markup.sources if not s.startswith("postasset:/")
        ]
        wrong += [f"{post.path}: link {h}" for h in markup.hrefs if not _safe_href(h)]
        if max_nesting(html) > (32, 4):
            wrong.append(f"{post.path}: nested {max_nesting(html)}")
        # What Qt lays out: text with nothing between it but inline tags (conservatively: any).
        runs = htmllib.unescape(re.sub(r"<[^>]*>", "", html)).replace(ZWSP, " ").split()
        if runs and max(map(len, runs)) > LONG_RUN_CHARS + 1000:
            wrong.append(f"{post.path}: a run of {max(map(len, runs))} characters for Qt")
    assert not wrong, "\n".join(wrong)
    assert slowest[0] < POST_BOUND, slowest


def test_cli_problems_prints_each_problem_with_its_reason(
    hostile: tuple[Path, dict[str, Expect]],
    deny_unreadable: None,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from reader.cli import main

    root, cases = hostile
    assert main(["problems", str(root)]) == 0
    lines = capsys.readouterr().out.splitlines()
    problems = {path: e for path, e in cases.items() if e.kind == PROBLEM}
    assert len(lines) == len(problems)
    for path, expect in problems.items():
        prefix = problem_line(Problem(path, ""))  # "path: ", control characters escaped
        assert [x for x in lines if x.startswith(prefix) and expect.reason in x], (path, lines)
    assert main(["problems", str(root), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["path"] for r in rows} == set(problems)


# --- the window -------------------------------------------------------------------------------


class _ResourceAudit:
    """Every resource the reading pane is asked for, and what it answered."""

    def __init__(self) -> None:
        self.requests: list[tuple[int, str, object]] = []

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        original = ReadingPane.loadResource

        def audited(pane: ReadingPane, kind: int, url: QUrl) -> object:
            result = original(pane, kind, url)
            self.requests.append((int(kind), QUrl(url).toString(), result))
            return result

        monkeypatch.setattr(ReadingPane, "loadResource", audited)

    def images(self) -> list[tuple[str, QImage]]:
        return [(u, r) for _k, u, r in self.requests if isinstance(r, QImage)]


def _is_placeholder(image: QImage) -> bool:
    return image.width() == 1 and image.height() == 1 and image.pixelColor(0, 0).alpha() == 0


def _count_pixels(window: MainWindow, predicate: Callable[[int, int, int], bool]) -> int:
    image = window.pane.viewport().grab().toImage()
    count = 0
    for x in range(0, image.width(), 2):
        for y in range(0, image.height(), 2):
            c = image.pixelColor(x, y)
            count += predicate(c.red(), c.green(), c.blue())
    return count


def _words(text: str) -> str:
    return " ".join(text.replace("\x00", " ").split())


def _open_timed(window: MainWindow, qapp: QApplication, path: str) -> float:
    started = time.monotonic()
    window.open_post(path)
    qapp.processEvents()
    window.pane.viewport().repaint()  # layout and paint happen here, not in open_post
    return time.monotonic() - started


def test_window_opens_every_post_offline_without_freezing(
    hostile: tuple[Path, dict[str, Expect]],
    make_window: WindowFactory,
    qapp: QApplication,
    monkeypatch: pytest.MonkeyPatch,
    deny_unreadable: None,
    no_background_indexing: None,
) -> None:
    root, cases = hostile
    audit = _ResourceAudit()
    audit.install(monkeypatch)
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    window = make_window(root)
    library = window.library
    assert library is not None
    posts = [path for path, e in cases.items() if e.kind == POST]
    assert sorted(p.path for p in library.posts) == sorted(posts)
    problems = window.nav.model.index_of_key(NodeKind.PROBLEMS.value)
    assert window.nav.model.rowCount(problems) == sum(e.kind == PROBLEM for e in cases.values())

    times: dict[str, float] = {}
    wrong: list[str] = []
    for path in posts:
        times[path] = _open_timed(window, qapp, path)
        text = window.pane.toPlainText()
        if SECRET in text or PASSWD_TEXT in text:
            wrong.append(f"{path}: shows text from outside the folder")
        expect = cases[path]
        if expect.title is not None and _words(expect.title) not in _words(text):
            wrong.append(f"{path}: title {expect.title!r} not shown")
        wrong += [f"{path}: {s!r} not shown" for s in expect.shows if s not in text]
    assert not wrong, "\n".join(wrong)
    slowest = max(times, key=times.__getitem__)
    assert times[slowest] < POST_BOUND, f"{slowest} took {times[slowest]:.1f} s"

    # The pane was only ever asked for images, all at postasset: addresses; what it loaded is
    # inside the folder, and everything it refused got a placeholder, never None (for None Qt
    # would read the file itself).
    assert audit.requests, "the audit saw nothing: it is not wired to the pane"
    assert {kind for kind, _url, _r in audit.requests} == {
        QTextDocument.ResourceType.ImageResource.value
    }
    assert all(url.startswith("postasset:/") for _k, url, _r in audit.requests), audit.requests
    assert all(result is not None for _k, _url, result in audit.requests)
    loaded = {url for url, image in audit.images() if not _is_placeholder(image)}
    assert loaded == {"postasset:/assets/ok.png", "postasset:/assets/ok.svg"}
    refused = {url for url, image in audit.images() if _is_placeholder(image)}
    assert {"postasset:/assets/evil.svg", "postasset:/assets/deep.svg"} <= refused
    assert opened == []  # opening posts never opened anything else


def test_pane_shows_nothing_from_outside_the_folder(
    hostile: tuple[Path, dict[str, Expect]],
    make_window: WindowFactory,
    qapp: QApplication,
    no_background_indexing: None,
) -> None:
    root, _cases = hostile
    outside = outside_of(root)
    window = make_window(root)
    red = lambda *rgb: rgb == (255, 0, 0)  # noqa: E731 - the secret image
    blue = lambda *rgb: rgb == (0, 0, 255)  # noqa: E731 - assets/ok.svg

    # Images that reach outside (a symlink, SVGs referring to files) show nothing of it.
    _open_timed(window, qapp, "_posts/2021-07-25-images-reaching-out.md")
    assert _count_pixels(window, blue) > 0  # the good SVG is drawn: the check can see images
    assert _count_pixels(window, red) == 0

    # Markup handed to the pane directly, past the renderer: the pane still refuses to read.
    secret_png = outside / "secret.png"
    window.pane.show_html(
        f'<p><img src="file://{secret_png}" width="60" height="60">'
        f'<img src="{secret_png}" width="60" height="60">'
        f'<img src="postasset:/../{outside.name}/secret.png" width="60" height="60">'
        f'<img src="postasset:/assets/link-out.png" width="60" height="60">'
        f'<img src="postasset:/assets/fifo.png" width="60" height="60">'
        f'<img src="postasset:/assets/zero.png" width="60" height="60"></p>'
    )
    qapp.processEvents()
    assert _count_pixels(window, red) == 0
    for url in (
        "file:///etc/passwd",
        f"file://{outside / 'secret.txt'}",
        f"../../{outside.name}/secret.png",
        f"postasset:/../../{outside.name}/secret.png",
        "postasset:///etc/passwd",
        "postasset:/assets/link-out.png",
        "postasset:/assets/fifo.png",
        "postasset:/assets/zero.png",
        "http://tracker.invalid/pixel.gif",
    ):
        result = window.pane.loadResource(QTextDocument.ResourceType.ImageResource.value, QUrl(url))
        assert isinstance(result, QImage) and _is_placeholder(result), url
    style = window.pane.loadResource(
        QTextDocument.ResourceType.StyleSheetResource.value, QUrl("file:///etc/passwd")
    )
    assert PASSWD_TEXT.encode() not in bytes(style)  # type: ignore[call-overload]


def test_problem_nodes_read_path_and_reason_and_open_their_folder(
    hostile: tuple[Path, dict[str, Expect]],
    make_window: WindowFactory,
    monkeypatch: pytest.MonkeyPatch,
    qapp: QApplication,
    no_background_indexing: None,
) -> None:
    from PySide6.QtWidgets import QStyleOptionViewItem

    root, _cases = hostile
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    window = make_window(root)
    nav = window.nav
    problems = nav.model.index_of_key(NodeKind.PROBLEMS.value)
    rows = [nav.model.index(r, 0, problems) for r in range(nav.model.rowCount(problems))]
    fifo = next(i for i in rows if "fifo" in str(i.data()))
    option = QStyleOptionViewItem()
    nav.tree.itemDelegate().initStyleOption(option, fifo)
    assert option.text == "_posts/2021-08-01-fifo.md: a FIFO (named pipe), not a file; never opened"

    assert nav.problem_menu(nav.model.index_of_key(NodeKind.ALL.value)) is None
    menu = nav.problem_menu(fifo)
    assert menu is not None
    actions = {a.text(): a for a in menu.actions()}
    assert set(actions) == {"Open Containing Folder", "Copy Path and Reason"}
    actions["Open Containing Folder"].trigger()
    assert opened == [QUrl.fromLocalFile(str(root / "_posts"))]
    actions["Copy Path and Reason"].trigger()
    assert QApplication.clipboard().text() == option.text


def test_links_and_active_content_do_nothing(
    hostile: tuple[Path, dict[str, Expect]],
    make_window: WindowFactory,
    monkeypatch: pytest.MonkeyPatch,
    qapp: QApplication,
    qtbot: QtBot,
    no_background_indexing: None,
) -> None:
    """Scripts, event attributes, javascript:/vbscript:/data: links and meta refresh: the pane
    holds no such link, clicking every link it does hold only opens web pages in the browser
    (or posts here), and nothing navigates by itself."""
    root, cases = hostile
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    window = make_window(root)
    internal: list[str] = []
    window.pane.post_link_activated.connect(internal.append)
    attacks = [p for p, e in cases.items() if e.group == "attacks"]
    hrefs: set[str] = set()
    for path in attacks:
        window.open_post(path)
        doc = window.pane.document()
        block = doc.begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                href = it.fragment().charFormat().anchorHref()
                if href and not href.startswith(("pr-category:", "pr-tag:", "pr-action:")):
                    hrefs.add(href)
                it += 1
            block = block.next()
        for href in sorted(hrefs):
            window.pane.on_anchor_clicked(QUrl(href))
        hrefs.clear()
    qtbot.wait(300)  # a meta refresh, were it honoured, would have navigated by now
    assert "stay here" not in window.pane.toPlainText()  # the last post is still the one shown
    assert window.pane.source().isEmpty()
    schemes = {u.scheme() for u in opened}
    assert schemes <= {"http", "https", "mailto"}, opened
    assert "https" in schemes and "mailto" in schemes  # links were clicked, the check can fail
    assert all(not u.host().endswith("passwd") for u in opened)
    assert all(h.startswith("/") or h.startswith("#") for h in internal), internal


# --- nothing runs -----------------------------------------------------------------------------


@pytest.mark.parametrize("deep", [False, True], ids=["C loader", "pure-Python loader"])
def test_yaml_tags_never_execute(tmp_path: Path, deep: bool) -> None:

    marker = tmp_path / "ran"
    # Over 200 brackets send the text to the pure-Python loader (the C one is used otherwise).
    padding = "# " + "[" * 300 + "\n" if deep else ""
    payloads = {
        "apply": f"title: !!python/object/apply:os.system ['touch {marker}']",
        "open": f"x: !!python/object/apply:builtins.open ['{marker}', 'w']",
        "new": f"x: !!python/object/new:subprocess.Popen [['touch', '{marker}']]",
        "name": "x: !!python/name:os.system",
        "module": "x: !!python/module:os",
        "exec": f'x: !!python/object/apply:builtins.exec [\'open("{marker}", "w")\']',
    }
    for name, payload in payloads.items():
        path = tmp_path / "site" / "_posts" / f"2021-01-01-{name}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"---\n{padding}{payload}\n---\nbody\n", encoding="utf-8")
    library = load_folder(tmp_path / "site")
    assert not library.posts
    assert len(library.problems) == len(payloads)
    assert all("could not determine a constructor" in p.reason for p in library.problems)
    assert not marker.exists()


# --- nothing leaves the machine ---------------------------------------------------------------

_NO_NETWORK_SCRIPT = textwrap.dedent(
    """
    import json, os, socket, sys, time
    from pathlib import Path

    events = []  # anything that could reach another machine
    local = []  # UNIX-domain sockets: the worker processes' pipes to their fork server
    NAMES = ("socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyname_ex",
             "socket.gethostbyaddr", "socket.getnameinfo", "urllib.Request", "http.client.connect", "http.client.send", "ftplib.connect",
             "smtplib.connect", "webbrowser.open")

    def audit(event, args):
        if event in ("socket.connect", "socket.bind", "socket.sendto", "socket.sendmsg"):
            family = getattr(args[0], "family", None)
            (local if family == socket.AF_UNIX else events).append([event, repr(args)[:200]])
        elif event == "socket.__new__":
            if args[1] not in (socket.AF_UNIX, -1):
                events.append([event, repr(args)[:200]])
        elif event in NAMES:
            events.append([event, repr(args)[:200]])
    sys.addaudithook(audit)

    real_connect = socket.socket.connect
    def guarded_connect(self, address):
        if self.family != socket.AF_UNIX:
            events.append(["connect attempted", repr(address)[:200]])
            raise OSError("no network in this test")
        return real_connect(self, address)
    def refuse(*args, **kwargs):
        events.append(["create_connection attempted", repr(args)[:200]])
        raise OSError("no network in this test")
    socket.socket.connect = guarded_connect
    socket.create_connection = refuse

    sys.path.insert(0, sys.argv[2])
    from tests.fixtures.hostile import make_remote_folder
    root = Path(sys.argv[1]) / "site"
    make_remote_folder(root)

    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QDesktopServices
    from PySide6.QtWidgets import QApplication
    app = QApplication([])
    from reader.gui.main_window import MainWindow
    from reader.gui.settings import AppSettings
    from reader.gui.widgets.reading_pane import ReadingPane

    requested = []
    original = ReadingPane.loadResource
    def audited(pane, kind, url):
        requested.append(QUrl(url).toString())
        return original(pane, kind, url)
    ReadingPane.loadResource = audited
    QDesktopServices.openUrl = lambda url: events.append(["openUrl", url.toString()])

    window = MainWindow(AppSettings(Path(sys.argv[1]) / "settings.ini"))
    window.resize(1000, 700)
    window.show()
    done = []
    window.folder_loaded.connect(lambda *a: done.append(1))
    window.open_folder(root)
    deadline = time.monotonic() + 60
    while not done and time.monotonic() < deadline:
        app.processEvents()
    if window.library is None:
        print("the folder did not load", file=sys.stderr, flush=True)
        os._exit(1)
    posts = [p.path for p in window.library.posts]
    for path in posts:
        window.open_post(path)
        app.processEvents()
        window.pane.viewport().repaint()
    # Let the search index finish too: it reads every post.
    deadline = time.monotonic() + 30
    while window.session.indexer.running and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    print(json.dumps({
        "posts": len(posts),
        "events": events,
        "local": len(local),
        "requested": requested,
        "qtnetwork": "PySide6.QtNetwork" in sys.modules,
        "indexed": not window.session.indexer.running,
    }), flush=True)
    window.loader.stop()
    os._exit(0)
    """
)


def test_reading_a_folder_of_remote_references_opens_no_connection(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "POST_READER_DATA_DIR": str(tmp_path / "data"),
        "POST_READER_CACHE_DIR": str(tmp_path / "cache"),
        "POST_READER_CONFIG_DIR": str(tmp_path / "config"),
        "POST_READER_LOG_DIR": str(tmp_path / "log"),
    }
    out = subprocess.run(
        [sys.executable, "-c", _NO_NETWORK_SCRIPT, str(tmp_path), str(REPO)],
        capture_output=True,
        text=True,
        timeout=180,
        env=env,
        cwd=tmp_path,
        check=False,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["posts"] >= 20
    assert result["indexed"]
    assert result["events"] == []
    assert not result["qtnetwork"]
    assert result["requested"], "no image was requested: the audit would see nothing"
    assert all(url.startswith("postasset:/") for url in result["requested"])
    assert not any(REMOTE_HOST in url for url in result["requested"])


# --- known gap, owned elsewhere ---------------------------------------------------------------

_INDEXING_SCRIPT = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from reader.core.reading.parse import read_body
    from reader.core.search.index import index_tokens
    from reader.core.search.query import strip_markup
    root = Path(sys.argv[1])
    for path in sys.argv[2:]:
        started = time.monotonic()
        index_tokens(strip_markup(read_body(root, path)[0]))
        print(f"{time.monotonic() - started:.2f} {path}", flush=True)
    """
)
# Bodies on which the search index's markup stripping was found quadratic (each took 6-110 s).
_SLOW_TO_INDEX = (
    "_posts/2021-06-03-links.md",
    "_posts/2021-06-04-autolinks.md",
    "_posts/2021-06-06-backticks.md",
    "_posts/2021-06-09-liquid.md",
)


def test_search_indexing_is_bounded(hostile: tuple[Path, dict[str, Expect]]) -> None:
    root, _cases = hostile
    # In a child process: a regular expression stuck in C cannot be interrupted here.
    try:
        out = subprocess.run(
            [sys.executable, "-c", _INDEXING_SCRIPT, str(root), *_SLOW_TO_INDEX],
            capture_output=True,
            text=True,
            timeout=5,
            cwd=REPO,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"indexing 4 hostile posts took over 5 s: {exc.stdout!r}")
    assert out.returncode == 0, out.stderr

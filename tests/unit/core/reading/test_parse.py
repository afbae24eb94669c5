"""Reading post files: encodings, line ends, front-matter fences, and every kind of bad file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from reader.core.reading.parse import split_front_matter
from tests.conftest import FakeClock, load_folder, write_files

POST_ZH = "---\ntitle: 市场监管新闻\ncategories: 新闻\ntags: 中文 标签\n---\n<p>正文第一段，繁體字與簡體字。</p>\n"


def _one(tmp_path: Path, name: str, content: bytes | str) -> object:
    write_files(tmp_path, {f"_posts/{name}": content})
    lib = load_folder(tmp_path)
    assert len(lib.posts) + len(lib.problems) == 1
    return lib.posts[0] if lib.posts else lib.problems[0]


@pytest.mark.parametrize(
    ("encoding", "prefix", "warning"),
    [
        ("utf-8", b"", None),
        ("utf-8", b"\xef\xbb\xbf", "UTF-8 byte-order mark"),
        ("utf-16-le", b"\xff\xfe", "UTF-16-LE (with a byte-order mark)"),
        ("utf-16-be", b"\xfe\xff", "UTF-16-BE (with a byte-order mark)"),
        ("utf-16-le", b"", "UTF-16-LE without a byte-order mark"),
        ("gb18030", b"", "decoded as GB18030"),
        ("gbk", b"", "decoded as GB18030"),
        ("big5", b"", "decoded as BIG5"),
    ],
)
def test_encodings_load_without_mojibake(
    tmp_path: Path, encoding: str, prefix: bytes, warning: str | None
) -> None:
    text = POST_ZH
    if encoding == "big5":
        text = (
            "---\ntitle: 繁體中文標題\ntags: 臺灣 新聞\n---\n<p>這是一篇以繁體中文撰寫的文章，內容關於臺灣的新聞報導與評論。</p>\n"
            * 1
        )
    post = _one(tmp_path, "2021-12-08-enc.html", prefix + text.encode(encoding))
    assert not hasattr(post, "reason"), post
    expected_title = "繁體中文標題" if encoding == "big5" else "市场监管新闻"
    assert post.title == expected_title  # type: ignore[attr-defined]
    warnings = post.warnings  # type: ignore[attr-defined]
    if warning is None:
        assert warnings == ()
    else:
        assert any(warning in w for w in warnings), warnings


@pytest.mark.parametrize(
    ("content", "warning"),
    [
        ("---\r\ntitle: CRLF\r\n---\r\nbody\r\n", "CRLF"),
        ("---\rtitle: CR\r---\rbody\r", "(CR)"),
        ("\n\n---\ntitle: Blank lines\n---\nbody\n", "blank lines before"),
        ("---\ntitle: Dots\n...\nbody\n", "closed with `...`"),
    ],
)
def test_lenient_front_matter_with_warnings(tmp_path: Path, content: str, warning: str) -> None:
    post = _one(tmp_path, "2021-12-08-x.md", content)
    assert post.title in {"CRLF", "CR", "Blank lines", "Dots"}  # type: ignore[attr-defined]
    assert any(warning in w for w in post.warnings), post.warnings  # type: ignore[attr-defined]


def test_split_front_matter_shapes() -> None:
    assert split_front_matter("---\na: 1\n---\nbody").front_matter == "a: 1\n"
    assert split_front_matter("---\n---\nbody").front_matter == ""
    assert split_front_matter("no front matter").front_matter is None
    assert split_front_matter("---   \na: 1\n---  \nb").body == "b"
    unclosed = split_front_matter("---\na: 1\nbody")
    assert unclosed.front_matter is None and "never closed" in unclosed.warnings[0]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
        ("---\ntitle: [unclosed\n---\nx", "invalid YAML"),
        ("---\ntitle: a\n  bad: indent\n---\nx", "invalid YAML"),
        ("---\n- just\n- a list\n---\nx", "not a mapping"),
        ("---\njust a string\n---\nx", "not a mapping"),
        ("---\n!!python/object/apply:os.system ['echo hi']\n---\nx", "invalid YAML"),
        ("---\n" + "[" * 100_000 + "\n---\nx", "nested too deeply"),
        ("---\n" + "- " * 60_000 + "x\n---\nx", "nested too deeply"),
    ],
)
def test_bad_files_are_problems_with_reasons(
    tmp_path: Path, content: bytes | str, reason: str
) -> None:
    item = _one(tmp_path, "2021-12-08-bad.md", content)
    assert hasattr(item, "reason") and reason in item.reason, item


def test_alias_bomb_is_a_problem_quickly(tmp_path: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 9):
        prev = chr(ord("a") + i - 1)
        cur = chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    lines.append("tags: *i")
    item = _one(tmp_path, "2021-12-08-bomb.md", "---\n" + "\n".join(lines) + "\n---\nx")
    assert hasattr(item, "reason") and "alias bomb" in item.reason


def test_python_tag_never_runs(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    payload = f"---\ntitle: !!python/object/apply:os.system ['touch {marker}']\n---\nx"
    item = _one(tmp_path, "2021-12-08-evil.md", payload)
    assert hasattr(item, "reason")
    assert not marker.exists()


def test_deep_yaml_does_not_kill_the_process(tmp_path: Path) -> None:
    # The C loader would SIGSEGV on this; run in a child so a crash fails the test, not the run.
    write_files(tmp_path, {"_posts/2021-12-08-deep.md": "---\nx: " + "[" * 100_000 + "\n---\n"})
    code = (
        "import sys; from reader.core import open_folder; "
        f"lib = open_folder({str(tmp_path)!r}).load().library; print(len(lib.problems))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "1"


def test_too_large_file_is_a_problem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from reader.core.reading import parse

    monkeypatch.setattr(parse, "MAX_POST_BYTES", 1024)
    item = _one(tmp_path, "2021-12-08-big.md", "---\ntitle: big\n---\n" + "x" * 5000)
    assert hasattr(item, "reason") and "too large" in item.reason


def test_unreadable_file_is_a_problem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # chmod 0 does not stop root (CI runs as root), so refuse the open itself.
    from reader.core.reading import parse

    write_files(
        tmp_path,
        {"_posts/2021-12-08-locked.md": "---\n---\nx", "_posts/2021-12-09-ok.md": "---\n---\ny"},
    )
    real_open = os.open

    def guarded_open(path: object, flags: int, *args: object, **kwargs: object) -> int:
        if str(path).endswith("locked.md"):
            raise PermissionError(13, "Permission denied")
        return real_open(path, flags, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(parse.os, "open", guarded_open)
    lib = load_folder(tmp_path)
    assert [p.reason for p in lib.problems] == ["cannot be opened: Permission denied"]
    assert [p.slug for p in lib.posts] == ["ok"]


def test_wrong_value_types_are_converted_or_dropped(tmp_path: Path) -> None:
    post = _one(
        tmp_path,
        "2021-12-08-types.md",
        "---\ntitle: {a: 1}\ncategories: [1, true, {x: y}, null]\npublished: maybe\n---\n# From body",
    )
    assert post.title == "From body"  # type: ignore[attr-defined]
    assert post.categories == ("1", "true")  # type: ignore[attr-defined]
    assert post.published is True  # type: ignore[attr-defined]
    assert len(post.warnings) >= 4  # type: ignore[attr-defined]


def test_excerpt_from_front_matter_or_first_paragraph(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "_posts/2021-12-08-a.md": "---\nexcerpt: Given *excerpt*\n---\nbody",
            "_posts/2021-12-09-b.md": "---\n---\n\nFirst **para** [link](x).\n\nSecond.",
        },
    )
    by = {p.slug: p for p in load_folder(tmp_path).posts}
    assert by["a"].excerpt == "Given excerpt"
    assert by["b"].excerpt == "First para link."


@pytest.mark.parametrize("in_session", [False, True])
def test_a_file_past_its_deadline_is_a_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_clock: FakeClock, in_session: bool
) -> None:
    from reader.core.post import Problem, SiteConfig
    from reader.core.reading import parse
    from reader.core.reading.scan import scan_folder

    write_files(
        tmp_path,
        {"_posts/2021-12-08-stuck.md": "---\n---\nstuck", "_posts/2021-12-09-ok.md": "---\n---\ny"},
    )
    real_split = parse.decode_and_split

    def stuck_on_one_file(data: bytes) -> parse.Split:
        if data.endswith(b"stuck"):  # stands in for a parser stuck on a pathological input
            fake_clock.stall(parse.PARSE_SECONDS + 1)
        return real_split(data)

    monkeypatch.setattr(parse, "decode_and_split", stuck_on_one_file)
    scan = scan_folder(tmp_path)
    zones = parse.ZoneRules.for_site(SiteConfig())
    items = {}
    with parse.ParseSession(tmp_path) as session:
        for cand in sorted(scan.candidates, key=lambda c: c.path):
            use = session if in_session else None
            items[cand.path] = parse.parse_candidate(tmp_path, cand, scan.site, zones, use)
    stuck, ok = items["_posts/2021-12-08-stuck.md"], items["_posts/2021-12-09-ok.md"]
    assert isinstance(stuck, Problem)
    assert stuck.reason == "took too long to parse (over 10 s); not read"
    assert not isinstance(ok, Problem)  # the next file has a deadline of its own

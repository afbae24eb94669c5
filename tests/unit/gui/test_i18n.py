"""The interface in Chinese and English: the translation loads, covers every string, and the
window's texts follow it; --lang and --theme reach the window."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from reader.core.paths import cache_dir
from reader.gui import i18n
from reader.gui.main_window import MainWindow
from tests.conftest import REPO, SAMPLE_POSTS

TS = REPO / "resources" / "translations" / "post-reader_zh_CN.ts"


@pytest.fixture
def lang(qapp: QApplication) -> Iterator[Callable[[str | None], str]]:
    """Install a language on the test QApplication; everything is taken back out afterwards."""

    def install(value: str | None) -> str:
        return i18n.install_translator(qapp, value)

    yield install
    i18n.uninstall_translators(qapp)


def _ts_messages() -> list[tuple[str, str, ET.Element | None]]:
    root = ET.parse(TS).getroot()
    return [
        (ctx.findtext("name") or "", m.findtext("source") or "", m.find("translation"))
        for ctx in root.iter("context")
        for m in ctx.iter("message")
    ]


def _update_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "update_translations", REPO / "scripts" / "update_translations.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_chinese_menus(
    lang: Callable[[str | None], str], make_window: Callable[..., MainWindow], site: Path
) -> None:
    assert lang("zh_CN") == "zh_CN"
    window = make_window(site)
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles[0].startswith("文件"), titles
    assert "(&F)" in titles[0]
    assert any(t.startswith("帮助") for t in titles), titles
    assert QLocale().language() == QLocale.Language.Chinese
    # Qt's own strings come along (standard buttons, text field menus).
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"


def test_lang_en_keeps_english(
    lang: Callable[[str | None], str], make_window: Callable[..., MainWindow], site: Path
) -> None:
    lang("zh_CN")
    assert lang("en") == "en"  # switching back takes the Chinese translators out again
    window = make_window(site)
    assert window.menuBar().actions()[0].text() == "&File"
    assert QCoreApplication.translate("MainWindow", "&File") == "&File"


def test_every_message_is_translated() -> None:
    messages = _ts_messages()
    assert len(messages) > 100
    bad = []
    for context, source, el in messages:
        text = (el.text or "") if el is not None else ""
        if el is None or el.get("type") in ("unfinished", "vanished", "obsolete"):
            bad.append(f"[{context}] {source!r}: unfinished")
        elif not text.strip():
            bad.append(f"[{context}] {source!r}: empty")
        elif sorted(re.findall(r"\{\w*\}", source)) != sorted(re.findall(r"\{\w*\}", text)):
            bad.append(f"[{context}] {source!r}: placeholders differ in {text!r}")
        elif re.search(r"&\w", source) and not re.search(r"&\w", text):
            bad.append(f"[{context}] {source!r}: mnemonic lost in {text!r}")
    assert not bad, "\n".join(bad)


def test_ts_file_covers_every_tr_string_in_the_code() -> None:
    """A new self.tr("...") in reader/gui must be added to the .ts and translated:
    run `python scripts/update_translations.py`, then fill in the new <translation>s."""
    if i18n.qt_tool("lupdate") is None:
        pytest.skip("lupdate (part of the PySide6 wheel) is not available")
    script = _update_script()
    fresh = script.extract()
    errors = script.check("zh_CN", fresh)
    assert not errors, "\n".join(errors)
    # The contexts are the classes PySide6 looks strings up in, never lupdate's guesses.
    contexts = {m.context for m in fresh}
    assert "" not in contexts and "window" not in contexts
    assert {"MainWindow", "NavTreeModel", "PreferencesDialog"} <= contexts


def test_checkout_compiles_the_ts_into_the_cache(qapp: QApplication) -> None:
    qm = i18n.find_qm("zh_CN")
    assert qm is not None and qm.is_file()
    if not (REPO / "resources" / "translations" / "post-reader_zh_CN.qm").is_file():
        assert qm.parent == cache_dir() / "translations"
    assert i18n.find_qm("zh_CN") == qm  # compiled once, then reused


@pytest.mark.parametrize(
    ("system", "expected"),
    [("zh_CN", "zh_CN"), ("zh_TW", "zh_CN"), ("zh_HK", "zh_CN"), ("en_US", "en"), ("de_DE", "en")],
)
def test_system_locale_chooses_the_language(system: str, expected: str) -> None:
    assert i18n.choose_language(None, QLocale(system)) == expected


def test_lang_names() -> None:
    assert i18n.normalize_language("zh-CN") == "zh_CN"
    assert i18n.normalize_language("zh") == "zh_CN"
    assert i18n.normalize_language("en_GB") == "en"
    with pytest.raises(ValueError):
        i18n.normalize_language("fr")


def test_gui_options_parse() -> None:
    from reader.gui.app import _gui_parser

    args = _gui_parser().parse_args(["some/folder", "--lang", "zh_CN", "--theme", "dark"])
    assert (args.folder, args.lang, args.theme) == ("some/folder", "zh_CN", "dark")
    with pytest.raises(SystemExit):
        _gui_parser().parse_args(["--lang", "fr"])


def test_theme_reaches_the_window(qtbot: QtBot, settings_path: Path) -> None:
    from reader.core.storage.userdata import UserStore
    from reader.gui.app import make_main_window
    from reader.gui.settings import AppSettings

    store = UserStore.open(settings_path.parent / "userdata.sqlite3")
    window = make_main_window(AppSettings(settings_path), store, theme="dark")
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    if hasattr(window, "prefs"):
        assert window.appearance.prefs.theme == "dark"
    window.loader.stop()


@pytest.mark.slow
def test_screenshot_in_chinese(tmp_path: Path) -> None:
    out = tmp_path / "shot.png"
    options = ["--lang", "zh_CN", "--theme", "dark", "--size", "900x600"]
    result = subprocess.run(
        [sys.executable, "-m", "reader", "screenshot", str(SAMPLE_POSTS), str(out), *options],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=REPO,
    )
    assert result.returncode == 0, result.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_interface_language_is_remembered(settings_path: Path) -> None:
    """Issue 14 #7: --lang was gone at the next start, while --theme was kept."""
    from reader.gui.app import startup_language
    from reader.gui.settings import AppSettings

    settings = AppSettings(settings_path)
    assert startup_language(settings, None) is None  # the system's
    assert startup_language(settings, "zh_CN") == "zh_CN"
    assert startup_language(AppSettings(settings_path), None) == "zh_CN"
    settings.set_str("ui/language", "klingon")
    assert startup_language(settings, None) is None


def test_preferences_offer_the_language(
    make_window: Callable[..., MainWindow], site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader.gui.widgets.preferences import PreferencesDialog

    window = make_window(site)
    dialog = PreferencesDialog(window.appearance.prefs, window)
    dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("zh_CN"))
    prefs = dialog.preferences()
    assert prefs.language == "zh_CN"
    window.appearance.save(prefs)
    window.appearance.apply(prefs)
    assert window.settings.str_value("ui/language") == "zh_CN"
    assert "starts again" in window.statusBar().currentMessage()
    assert window.appearance.load().language == "zh_CN"


def test_chinese_interface_translates_post_warnings_and_image_placeholders(
    lang: Callable[[str | None], str], make_window: Callable[..., MainWindow], tmp_path: Path
) -> None:
    from tests.conftest import write_files

    lang("zh_CN")
    site = write_files(
        tmp_path / "w",
        {
            "_config.yml": "timezone: Asia/Shanghai\n",
            "_posts/2021-01-01-a.md": (
                "---\r\ntitle: A\r\ndate: 2021-01-01 10:00:00\r\n---\r\n"
                "![猫](https://img.example.com/cat.png) text\r\n"
            ),
        },
    )
    window = make_window(site)
    window.open_post("_posts/2021-01-01-a.md")
    text = window.pane.toPlainText()
    assert "Windows（CRLF）换行符" in text and "CRLF) line ends" not in text
    assert "[图片] 猫" in text and "[image]" not in text
    assert "没有时区" in text and "has no time zone" not in text
    tooltip = window.list_model.index(0, 1).data(Qt.ItemDataRole.ToolTipRole)
    assert "Windows（CRLF）换行符" in tooltip


def test_unknown_core_warnings_stay_as_they_are() -> None:
    from reader.gui.core_text import translate_warning

    assert translate_warning("something new the core says") == "something new the core says"
    assert translate_warning("`tags` is a int, not a list; read as text").startswith("`tags`")


def test_chinese_shortcuts_list_has_no_menu_markers(
    lang: Callable[[str | None], str], make_window: Callable[..., MainWindow], site: Path
) -> None:
    lang("zh_CN")
    window = make_window(site)
    rows = dict(window.dialogs.shortcut_rows())
    assert "打开文件夹…" in rows
    assert not any("(" in what and "&" in what for what in rows)
    assert not any(what.endswith(")") and what[-3] == "(" for what in rows)

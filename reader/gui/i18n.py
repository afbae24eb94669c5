"""The interface language: English (the source strings) or Simplified Chinese.

The translations are kept as Qt Linguist source, `resources/translations/post-reader_<lang>.ts`
(`scripts/update_translations.py` refreshes it from the `tr()` calls in `reader/gui`). Qt loads
only the compiled `.qm` form, which is never committed:

- a wheel carries `reader/resources/translations/post-reader_<lang>.qm`, compiled at build time
  by `hatch_build.py`;
- a source checkout (or an editable install) compiles the `.ts` with PySide6's `lrelease` into
  the cache folder the first time it is needed, and again whenever the `.ts` changes.

The language is `--lang` if given, else the system's: any Chinese locale gets Simplified
Chinese, everything else English. Qt's own strings (standard dialog buttons, context menus of
text fields) follow through Qt's `qtbase` translations, and `QLocale.setDefault` makes dates
and month names follow the chosen language.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import subprocess
import sys
import tempfile
from importlib import resources
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from reader.core import cache_dir
from reader.resources import resource

log = logging.getLogger(__name__)

LANGUAGES = ("en", "zh_CN")
APP_CATALOG = "post-reader"
LRELEASE_TIMEOUT_S = 60

# What we installed, so a second call (or a test) can take it back out; QTranslator objects
# must also stay referenced while installed, or Python frees them under Qt.
_installed: list[QTranslator] = []
_original_default: QLocale | None = None


def normalize_language(value: str) -> str:
    """'zh_CN', 'zh-CN', 'zh', 'zh_Hans' → 'zh_CN'; 'en', 'en_US', 'C' → 'en'."""
    text = value.strip().replace("-", "_")
    lowered = text.lower()
    if lowered.startswith("zh"):
        return "zh_CN"
    if lowered in ("c", "posix") or lowered.startswith("en"):
        return "en"
    raise ValueError(f"unknown language {value!r}: choose one of {', '.join(LANGUAGES)}")


def choose_language(lang: str | None, system: QLocale | None = None) -> str:
    """`lang` when given; else the system locale's (any Chinese → zh_CN), else English."""
    if lang:
        return normalize_language(lang)
    locale = system if system is not None else QLocale.system()
    if locale.language() == QLocale.Language.Chinese or locale.name().lower().startswith("zh"):
        return "zh_CN"
    return "en"


def qt_tool(name: str) -> Path | None:
    """A Qt tool (`lrelease`, `lupdate`) from the installed PySide6 wheel, else from PATH."""
    exe = name + (".exe" if sys.platform == "win32" else "")
    try:
        import PySide6

        bundled = Path(PySide6.__file__).resolve().parent / exe
        if bundled.is_file() and os.access(bundled, os.X_OK):
            return bundled
    except ImportError:  # pragma: no cover - PySide6 is a dependency
        pass
    for candidate in (f"pyside6-{name}", name, f"{name}-qt6", f"{name}6"):
        found = shutil.which(candidate)
        if found:
            return Path(found)
    return None


def compile_ts(ts: Path, qm: Path, timeout: float = LRELEASE_TIMEOUT_S) -> None:
    """Compile a .ts into a .qm with lrelease (atomically: a reader never sees half a file)."""
    lrelease = qt_tool("lrelease")
    if lrelease is None:
        raise RuntimeError("lrelease was not found (it comes with the PySide6 wheel)")
    qm.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=qm.stem + ".", suffix=".qm.tmp", dir=qm.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        result = subprocess.run(
            [str(lrelease), "-silent", str(ts), "-qm", str(tmp)],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if result.returncode != 0 or tmp.stat().st_size == 0:
            raise RuntimeError(
                f"lrelease failed on {ts} (status {result.returncode}): "
                + (result.stderr or result.stdout).strip()
            )
        os.replace(tmp, qm)
    finally:
        tmp.unlink(missing_ok=True)


def find_qm(lang: str) -> Path | None:
    """Our compiled catalogue for `lang`: the wheel's, else one compiled into the cache."""
    name = f"{APP_CATALOG}_{lang}"
    packaged = resources.files("reader") / "resources" / "translations" / f"{name}.qm"
    if packaged.is_file():  # an installed wheel: built with the package
        return Path(str(packaged))
    ts_res = resource(f"translations/{name}.ts")
    ts = Path(str(ts_res)) if ts_res.is_file() else None
    # A checkout: a .qm made there by hand (pyside6-lrelease) is used while it is up to date.
    beside = resource(f"translations/{name}.qm")
    if beside.is_file():
        built = Path(str(beside))
        if ts is None or ts.stat().st_mtime <= built.stat().st_mtime:
            return built
    if ts is None:
        return None
    digest = hashlib.sha256(ts.read_bytes()).hexdigest()[:16]
    cached = cache_dir() / "translations" / f"{name}-{digest}.qm"
    if cached.is_file() and cached.stat().st_size > 0:
        return cached
    try:
        compile_ts(ts, cached)
    except (OSError, RuntimeError, subprocess.TimeoutExpired) as exc:
        log.warning("the %s interface is not available: %s", lang, exc)
        return None
    for old in cached.parent.glob(f"{name}-*.qm"):  # earlier versions of the .ts
        if old != cached:
            old.unlink(missing_ok=True)
    return cached


def _locale_for(lang: str, explicit: bool) -> QLocale:
    """Dates follow the interface language; the system's own variant is kept when it matches
    (en_GB stays en_GB), and without --lang the system locale is kept as it is."""
    system = QLocale.system()
    if not explicit or choose_language(None, system) == lang:
        return system
    return QLocale(lang if lang != "en" else "en_US")


def uninstall_translators(app: QCoreApplication | None = None) -> None:
    """Remove what install_translator installed and restore the default locale (tests)."""
    app = app or QCoreApplication.instance()
    while _installed:
        translator = _installed.pop()
        if app is not None:
            app.removeTranslator(translator)
    if _original_default is not None:
        QLocale.setDefault(_original_default)


def install_translator(app: QCoreApplication | object, lang: str | None) -> str:
    """Install the interface translation for `lang` (None: the system's); returns 'en' or
    'zh_CN'. Call before the window is created: texts are translated when widgets are built."""
    global _original_default
    assert isinstance(app, QCoreApplication)
    chosen = choose_language(lang)
    if _original_default is None:
        _original_default = QLocale()
    uninstall_translators(app)
    locale = _locale_for(chosen, explicit=bool(lang))
    QLocale.setDefault(locale)
    if chosen == "en":
        return chosen  # the source strings are English
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    qt_translator = QTranslator(app)
    if qt_translator.load(QLocale(chosen), "qtbase", "_", qt_dir):
        app.installTranslator(qt_translator)
        _installed.append(qt_translator)
    else:
        log.info("Qt's own %s translation was not found in %s", chosen, qt_dir)
    qm = find_qm(chosen)
    ours = QTranslator(app)
    if qm is not None and ours.load(str(qm)):
        app.installTranslator(ours)
        _installed.append(ours)
    else:
        log.warning(
            "could not load the %s translation (%s); the interface stays English", chosen, qm
        )
    return chosen

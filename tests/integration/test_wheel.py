"""The wheel works on its own: built from this checkout, installed into a fresh virtual
environment with its dependencies from the package index, run from outside the checkout.

It checks what only a real install shows: the resources and sample posts are inside the
package, the translations were compiled by the build hook (hatch_build.py), and the commands
start without the checkout on sys.path. Slow (it installs PySide6 into the new environment;
pip's cache and any configured --find-links are used). Set POST_READER_WHEELHOUSE to a folder
of wheels to install from it as well. Skipped only when the index cannot be reached and the
install fails for that reason.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import venv
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.slow

BUILD_TIMEOUT_S = 600
INSTALL_TIMEOUT_S = 1200
RUN_TIMEOUT_S = 300


def _run(
    cmd: list[str], *, timeout: float, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        cmd, capture_output=True, text=True, timeout=timeout, cwd=cwd, env=env, check=False
    )


def _index_reachable() -> bool:
    url = os.environ.get("PIP_INDEX_URL", "https://pypi.org/simple")
    parsed = urlparse(url)
    if parsed.scheme == "file":
        return True
    host = parsed.hostname or "pypi.org"
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    try:
        with socket.create_connection((host, port), timeout=5):
            return True
    except OSError:
        return False


def _failed(what: str, result: subprocess.CompletedProcess[str]) -> str:
    return f"{what} failed ({result.returncode}):\n{result.stdout[-3000:]}\n{result.stderr[-5000:]}"


def _skip_or_fail(what: str, result: subprocess.CompletedProcess[str]) -> None:
    if not _index_reachable():
        pytest.skip(f"{what} needs the package index, which cannot be reached (no network)")
    pytest.fail(_failed(what, result))


def _bindir(env_dir: Path) -> Path:
    return env_dir / ("Scripts" if sys.platform == "win32" else "bin")


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A fresh virtual environment with the wheel of this checkout installed; its bin folder."""
    base = tmp_path_factory.mktemp("wheel")
    dist = base / "dist"
    if _run([sys.executable, "-c", "import build"], timeout=60, cwd=base).returncode == 0:
        cmd = [sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(REPO)]
    else:
        cmd = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(dist), str(REPO)]
    result = _run(cmd, timeout=BUILD_TIMEOUT_S, cwd=base)
    if result.returncode != 0:
        _skip_or_fail("building the wheel", result)
    wheels = sorted(dist.glob("post_reader-*.whl"))
    assert len(wheels) == 1, wheels

    env_dir = base / "venv"
    venv.EnvBuilder(with_pip=True, clear=True).create(env_dir)
    python = _bindir(env_dir) / ("python.exe" if sys.platform == "win32" else "python")
    install = [str(python), "-m", "pip", "install", "--disable-pip-version-check"]
    wheelhouse = os.environ.get("POST_READER_WHEELHOUSE")
    if wheelhouse:
        install += ["--find-links", wheelhouse]
    result = _run([*install, str(wheels[0])], timeout=INSTALL_TIMEOUT_S, cwd=base)
    if result.returncode != 0:
        _skip_or_fail("installing the wheel", result)
    yield _bindir(env_dir)


@pytest.fixture
def outside(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A working folder outside the checkout and an environment that cannot see the checkout."""
    env = {
        k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")
    }
    env["QT_QPA_PLATFORM"] = "offscreen"
    for name in ("DATA", "CACHE", "CONFIG", "LOG"):
        env[f"POST_READER_{name}_DIR"] = str(tmp_path / "user" / name.lower())
    work = tmp_path / "work"
    work.mkdir()
    assert REPO not in work.parents
    return work, env


def _package_dir(bindir: Path, work: Path, env: dict[str, str]) -> Path:
    code = "import json, reader, sys; print(json.dumps([reader.__file__, sys.path]))"
    result = _run([str(bindir / "python"), "-c", code], timeout=RUN_TIMEOUT_S, cwd=work, env=env)
    assert result.returncode == 0, result.stderr
    init, path = json.loads(result.stdout)
    package = Path(init).parent
    assert REPO not in package.parents, f"reader imported from the checkout: {package}"
    assert str(REPO) not in path
    return package


def test_package_contents(installed: Path, outside: tuple[Path, dict[str, str]]) -> None:
    work, env = outside
    package = _package_dir(installed, work, env)
    res = package / "resources"
    for rel in (
        "reading.css",
        "post-reader.desktop",
        "icons/post-reader.svg",
        "translations/post-reader_zh_CN.qm",
    ):
        assert (res / rel).is_file(), f"{rel} is missing from the installed package"
    assert (res / "translations/post-reader_zh_CN.qm").stat().st_size > 1000
    samples = package / "sample_posts"
    assert samples.is_dir() and any(samples.rglob("*.md"))


def test_translation_is_the_built_one(
    installed: Path, outside: tuple[Path, dict[str, str]]
) -> None:
    work, env = outside
    code = (
        "from PySide6.QtCore import QCoreApplication\n"
        "app = QCoreApplication([])\n"
        "from reader.gui.i18n import find_qm, install_translator\n"
        "print(install_translator(app, 'zh_CN'))\n"
        "print(find_qm('zh_CN'))\n"
        "print(QCoreApplication.translate('MainWindow', '&File'))\n"
    )
    result = _run([str(installed / "python"), "-c", code], timeout=RUN_TIMEOUT_S, cwd=work, env=env)
    assert result.returncode == 0, result.stderr
    lang, qm, file_menu = result.stdout.strip().splitlines()
    assert lang == "zh_CN"
    assert Path(qm).name == "post-reader_zh_CN.qm" and "site-packages" in Path(qm).parts
    assert file_menu == "文件(&F)"
    # Nothing had to be compiled at run time.
    assert not (Path(env["POST_READER_CACHE_DIR"]) / "translations").exists()


def test_screenshot_in_chinese(installed: Path, outside: tuple[Path, dict[str, str]]) -> None:
    work, env = outside
    samples = _package_dir(installed, work, env) / "sample_posts"
    out = work / "shot.png"
    result = _run(
        [str(installed / "post-reader"), "screenshot", str(samples), str(out), "--lang", "zh_CN"],
        timeout=RUN_TIMEOUT_S,
        cwd=work,
        env=env,
    )
    assert result.returncode == 0, _failed("post-reader screenshot", result)
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000


def test_list_from_outside_the_checkout(
    installed: Path, outside: tuple[Path, dict[str, str]]
) -> None:
    work, env = outside
    samples = _package_dir(installed, work, env) / "sample_posts"
    result = _run(
        [str(installed / "post-reader"), "list", str(samples), "--json"],
        timeout=RUN_TIMEOUT_S,
        cwd=work,
        env=env,
    )
    assert result.returncode == 0, _failed("post-reader list", result)
    posts = json.loads(result.stdout)
    assert len(posts) > 10 and all(p["title"] for p in posts)


def test_install_desktop_entry(installed: Path, outside: tuple[Path, dict[str, str]]) -> None:
    work, env = outside
    env = {**env, "XDG_DATA_HOME": str(work / "share")}
    result = _run(
        [str(installed / "post-reader"), "--install-desktop-entry"],
        timeout=RUN_TIMEOUT_S,
        cwd=work,
        env=env,
    )
    assert result.returncode == 0, _failed("post-reader --install-desktop-entry", result)
    desktop = work / "share" / "applications" / "post-reader.desktop"
    exec_line = next(x for x in desktop.read_text().splitlines() if x.startswith("Exec="))
    assert exec_line == f"Exec={installed / 'post-reader'} %f"
    assert (work / "share/icons/hicolor/scalable/apps/post-reader.svg").is_file()

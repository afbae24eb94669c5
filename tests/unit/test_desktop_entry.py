"""`post-reader --install-desktop-entry`: the .desktop file and the icon, under XDG_DATA_HOME."""

from __future__ import annotations

import configparser
import os
import subprocess
import sys
from pathlib import Path

import pytest

from reader import desktop_entry
from reader.resources import read_bytes
from tests.conftest import REPO


def _entry(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]


def test_installs_into_xdg_data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    paths = desktop_entry.install_desktop_entry()
    desktop = tmp_path / "share" / "applications" / "post-reader.desktop"
    icon = tmp_path / "share" / "icons" / "hicolor" / "scalable" / "apps" / "post-reader.svg"
    assert paths == [desktop, icon]
    assert icon.read_bytes() == read_bytes("icons/post-reader.svg")
    entry = _entry(desktop)
    assert entry["Type"] == "Application"
    assert entry["Icon"] == "post-reader"
    assert entry["Name[zh_CN]"] == "文章阅读器"
    # Not a folder opener: declaring inode/directory could make it the default one.
    assert "MimeType" not in entry
    program, arg = entry["Exec"].rsplit(" ", 1)
    assert arg == "%f"
    assert program == "post-reader" or Path(program.strip('"')).is_absolute()


def test_without_xdg_data_home_uses_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    paths = desktop_entry.install_desktop_entry(home=tmp_path)
    assert paths[0] == tmp_path / ".local/share/applications/post-reader.desktop"
    assert all(p.is_file() for p in paths)


def test_exec_is_the_absolute_command(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    bindir = tmp_path / "my bin"
    bindir.mkdir()
    script = bindir / "post-reader"
    script.write_text("#!/bin/sh\n")
    script.chmod(0o755)
    monkeypatch.setattr(sys, "executable", str(bindir / "python"))
    assert desktop_entry.command_path() == str(script)
    text = desktop_entry.desktop_file_text(desktop_entry.command_path())
    assert f'Exec="{script}" %f' in text.splitlines()


def test_command_line(tmp_path: Path) -> None:
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "share")}
    result = subprocess.run(
        [sys.executable, "-m", "reader", "--install-desktop-entry"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert "post-reader.desktop" in result.stdout
    assert (tmp_path / "share" / "applications" / "post-reader.desktop").is_file()

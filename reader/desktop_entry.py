"""`post-reader --install-desktop-entry`: put Post Reader in the desktop's application menu.

Installs, for the current user (no root needed), following the XDG base directory rules:

- `$XDG_DATA_HOME/applications/post-reader.desktop` (default `~/.local/share/...`), with `Exec`
  set to the absolute path of the `post-reader` command when it can be found, so the menu entry
  works even when the command's folder (a virtual environment, `~/.local/bin`) is not on the
  desktop session's PATH;
- `$XDG_DATA_HOME/icons/hicolor/scalable/apps/post-reader.svg`.

Then it refreshes the menu's cache with `update-desktop-database` when that exists. Qt-free.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

from reader.resources import read_bytes, read_text

APP_ID = "post-reader"


def data_home(home: Path | None = None) -> Path:
    """$XDG_DATA_HOME, else HOME/.local/share (`home` overrides HOME)."""
    xdg = os.environ.get("XDG_DATA_HOME", "").strip()
    if xdg and Path(xdg).is_absolute():
        return Path(xdg)
    return (home if home is not None else Path.home()) / ".local" / "share"


def command_path() -> str:
    """The installed `post-reader` script: beside this Python first (a venv, pipx), then PATH."""
    scripts = Path(sys.executable).parent
    for name in (APP_ID, f"{APP_ID}.exe"):
        beside = scripts / name
        if beside.is_file() and os.access(beside, os.X_OK):
            return str(beside.absolute())
    found = shutil.which(APP_ID)
    return str(Path(found).absolute()) if found else APP_ID


def _quote_exec(path: str) -> str:
    """A program path as the Desktop Entry spec wants it in Exec (quoted when needed)."""
    if not any(c in path for c in " \t\n\"'\\><~|&;$*?#()`"):
        return path
    escaped = path.replace("\\", "\\\\").replace('"', '\\"').replace("`", "\\`").replace("$", "\\$")
    return f'"{escaped}"'


def desktop_file_text(command: str) -> str:
    """resources/post-reader.desktop with Exec pointing at `command`."""
    lines = []
    for line in read_text(f"{APP_ID}.desktop").splitlines():
        if line.startswith("Exec="):
            args = line.split("=", 1)[1].split(None, 1)
            line = "Exec=" + " ".join([_quote_exec(command), *args[1:]])
        elif line.startswith("TryExec="):
            continue
        lines.append(line)
    return "\n".join(lines) + "\n"


def install_desktop_entry(home: Path | None = None) -> list[Path]:
    """Install the .desktop file and the icon for this user; returns the files written."""
    share = data_home(home)
    desktop = share / "applications" / f"{APP_ID}.desktop"
    icon = share / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"
    desktop.parent.mkdir(parents=True, exist_ok=True)
    icon.parent.mkdir(parents=True, exist_ok=True)
    desktop.write_text(desktop_file_text(command_path()), encoding="utf-8")
    icon.write_bytes(read_bytes(f"icons/{APP_ID}.svg"))
    _refresh_caches(share)
    return [desktop, icon]


def _refresh_caches(share: Path) -> None:
    """Tell the desktop about the new entry; quietly skipped where the tools are missing."""
    hicolor = share / "icons" / "hicolor"
    commands = [["update-desktop-database", "-q", str(share / "applications")]]
    if (hicolor / "icon-theme.cache").is_file():  # a stale cache would hide the new icon
        commands.append(["gtk-update-icon-cache", "-q", "-t", "-f", str(hicolor)])
    for cmd in commands:
        if shutil.which(cmd[0]) is None:
            continue
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            subprocess.run(cmd, capture_output=True, timeout=30, check=False)


def main() -> int:
    if not sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        print(
            "post-reader: error: --install-desktop-entry is for Linux and BSD desktops",
            file=sys.stderr,
        )
        return 2
    try:
        paths = install_desktop_entry()
    except OSError as exc:
        print(f"post-reader: error: could not install the desktop entry: {exc}", file=sys.stderr)
        return 1
    for path in paths:
        print(f"installed {path}")
    print("Post Reader is now in the application menu (log out and in if it does not show yet).")
    return 0

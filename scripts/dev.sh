#!/usr/bin/env bash
# One entry point for a fresh Debian/Ubuntu machine:
#   bash scripts/dev.sh run [FOLDER]   install what is missing, then start the window
#   bash scripts/dev.sh test [ARGS]    install what is missing, then run the whole test suite
#   bash scripts/dev.sh setup          only install
# System packages are installed with apt-get when running as root; otherwise the exact
# `sudo apt-get install ...` line is printed and the script stops.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
VENV="${POST_READER_VENV:-$here/.venv}"
PY="${PYTHON:-python3}"

# Qt's xcb/offscreen platform plugins, Xvfb for screenshots, and a CJK font (without one every
# Chinese character is drawn as a box).
APT_PACKAGES=(libegl1 libgl1 libx11-6 libdbus-1-3 libfontconfig1 libfreetype6 libglib2.0-0
  libxkbcommon0 xvfb xauth libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
  libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xkb1 libxkbcommon-x11-0
  fonts-wqy-microhei)

need_apt() {
  local missing=()
  if command -v dpkg-query >/dev/null 2>&1; then
    for p in "${APT_PACKAGES[@]}"; do
      dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    if ! "$PY" -c 'import venv, ensurepip' >/dev/null 2>&1; then
      missing+=(python3-venv)
    fi
  fi
  if ((${#missing[@]})); then
    if [ "$(id -u)" = 0 ]; then
      echo "Installing system packages: ${missing[*]}"
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    else
      echo "Post Reader needs these system packages. Run:" >&2
      echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
      exit 1
    fi
  fi
}

need_venv() {
  local stamp="$VENV/.installed"
  if [ ! -x "$VENV/bin/python" ]; then
    "$PY" -m venv "$VENV"
  fi
  if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    "$VENV/bin/python" -m pip install -q --upgrade pip
    "$VENV/bin/python" -m pip install -q -e ".[test]"
    touch "$stamp"
  fi
}

cmd="${1:-run}"
shift || true
case "$cmd" in
  setup)
    need_apt; need_venv ;;
  run)
    need_apt; need_venv
    if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
      echo "No display found: starting the window under Xvfb (xvfb-run)." >&2
      exec xvfb-run -a -s "-screen 0 1280x800x24" "$VENV/bin/post-reader" "$@"
    fi
    exec "$VENV/bin/post-reader" "$@" ;;
  test)
    need_apt; need_venv
    export QT_QPA_PLATFORM=offscreen
    exec "$VENV/bin/python" -m pytest "$@" ;;
  *)
    echo "usage: bash scripts/dev.sh run [FOLDER] | test [PYTEST-ARGS] | setup" >&2
    exit 2 ;;
esac

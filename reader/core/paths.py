"""Where Post Reader keeps its own files: user data, cache, settings and logs.

platformdirs gives each platform's usual folders; environment variables override them (tests,
portable installs): POST_READER_DATA_DIR, POST_READER_CACHE_DIR, POST_READER_CONFIG_DIR,
POST_READER_LOG_DIR. Nothing is ever written into an opened posts folder.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "post-reader"


def _dir(env: str, default: str) -> Path:
    value = os.environ.get(env)
    return Path(value).expanduser() if value else Path(default)


def data_dir() -> Path:
    """Bookmarks, read state, reading positions (the user's data: back this up)."""
    return _dir("POST_READER_DATA_DIR", platformdirs.user_data_dir(APP_NAME, appauthor=False))


def cache_dir() -> Path:
    """Index caches and full-text indexes (safe to delete; rebuilt on demand)."""
    return _dir("POST_READER_CACHE_DIR", platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    """Window settings and preferences."""
    return _dir("POST_READER_CONFIG_DIR", platformdirs.user_config_dir(APP_NAME, appauthor=False))


def log_dir() -> Path:
    """The log file, with tracebacks of unexpected errors."""
    return _dir("POST_READER_LOG_DIR", platformdirs.user_log_dir(APP_NAME, appauthor=False))

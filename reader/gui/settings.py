"""AppSettings: the window's remembered state (geometry, splitters, zoom, recent folders,
selected post) in an INI file under the user config folder (POST_READER_CONFIG_DIR overrides)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from reader.core import config_dir

MAX_RECENT = 10


class AppSettings:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path or config_dir() / "settings.ini"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._s = QSettings(str(self.path), QSettings.Format.IniFormat)

    def sync(self) -> None:
        self._s.sync()

    def _get(self, key: str, default: object = None) -> object:
        return self._s.value(key, default)

    def _set(self, key: str, value: object) -> None:
        self._s.setValue(key, value)
        self._s.sync()

    # --- folders ------------------------------------------------------------------------------

    @property
    def last_folder(self) -> str | None:
        value = self._get("folders/last")
        return str(value) if value else None

    def remember_folder(self, folder: Path) -> None:
        text = str(folder)
        recent = [f for f in self.recent_folders() if f != text]
        recent.insert(0, text)
        self._s.setValue("folders/recent", recent[:MAX_RECENT])
        self._set("folders/last", text)

    def recent_folders(self) -> list[str]:
        value = self._get("folders/recent", [])
        if isinstance(value, str):
            return [value]
        return [str(v) for v in value] if isinstance(value, list) else []

    def clear_recent(self) -> None:
        self._set("folders/recent", [])

    # --- window -------------------------------------------------------------------------------

    def bytes_value(self, key: str) -> QByteArray | None:
        value = self._get(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def set_bytes(self, key: str, value: QByteArray) -> None:
        self._set(key, value)

    def int_value(self, key: str, default: int) -> int:
        try:
            return int(str(self._get(key, default)))
        except ValueError:
            return default

    def set_int(self, key: str, value: int) -> None:
        self._set(key, value)

    def str_value(self, key: str, default: str = "") -> str:
        value = self._get(key, default)
        return str(value) if value is not None else default

    def set_str(self, key: str, value: str) -> None:
        self._set(key, value)

    # --- per folder ---------------------------------------------------------------------------

    def naive_times_in_site_zone(self, folder: Path) -> bool:
        """Whether `folder`'s times written without an offset are read in its site's zone."""
        return str(folder) in self._str_list("folders/naive_times_in_site_zone")

    def set_naive_times_in_site_zone(self, folder: Path, on: bool) -> None:
        key = "folders/naive_times_in_site_zone"
        folders = [f for f in self._str_list(key) if f != str(folder)]
        self._set(key, [*folders, str(folder)] if on else folders)

    def _str_list(self, key: str) -> list[str]:
        value = self._get(key, [])
        if isinstance(value, str):
            return [value] if value else []
        return [str(v) for v in value] if isinstance(value, list) else []

    def bool_value(self, key: str, default: bool) -> bool:
        value = self._get(key, default)
        if isinstance(value, bool):
            return value
        return str(value).lower() in ("true", "1", "yes")

    def set_bool(self, key: str, value: bool) -> None:
        self._set(key, value)

"""Fixtures of the duplicate finder's tests."""

from __future__ import annotations

import pytest

from reader.core.duplicates import fingerprint as fingerprint_module


@pytest.fixture
def fingerprinted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The bodies fingerprinted from now on (as `text_fingerprint` calls)."""
    calls: list[str] = []
    real = fingerprint_module.text_fingerprint

    def counting(text: str) -> fingerprint_module.Fingerprint | None:
        calls.append(text)
        return real(text)

    monkeypatch.setattr(fingerprint_module, "text_fingerprint", counting)
    return calls

"""Bytes to text: byte-order marks, UTF-16/32, legacy Chinese encodings, line ends.

Everything that was not plain UTF-8 with LF line ends is reported as a warning, so the reader can
say what was off instead of silently showing mojibake.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from charset_normalizer import from_bytes


class NotText(ValueError):
    """The bytes are not text in any encoding we can recognise."""


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str
    warnings: tuple[str, ...]


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Detector names that are subsets of GB18030: decoding with the superset never loses characters.
_GB_FAMILY = {"gb2312", "gbk", "cp936", "hz", "gb18030"}
_SAMPLE = 64 * 1024


def _guess_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: ASCII-range text has every other byte zero."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even_zero = sample[0::2].count(0)
    odd_zero = sample[1::2].count(0)
    half = len(sample) // 2
    if odd_zero > half * 0.4 and even_zero < half * 0.05:
        return "utf-16-le"
    if even_zero > half * 0.4 and odd_zero < half * 0.05:
        return "utf-16-be"
    return None


def _detect(data: bytes) -> str | None:
    best = from_bytes(data[:_SAMPLE]).best()
    if best is None:
        return None
    name = best.encoding.lower().replace("_", "")
    if name in _GB_FAMILY:
        return "gb18030"
    return best.encoding


def normalise_newlines(text: str, warnings: list[str]) -> str:
    if "\r" not in text:
        return text
    if "\r\n" in text:
        warnings.append("Windows (CRLF) line ends")
        text = text.replace("\r\n", "\n")
    if "\r" in text:
        warnings.append("old Mac (CR) line ends")
        text = text.replace("\r", "\n")
    return text


def decode_bytes(data: bytes) -> Decoded:
    """Decode a post file. Raises NotText for binary data."""
    warnings: list[str] = []
    encoding = ""
    for bom, name in _BOMS:
        if data.startswith(bom):
            encoding = name
            data = data[len(bom) :]
            warnings.append(
                "starts with a UTF-8 byte-order mark"
                if name == "utf-8"
                else f"encoded as {name.upper()} (with a byte-order mark)"
            )
            break
    if not encoding and b"\x00" in data[:4096]:
        # UTF-16 without a BOM has NUL bytes in the sample; text without any (every UTF-8 post)
        # skips the guess.
        encoding = _guess_utf16(data) or ""
        if encoding:
            warnings.append(f"encoded as {encoding.upper()} without a byte-order mark")
    if encoding:
        text = data.decode(encoding, errors="replace")
    else:
        try:
            text = data.decode("utf-8")
            encoding = "utf-8"
        except UnicodeDecodeError:
            if b"\x00" in data[:_SAMPLE]:
                raise NotText("binary file (not text)") from None
            detected = _detect(data)
            if detected is None:
                raise NotText("not text in any known encoding") from None
            try:
                text = data.decode(detected)
            except (UnicodeDecodeError, LookupError):
                raise NotText(f"not valid {detected} text") from None
            encoding = detected
            warnings.append(f"not UTF-8: decoded as {detected.upper()}")
    if "\x00" in text:
        raise NotText("binary file (contains NUL characters)")
    text = normalise_newlines(text, warnings)
    return Decoded(text, encoding, tuple(warnings))

"""Reading an export's bytes and finding its text encoding, strictly.

Tools write UTF-8 (with or without a BOM), UTF-16 with a BOM (Outlook, some vCard
exports) or the Windows ANSI code page cp1252 (Outlook's CSV default). Bytes are never
decoded with errors ignored: a file that fits none of these is refused.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from netplanner.services.importers.records import ImportFileError

# Bigger than any real contacts export (30,000 LinkedIn rows are about 4 MB; a vCard
# export with photos of thousands of people some tens of MB).
MAX_IMPORT_BYTES = 64 * 1024 * 1024

# Control characters that never appear in a text export (tab, CR, LF, FF are fine).
_CONTROL = {chr(c) for c in range(32)} - {"\t", "\n", "\r", "\f", "\x0b"}
_CONTROL_TABLE = {ord(c): None for c in _CONTROL}


def read_bytes(path: Path, limit: int = MAX_IMPORT_BYTES) -> bytes:
    """The file's bytes; refuses a missing, unreadable or too large file before reading it."""
    try:
        size = path.stat().st_size
    except FileNotFoundError as exc:
        raise ImportFileError(f"The file {path} does not exist.") from exc
    except OSError as exc:
        raise ImportFileError(f"The file {path} cannot be read: {exc.strerror}.") from exc
    if path.is_dir():
        raise ImportFileError(f"{path} is a folder, not a file to import.")
    if size > limit:
        raise ImportFileError(
            f"The file {path} is {size / 1e6:.0f} MB, more than the {limit / 1e6:.0f} MB "
            "an import accepts."
        )
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise ImportFileError(f"The file {path} cannot be read: {exc.strerror}.") from exc
    if len(data) > limit:
        raise ImportFileError(f"The file {path} is larger than an import accepts.")
    return data


def decode(data: bytes, name: str) -> str:
    """The text of an export; ``ImportFileError`` for empty, binary or undecodable bytes."""
    if not data.strip(b" \t\r\n\x00"):
        raise ImportFileError(f"The file {name} is empty.")
    if data.startswith(codecs.BOM_UTF8):
        text = _strict(data[len(codecs.BOM_UTF8) :], "utf-8", name)
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _strict(data, "utf-16", name)
    elif b"\x00" in data:
        raise ImportFileError(f"The file {name} is a binary file, not a contacts export.")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError as exc:
                raise ImportFileError(
                    f"The file {name} is neither UTF-8, UTF-16 nor Windows-1252 text."
                ) from exc
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise ImportFileError(f"The file {name} is empty.")
    sample = text[:65536]
    controls = len(sample) - len(sample.translate(_CONTROL_TABLE))
    if controls > max(2, len(sample) // 1000):
        raise ImportFileError(f"The file {name} is a binary file, not a contacts export.")
    return text


def _strict(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        label = "UTF-16" if encoding == "utf-16" else "UTF-8"
        raise ImportFileError(
            f"The file {name} starts as {label} text but holds bytes that are not {label}; "
            "it may be damaged or truncated."
        ) from exc

"""Reading an export's bytes and finding its text encoding, strictly.

Tools write UTF-8 (with or without a BOM), UTF-16 with or without a BOM (Outlook, some
vCard exports) or a Windows ANSI code page: cp1252 (Outlook's CSV default), but also
Shift_JIS, Windows-1251, Windows-1253 and the other legacy code pages of old phones and
address books, which are found by detection (charset-normalizer), with a note when the
detection is unsure. Bytes are never decoded with errors ignored: a file that fits none of
these is refused.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from netplanner.services.importers.records import ImportFileError

# Bigger than any real contacts export (30,000 LinkedIn rows are about 4 MB; a vCard
# export with photos of thousands of people some tens of MB).
MAX_IMPORT_BYTES = 64 * 1024 * 1024

# Control characters that never appear in a text export (tab, CR, LF, FF are fine).
_CONTROL = {chr(c) for c in range(32)} - {"\t", "\n", "\r", "\f", "\x0b"}
_CONTROL_TABLE = {ord(c): None for c in _CONTROL}


def read_bytes(path: Path, limit: int = MAX_IMPORT_BYTES) -> bytes:
    """The file's bytes; refuses a missing, unreadable, too large or non-regular file.

    A named pipe, a device or a socket is refused before it is read (a pipe nobody writes
    to would block the import for good, ``/dev/zero`` never ends). It is opened without
    blocking and checked on the open descriptor, so it cannot be swapped in after a check.
    """
    try:
        size = path.stat().st_size
    except FileNotFoundError as exc:
        raise ImportFileError(f"The file {path} does not exist.") from exc
    except OSError as exc:
        raise ImportFileError(f"The file {path} cannot be read: {exc.strerror}.") from exc
    if path.is_dir():
        raise ImportFileError(f"{path} is a folder, not a file to import.")
    if not path.is_file():
        raise ImportFileError(f"{path} is not a regular file and cannot be imported.")
    if size > limit:
        raise ImportFileError(
            f"The file {path} is {size / 1e6:.0f} MB, more than the {limit / 1e6:.0f} MB "
            "an import accepts."
        )
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise ImportFileError(f"The file {path} cannot be read: {exc.strerror}.") from exc
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise ImportFileError(f"{path} is not a regular file and cannot be imported.")
        with os.fdopen(fd, "rb") as handle:
            fd = -1  # the handle closes it now
            data = handle.read(limit + 1)
    except OSError as exc:
        raise ImportFileError(f"The file {path} cannot be read: {exc.strerror}.") from exc
    finally:
        if fd >= 0:
            os.close(fd)
    if len(data) > limit:
        raise ImportFileError(f"The file {path} is larger than an import accepts.")
    return data


def decode(data: bytes, name: str) -> str:
    """The text of an export; ``ImportFileError`` for empty, binary or undecodable bytes."""
    return decode_with_notes(data, name)[0]


def decode_with_notes(data: bytes, name: str) -> tuple[str, list[str]]:
    """The text of an export and what had to be guessed to read it (for the report).

    UTF-8 (with or without a BOM) and UTF-16 (with a BOM, or without one: NULs in every
    other byte) are read strictly; a vCard is decoded property by property after its folded
    lines are joined (its ``CHARSET=`` honoured, RFC 6350 §3.2); other 8-bit text is a legacy
    code page found by detection, with a note when the detection was unsure.
    """
    if not data.strip(b" \t\r\n\x00"):
        raise ImportFileError(f"The file {name} is empty.")
    notes: list[str] = []
    body = data[len(codecs.BOM_UTF8) :] if data.startswith(codecs.BOM_UTF8) else data
    utf16 = _utf16_encoding(data)
    if utf16 is not None:
        text = _strict(data, utf16, name)
    elif b"\x00" in data:
        raise ImportFileError(f"The file {name} is a binary file, not a contacts export.")
    elif body[:65536].lstrip()[:11].upper() == b"BEGIN:VCARD":
        from netplanner.services.importers.vcard import decode_vcard_bytes

        try:
            text, notes = decode_vcard_bytes(body, name)
        except UnicodeDecodeError as exc:
            raise ImportFileError(
                f"The file {name} is neither UTF-8, UTF-16 nor text in a known code page."
            ) from exc
    elif body is not data:
        text = _strict(body, "utf-8", name)
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            guess = guess_encoding(data)
            if guess is None:
                raise ImportFileError(
                    f"The file {name} is neither UTF-8, UTF-16 nor text in a known code page."
                ) from None
            text = guess.text
            if guess.unsure:
                notes.append(guess.note("the file"))
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise ImportFileError(f"The file {name} is empty.")
    sample = text[:65536]
    controls = len(sample) - len(sample.translate(_CONTROL_TABLE))
    if controls > max(2, len(sample) // 1000):
        raise ImportFileError(f"The file {name} is a binary file, not a contacts export.")
    return text, notes


def _strict(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        label = "UTF-16" if encoding == "utf-16" else "UTF-8"
        raise ImportFileError(
            f"The file {name} starts as {label} text but holds bytes that are not {label}; "
            "it may be damaged or truncated."
        ) from exc


def _utf16_encoding(data: bytes) -> str | None:
    """ "utf-16" (BOM), "utf-16-le"/"-be" (no BOM: NULs in every other byte), or None."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    sample = data[:8192]
    if len(sample) < 4 or b"\x00" not in sample:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    if odd >= half * 0.3 and even <= odd // 20:
        return "utf-16-le"
    if even >= half * 0.3 and odd <= even // 20:
        return "utf-16-be"
    return None


# The legacy code pages address books are written in, most likely first: on a tie
# (short text that several decode equally well) the earlier one is taken, with a note.
_CODE_PAGES = {
    "cp1252": "Windows-1252 (Western European)",
    "cp1251": "Windows-1251 (Cyrillic)",
    "cp1253": "Windows-1253 (Greek)",
    "cp932": "Shift_JIS (Japanese)",
    "cp1250": "Windows-1250 (Central European)",
    "cp1254": "Windows-1254 (Turkish)",
    "cp1257": "Windows-1257 (Baltic)",
    "cp1255": "Windows-1255 (Hebrew)",
    "cp1256": "Windows-1256 (Arabic)",
    "cp1258": "Windows-1258 (Vietnamese)",
    "gb18030": "GB18030 (Chinese)",
    "big5": "Big5 (Traditional Chinese)",
    "cp949": "EUC-KR (Korean)",
    "euc_jp": "EUC-JP (Japanese)",
    "koi8_r": "KOI8-R (Cyrillic)",
}
_PRIORITY = {encoding: rank for rank, encoding in enumerate(_CODE_PAGES)}
# Above this "mess" (charset-normalizer's chaos) the bytes are no text in any code page.
_MAX_CHAOS = 0.1
_SCORED_BYTES = 65536


@dataclass(frozen=True)
class Guess:
    """A legacy code page found by detection, and the others it could as well have been."""

    encoding: str
    text: str
    alternatives: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return encoding_label(self.encoding)

    @property
    def unsure(self) -> bool:
        return bool(self.alternatives)

    def note(self, what: str) -> str:
        """'<what> was read as Windows-1253 (Greek)', and why that is only a guess."""
        text = f"{what} is not UTF-8 and names no character set; it was read as {self.label}"
        if self.alternatives:
            others = " or ".join(encoding_label(e) for e in self.alternatives[:2])
            text += f", a guess (it could also be {others}): check its names"
        return text


def encoding_label(encoding: str) -> str:
    """A code page as a person knows it ("Windows-1251 (Cyrillic)")."""
    try:
        encoding = codecs.lookup(encoding).name.replace("-", "_")
    except LookupError:
        return encoding
    aliases = {"shift_jis": "cp932", "euc_kr": "cp949", "windows_1252": "cp1252"}
    return _CODE_PAGES.get(aliases.get(encoding, encoding), encoding.upper())


def guess_encoding(data: bytes) -> Guess | None:
    """The legacy code page 8-bit text that is not UTF-8 is most likely in; None if none.

    charset-normalizer measures how messy each decoding is; among the equally clean ones
    the one whose words look most like words (no script mixed inside a word, Latin words
    mostly plain letters) wins, then the one more address books use. When another decoding
    with a different text is as good, the guess lists it as an alternative.
    """
    from charset_normalizer import from_bytes

    matches = [m for m in from_bytes(data, cp_isolation=list(_CODE_PAGES)) if m.encoding]
    if not matches:
        return None
    best_chaos = min(m.chaos for m in matches)
    if best_chaos > _MAX_CHAOS:
        return None
    sample = data[:_SCORED_BYTES]
    scored: dict[str, tuple[tuple[int, float, int], str]] = {}  # sample text → key, encoding
    for match in matches:
        if match.chaos > best_chaos + 0.01:
            continue
        # charset-normalizer reports code pages that decode to the same text as one match
        for name in match.could_be_from_charset or [match.encoding]:
            encoding = _canonical(name)
            if encoding not in _PRIORITY:
                continue
            text = sample.decode(encoding, errors="replace")
            key = (_oddness(text), -round(match.coherence, 1), _PRIORITY[encoding])
            if text in scored:  # the same text: its best measure, named by the likeliest page
                (odd, coherence, rank), known = scored[text]
                encoding = known if rank < key[2] else encoding
                key = (min(odd, key[0]), min(coherence, key[1]), min(rank, key[2]))
            scored[text] = (key, encoding)
    ranked = sorted(scored.values())
    for index, (key, encoding) in enumerate(ranked):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue  # the sample fitted, the rest of the file does not
        alternatives = tuple(e for k, e in ranked[index + 1 :] if k[:2] == key[:2])
        return Guess(encoding, text, alternatives)
    return None


def _canonical(encoding: str) -> str:
    try:
        name = codecs.lookup(encoding).name.replace("-", "_")
    except LookupError:
        return encoding
    return {"shift_jis": "cp932", "euc_kr": "cp949"}.get(name, name)


_WORD = re.compile(r"[^\W\d_]{2,}")
_ONE_SCRIPT = {"HIRAGANA": "CJK", "KATAKANA": "CJK", "IDEOGRAPHIC": "CJK"}


def _oddness(text: str) -> int:
    """How unlike words in one script the words of a decoded text are (0: all plausible)."""
    odd = 0
    for word in _WORD.findall(text[:20000]):
        if word.isascii():
            continue
        scripts: set[str] = set()
        accented = 0
        for char in word:
            if char.isascii():
                scripts.add("LATIN")
                continue
            name = unicodedata.name(char, "UNKNOWN")
            if name.startswith("HALFWIDTH"):
                odd += 1  # half-width katakana: a Korean or Chinese text read as Shift_JIS
            script = name.split(" ", 1)[0]
            scripts.add(_ONE_SCRIPT.get(script, script))
            accented += script == "LATIN"
        if len(scripts) > 1:
            odd += 2
        elif accented * 2 > len(word):
            odd += 1  # "Åõãåëïò": a Latin word is mostly plain letters
    return odd

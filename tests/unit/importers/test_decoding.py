"""Encodings and unreadable files: strict decoding, one sentence naming the file."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from netplanner.services.importers import ImportFileError
from netplanner.services.importers.decoding import decode, read_bytes

TEXT = "First Name,Company\nZoë,Société Générale – “Paris”\n"


@pytest.mark.parametrize(
    "data",
    [
        TEXT.encode("utf-8"),
        codecs.BOM_UTF8 + TEXT.encode("utf-8"),
        TEXT.encode("utf-16"),  # with its BOM
        codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"),
        TEXT.encode("cp1252"),
        TEXT.replace("\n", "\r\n").encode("cp1252"),
    ],
    ids=["utf8", "utf8-bom", "utf16-le-bom", "utf16-be-bom", "cp1252", "cp1252-crlf"],
)
def test_each_encoding_decodes_to_the_same_text(data: bytes) -> None:
    assert decode(data, "f.csv").replace("\r\n", "\n") == TEXT


def test_bytes_that_are_no_known_encoding_are_refused_not_ignored() -> None:
    # 0x81 and 0x9d are undefined in cp1252 and invalid as UTF-8.
    with pytest.raises(ImportFileError, match=r"f.csv"):
        decode(b"First Name\n\x81\x9d\x81\n", "f.csv")


def test_utf8_bom_followed_by_broken_utf8_is_refused() -> None:
    with pytest.raises(ImportFileError, match=r"not UTF-8"):
        decode(codecs.BOM_UTF8 + b"caf\xe9\n", "f.csv")


@pytest.mark.parametrize("data", [b"", b"  \r\n\r\n", codecs.BOM_UTF8, codecs.BOM_UTF16_LE])
def test_an_empty_file_is_refused_as_empty(data: bytes) -> None:
    with pytest.raises(ImportFileError, match=r"f.csv is empty"):
        decode(data, "f.csv")


def test_a_binary_file_is_refused_as_binary() -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
    with pytest.raises(ImportFileError, match=r"binary"):
        decode(png, "photo.png")


def test_a_file_over_the_limit_is_refused_before_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "huge.csv"
    path.write_bytes(b"x" * 2048)

    def no_reading(*args: object, **kwargs: object) -> None:
        raise AssertionError("the file was opened")

    monkeypatch.setattr(Path, "open", no_reading)
    with pytest.raises(ImportFileError, match=r"huge.csv .*more than"):
        read_bytes(path, limit=1024)


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ImportFileError, match=r"missing.vcf does not exist"):
        read_bytes(tmp_path / "missing.vcf")

"""Normalised keys for place names, shared by the gazetteer build and every lookup.

A person may type "München", "MUENCHEN", "Munchen" or "Muenchen"; the gazetteer and the
geocoding cache must see one key for them, so this one function decides what "the same
text" means everywhere.
"""

from __future__ import annotations

import re
import unicodedata

# Letters that Unicode does not decompose into a base letter plus an accent.
_FOLD = str.maketrans(
    {
        "ø": "o",
        "æ": "ae",
        "œ": "oe",
        "ł": "l",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "ı": "i",
        "ŀ": "l",
        "ħ": "h",
        "ŧ": "t",
        "ŋ": "n",
        "ʼ": "",
        "’": "",
        "‘": "",
        "'": "",
        "`": "",
        "´": "",
        ".": "",
    }
)
_SEPARATORS = re.compile(r"[\W_]+", re.UNICODE)
_GERMAN_DIGRAPHS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue"})


def normalize_key(text: str) -> str:
    """The lookup key of ``text``: case, accents, dots, apostrophes and punctuation folded.

    Letters of other scripts (Cyrillic, CJK, ...) are kept, so "Москва" and "東京" stay
    searchable by the alternate names GeoNames lists in those scripts.
    """
    if text.isascii():  # most texts: no accents to fold
        return _SEPARATORS.sub(" ", text.lower().translate(_FOLD)).strip()
    folded = unicodedata.normalize("NFKC", text).casefold().translate(_FOLD)
    decomposed = unicodedata.normalize("NFKD", folded)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SEPARATORS.sub(" ", stripped).strip()


def german_digraph_key(text: str) -> str | None:
    """The key of ``text`` with ä/ö/ü written ae/oe/ue ("Muenchen"), or None if it has none."""
    lowered = unicodedata.normalize("NFKC", text).casefold()
    if not any(ch in lowered for ch in "äöü"):
        return None
    return normalize_key(lowered.translate(_GERMAN_DIGRAPHS))

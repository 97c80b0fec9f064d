"""The parser of place texts: parts, decorations, no-place words, short forms."""

from __future__ import annotations

import pytest

from netplanner.domain.placenames import german_digraph_key, normalize_key
from netplanner.services.geocoding.placetext import (
    alias_for,
    head_variants,
    parse_place,
    strip_decorations,
    trailing_splits,
)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("München", "munchen"),
        ("ZÜRICH", "zurich"),
        ("Washington, D.C.", "washington dc"),
        ("St. Louis", "st louis"),
        ("Xi’an", "xian"),
        ("Kraków", "krakow"),
        ("Straße", "strasse"),
        ("Москва", "москва"),
        ("  São   Paulo ", "sao paulo"),
    ],
)
def test_normalize_key_folds_case_accents_and_punctuation(text: str, key: str) -> None:
    assert normalize_key(text) == key


def test_german_digraphs_are_an_extra_key() -> None:
    assert german_digraph_key("München") == "muenchen"
    assert german_digraph_key("Berlin") is None


def test_parts_split_the_place_from_its_qualifiers() -> None:
    assert parse_place("London, ON, Canada").parts == ("London", "ON", "Canada")
    assert parse_place("Frankfurt (Oder)").parts == ("Frankfurt", "Oder")


@pytest.mark.parametrize("text", ["Remote", "N/A", "Worldwide", "anywhere", "", "Remote, Germany"])
def test_no_place_words_leave_nothing_to_look_up(text: str) -> None:
    assert parse_place(text).names_no_place


def test_no_place_word_next_to_a_city_keeps_the_city() -> None:
    assert parse_place("Remote, Berlin, Germany").parts == ("Berlin", "Germany")


@pytest.mark.parametrize(
    ("key", "stripped"),
    [
        ("greater seattle area", "seattle"),
        ("new york city metropolitan area", "new york city"),
        ("london area", "london"),
        ("dallas fort worth metroplex", "dallas fort worth"),
        ("greater munich metropolitan area", "munich"),
        ("area", "area"),
    ],
)
def test_linkedin_decorations_are_stripped(key: str, stripped: str) -> None:
    assert strip_decorations(key) == stripped


def test_joined_metro_names_try_each_city_in_order() -> None:
    variants = list(head_variants("Washington DC-Baltimore Area"))
    assert variants.index("washington dc") < variants.index("baltimore")


def test_saint_abbreviations_are_tried_both_ways() -> None:
    assert "saint louis" in list(head_variants("St. Louis"))
    assert "st petersburg" in list(head_variants("Saint Petersburg"))


def test_short_forms_are_written_out() -> None:
    assert alias_for("nyc") == "New York City, NY, US"
    assert alias_for(normalize_key("San Francisco Bay Area")) == "San Francisco, CA, US"
    assert alias_for("lisbon") is None


def test_qualifier_without_comma_is_split_from_the_end() -> None:
    assert list(trailing_splits("cambridge ma")) == [("cambridge", "ma")]
    assert ("new york", "ny") in list(trailing_splits("new york ny"))

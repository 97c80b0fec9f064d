"""The place-text reader: components, streets, units, postcodes, scripts (no gazetteer)."""

from __future__ import annotations

import pytest

from netplanner.services.geocoding.reader import read_place_text


@pytest.mark.parametrize(
    ("text", "components", "ignored"),
    [
        ("Friedrichstraße 43-45, 10117 Berlin", ("Berlin",), ("Friedrichstraße 43-45", "10117")),
        (
            "1 Hacker Way, Menlo Park, California 94025",
            ("Menlo Park", "California"),
            ("1 Hacker Way", "94025"),
        ),
        (
            "Passeig de Gràcia 92, 08008 Barcelona, España",
            ("Barcelona", "España"),
            ("Passeig de Gràcia 92", "08008"),
        ),
        ("Flat 3, 14 Oxford Road, Manchester M1 5QA", ("Manchester",), None),
        ("Suite 1800, 500 Boylston Street, Boston", ("Boston",), None),
        ("8th Floor, 55 Market Street, San Francisco, CA", ("San Francisco", "CA"), None),
        ("ul. Marszałkowska 104, Warszawa", ("Warszawa",), None),
        ("Drottninggatan 53, Stockholm", ("Stockholm",), None),
        ("Teheran-ro 152, Seoul", ("Seoul",), None),
        ("Rue de Rivoli 99, Paris", ("Paris",), None),
        ("233 S Wacker Dr, Chicago", ("Chicago",), None),
        # A province code after the city is not a room ("RM", "FL" written alone).
        ("Via del Corso 300, 00186 Roma RM", ("Roma RM",), ("Via del Corso 300", "00186")),
        ("33131 Miami FL", ("Miami FL",), ("33131",)),
        ("Room 101, 1 Main St, Leeds", ("Leeds",), ("Room 101", "1 Main St")),
        ("Suite A-100, Austin", ("Austin",), ("Suite A-100",)),
        ("12th Floor, 1 Raffles Place, Singapore", ("Singapore",), None),
    ],
)
def test_streets_units_and_postcodes_are_set_aside(
    text: str, components: tuple[str, ...], ignored: tuple[str, ...] | None
) -> None:
    parts = read_place_text(text)
    assert parts.components == components
    if ignored is not None:
        assert parts.ignored == ignored


@pytest.mark.parametrize(
    ("text", "postcode"),
    [
        ("75008 Paris", "75008"),
        ("London SW1A 1AA", "SW1A 1AA"),
        ("Toronto, ON M5V 3L9", "M5V 3L9"),
        ("1012 AB Amsterdam", "1012 AB"),
        ("1250-146 Lisboa", "1250-146"),
        ("São Paulo, 01310-100", "01310-100"),
        ("00-017 Warszawa", "00-017"),
        ("111 52 Stockholm", "111 52"),
        ("100-0005 Tokyo", "100-0005"),
        ("D02 X285 Dublin", "D02 X285"),
        ("Seattle, WA 98101-1234", "98101-1234"),
        ("Ciudad de México, C.P. 06600", "C.P. 06600"),
        ("London W1, UK", "W1"),
    ],
)
def test_postcodes_are_recognised_by_their_national_patterns(text: str, postcode: str) -> None:
    parts = read_place_text(text)
    assert postcode in parts.ignored
    assert all(postcode not in component for component in parts.components)


@pytest.mark.parametrize(
    ("text", "country", "city"),
    [
        ("SE-111 52 Stockholm", "SE", "Stockholm"),
        ("CH-1201 Genève", "CH", "Genève"),
        ("D-10117 Berlin", "DE", "Berlin"),
        ("F-67000 Strasbourg", "FR", "Strasbourg"),
    ],
)
def test_a_country_prefix_before_a_postcode_names_the_country(
    text: str, country: str, city: str
) -> None:
    parts = read_place_text(text)
    assert parts.countries == {country}
    assert parts.components == (city,)


@pytest.mark.parametrize(
    ("text", "components"),
    [
        ("東京都渋谷区", ("東京都", "渋谷区")),
        ("神奈川県横浜市", ("神奈川県", "横浜市")),
        ("京都府京都市", ("京都府", "京都市")),
        ("北京市朝阳区建国路88号", ("北京市", "朝阳区")),
        ("서울특별시 강남구 테헤란로 152", ("서울특별시", "강남구")),
        ("الرياض، المملكة العربية السعودية", ("الرياض", "المملكة العربية السعودية")),
        ("大阪、日本", ("大阪", "日本")),
    ],
)
def test_scripts_split_on_their_own_separators_and_admin_suffixes(
    text: str, components: tuple[str, ...]
) -> None:
    assert read_place_text(text).components == components


@pytest.mark.parametrize(
    ("text", "components"),
    [
        ("Paris 8e", ("Paris",)),
        ("Praha 2, Czech Republic", ("Praha", "Czech Republic")),
        ("Frankfurt a.M.", ("Frankfurt am Main",)),
        ("Freiburg i. Br.", ("Freiburg im Breisgau",)),
        ("St. Louis", ("St. Louis",)),
        ("Menlo Park", ("Menlo Park",)),
        ("г. Москва", ("Москва",)),
    ],
)
def test_district_numbers_and_short_forms_keep_the_city(
    text: str, components: tuple[str, ...]
) -> None:
    assert read_place_text(text).components == components


@pytest.mark.parametrize("text", ["Remote", "Remote (EMEA)", "Worldwide", "DACH region", "n/a"])
def test_no_place_words_leave_nothing(text: str) -> None:
    parts = read_place_text(text)
    assert parts.components == ()

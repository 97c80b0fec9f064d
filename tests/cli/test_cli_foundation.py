"""The command line contract of CLI.md for the foundation commands."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from netplanner.domain.geo import format_km


def test_demo_then_contacts_json_lists_the_network(cli: Any) -> None:
    assert cli("demo").code == 0
    result = cli("contacts", "--json")
    assert result.code == 0
    contacts = result.json()
    assert len(contacts) >= 100
    assert set(contacts[0]) == {
        "id",
        "name",
        "company",
        "position",
        "location",
        "lat",
        "lon",
        "timezone",
    }
    assert all(isinstance(c["id"], int) and isinstance(c["lat"], float) for c in contacts)


def test_json_option_works_before_the_command_too(cli: Any) -> None:
    cli("demo")
    before = cli("--json", "contacts", "--query", "Lisbon").json()
    assert before and before == cli("contacts", "--query", "Lisbon", "--json").json()


def test_query_narrows_the_list(cli: Any) -> None:
    cli("demo")
    found = cli("contacts", "--query", "Tokyo", "--json").json()
    assert found and all("Tokyo" in c["location"] for c in found)


def test_demo_refuses_a_database_that_holds_contacts(cli: Any, data_dir: Path) -> None:
    cli("demo")
    before = (data_dir / "netplanner.sqlite").read_bytes()
    result = cli("demo")
    assert result.code == 3
    assert "already holds contacts" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert cli("contacts", "--json").json().__len__() == 150
    assert (data_dir / "netplanner.sqlite").read_bytes() == before


def test_unknown_command_or_option_is_a_usage_error(cli: Any) -> None:
    assert cli("fly-to-the-moon").code == 2
    result = cli("contacts", "--colour", "blue")
    assert result.code == 2 and "usage:" in result.stderr


def test_a_file_that_is_not_sqlite_exits_3_and_is_untouched(cli: Any, tmp_path: Path) -> None:
    bad = tmp_path / "holiday.jpg"
    bad.write_bytes(b"\xff\xd8\xff\xe0 not a database")
    result = cli("--db-url", f"sqlite:///{bad}", "contacts")
    assert result.code == 3
    assert "not an SQLite database" in result.stderr and "Traceback" not in result.stderr
    assert bad.read_bytes() == b"\xff\xd8\xff\xe0 not a database"


def test_db_url_env_and_option_choose_the_database(cli: Any, tmp_path: Path) -> None:
    other = tmp_path / "other.sqlite"
    assert cli("--db-url", f"sqlite:///{other}", "demo").code == 0
    assert other.exists()
    assert cli("contacts", "--json").json() == []
    from_env = cli("contacts", "--json", env={"NETPLANNER_DB_URL": f"sqlite:///{other}"})
    assert len(from_env.json()) == 150
    # The option wins over the environment.
    empty = tmp_path / "empty.sqlite"
    chosen = cli("--db-url", f"sqlite:///{empty}", "contacts", "--json",
                 env={"NETPLANNER_DB_URL": f"sqlite:///{other}"})  # fmt: skip
    assert chosen.json() == []


def test_check_reports_a_sound_database(cli: Any) -> None:
    cli("demo")
    report = cli("check", "--json").json()
    assert report["ok"] is True and report["contacts"] == 150


def test_backup_writes_a_readable_copy(cli: Any, tmp_path: Path) -> None:
    cli("demo")
    target = tmp_path / "copy.sqlite"
    assert cli("backup", "--to", str(target)).code == 0
    assert cli("--db-url", f"sqlite:///{target}", "contacts", "--json").json().__len__() == 150


def test_broken_settings_file_warns_and_uses_defaults(cli: Any, data_dir: Path) -> None:
    (data_dir / "config").mkdir()
    (data_dir / "config" / "settings.toml").write_text("units = [broken", encoding="utf-8")
    result = cli("contacts", "--json")
    assert result.code == 0
    assert result.json() == []
    assert "settings file" in result.stderr


def test_contacts_near_a_place_keeps_only_those_within_the_radius(cli: Any) -> None:
    cli("demo")
    near = cli("contacts", "--near", "Lisbon", "--radius", "30", "--json").json()
    assert near and all(c["location"] == "Lisbon, Portugal" for c in near)
    everyone_in_lisbon = cli("contacts", "--query", "Lisbon", "--json").json()
    assert {c["id"] for c in near} == {c["id"] for c in everyone_in_lisbon}
    first_name = near[0]["name"].split()[0]
    narrowed = cli("contacts", "--near", "Lisbon", "--query", first_name, "--json").json()
    assert narrowed and narrowed == [c for c in near if first_name in c["name"]]


def test_contacts_near_an_unknown_place_exits_3(cli: Any) -> None:
    cli("demo")
    result = cli("contacts", "--near", "Qwxzzy", "--json")
    assert result.code == 3 and result.stdout == ""
    assert cli("contacts", "--radius", "5").code == 3


def test_contacts_near_shows_distances_in_the_unit_asked_for(cli: Any) -> None:
    cli("demo")
    result = cli("contacts", "--near", "Lisbon", "--unit", "mi")
    assert result.code == 0
    lines = result.stdout.splitlines()
    assert "Distance" in lines[0] and len(lines) > 2
    assert all(line.rstrip().endswith(" mi") for line in lines[1:-1])


def test_distances_for_people_are_written_as_the_domain_writes_them(cli: Any) -> None:
    cli("demo")
    found = cli("nearby", "Lisbon", "--json").json()
    assert found
    for unit in ("km", "mi"):
        lines = cli("nearby", "Lisbon", "--unit", unit).stdout.splitlines()
        rows = lines[1:-1]
        assert len(rows) == len(found)
        for row, contact in zip(rows, found, strict=True):
            km = contact["distance_km"]  # rounded to 10 m in JSON, so either neighbour
            assert any(row.endswith(format_km(km + d, unit)) for d in (-0.005, 0, 0.005)), row
        assert lines[-1].startswith(f"{len(found)} contacts within {format_km(25, unit)} of")


def test_what_the_parser_writes_out_matches_the_services(cli: Any) -> None:
    """Formats and defaults are spelled out in the commands so --help needs no services."""
    from netplanner.commands.imports import CLI_FORMATS
    from netplanner.services.importers import AUTO, FORMATS
    from netplanner.services.planning import DEFAULT_LIMIT, DEFAULT_RADIUS_KM
    from netplanner.services.venues import DEFAULT_LIMIT as DEFAULT_VENUE_LIMIT

    assert (AUTO, *FORMATS) == CLI_FORMATS

    def help_of(*command: str) -> str:
        result = cli(*command, "--help")
        assert result.code == 0
        return " ".join(result.stdout.split())

    assert f"(default {DEFAULT_RADIUS_KM:g})" in help_of("contacts")
    assert f"(default {DEFAULT_RADIUS_KM:g})" in help_of("nearby")
    suggest = help_of("suggest")
    assert f"(default {DEFAULT_RADIUS_KM:g})" in suggest
    assert f"(default {DEFAULT_LIMIT})" in suggest
    assert f"(default {DEFAULT_VENUE_LIMIT})" in help_of("venues")

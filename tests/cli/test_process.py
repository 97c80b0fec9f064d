"""The command line as a real process: what running ``main`` in the test process cannot show.

The other CLI tests call ``main(argv)`` in-process; these few start ``python -m netplanner``
(or a fresh interpreter) to pin down imports, exit codes and what reaches stdout.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from netplanner import __version__
from tests.conftest import Cli
from tests.unit.importers.helpers import DATA

# What --help must not pay for: the window, the database layer, the calendar and geo libraries.
HEAVY_MODULES = ("PySide6", "sqlalchemy", "alembic", "icalendar", "vobject", "tzfpy",
                 "geopy")  # fmt: skip


def _loaded_after(argv: list[str]) -> tuple[int, set[str], str]:
    """Exit code, heavy top-level packages loaded, and stdout of ``main(argv)`` in a new Python."""
    code = (
        "import io, json, sys, contextlib; from netplanner.cli import main\n"
        "out = io.StringIO()\n"
        f"with contextlib.redirect_stdout(out): rc = main({argv!r})\n"
        f"heavy = sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY_MODULES!r}))\n"
        "print(json.dumps({'rc': rc, 'heavy': heavy, 'out': out.getvalue()}))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    return report["rc"], set(report["heavy"]), report["out"]


def test_version_prints_and_does_not_import_qt(cli_subprocess: Cli) -> None:
    result = cli_subprocess("--version")
    assert (result.code, result.stdout) == (0, f"netplanner {__version__}\n")
    rc, heavy, out = _loaded_after(["--version"])
    assert (rc, heavy, out) == (0, set(), f"netplanner {__version__}\n")


def test_help_imports_no_qt_database_or_calendar_library() -> None:
    for argv in (["--help"], ["meeting", "add", "--help"], ["import", "--help"]):
        rc, heavy, out = _loaded_after(argv)
        assert rc == 0 and out.startswith("usage: netplanner"), argv
        assert heavy == set(), f"{argv} imported {sorted(heavy)}"


def test_listing_contacts_loads_no_qt_and_nothing_for_places_or_other_commands(
    data_dir: Path,
) -> None:
    rc, heavy, out = _loaded_after(["--data-dir", str(data_dir), "contacts", "--json"])
    assert (rc, json.loads(out)) == (0, [])
    assert "sqlalchemy" in heavy  # it did read the database
    assert not heavy & {"PySide6", "tzfpy", "geopy", "vobject"}


def test_bad_input_exits_3_with_one_line_and_no_traceback(
    cli_subprocess: Cli, tmp_path: Path
) -> None:
    bad = tmp_path / "holiday.jpg"
    bad.write_bytes(b"\xff\xd8\xff\xe0 not a database")
    result = cli_subprocess("--db-url", f"sqlite:///{bad}", "contacts", "--json")
    assert (result.code, result.stdout) == (3, "")
    assert len(result.stderr.splitlines()) == 1 and "not an SQLite database" in result.stderr
    assert bad.read_bytes() == b"\xff\xd8\xff\xe0 not a database"


def test_json_stdout_holds_only_the_document_when_there_are_warnings(
    cli: Cli, cli_subprocess: Cli, data_dir: Path
) -> None:
    assert cli("demo").code == 0
    (data_dir / "config").mkdir(exist_ok=True)
    (data_dir / "config" / "settings.toml").write_text("units = [broken", encoding="utf-8")
    result = cli_subprocess("contacts", "--json")
    assert result.code == 0
    assert len(json.loads(result.stdout)) == 150  # the whole of stdout is one JSON document
    assert "settings file" in result.stderr


def test_import_in_a_process_creates_then_finds_nothing_new(cli_subprocess: Cli) -> None:
    connections = str(DATA / "Connections.csv")
    first = cli_subprocess("import", connections, "--json")
    assert first.code == 0, first.stderr
    assert (first.json()["format"], first.json()["created"]) == ("linkedin", 6)
    again = cli_subprocess("import", connections, "--json")
    assert (again.json()["created"], again.json()["unchanged"]) == (0, 6)


def test_listing_an_existing_network_reads_the_file_without_sqlalchemy(
    demo_context: Any, data_dir: Path
) -> None:
    from netplanner.commands.contacts import contact_json

    rc, heavy, out = _loaded_after(["--data-dir", str(data_dir), "contacts", "--json"])
    assert rc == 0 and heavy == set(), f"imported {sorted(heavy)}"
    # The same list, in the same order, as the repository's own listing.
    assert json.loads(out) == [contact_json(c) for c in demo_context.contacts.search()]


def test_an_unexpected_error_is_logged_to_a_private_file(
    cli: Any, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import stat

    from netplanner.commands import contacts

    def broken(*_args: object) -> int:
        raise RuntimeError("a bug")

    monkeypatch.setattr(contacts, "run_contacts", broken)
    result = cli("contacts")
    assert result.code == 1 and "unexpected error: RuntimeError: a bug" in result.stderr
    logged = next(data_dir.rglob("netplanner.log"))
    assert stat.S_IMODE(logged.stat().st_mode) == 0o600
    assert "RuntimeError: a bug" in logged.read_text()

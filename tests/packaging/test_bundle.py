"""The built bundle (dist/netplanner): its file list, what it must not carry, and that it runs.

These need a bundle and PyInstaller, so they run from ``make bundle-test`` (which .ci/run
calls after ``make dist``), not from ``make test``: NETPLANNER_BUNDLE names the bundle, and
with NETPLANNER_BUNDLE_REQUIRED=1 a missing one fails instead of skipping.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _bundle() -> Path | None:
    named = os.environ.get("NETPLANNER_BUNDLE")
    path = Path(named) if named else None
    if path is None or not (path / "netplanner").is_file():
        if os.environ.get("NETPLANNER_BUNDLE_REQUIRED") == "1":
            pytest.fail(f"no bundle at {named!r}: run make dist")
        return None
    return path.resolve()


BUNDLE = _bundle()
pytestmark = pytest.mark.skipif(
    BUNDLE is None, reason="no bundle named by NETPLANNER_BUNDLE (make bundle-test)"
)


def _manifest_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "bundle_manifest", ROOT / "packaging" / "bundle_manifest.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def bundle() -> Path:
    assert BUNDLE is not None
    return BUNDLE


def elf_files(bundle: Path) -> Iterator[Path]:
    for path in sorted(bundle.rglob("*")):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as handle:
                if handle.read(4) == b"\x7fELF":
                    yield path


def test_file_list_is_the_checked_in_manifest(bundle: Path) -> None:
    manifest = _manifest_module()
    built, recorded = set(manifest.bundle_files(bundle)), set(manifest.recorded())
    assert (sorted(built - recorded), sorted(recorded - built)) == ([], []), (
        "the bundle's files changed (added, removed); if that is meant, run "
        "`.venv/bin/python packaging/bundle_manifest.py --update` and commit the manifest"
    )


SYSTEM_LIBRARIES = re.compile(
    r"^lib(?:stdc\+\+|gcc_s|glib-2\.0|gobject|gio-2|fontconfig|freetype|systemd|X11|xcb|gtk|"
    r"gdk|atk|cairo|pango|harfbuzz|png16|dbus-1|ssl|crypto|z|ffi|sqlite3|expat|uuid)\.so"
)


def test_no_library_of_the_build_machines_system_is_carried(bundle: Path) -> None:
    carried = sorted(p.name for p in bundle.rglob("*.so*") if SYSTEM_LIBRARIES.match(p.name))
    assert carried == []


def test_no_run_path_points_outside_the_bundle(bundle: Path) -> None:
    leaks = []
    for path in elf_files(bundle):
        out = subprocess.run(
            ["readelf", "--dynamic", "--wide", str(path)], capture_output=True, text=True
        ).stdout
        for entry in re.findall(r"\((?:RUNPATH|RPATH)\)\s+Library \w+: \[([^\]]*)\]", out):
            leaks += [f"{path.name}: {p}" for p in entry.split(":") if not p.startswith("$ORIGIN")]
    assert leaks == []


def test_only_desktop_platforms_no_translations_one_zone_database(bundle: Path) -> None:
    qt = bundle / "_internal/PySide6/Qt"
    platforms = sorted(p.name for p in (qt / "plugins/platforms").iterdir())
    assert platforms == ["libqoffscreen.so", "libqwayland.so", "libqxcb.so"]
    assert not (qt / "translations").exists()
    internal = bundle / "_internal"
    assert not (internal / "pytz").exists() and not (internal / "tzdata").exists()


def test_archive_holds_no_build_or_test_tooling() -> None:
    readers = pytest.importorskip("PyInstaller.archive.readers")
    assert BUNDLE is not None
    archive = readers.CArchiveReader(str(BUNDLE / "netplanner"))
    modules = set(archive.open_embedded_archive("PYZ.pyz").toc)
    unwanted = {"setuptools", "pkg_resources", "pygments", "unittest", "pytz", "tzdata", "pip"}
    assert sorted(m for m in modules if m.split(".")[0] in unwanted) == []
    # The runtime hooks that imported PySide6, inspect and multiprocessing before main.
    scripts = set(archive.toc)
    assert not scripts & {"pyi_rth_pyside6", "pyi_rth_inspect", "pyi_rth_multiprocessing"}


def test_licences_of_every_bundled_distribution_are_carried(bundle: Path) -> None:
    licences = bundle / "_internal/licenses"
    index = (licences / "licenses.json").read_text(encoding="utf-8")
    for name in ("SQLAlchemy", "tzfpy", "PySide6_Essentials", "Python"):
        assert f'"name": "{name}"' in index
    assert (licences / "SQLAlchemy/LICENSE").is_file()


def run(bundle: Path, data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NETPLANNER_")}
    return subprocess.run(
        [str(bundle / "netplanner"), "--data-dir", str(data_dir), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_frozen_app_locates_places_offline(bundle: Path, tmp_path: Path) -> None:
    result = run(bundle, tmp_path, "locate", "München")
    assert result.returncode == 0, result.stderr
    assert "Munich, Bavaria, Germany" in result.stdout


def test_frozen_app_without_its_gazetteer_says_to_reinstall(bundle: Path, tmp_path: Path) -> None:
    copy = tmp_path / "bundle"
    # Hard links: a copy of 250 MB in a few milliseconds, whose gazetteer can go.
    subprocess.run(["cp", "-al", str(bundle), str(copy)], check=True)
    (copy / "_internal/resources/gazetteer.sqlite").unlink()
    result = run(copy, tmp_path / "data", "locate", "München")
    shutil.rmtree(copy)
    assert result.returncode == 3
    assert "reinstall NetPlanner" in result.stderr
    assert "make" not in result.stderr and "Traceback" not in result.stderr

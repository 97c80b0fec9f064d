"""The desktop entry, metainfo, icons and man page: what a desktop and a software centre read.

The validators are Debian's (desktop-file-utils, appstream, man-db); .ci/run installs them,
so under CI a missing one fails instead of skipping.
"""

from __future__ import annotations

import configparser
import os
import shutil
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from netplanner import APP_ID
from netplanner.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]
LINUX = ROOT / "packaging" / "linux"
DESKTOP = LINUX / f"{APP_ID}.desktop"
METAINFO = LINUX / f"{APP_ID}.metainfo.xml"
ICON_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)


def tool(name: str, package: str) -> str:
    found = shutil.which(name)
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is missing: apt-get install {package}")
        pytest.skip(f"{name} is not installed (apt-get install {package})")
    return found


def desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(DESKTOP, encoding="utf-8")
    return parser["Desktop Entry"]


def test_application_id_names_the_desktop_entry_metainfo_and_icon() -> None:
    entry = desktop_entry()
    component = ET.parse(METAINFO).getroot()
    assert entry["Icon"] == APP_ID
    assert entry["Exec"].split()[0] == "netplanner"
    assert component.findtext("id") == APP_ID
    assert component.findtext("launchable") == DESKTOP.name
    assert component.findtext("icon") == APP_ID


def test_desktop_entry_validates() -> None:
    validate = tool("desktop-file-validate", "desktop-file-utils")
    result = subprocess.run([validate, str(DESKTOP)], capture_output=True, text=True)
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def test_metainfo_validates_offline() -> None:
    appstreamcli = tool("appstreamcli", "appstream")
    result = subprocess.run(
        [appstreamcli, "validate", "--no-net", "--no-color", str(METAINFO)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_metainfo_screenshots_are_pictures_in_docs() -> None:
    images = [image.text or "" for image in ET.parse(METAINFO).getroot().iter("image")]
    assert images
    for url in images:
        assert (ROOT / "docs" / "screenshots" / url.rsplit("/", 1)[1]).is_file(), url


def test_metainfo_names_the_current_version_as_a_release() -> None:
    from netplanner import __version__

    versions = [r.get("version") for r in ET.parse(METAINFO).getroot().iter("release")]
    assert __version__ in versions


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", path
    width, height = struct.unpack(">II", header[16:24])
    return width, height


def test_icon_exists_at_every_size_a_desktop_asks_for() -> None:
    for size in ICON_SIZES:
        assert png_size(ROOT / "resources/icon/png" / f"netplanner-{size}.png") == (size, size)
    assert (ROOT / "resources/icon/netplanner.svg").read_text(encoding="utf-8").count("<svg") == 1


def manpage(tmp_path: Path) -> Path:
    out = tmp_path / "netplanner.1"
    subprocess.run(
        [sys.executable, "-m", "scripts.build_manpage", "-o", str(out)],
        cwd=ROOT,
        env=dict(os.environ, SOURCE_DATE_EPOCH="1796000000"),
        check=True,
    )
    return out


def test_man_page_lists_every_command_and_renders_without_warnings(tmp_path: Path) -> None:
    man = tool("man", "man-db")
    page = manpage(tmp_path)
    result = subprocess.run(
        [man, "--warnings", "-E", "UTF-8", "-l", str(page)],
        capture_output=True,
        text=True,
        env=dict(os.environ, MANWIDTH="80", LC_ALL="C.UTF-8"),
    )
    assert result.returncode == 0 and result.stderr == "", result.stderr
    commands = next(
        action.choices for action in build_parser()._actions if action.dest == "command"
    )
    for name in commands:
        assert f"netplanner {name}" in result.stdout
    assert "2026-11-30" in page.read_text(encoding="utf-8")  # SOURCE_DATE_EPOCH, reproducible

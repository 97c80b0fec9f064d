"""Run every benchmark: ``python -m bench`` (``make bench``)."""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path


def main() -> int:
    """Import each ``bench/bench_*.py`` module and call its ``run()``; nonzero if a floor fails."""
    failures = 0
    folder = Path(__file__).parent
    only = set(sys.argv[1:])
    for info in sorted(pkgutil.iter_modules([str(folder)]), key=lambda m: m.name):
        if not info.name.startswith("bench_") or (only and info.name not in only):
            continue
        module = importlib.import_module(f"bench.{info.name}")
        print(f"== {info.name}", flush=True)
        if not module.run():
            failures += 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

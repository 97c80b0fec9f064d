"""Start-up of the command line: ``netplanner --help`` and ``netplanner contacts --json``.

Floors: ``--help`` takes at most 3 times as long as ``python -c pass`` (the interpreter's own
start, the baseline, measured in the same run), and ``contacts --json`` on the demo network
starts and answers in at most 0.4 s. Medians of interleaved runs, so a busy machine slows all
three alike.

The children write and read their bytecode under a private cache folder (warmed by one run
each), as an installed NetPlanner has its .pyc files: with ``PYTHONDONTWRITEBYTECODE`` set,
as in some development shells, every run would compile the project again and measure that.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNS = 9
HELP_FACTOR_FLOOR = 3.0
CONTACTS_FLOOR_S = 0.4


def _env(tmp: Path) -> dict[str, str]:
    """The caller's environment without NETPLANNER_ settings, on the demo data dir."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NETPLANNER_")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(tmp / "pycache")
    env["NETPLANNER_DATA_DIR"] = str(tmp / "data")
    return env


def _timed(argv: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Wall-clock seconds, CPU seconds and stdout of one run (which must succeed)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=60)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise RuntimeError(f"{argv[1:]} exited {proc.returncode}: {proc.stderr.strip()}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, proc.stdout


def run() -> bool:
    netplanner = [sys.executable, "-m", "netplanner"]
    cases = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "netplanner --help": [*netplanner, "--help"],
        "netplanner contacts --json": [*netplanner, "contacts", "--json"],
    }
    with tempfile.TemporaryDirectory() as folder:
        env = _env(Path(folder))
        _timed([*netplanner, "demo"], env)
        for argv in cases.values():  # warms the bytecode cache
            _, _, out = _timed(argv, env)
        count = len(json.loads(out))
        walls: dict[str, list[float]] = {name: [] for name in cases}
        cpus: dict[str, list[float]] = {name: [] for name in cases}
        for _ in range(RUNS):
            for name, argv in cases.items():
                wall, cpu, _ = _timed(argv, env)
                walls[name].append(wall)
                cpus[name].append(cpu)

    def figure(name: str) -> str:
        wall_ms = statistics.median(walls[name]) * 1000
        return f"{name}: {wall_ms:.0f} ms [CPU {statistics.median(cpus[name]) * 1000:.0f} ms]"

    base = statistics.median(walls["python -c pass"])
    help_s = statistics.median(walls["netplanner --help"])
    contacts_s = statistics.median(walls["netplanner contacts --json"])
    print(f"medians of {RUNS} interleaved runs, wall clock")
    print(f"{figure('python -c pass')} (the baseline)")
    print(
        f"{figure('netplanner --help')}: {help_s / base:.1f}x the baseline "
        f"(floor {HELP_FACTOR_FLOOR:.0f}x)"
    )
    print(
        f"{figure('netplanner contacts --json')} for {count} contacts "
        f"(floor {CONTACTS_FLOOR_S * 1000:.0f} ms)"
    )
    return help_s <= HELP_FACTOR_FLOOR * base and contacts_s <= CONTACTS_FLOOR_S


if __name__ == "__main__":
    sys.exit(0 if run() else 1)

"""The bundle against the venv, in one run: ``--version`` and the main window shown.

Prints the medians of interleaved runs (a busy machine slows both alike) and the ratios the
issue sets as floors: frozen ``--version`` at most 2x the venv's, the frozen window shown at
most 1.5x the venv's. The window is timed from the process start until X says the window
"NetPlanner" is viewable, on a private Xvfb (needs xvfb and xwininfo from x11-utils); each
window is then closed with SIGTERM, which it handles like a user's close.

Run after ``make dist``: ``.venv/bin/python packaging/measure_bundle.py [--runs 9]``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FROZEN = ROOT / "dist" / "netplanner" / "netplanner"
VENV = ROOT / ".venv" / "bin" / "netplanner"
VERSION_FLOOR = 2.0
WINDOW_FLOOR = 1.5


def environment(folder: Path, display: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NETPLANNER_", "QT_"))}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # the venv runs from .pyc, as installed code does
    env["PYTHONPYCACHEPREFIX"] = str(folder / "pycache")
    env["NETPLANNER_DATA_DIR"] = str(folder / "data")
    if display is not None:
        env["DISPLAY"] = display
    return env


def version_seconds(program: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run([str(program), "--version"], env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def window_visible(env: dict[str, str]) -> bool:
    found = subprocess.run(
        ["xwininfo", "-name", "NetPlanner"], env=env, capture_output=True, text=True
    )
    return "IsViewable" in found.stdout


def window_seconds(program: Path, env: dict[str, str], timeout: float = 60) -> float:
    """Seconds from spawning ``netplanner gui`` to its window being viewable."""
    start = time.perf_counter()
    process = subprocess.Popen(
        [str(program), "gui"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        while not window_visible(env):
            if process.poll() is not None or time.perf_counter() - start > timeout:
                raise RuntimeError(f"{program} gui: no window (exit {process.returncode})")
            time.sleep(0.01)
        return time.perf_counter() - start
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


def start_xvfb() -> tuple[subprocess.Popen[bytes], str]:
    for number in range(91, 120):
        if not Path(f"/tmp/.X11-unix/X{number}").exists():
            server = subprocess.Popen(
                ["Xvfb", f":{number}", "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for _ in range(200):
                if Path(f"/tmp/.X11-unix/X{number}").exists():
                    return server, f":{number}"
                time.sleep(0.05)
            server.terminate()
    raise RuntimeError("cannot start Xvfb")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    for needed in (FROZEN, VENV):
        if not needed.exists():
            raise SystemExit(f"measure_bundle: {needed} is missing (make dist)")
    missing = [tool for tool in ("Xvfb", "xwininfo") if shutil.which(tool) is None]
    with tempfile.TemporaryDirectory() as folder:
        env = environment(Path(folder))
        subprocess.run([str(VENV), "demo"], env=env, check=True, capture_output=True)
        times: dict[str, list[float]] = {"frozen": [], "venv": []}
        for program in (FROZEN, VENV):  # warm the caches (the venv's .pyc files, the disk)
            version_seconds(program, env)
        for _ in range(args.runs):
            times["frozen"].append(version_seconds(FROZEN, env))
            times["venv"].append(version_seconds(VENV, env))
        frozen, venv = (statistics.median(times[k]) for k in ("frozen", "venv"))
        print(f"--version, median of {args.runs} interleaved runs:")
        print(f"  frozen {frozen * 1000:.0f} ms, venv {venv * 1000:.0f} ms (the baseline)")
        print(f"  ratio {frozen / venv:.2f} (floor {VERSION_FLOOR})")
        ok = frozen / venv <= VERSION_FLOOR
        if missing:
            print(
                f"window: not measured ({', '.join(missing)} missing): "
                "apt-get install xvfb x11-utils"
            )
            return 0 if ok else 1
        server, display = start_xvfb()
        try:
            shown_env = environment(Path(folder), display)
            for program in (FROZEN, VENV):
                window_seconds(program, shown_env)
            shown: dict[str, list[float]] = {"frozen": [], "venv": []}
            for _ in range(max(3, args.runs // 2)):
                shown["frozen"].append(window_seconds(FROZEN, shown_env))
                shown["venv"].append(window_seconds(VENV, shown_env))
        finally:
            server.terminate()
            server.wait(timeout=10)
        frozen_w, venv_w = (statistics.median(shown[k]) for k in ("frozen", "venv"))
        print(f"window shown (Xvfb, demo network), median of {len(shown['venv'])} runs:")
        print(f"  frozen {frozen_w:.2f} s, venv {venv_w:.2f} s (the baseline)")
        print(f"  ratio {frozen_w / venv_w:.2f} (floor {WINDOW_FLOOR})")
        ok = ok and frozen_w / venv_w <= WINDOW_FLOOR
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

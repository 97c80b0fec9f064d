"""The window at 30,000 contacts: start-up to the painted table, filtering, memory.

Floors (issue 16), each beside a baseline measured in the same run:
- start: from process start to the 30,000-row contacts table painted, at most 3x a bare
  QApplication + QMainWindow + empty QTableView shown and painted (medians of interleaved
  runs of both child processes). The child starts the window as ``run_gui`` does.
- filter: per keystroke (the table repainted), median at most 8 ms and worst at most 30 ms;
  baseline: asking the database again and rebuilding the model on every keystroke.
- memory: the window's peak resident memory at most 150 MB, measured once it has settled
  (the database opened on the worker, every task done); the bare window's beside it.
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

from netplanner.domain.entities import Contact, RelationshipStage
from netplanner.domain.summaries import ContactSummary
from netplanner.services.context import AppContext, build_context

COUNT = 30_000
START_RATIO = 3.0
KEYSTROKE_MEDIAN_MS = 8.0
KEYSTROKE_WORST_MS = 30.0
MEMORY_FLOOR_MB = 150.0
RUNS = 9  # as bench_startup: the median of more interleaved runs says less about one busy moment
TYPED = "lisbon eng"

FIRST = [
    "Ana",
    "Ben",
    "Chen",
    "Dara",
    "Emeka",
    "Fatima",
    "Gustavo",
    "Hana",
    "Ivan",
    "Jia",
    "Kofi",
    "Lena",
    "Mateo",
    "Nadia",
    "Omar",
]
LAST = [
    "Silva",
    "Okafor",
    "Nguyen",
    "Müller",
    "Haddad",
    "Tanaka",
    "Kowalski",
    "Ramos",
    "Smith",
    "Ivanova",
    "Patel",
    "Kim",
]
COMPANIES = [
    "Stripe",
    "Siemens",
    "Infosys",
    "Nubank",
    "Shopify",
    "Atlassian",
    "Grab",
    "Safaricom",
    "Spotify",
    "SAP",
]
POSITIONS = (
    "Software Engineer",
    "Product Manager",
    "Head of Sales",
    "Data Scientist",
    "Founder",
    "Engineering Manager",
    "Designer",
)
CITIES = (
    ("Lisbon, Portugal", 38.72, -9.14),
    ("Berlin, Germany", 52.52, 13.40),
    ("Nairobi, Kenya", -1.29, 36.82),
    ("São Paulo, Brazil", -23.55, -46.63),
    ("Singapore", 1.35, 103.82),
    ("Toronto, Canada", 43.65, -79.38),
    ("Sydney, Australia", -33.87, 151.21),
    ("Tokyo, Japan", 35.68, 139.69),
)

CHILD = textwrap.dedent(
    """
    import os, sys, time
    os.environ["QT_QPA_PLATFORM"] = "offscreen"

    def peak_mb():
        # VmHWM is this process's own peak; ru_maxrss would carry over the peak of the
        # parent that forked it (Linux keeps it across exec), which is the bench runner's.
        with open("/proc/self/status") as status:
            hwm = next(line for line in status if line.startswith("VmHWM:"))
        return int(hwm.split()[1]) / 1024

    from PySide6.QtWidgets import QApplication
    app = QApplication(sys.argv[:1])
    # As run_gui starts the window (but for the single-instance lock, and the window
    # opened on Contacts rather than Today).
    from netplanner.app import build_context, open_window
    window = open_window(build_context(sys.argv[1]))
    context = window.own_context
    window.resize(1280, 800)
    window.show_workspace("contacts")
    window.show()
    from netplanner.gui.dialogs.damaged_dialog import check_after_start
    check_after_start(window, window)
    while window.contacts.model.rowCount() == 0:  # contacts are read on the worker
        app.processEvents()
        time.sleep(0.002)
    app.processEvents()
    window.contacts.table.viewport().grab()  # the table painted once
    print(f"shown {window.contacts.model.rowCount()} {peak_mb():.1f}", flush=True)
    # Settled: the database opened on the worker, the first contact read, nothing running.
    quiet = 0
    while quiet < 50:
        app.processEvents()
        time.sleep(0.01)
        quiet = quiet + 1 if context.database_open and not window.runner.busy else 0
    print(f"settled {window.contacts.model.rowCount()} {peak_mb():.1f}", flush=True)
    window.close()
    """
)

BASELINE_CHILD = textwrap.dedent(
    """
    import os, sys
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableView
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    table = QTableView(window)
    window.setCentralWidget(table)
    window.resize(1280, 800)
    window.show()
    app.processEvents()
    table.viewport().grab()
    with open("/proc/self/status") as status:
        hwm = next(line for line in status if line.startswith("VmHWM:"))
    print(f"shown 0 {int(hwm.split()[1]) / 1024:.1f}", flush=True)
    print(f"settled 0 {int(hwm.split()[1]) / 1024:.1f}", flush=True)
    """
)


def fill_database(context: AppContext, count: int, seed: int = 7) -> None:
    """Store ``count`` generated contacts (one in ten without a place, like a fresh import)."""
    rng = random.Random(seed)
    people: list[Contact] = []
    for n in range(count):
        city, lat, lon = rng.choice(CITIES)
        located = rng.random() > 0.1
        people.append(
            Contact(
                first_name=rng.choice(FIRST),
                last_name=f"{rng.choice(LAST)} {n}",
                company=rng.choice(COMPANIES),
                position=rng.choice(POSITIONS),
                location_text=city if located or rng.random() > 0.5 else None,
                lat=lat + rng.uniform(-0.2, 0.2) if located else None,
                lon=lon + rng.uniform(-0.2, 0.2) if located else None,
                tags=[rng.choice(("investor", "mentor", "alumni", "client"))],
                stage=rng.choice(list(RelationshipStage)),
                source="bench",
            )
        )
    for start in range(0, count, 5000):
        context.contact_repo.add_many(people[start : start + 5000])


def _time_child(script: str, data_dir: Path) -> tuple[float, int, float, float]:
    """Seconds from spawning the process to its 'shown' line, rows shown, and peak RSS in MB
    at that moment and once the window settled."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("NETPLANNER_DB_URL", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # start-up as users have it, with .pyc files
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", script, str(data_dir)],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    elapsed = time.perf_counter() - start
    settled = proc.stdout.readline()
    proc.wait(timeout=120)
    _, rows, rss = line.split()
    _, _, settled_rss = settled.split()
    return elapsed, int(rows), float(rss), float(settled_rss)


def _keystrokes(context: AppContext) -> tuple[list[float], list[float]]:
    """Milliseconds per keystroke: the model's own filter, and the rebuild-per-key baseline."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from netplanner.gui.main_window import MainWindow
    from netplanner.gui.models.contacts_model import ContactTableModel
    from netplanner.gui.tasks import TaskRunner

    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = MainWindow(context, TaskRunner(synchronous=True))
    window.resize(1280, 800)
    window.show()
    window.show_workspace("contacts")
    # Settled, as a window is before anyone types: the first paint done and what waits for
    # it (the first contact's details) read, so the first keystroke is not charged for it.
    settle = time.perf_counter() + 0.3
    while time.perf_counter() < settle:
        app.processEvents()
        time.sleep(0.005)
    ours: list[float] = []
    box = window.contacts.filter_box
    box.setFocus()  # where the typing goes (a click in the box, or Ctrl+F)
    for end in range(1, len(TYPED) + 1):
        start = time.perf_counter()
        box.setText(TYPED[:end])  # what a keystroke does, including the table's repaint
        window.contacts.table.viewport().repaint()
        ours.append((time.perf_counter() - start) * 1000)
    for end in range(len(TYPED) - 1, -1, -1):  # and deleting it again
        start = time.perf_counter()
        box.setText(TYPED[:end])
        window.contacts.table.viewport().repaint()
        ours.append((time.perf_counter() - start) * 1000)
    naive: list[float] = []
    model = ContactTableModel()
    for end in range(1, len(TYPED) + 1):
        start = time.perf_counter()
        found = context.contacts.search(TYPED[:end])
        model.set_contacts([ContactSummary.of(c) for c in found])
        naive.append((time.perf_counter() - start) * 1000)
    window.close()
    return ours, naive


def run() -> bool:
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "data"
        context = build_context(data_dir)
        t0 = time.perf_counter()
        fill_database(context, COUNT)
        print(f"generated {COUNT:,} contacts in {time.perf_counter() - t0:.1f} s")
        context.close()
        ours, bare = [], []
        for _ in range(RUNS):  # interleaved, so a busy moment of the machine hits both
            ours.append(_time_child(CHILD, data_dir))
            bare.append(_time_child(BASELINE_CHILD, data_dir))
        context = build_context(data_dir)
        keys, naive = _keystrokes(context)
        context.close()
    start_s = statistics.median(r[0] for r in ours)
    bare_s = statistics.median(r[0] for r in bare)
    rows = ours[0][1]
    shown_rss = max(r[2] for r in ours)
    rss = max(r[3] for r in ours)
    bare_rss = max(r[3] for r in bare)
    ratio = start_s / bare_s
    median_key, worst_key = statistics.median(keys), max(keys)
    print(
        f"window start to the painted table ({rows:,} rows): {start_s:.3f} s, {ratio:.2f}x "
        f"(floor {START_RATIO:.0f}x); baseline bare window with an empty QTableView: "
        f"{bare_s:.3f} s (medians of {RUNS} interleaved runs)"
    )
    print(
        f"filter per keystroke: median {median_key:.1f} ms, worst {worst_key:.1f} ms "
        f"(floor median {KEYSTROKE_MEDIAN_MS:.0f} ms, worst {KEYSTROKE_WORST_MS:.0f} ms); "
        f"baseline re-query and rebuild: median {statistics.median(naive):.1f} ms, "
        f"worst {max(naive):.1f} ms"
    )
    print(
        f"window peak resident memory: {rss:.0f} MB once settled, {shown_rss:.0f} MB at the "
        f"first paint (floor {MEMORY_FLOOR_MB:.0f} MB); baseline bare window: {bare_rss:.0f} MB"
    )
    checks = {
        "start": ratio <= START_RATIO,
        "filter median": median_key <= KEYSTROKE_MEDIAN_MS,
        "filter worst": worst_key <= KEYSTROKE_WORST_MS,
        "memory": rss <= MEMORY_FLOOR_MB,
    }
    failed = [name for name, ok in checks.items() if not ok]
    print("floors: " + ("all hold" if not failed else "FAILED: " + ", ".join(failed)))
    return not failed


if __name__ == "__main__":
    sys.exit(0 if run() else 1)

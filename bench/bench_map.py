"""The map at 30,000 contacts: opening it, and a pan or zoom step, against a naive scene.

Floors (issue 11): a pan or zoom frame at most 16 ms median and 50 ms worst; the map opens
(construct, set the points, first paint) in at most 300 ms. The baseline in the same run is
a QGraphicsScene with one QGraphicsEllipseItem per contact and no clustering, over no
basemap at all, so it is favoured in everything but the points.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from collections.abc import Callable

COUNT = 30_000
STEPS = 40
FRAME_MEDIAN_FLOOR_MS = 16.0
FRAME_WORST_FLOOR_MS = 50.0
OPEN_FLOOR_MS = 300.0
SIZE = (1280, 800)
PAUSE_S = 0.3  # the user stops between gestures
# Contacts crowd around real cities, as in bench_gui.
CITIES = (
    (38.72, -9.14),
    (52.52, 13.40),
    (-1.29, 36.82),
    (-23.55, -46.63),
    (1.35, 103.82),
    (43.65, -79.38),
    (-33.87, 151.21),
    (35.68, 139.69),
)


def _points(count: int, seed: int = 7) -> list[tuple[int, float, float, float | None]]:
    rng = random.Random(seed)
    out: list[tuple[int, float, float, float | None]] = []
    for n in range(count):
        lat, lon = rng.choice(CITIES)
        rank = rng.random() if rng.random() > 0.2 else None
        out.append((n, lat + rng.uniform(-0.2, 0.2), lon + rng.uniform(-0.2, 0.2), rank))
    return out


def _frames(step: Callable[[], None], paint: Callable[[], object]) -> list[float]:
    times: list[float] = []
    for _ in range(STEPS):
        start = time.perf_counter()
        step()
        paint()
        times.append((time.perf_counter() - start) * 1000)
    return times


def _ours(raw: list[tuple[int, float, float, float | None]]) -> dict[str, list[float]]:
    from pathlib import Path

    from PySide6.QtWidgets import QApplication

    from netplanner.gui.widgets.map_view import MapPoint, MapView
    from netplanner.paths import resource
    from netplanner.services.geocoding.gazetteer import OfflineGazetteer

    gazetteer = OfflineGazetteer(Path(resource("gazetteer.sqlite")))
    points = [MapPoint(n, lat, lon, rank, f"Contact {n}") for n, lat, lon, rank in raw]
    start = time.perf_counter()
    view = MapView(gazetteer.largest_places)
    view.resize(*SIZE)
    view.set_points(points)
    view.show()
    view.grab()
    opened = (time.perf_counter() - start) * 1000

    def settle() -> None:
        """A real pause: the labels and the description follow, idle work runs."""
        view._settled()
        until = time.perf_counter() + PAUSE_S
        while time.perf_counter() < until:
            QApplication.processEvents()

    # Zoom from the world into Lisbon and out again: every cluster level is met afresh.
    view.fit(38.72, -9.14, 2000)
    settle()
    zoom_in = _frames(lambda: view.zoom_by(1.25), view.grab)
    zoom_out = _frames(lambda: view.zoom_by(0.8), view.grab)
    view.fit(48.0, 10.0, 900)  # Europe, labels shown
    settle()
    pan_country = _frames(lambda: view.pan_by(24, 9), view.grab)
    view.fit(38.72, -9.14, 15)  # over a crowd of 3,700 at city zoom
    settle()
    pan_city = _frames(lambda: view.pan_by(-18, 12), view.grab)
    view.show_world()
    settle()
    pan_world = _frames(lambda: view.pan_by(30, 0), view.grab)
    view.close()
    gazetteer.close()
    return {
        "open": [opened],
        "zoom": zoom_in + zoom_out,
        "pan": pan_country + pan_city + pan_world,
    }


def _naive(raw: list[tuple[int, float, float, float | None]]) -> dict[str, list[float]]:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QBrush, QColor, QPen
    from PySide6.QtWidgets import QGraphicsEllipseItem, QGraphicsScene, QGraphicsView

    from netplanner.domain import mapgeo

    start = time.perf_counter()
    scene = QGraphicsScene()
    pen, brush = QPen(QColor("white")), QBrush(QColor("orange"))
    for _n, lat, lon, _rank in raw:
        x, y = mapgeo.project(lat, lon)
        item = QGraphicsEllipseItem(x * 4096 - 2, y * 4096 - 2, 4, 4)
        item.setPen(pen)
        item.setBrush(brush)
        scene.addItem(item)
    view = QGraphicsView(scene)
    view.resize(*SIZE)
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.fitInView(scene.sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)
    view.show()
    view.viewport().grab()
    opened = (time.perf_counter() - start) * 1000
    zoom = _frames(lambda: view.scale(1.25, 1.25), view.viewport().grab)
    zoom += _frames(lambda: view.scale(0.8, 0.8), view.viewport().grab)
    view.scale(4, 4)  # about Europe's size, where a pan shows many points
    view.centerOn(*(c * 4096 for c in mapgeo.project(48.0, 10.0)))
    bar = view.horizontalScrollBar()
    pan = _frames(lambda: bar.setValue(bar.value() + 24), view.viewport().grab)
    view.close()
    return {"open": [opened], "zoom": zoom, "pan": pan}


def run() -> bool:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    import netplanner.gui.widgets.map_view  # noqa: F401  (imports are not the map opening)

    raw = _points(COUNT)
    ours = _ours(raw)
    naive = _naive(raw)
    del app
    ok = True
    opened = ours["open"][0]
    ok &= opened <= OPEN_FLOOR_MS
    print(
        f"open the map ({COUNT:,} contacts, first paint, basemap read): {opened:.0f} ms "
        f"(floor {OPEN_FLOOR_MS:.0f} ms); baseline one item per contact: "
        f"{naive['open'][0]:.0f} ms"
    )
    for name in ("pan", "zoom"):
        times, base = ours[name], naive[name]
        median, worst = statistics.median(times), max(times)
        ok &= median <= FRAME_MEDIAN_FLOOR_MS and worst <= FRAME_WORST_FLOOR_MS
        print(
            f"{name} frame over {len(times)} steps: median {median:.1f} ms, worst {worst:.1f} ms "
            f"(floors {FRAME_MEDIAN_FLOOR_MS:.0f} / {FRAME_WORST_FLOOR_MS:.0f} ms); baseline: "
            f"median {statistics.median(base):.1f} ms, worst {max(base):.1f} ms"
        )
    return ok


if __name__ == "__main__":
    sys.exit(0 if run() else 1)

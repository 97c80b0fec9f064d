"""Idle-time garbage collection, and the basemap's lookup of what lies in a view."""

from __future__ import annotations

import gc
import random
from typing import Any

from PySide6.QtCore import QRectF

from netplanner.gui.idle_collector import IdleCollector
from netplanner.gui.widgets.map_basemap import BoxIndex, shared_basemap


def test_work_ending_collects_once_the_pause_is_long_enough(qtbot: Any) -> None:
    collector = IdleCollector(idle_ms=50)
    try:
        collector.poke()
        qtbot.wait(20)
        collector.poke()  # more work ended: the pause starts again
        assert collector.collections == 0
        qtbot.waitUntil(lambda: collector.collections == 1, timeout=2000)
        assert gc.get_freeze_count() > 0  # what survived is no longer scanned mid-frame
        qtbot.wait(120)
        assert collector.collections == 1  # once per pause, not on a timer
    finally:
        collector.stop()
    assert gc.get_freeze_count() == 0


def test_box_index_finds_every_box_that_meets_the_view() -> None:
    rng = random.Random(3)
    boxes = []
    for _ in range(400):
        x, y = rng.random(), rng.random()
        boxes.append(QRectF(x, y, rng.random() * 0.05, rng.random() * 0.05))
    index = BoxIndex(boxes)
    for _ in range(200):
        size = rng.choice((0.001, 0.01, 0.1))
        view = QRectF(rng.random(), rng.random(), size, size)
        near = list(index.near(view))
        assert near == sorted(near)  # drawn in the file's order
        meets = {n for n, box in enumerate(boxes) if box.intersects(view)}
        assert meets <= set(near)
        assert len(near) < len(boxes)  # a small view looks at a few, not at all


def test_a_city_view_draws_only_nearby_coast() -> None:
    layer = shared_basemap().layer_for(10)
    lisbon = QRectF(0.4745, 0.3855, 0.004, 0.0025)
    near = list(layer.near("coasts", lisbon))
    assert 0 < len(near) < len(layer.coasts) / 20
    assert any(layer.coasts[n][1].intersects(lisbon) for n in near)

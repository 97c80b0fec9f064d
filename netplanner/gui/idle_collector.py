"""Python's full garbage collection, moved to the moments the user is not waiting.

A full collection scans every object Python tracks. With 30,000 contacts in memory that is
over 100 ms, and it falls wherever the allocations happen to cross the threshold: in the
middle of a drag of the radius, or a keystroke in a filter. The window collects once its
work has ended and a pause has passed, then freezes what survived, so the collections that
do come during work scan only what is new since.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

IDLE_MS = 700  # after the last task ended, the user is reading, not dragging


class IdleCollector(QObject):
    """Collects and freezes after ``poke`` once nothing more happened for ``IDLE_MS``."""

    def __init__(self, parent: QObject | None = None, idle_ms: int = IDLE_MS) -> None:
        super().__init__(parent)
        self.collections = 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(idle_ms)
        self._timer.timeout.connect(self.collect_now)

    def poke(self) -> None:
        """Work just ended (or more came): collect once the pause is long enough."""
        self._timer.start()

    def collect_now(self) -> None:
        # Unfreeze first: what was frozen and has become garbage since is freed now.
        gc.unfreeze()
        gc.collect()
        gc.freeze()
        self.collections += 1

    def stop(self) -> None:
        """Give the objects back to normal collection (the window is closing)."""
        self._timer.stop()
        gc.unfreeze()

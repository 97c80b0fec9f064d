"""Python's cycle collector paused while a burst of long-lived objects is built.

An import of 30,000 rows and the window's start each allocate hundreds of thousands of
objects, nearly none of them garbage; the collections they set off are pure cost.
"""

from __future__ import annotations

import gc


class CollectorPause:
    """The cycle collector stopped from construction until ``resume``.

    ``resume`` freezes what was made meanwhile before enabling the collector again: left
    young, the first young collection would walk all of it for nothing. Where nothing was
    frozen before, it then joins the oldest generation (``unfreeze``); the window freezes on
    purpose and collects it when idle (``gui.idle_collector``).
    """

    def __init__(self) -> None:
        self._paused = gc.isenabled()
        self._frozen_before = gc.get_freeze_count()
        gc.disable()

    def resume(self) -> None:
        """Run the collector again (once; later calls do nothing)."""
        if not self._paused:
            return
        self._paused = False
        gc.freeze()
        gc.enable()
        if not self._frozen_before:
            gc.unfreeze()

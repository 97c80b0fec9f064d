"""Allows ``python -m netplanner``."""

from __future__ import annotations

import sys

from netplanner.cli import main

if __name__ == "__main__":
    sys.exit(main())

"""NetPlanner: turn professional connections into relationships, face to face."""

__version__ = "0.1.0"

"""Importing the user's network from other tools' exports, and NetPlanner's own JSON."""

from netplanner.services.importers.detection import FORMATS, detect_format
from netplanner.services.importers.records import ImportFileError, ImportReport, ParsedFile
from netplanner.services.importers.service import AUTO, ImportService

__all__ = [
    "AUTO",
    "FORMATS",
    "ImportFileError",
    "ImportReport",
    "ImportService",
    "ParsedFile",
    "detect_format",
]

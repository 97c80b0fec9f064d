"""The About dialog: version and the licences of the data NetPlanner ships and shows."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from netplanner import __version__

ABOUT_TEXT = (
    "<h3>NetPlanner {version}</h3>"
    "<p>Meet your professional network face to face.</p>"
    "<p><b>Data</b><br>"
    "Places: GeoNames (<a href='https://www.geonames.org/'>geonames.org</a>), "
    "licensed under CC BY 4.0.<br>"
    "Map: Natural Earth (<a href='https://www.naturalearthdata.com/'>naturalearthdata.com</a>), "
    "public domain.<br>"
    "Online places and venues, when you turn them on: © OpenStreetMap contributors, "
    "licensed under the ODbL.<br>"
    "Time zones: timezone-boundary-builder data through tzfpy (ODbL).</p>"
)


def about_text() -> str:
    return ABOUT_TEXT.format(version=__version__)


def make_about_box(parent: QWidget | None) -> QMessageBox:
    """The About box (not yet shown), so screenshots and tests can look at it."""
    box = QMessageBox(parent)
    box.setWindowTitle("About NetPlanner")
    box.setIcon(QMessageBox.Icon.Information)
    box.setText(about_text())
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    return box

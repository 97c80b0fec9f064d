# PyInstaller runtime hook, in place of PyInstaller's own pyi_rth_pyside6 (netplanner.spec).
#
# That hook imports PySide6.QtCore, and with it shiboken6's signature machinery (about
# 150 ms), before main runs, for every command, `--version` too, only to register a qt.conf
# the PySide6 wheel already embeds. This one only points Qt at the bundle's plugins; Qt
# itself is imported when the window opens. os.path, not pathlib: this runs before main, and
# pathlib costs 8 ms to import.
# ruff: noqa: PTH118
import os
import sys

_qt = os.path.join(sys._MEIPASS, "PySide6")
if sys.platform != "win32":
    _qt = os.path.join(_qt, "Qt")
os.environ["QT_PLUGIN_PATH"] = os.path.join(_qt, "plugins")
os.environ["QML2_IMPORT_PATH"] = os.path.join(_qt, "qml")
del _qt

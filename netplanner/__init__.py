"""NetPlanner: turn professional connections into relationships, face to face."""

__version__ = "0.1.0"
# The reverse-DNS application id: the desktop file's and metainfo's name, Qt's desktopFileName
# and the icon's name in the icon theme. packaging/ and netplanner.spec read it from here.
APP_ID = "io.github.netplanner.NetPlanner"

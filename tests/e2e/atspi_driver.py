"""AT-SPI driver: one JSON request per stdin line, one JSON reply per stdout line.

Runs under the system Python (``/usr/bin/python3``), the only one that can import Debian's
pyatspi; the tests talk to it through ``tests/e2e/atspi_client.py``. Only the stdlib and pyatspi.

An accessible is addressed by its *path*: the child indices from the application object down.
Every request resolves the path afresh and only what cannot change (role, interfaces) is
cached, so a reply is what the window shows now, never what it showed before.

Request: ``{"op": "find", "pid": 123, ...arguments}``. Reply: ``{"ok": true, "result": ...}``
or ``{"ok": false, "error": "..."}``.
"""

from __future__ import annotations

import ctypes
import json
import re
import sys
import traceback
from collections.abc import Callable, Iterator
from typing import Any

import pyatspi
from gi.repository import Atspi, GLib

# Containers whose children are rows of cells: walking them costs one D-Bus call per cell, so a
# tree walk lists their size and leaves the cells to table_cell().
CELL_CONTAINERS = {"table", "tree table", "tree"}
STATE_NAMES = (
    "active",
    "checked",
    "editable",
    "enabled",
    "focusable",
    "focused",
    "modal",
    "selectable",
    "selected",
    "sensitive",
    "showing",
    "visible",
)
# Roles whose objects may carry a Text interface (Qt gives one to editable text only).
TEXT_ROLES = {"text", "password text", "entry", "spin button", "combo box", "paragraph"}
TEXT_ROLES |= {"document text", "terminal", "editbar"}
# Roles that only hold other objects: nothing to press on them.
CONTAINER_ROLES = {"application", "frame", "filler", "panel", "layered pane", "scroll pane"}
CONTAINER_ROLES |= {"split pane", "status bar", "tool bar", "menu bar", "unknown", "separator"}
CONTAINER_ROLES |= {"label", "heading", "section", "grouping", "viewport"}
Node = dict[str, Any]


class DriverError(Exception):
    """A request that cannot be answered (no such path, no such interface)."""


def pump() -> None:
    """Let GLib dispatch pending D-Bus messages, so nothing queued is mistaken for state."""
    context = GLib.MainContext.default()
    while context.pending():
        context.iteration(False)


def application(pid: int | None, name: str | None) -> Any:
    """The application on the desktop with this process id (or, failing that, name)."""
    pump()
    desktop = pyatspi.Registry.getDesktop(0)
    for index in range(desktop.childCount):
        app = desktop.getChildAtIndex(index)
        if app is None:
            continue
        try:
            app_pid = app.get_process_id()
        except GLib.Error:
            continue
        if (pid is not None and app_pid == pid) or (pid is None and app.name == name):
            # Role and interfaces never change for an object; everything else is asked afresh.
            app.set_cache_mask(Atspi.Cache.ROLE | Atspi.Cache.INTERFACES)
            return app
    raise DriverError(f"no application with pid={pid} name={name!r} on the AT-SPI desktop")


def resolve(app: Any, path: list[int]) -> Any:
    node = app
    for step, index in enumerate(path):
        count = node.childCount
        if index >= count:
            raise DriverError(f"path {path} is gone: step {step} asks child {index} of {count}")
        node = node.getChildAtIndex(index)
        if node is None:
            raise DriverError(f"path {path} is gone at step {step}")
    return node


def states_of(acc: Any) -> list[str]:
    # One GetState call: StateSet.contains() would ask the application again for every state.
    held = {state.value_nick for state in acc.getState().getStates()}
    return [name for name in STATE_NAMES if name in held]


def text_content(acc: Any) -> str | None:
    """The Text interface's whole text, or None when the object has no Text interface."""
    try:
        text = acc.queryText()
    except NotImplementedError:
        return None
    return str(text.getText(0, -1))


def actions_of(acc: Any) -> list[str]:
    try:
        action = acc.queryAction()
    except NotImplementedError:
        return []
    return [str(action.getName(i)) for i in range(action.nActions)]


def describe(acc: Any, path: list[int], full: bool = False) -> Node:
    """One accessible as plain JSON: what a screen reader would know about it.

    Every property is a D-Bus round trip to the window, so the text and actions are asked
    only of roles that can have them, and the interfaces only when ``full``.
    """
    role = str(acc.getRoleName())
    node: Node = {
        "path": path,
        "role": role,
        "name": str(acc.name or ""),
        "description": str(acc.description or ""),
        "states": states_of(acc),
        "child_count": int(acc.childCount),
    }
    try:
        node["id"] = str(acc.get_accessible_id() or "")
    except GLib.Error:
        node["id"] = ""
    node["text"] = text_content(acc) if full or role in TEXT_ROLES else None
    node["actions"] = actions_of(acc) if full or role not in CONTAINER_ROLES else []
    if full:
        node["interfaces"] = [str(i) for i in acc.get_interfaces()]
    return node


def walk(acc: Any, path: list[int], max_depth: int = 60) -> Iterator[tuple[Any, list[int]]]:
    """Every accessible under ``acc`` (itself first), not descending into cell containers."""
    yield acc, path
    if len(path) >= max_depth or acc.getRoleName() in CELL_CONTAINERS:
        return
    for index in range(acc.childCount):
        child = acc.getChildAtIndex(index)
        if child is not None:
            yield from walk(child, [*path, index], max_depth)


def matches(acc: Any, query: dict[str, Any]) -> bool:
    if query.get("role") is not None and acc.getRoleName() != query["role"]:
        return False
    if query.get("name") is not None and (acc.name or "") != query["name"]:
        return False
    if query.get("name_re") is not None and not re.fullmatch(query["name_re"], acc.name or ""):
        return False
    if query.get("object_name") is not None:
        ident = acc.get_accessible_id() or ""
        if ident.rsplit(".", 1)[-1] != query["object_name"]:
            return False
    return not query.get("showing") or acc.getState().contains(pyatspi.STATE_SHOWING)


def op_find(app: Any, req: dict[str, Any]) -> list[Node]:
    within = list(req.get("within") or [])
    start = resolve(app, within)
    limit = int(req.get("limit") or 0)
    found: list[Node] = []
    for acc, path in walk(start, within):
        if matches(acc, req):
            found.append(describe(acc, path, full=bool(req.get("full"))))
            if limit and len(found) >= limit:
                break
    return found


def op_describe(app: Any, req: dict[str, Any]) -> Node:
    return describe(resolve(app, req["path"]), req["path"], full=True)


def op_children(app: Any, req: dict[str, Any]) -> list[Node]:
    parent = resolve(app, req["path"])
    return [
        describe(parent.getChildAtIndex(i), [*req["path"], i]) for i in range(parent.childCount)
    ]


def op_tree(app: Any, req: dict[str, Any]) -> list[Node]:
    within = list(req.get("within") or [])
    return [describe(acc, path) for acc, path in walk(resolve(app, within), within)]


def op_text_of(app: Any, req: dict[str, Any]) -> str:
    """What the object says: its Text, else its description, else its name.

    A QLabel has no Text interface: unnamed, its text is its name; given an accessible name
    ("Contact name"), its text is only there if the window puts it in the description.
    """
    acc = resolve(app, req["path"])
    text = text_content(acc)
    if text is not None:
        return text
    return str(acc.description or "") or str(acc.name or "")


def op_set_text(app: Any, req: dict[str, Any]) -> bool:
    acc = resolve(app, req["path"])
    try:
        editable = acc.queryEditableText()
    except NotImplementedError as exc:
        raise DriverError(f"{acc.getRoleName()} {acc.name!r} has no EditableText") from exc
    return bool(editable.setTextContents(req["text"]))


def op_do_action(app: Any, req: dict[str, Any]) -> str:
    """Run the named action (or the first of ``names`` it has); returns the one run."""
    acc = resolve(app, req["path"])
    available = actions_of(acc)
    for wanted in req["names"]:
        if wanted in available:
            acc.queryAction().doAction(available.index(wanted))
            return str(wanted)
    raise DriverError(
        f"{acc.getRoleName()} {acc.name!r} has none of {req['names']}; it has {available}"
    )


class WindowAttributes(ctypes.Structure):
    """Xlib's XWindowAttributes, for map_state."""

    _fields_ = [
        *((f, ctypes.c_int) for f in ("x", "y", "width", "height", "border_width", "depth")),
        ("visual", ctypes.c_void_p),
        ("root", ctypes.c_ulong),
        *((f, ctypes.c_int) for f in ("c_class", "bit_gravity", "win_gravity", "backing_store")),
        ("backing_planes", ctypes.c_ulong),
        ("backing_pixel", ctypes.c_ulong),
        ("save_under", ctypes.c_int),
        ("colormap", ctypes.c_ulong),
        ("map_installed", ctypes.c_int),
        ("map_state", ctypes.c_int),
        ("all_event_masks", ctypes.c_long),
        ("your_event_mask", ctypes.c_long),
        ("do_not_propagate_mask", ctypes.c_long),
        ("override_redirect", ctypes.c_int),
        ("screen", ctypes.c_void_p),
    ]


IS_VIEWABLE = 2  # map_state of a mapped window whose ancestors are mapped


class X11:
    """Just enough Xlib (through ctypes) to give a top-level window the input focus.

    Under Xvfb no window manager activates windows, and Qt ignores the pointer-root focus X
    falls back to, so without this no window is active and no shortcut fires.
    """

    def __init__(self) -> None:
        lib = ctypes.cdll.LoadLibrary("libX11.so.6")
        vp, ul, ui = ctypes.c_void_p, ctypes.c_ulong, ctypes.c_uint
        lib.XOpenDisplay.restype = vp
        lib.XOpenDisplay.argtypes = [ctypes.c_char_p]
        lib.XDefaultRootWindow.restype = ul
        lib.XDefaultRootWindow.argtypes = [vp]
        lib.XInternAtom.restype = ul
        lib.XInternAtom.argtypes = [vp, ctypes.c_char_p, ctypes.c_int]
        lib.XQueryTree.argtypes = [vp, ul, *(ctypes.POINTER(ul),) * 2]
        lib.XQueryTree.argtypes += [ctypes.POINTER(ctypes.POINTER(ul)), ctypes.POINTER(ui)]
        lib.XGetWindowProperty.argtypes = [vp, ul, ul, ctypes.c_long, ctypes.c_long]
        lib.XGetWindowProperty.argtypes += [ctypes.c_int, ul, ctypes.POINTER(ul)]
        lib.XGetWindowProperty.argtypes += [ctypes.POINTER(ctypes.c_int), ctypes.POINTER(ul)]
        lib.XGetWindowProperty.argtypes += [ctypes.POINTER(ul), ctypes.POINTER(ctypes.c_void_p)]
        lib.XFree.argtypes = [vp]
        lib.XRaiseWindow.argtypes = [vp, ul]
        lib.XSetInputFocus.argtypes = [vp, ul, ctypes.c_int, ul]
        lib.XSync.argtypes = [vp, ctypes.c_int]
        lib.XGetWindowAttributes.argtypes = [vp, ul, ctypes.POINTER(WindowAttributes)]
        self.lib = lib
        self.display = lib.XOpenDisplay(None)
        if not self.display:
            raise DriverError("cannot open the X display")
        self.pid_atom = lib.XInternAtom(self.display, b"_NET_WM_PID", 0)

    def children(self, window: int) -> list[int]:
        root, parent = ctypes.c_ulong(), ctypes.c_ulong()
        kids, count = ctypes.POINTER(ctypes.c_ulong)(), ctypes.c_uint()
        self.lib.XQueryTree(
            self.display,
            window,
            ctypes.byref(root),
            ctypes.byref(parent),
            ctypes.byref(kids),
            ctypes.byref(count),
        )
        out = [int(kids[i]) for i in range(count.value)]
        if kids:
            self.lib.XFree(kids)
        return out

    def pid_of(self, window: int) -> int | None:
        kind, fmt = ctypes.c_ulong(), ctypes.c_int()
        items, after, data = ctypes.c_ulong(), ctypes.c_ulong(), ctypes.c_void_p()
        cardinal = 6
        status = self.lib.XGetWindowProperty(
            self.display,
            window,
            self.pid_atom,
            0,
            1,
            0,
            cardinal,
            ctypes.byref(kind),
            ctypes.byref(fmt),
            ctypes.byref(items),
            ctypes.byref(after),
            ctypes.byref(data),
        )
        if status != 0 or not data.value:
            return None
        try:
            return (
                int(ctypes.cast(data, ctypes.POINTER(ctypes.c_ulong))[0]) if items.value else None
            )
        finally:
            self.lib.XFree(data)

    def viewable(self, window: int) -> bool:
        attrs = WindowAttributes()
        if not self.lib.XGetWindowAttributes(self.display, window, ctypes.byref(attrs)):
            return False
        return attrs.map_state == IS_VIEWABLE

    def focus_pid(self, pid: int) -> int:
        """Raise and focus the mapped top-level windows of ``pid``; returns how many."""
        root = self.lib.XDefaultRootWindow(self.display)
        windows = [w for w in self.children(root) if self.pid_of(w) == pid and self.viewable(w)]
        for window in windows:
            self.lib.XRaiseWindow(self.display, window)
        if windows:
            revert_to_parent, current_time = 2, 0
            self.lib.XSetInputFocus(self.display, windows[-1], revert_to_parent, current_time)
        self.lib.XSync(self.display, 0)
        return len(windows)


_x11: X11 | None = None


def op_activate(app: Any, req: dict[str, Any]) -> int:
    """Make the application's top window the active one, as a click on it would."""
    global _x11
    if _x11 is None:
        _x11 = X11()
    return _x11.focus_pid(int(app.get_process_id()))


def op_select_child(app: Any, req: dict[str, Any]) -> bool:
    acc = resolve(app, req["path"])
    try:
        selection = acc.querySelection()
    except NotImplementedError as exc:
        raise DriverError(f"{acc.getRoleName()} {acc.name!r} has no Selection") from exc
    if req.get("clear", True):
        selection.clearSelection()
    return bool(selection.selectChild(int(req["index"])))


def op_selected_children(app: Any, req: dict[str, Any]) -> list[Node]:
    acc = resolve(app, req["path"])
    selection = acc.querySelection()
    out: list[Node] = []
    for i in range(selection.nSelectedChildren):
        child = selection.getSelectedChild(i)
        out.append(describe(child, [*req["path"], child.getIndexInParent()], full=False))
    return out


def table_of(app: Any, path: list[int]) -> Any:
    acc = resolve(app, path)
    try:
        return acc, acc.queryTable()
    except NotImplementedError as exc:
        raise DriverError(f"{acc.getRoleName()} {acc.name!r} has no Table") from exc


def op_select_row(app: Any, req: dict[str, Any]) -> bool:
    """Select a table row through Selection, on the child that is its first cell."""
    acc, table = table_of(app, req["path"])
    index = table.getIndexAt(int(req["row"]), 0)
    selection = acc.querySelection()
    selection.clearSelection()
    return bool(selection.selectChild(index))


def op_table_cell(app: Any, req: dict[str, Any]) -> str:
    _, table = table_of(app, req["path"])
    cell = table.getAccessibleAt(int(req["row"]), int(req["col"]))
    if cell is None:
        raise DriverError(f"no cell at {req['row']},{req['col']}")
    text = text_content(cell)
    return text if text is not None else str(cell.name or "")


def op_table_shape(app: Any, req: dict[str, Any]) -> dict[str, Any]:
    _, table = table_of(app, req["path"])
    columns = int(table.nColumns)
    return {
        "rows": int(table.nRows),
        "columns": columns,
        "headers": [str(table.getColumnDescription(c) or "") for c in range(columns)],
        "selected_rows": [int(r) for r in table.getSelectedRows()],
    }


# X keysyms of the keys the tests press; a printable Latin-1 character is its own keysym.
KEYSYMS = {
    "BackSpace": 0xFF08,
    "Tab": 0xFF09,
    "Return": 0xFF0D,
    "Escape": 0xFF1B,
    "Home": 0xFF50,
    "Left": 0xFF51,
    "Up": 0xFF52,
    "Right": 0xFF53,
    "Down": 0xFF54,
    "End": 0xFF57,
    "Delete": 0xFFFF,
    **{f"F{n}": 0xFFBD + n for n in range(1, 13)},
}
# X modifier masks, as XkbLockModifiers takes them.
MODIFIER_MASKS = {"Shift": 1 << 0, "Control": 1 << 2, "Alt": 1 << 3}


def keysym_of(name: str) -> int:
    if name in KEYSYMS:
        return KEYSYMS[name]
    if len(name) == 1 and ord(name) < 0x100:
        return ord(name)
    raise DriverError(f"unknown key {name!r}; add its X keysym to KEYSYMS")


def op_key(app: Any, req: dict[str, Any]) -> bool:
    """Press and release one key (``"1"``, ``"Tab"``) with ``modifiers`` held, as X events.

    The modifiers are latched with XkbLockModifiers for the one key, which is what the registry
    offers without knowing the keyboard map's key codes.
    """
    mask = 0
    for modifier in req.get("modifiers", []):
        if modifier not in MODIFIER_MASKS:
            raise DriverError(f"unknown modifier {modifier!r}")
        mask |= MODIFIER_MASKS[modifier]
    code = keysym_of(req["keysym"])
    if mask:
        pyatspi.Registry.generateKeyboardEvent(mask, None, pyatspi.KEY_LOCKMODIFIERS)
    try:
        pyatspi.Registry.generateKeyboardEvent(code, None, pyatspi.KEY_SYM)
    finally:
        if mask:
            pyatspi.Registry.generateKeyboardEvent(mask, None, pyatspi.KEY_UNLOCKMODIFIERS)
    return True


def op_apps(app: Any, req: dict[str, Any]) -> list[dict[str, Any]]:
    pump()
    desktop = pyatspi.Registry.getDesktop(0)
    out = []
    for index in range(desktop.childCount):
        child = desktop.getChildAtIndex(index)
        if child is not None:
            out.append({"name": str(child.name or ""), "pid": int(child.get_process_id())})
    return out


OPS: dict[str, Callable[[Any, dict[str, Any]], Any]] = {
    "activate": op_activate,
    "apps": op_apps,
    "children": op_children,
    "describe": op_describe,
    "do_action": op_do_action,
    "find": op_find,
    "key": op_key,
    "select_child": op_select_child,
    "select_row": op_select_row,
    "selected_children": op_selected_children,
    "set_text": op_set_text,
    "table_cell": op_table_cell,
    "table_shape": op_table_shape,
    "text_of": op_text_of,
    "tree": op_tree,
}
NEEDS_NO_APP = {"apps"}


def answer(req: dict[str, Any]) -> dict[str, Any]:
    op = OPS.get(req.get("op", ""))
    if op is None:
        return {"ok": False, "error": f"unknown op {req.get('op')!r}"}
    try:
        app = None if req["op"] in NEEDS_NO_APP else application(req.get("pid"), req.get("app"))
        return {"ok": True, "result": op(app, req)}
    except DriverError as exc:
        return {"ok": False, "error": str(exc)}
    except Exception as exc:  # a D-Bus error mid-walk: the window changed under us
        return {
            "ok": False,
            "error": f"{type(exc).__name__}: {exc}",
            "trace": traceback.format_exc(),
        }


def wait_for_bus_launcher(timeout: float) -> int:
    """Exit 0 once org.a11y.Bus has an owner on the session bus, 1 after ``timeout`` s.

    Asking the registry before the launcher owns its name would make D-Bus start a second
    launcher of its own, which nobody would stop.
    """
    import time

    from gi.repository import Gio

    bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        reply = bus.call_sync(
            "org.freedesktop.DBus",
            "/org/freedesktop/DBus",
            "org.freedesktop.DBus",
            "NameHasOwner",
            GLib.Variant("(s)", ("org.a11y.Bus",)),
            None,
            Gio.DBusCallFlags.NONE,
            2000,
            None,
        )
        if reply.unpack()[0]:
            return 0
        time.sleep(0.05)
    return 1


def main() -> int:
    if sys.argv[1:2] == ["--wait-for-bus-launcher"]:
        return wait_for_bus_launcher(float(sys.argv[2]))
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            req = json.loads(line)
        except json.JSONDecodeError as exc:
            reply: dict[str, Any] = {"ok": False, "error": f"bad request: {exc}"}
        else:
            reply = answer(req)
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())

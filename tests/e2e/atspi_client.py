"""The venv side of the AT-SPI driver: typed calls, polling, and readable failures.

pyatspi only imports into the system Python, so ``atspi_driver.py`` runs there as a child and
this client speaks JSON lines to it. A :class:`Node` is a snapshot; its ``path`` addresses the
same object as long as the window's structure above it does not change, so look things up
again after switching workspaces rather than keeping nodes across it.
"""

from __future__ import annotations

import json
import os
import re
import select
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

DRIVER = Path(__file__).with_name("atspi_driver.py")
SYSTEM_PYTHON = "/usr/bin/python3"
REPLY_TIMEOUT = 30.0
# How long the window gets to react to one step (a selection, a press): generous for a loaded
# CI machine, short enough that a test waiting for the window's next version fails quickly.
REACTION_TIMEOUT = 6.0
T = TypeVar("T")

# Roles a person operates: each must have a name a screen reader can say.
CONTROL_ROLES = frozenset(
    {
        "push button",
        "toggle button",
        "text",
        "password text",
        "entry",
        "combo box",
        "spin button",
        "check box",
        "radio button",
        "list",
        "list box",
        "table",
        "tree",
        "tree table",
        "page tab list",
        "slider",
        "menu item",
        "check menu item",
        "radio menu item",
        "date editor",
    }
)
# Roles named by their own text: a tab or an item passes when it says something.
ITEM_ROLES = frozenset({"page tab", "list item", "table cell", "tree item"})


class AtspiError(RuntimeError):
    """The driver could not do what was asked (the object is gone, has no such interface)."""


@dataclass(frozen=True)
class Node:
    """What AT-SPI says about one accessible object at the moment it was asked."""

    path: tuple[int, ...]
    role: str
    name: str
    description: str
    states: frozenset[str]
    child_count: int
    id: str = ""
    interfaces: tuple[str, ...] = ()
    text: str | None = None
    actions: tuple[str, ...] = ()

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Node:
        return cls(
            path=tuple(data["path"]),
            role=data["role"],
            name=data["name"],
            description=data["description"],
            states=frozenset(data["states"]),
            child_count=data["child_count"],
            id=data.get("id", ""),
            interfaces=tuple(data.get("interfaces", ())),
            text=data.get("text"),
            actions=tuple(data.get("actions", ())),
        )

    @property
    def showing(self) -> bool:
        return "showing" in self.states

    @property
    def object_name(self) -> str:
        """The widget's objectName: Qt's accessible id is the dotted chain of them."""
        return self.id.rsplit(".", 1)[-1]

    def line(self) -> str:
        """One line for a tree dump or a failure message."""
        states = ",".join(sorted(s for s in self.states if s not in {"enabled", "sensitive"}))
        text = f" text={self.text!r}" if self.text else ""
        desc = f" desc={self.description!r}" if self.description else ""
        actions = f" actions={list(self.actions)}" if self.actions else ""
        indent = "  " * len(self.path)
        return (
            f"{indent}[{self.role}] {self.name!r}{desc}{text}{actions} "
            f"id={self.object_name} <{states}> path={list(self.path)}"
        )


Target = Node | Sequence[int]


def path_of(target: Target) -> list[int]:
    return list(target.path if isinstance(target, Node) else target)


def wait_for(
    predicate: Callable[[], T | None],
    timeout: float = REACTION_TIMEOUT,
    message: str | Callable[[], str] = "condition",
    interval: float = 0.05,
) -> T:
    """The predicate's first truthy answer; AssertionError after ``timeout`` seconds.

    An AtspiError inside the predicate counts as "not yet": the object may be being rebuilt.
    """
    deadline = time.monotonic() + timeout
    last: object = None
    while True:
        try:
            value = predicate()
        except AtspiError as exc:
            value, last = None, exc
        else:
            last = value
        if value:
            return value
        if time.monotonic() >= deadline:
            text = message() if callable(message) else message
            raise AssertionError(f"timed out after {timeout:.0f}s waiting for {text}; last: {last}")
        time.sleep(interval)


class AtspiClient:
    """Drives one application (by process id) through the AT-SPI driver child."""

    def __init__(self, env: Mapping[str, str], pid: int, log: Path) -> None:
        self.pid = pid
        self._log = log.open("ab")
        self._proc = subprocess.Popen(
            [SYSTEM_PYTHON, str(DRIVER)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log,
            env=dict(env),
            text=True,
            encoding="utf-8",
        )

    # Plumbing ---------------------------------------------------------------------------
    def request(self, op: str, **args: Any) -> Any:
        """Send one request and return its result; AtspiError when the driver says no."""
        proc = self._proc
        if proc.poll() is not None or proc.stdin is None or proc.stdout is None:
            raise AtspiError(f"the AT-SPI driver has exited ({proc.returncode})")
        proc.stdin.write(json.dumps({"op": op, "pid": self.pid, **args}) + "\n")
        proc.stdin.flush()
        ready, _, _ = select.select([proc.stdout], [], [], REPLY_TIMEOUT)
        if not ready:
            raise AtspiError(f"the AT-SPI driver did not answer {op} in {REPLY_TIMEOUT:.0f}s")
        line = proc.stdout.readline()
        if not line:
            raise AtspiError(f"the AT-SPI driver exited while answering {op}")
        reply = json.loads(line)
        if not reply["ok"]:
            raise AtspiError(f"{op}: {reply['error']}")
        return reply["result"]

    def close(self) -> None:
        proc = self._proc
        if proc.stdin is not None and proc.poll() is None:
            proc.stdin.close()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()
        self._log.close()

    # Looking ----------------------------------------------------------------------------
    def applications(self) -> list[dict[str, Any]]:
        """Every application on the AT-SPI desktop, as {name, pid}."""
        result: list[dict[str, Any]] = self.request("apps")
        return result

    def find(
        self,
        name: str | None = None,
        role: str | None = None,
        within: Target | None = None,
        *,
        name_re: str | None = None,
        object_name: str | None = None,
        showing: bool = False,
        limit: int = 0,
    ) -> list[Node]:
        """The objects under ``within`` (default: the application) that match every filter."""
        found = self.request(
            "find",
            name=name,
            role=role,
            within=path_of(within) if within is not None else [],
            name_re=name_re,
            object_name=object_name,
            showing=showing,
            limit=limit,
        )
        return [Node.from_json(n) for n in found]

    def find_one(
        self,
        name: str | None = None,
        role: str | None = None,
        within: Target | None = None,
        **filters: Any,
    ) -> Node:
        """The first match (preferring a showing one); AtspiError naming what was looked for."""
        found = self.find(name, role, within, **filters)
        if not found:
            raise AtspiError(f"nothing with name={name!r} role={role!r} {filters or ''}")
        showing = [n for n in found if n.showing]
        return (showing or found)[0]

    def wait_find(
        self,
        name: str | None = None,
        role: str | None = None,
        within: Target | None = None,
        timeout: float = REACTION_TIMEOUT,
        **filters: Any,
    ) -> Node:
        return wait_for(
            lambda: self.find_one(name, role, within, **filters),
            timeout,
            f"an object named {name!r} with role {role!r} {filters or ''}",
        )

    def describe(self, target: Target) -> Node:
        return Node.from_json(self.request("describe", path=path_of(target)))

    def children(self, target: Target) -> list[Node]:
        return [Node.from_json(n) for n in self.request("children", path=path_of(target))]

    def tree(self, within: Target | None = None) -> list[Node]:
        """Every object of the app (tables counted, not walked), parents before children."""
        nodes = self.request("tree", within=path_of(within) if within is not None else [])
        return [Node.from_json(n) for n in nodes]

    def dump(self, within: Target | None = None, showing_only: bool = False) -> str:
        """The tree as indented text, for a failure message or a look around."""
        nodes = self.tree(within)
        return "\n".join(node.line() for node in nodes if node.showing or not showing_only)

    def text_of(self, target: Target) -> str:
        """What the object says: its Text interface, else its description, else its name.

        A QLabel has no Text interface: unnamed, its text is its name; given an accessible
        name ("Contact name"), the window must put the text in the accessible description.
        """
        result: str = self.request("text_of", path=path_of(target))
        return result

    # Acting -----------------------------------------------------------------------------
    def set_text(self, target: Target, text: str) -> None:
        """Replace a field's text (EditableText): Qt emits textChanged, not textEdited."""
        self.request("set_text", path=path_of(target), text=text)

    def press(self, target: Target) -> str:
        """Run the object's press action, as a screen reader's "activate" does."""
        names = ["Press", "press", "activate", "Activate", "click", "Toggle"]
        result: str = self.request("do_action", path=path_of(target), names=names)
        return result

    def do_action(self, target: Target, *names: str) -> str:
        result: str = self.request("do_action", path=path_of(target), names=list(names))
        return result

    def select_child(self, target: Target, index: int) -> None:
        """Select child ``index`` through the Selection interface (clearing the rest first)."""
        self.request("select_child", path=path_of(target), index=index)

    def selected_children(self, target: Target) -> list[Node]:
        return [Node.from_json(n) for n in self.request("selected_children", path=path_of(target))]

    def select_row(self, table: Target, row: int) -> None:
        """Select a table row through Selection, on its first cell (Qt selects the row)."""
        self.request("select_row", path=path_of(table), row=row)

    def table_cell(self, table: Target, row: int, col: int) -> str:
        result: str = self.request("table_cell", path=path_of(table), row=row, col=col)
        return result

    def table_shape(self, table: Target) -> dict[str, Any]:
        """{rows, columns, headers, selected_rows} of a Table."""
        result: dict[str, Any] = self.request("table_shape", path=path_of(table))
        return result

    def row_count(self, table: Target) -> int:
        return int(self.table_shape(table)["rows"])

    def column_of(self, table: Target, header: str) -> int:
        headers: list[str] = self.table_shape(table)["headers"]
        if header not in headers:
            raise AtspiError(f"no column {header!r}; the columns are {headers}")
        return headers.index(header)

    def activate(self) -> None:
        """Make the window active, as a click on it would (no window manager under Xvfb)."""
        if not self.request("activate"):
            raise AtspiError("the application has no mapped top-level window")

    def key(self, combo: str) -> None:
        """Press a key through the registry, e.g. ``"Ctrl+1"``, ``"Tab"``, ``"Shift+Tab"``."""
        *mods, keysym = re.split(r"\+(?=.)", combo)
        aliases = {"ctrl": "Control", "control": "Control", "shift": "Shift", "alt": "Alt"}
        modifiers = [aliases[m.lower()] for m in mods]
        self.request("key", keysym=keysym, modifiers=modifiers)


def atspi_available() -> bool:
    """Whether the system Python can import pyatspi."""
    if not os.access(SYSTEM_PYTHON, os.X_OK):
        return False
    probe = subprocess.run(
        [SYSTEM_PYTHON, "-c", "import pyatspi"], capture_output=True, timeout=30, check=False
    )
    return probe.returncode == 0

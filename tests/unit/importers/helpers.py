"""Shared paths and small helpers for the importer tests."""

from __future__ import annotations

from pathlib import Path

from netplanner.domain.entities import Contact
from netplanner.services.context import AppContext

DATA = Path(__file__).resolve().parents[2] / "data" / "import"


def write(tmp: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp / name
    path.write_bytes(text.encode(encoding))
    return path


def by_name(context: AppContext) -> dict[str, Contact]:
    return {c.name: c for c in context.contact_repo.list()}


CONNECTIONS_HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"

"""Copying between ORM rows and domain dataclasses, field by field, by name."""

from __future__ import annotations

import dataclasses
from enum import Enum
from typing import Any, TypeVar

from sqlalchemy import inspect as sa_inspect

from netplanner.storage.models import Base

T = TypeVar("T")


def _columns(row_type: type[Base]) -> set[str]:
    return {attr.key for attr in sa_inspect(row_type).column_attrs}


def to_domain(row: Base, cls: type[T], **extra: Any) -> T:
    """A detached domain object holding the row's values (enums rebuilt from their text)."""
    columns = _columns(type(row))
    values: dict[str, Any] = {}
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        if f.name in extra:
            values[f.name] = extra[f.name]
        elif f.name in columns:
            value = getattr(row, f.name)
            if isinstance(value, list):
                value = list(value)
            values[f.name] = value
    obj = cls(**values)
    # Enum-typed fields: rebuild from stored text using the default's type.
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        default = f.default
        current = getattr(obj, f.name)
        if isinstance(default, Enum) and not isinstance(current, Enum) and current is not None:
            setattr(obj, f.name, type(default)(current))
    return obj


def to_row_values(
    obj: Any, row_type: type[Base], skip: frozenset[str] = frozenset()
) -> dict[str, Any]:
    """Column values for ``row_type`` from a domain object; unset ids and stamps left out."""
    columns = _columns(row_type)
    values: dict[str, Any] = {}
    for f in dataclasses.fields(obj):
        if f.name not in columns or f.name in skip:
            continue
        value = getattr(obj, f.name)
        if value is None and f.name in ("id", "created_at", "updated_at"):
            continue
        if isinstance(value, Enum):
            value = value.value
        elif isinstance(value, list):
            value = list(value)
        values[f.name] = value
    return values


def apply(row: Base, obj: Any, skip: frozenset[str] = frozenset({"id", "created_at"})) -> None:
    """Copy a domain object's values onto an existing row."""
    for key, value in to_row_values(obj, type(row), skip).items():
        if key == "updated_at":
            continue
        setattr(row, key, value)

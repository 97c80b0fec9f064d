"""Target companies: the companies the user wants to do business with."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import defer

from netplanner.domain.entities import Contact, TargetCompany
from netplanner.domain.errors import InputError, NotFoundError
from netplanner.storage.database import Database
from netplanner.storage.models import ContactRow, TargetCompanyRow
from netplanner.storage.repositories.convert import to_domain


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class TargetCompanyRepository:
    """Add, list and remove target companies; find contacts whose company may match."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def add(self, name: str, notes: str | None = None) -> TargetCompany:
        clean = " ".join(name.split())
        if not clean:
            raise InputError("A target company needs a name.")
        with self.db.session() as session:
            existing = session.scalar(
                select(TargetCompanyRow).where(func.lower(TargetCompanyRow.name) == clean.lower())
            )
            if existing is not None:
                raise InputError(f"'{existing.name}' is already a target company.")
            row = TargetCompanyRow(name=clean, notes=notes)
            session.add(row)
            session.flush()
            return to_domain(row, TargetCompany)

    def list(self) -> list[TargetCompany]:
        with self.db.read() as session:
            rows = session.scalars(
                select(TargetCompanyRow).order_by(func.lower(TargetCompanyRow.name))
            ).all()
            return [to_domain(row, TargetCompany) for row in rows]

    def remove(self, target_id: int) -> None:
        with self.db.session() as session:
            result = session.execute(
                delete(TargetCompanyRow).where(TargetCompanyRow.id == target_id)
            )
            if not result.rowcount:  # type: ignore[attr-defined]
                raise NotFoundError(f"There is no target company with id {target_id}.")

    def contacts_with_company_like(self, names: Sequence[str]) -> Sequence[Contact]:
        """Contacts whose company contains any of ``names`` (a coarse filter, refined above)."""
        if not names:
            return []
        stmt = (
            select(ContactRow)
            .options(defer(ContactRow.photo))
            .where(or_(*(ContactRow.company.ilike(_like(n), escape="\\") for n in names)))
            .order_by(func.lower(ContactRow.first_name), func.lower(ContactRow.last_name))
        )
        with self.db.read() as session:
            return [to_domain(row, Contact, photo=None) for row in session.scalars(stmt)]

"""Pending connection requests, as imported."""

from __future__ import annotations

from sqlalchemy import select

from netplanner.domain.entities import Invitation
from netplanner.storage.database import Database
from netplanner.storage.models import InvitationRow
from netplanner.storage.repositories.convert import to_domain


class InvitationRepository:
    """Reads invitations (the importer writes them)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def list(self, status: str | None = None) -> list[Invitation]:
        stmt = select(InvitationRow).order_by(InvitationRow.id)
        if status is not None:
            stmt = stmt.where(InvitationRow.status == status)
        with self.db.read() as session:
            return [to_domain(row, Invitation) for row in session.scalars(stmt)]

"""Pending connection requests, as imported, and the decisions taken on them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from sqlalchemy import delete, func, insert, select

from netplanner.domain.entities import Contact, Invitation
from netplanner.domain.errors import NotFoundError
from netplanner.storage.database import Database
from netplanner.storage.models import ContactRow, InvitationRow
from netplanner.storage.repositories.convert import apply, to_domain, to_row_values


def profile_key(url: str | None) -> str:
    """A profile URL as compared: case and a trailing slash do not tell two apart."""
    return (url or "").strip().rstrip("/").casefold()


class InvitationRepository:
    """Reads invitations (the importer writes them) and records the user's decisions."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def list(self, status: str | None = None) -> list[Invitation]:
        stmt = select(InvitationRow).order_by(InvitationRow.id)
        if status is not None:
            stmt = stmt.where(InvitationRow.status == status)
        with self.db.read() as session:
            return [to_domain(row, Invitation) for row in session.scalars(stmt)]

    def get(self, invitation_id: int) -> Invitation:
        """The invitation with this id, or ``NotFoundError``."""
        with self.db.read() as session:
            row = session.get(InvitationRow, invitation_id)
            if row is None:
                raise NotFoundError(f"There is no invitation with id {invitation_id}.")
            return to_domain(row, Invitation)

    def add_many(self, invitations: Sequence[Invitation]) -> int:
        """Store new invitations in one transaction (the demo's); returns how many."""
        if not invitations:
            return 0
        with self.db.session() as session:
            values = [to_row_values(i, InvitationRow, frozenset({"id"})) for i in invitations]
            session.execute(insert(InvitationRow), values)
        return len(invitations)

    def set_status(self, ids: Iterable[int], status: str) -> dict[int, str]:
        """Give these invitations ``status`` in one transaction; returns their statuses before.

        An unknown id fails with ``NotFoundError`` and changes nothing.
        """
        return self.set_statuses({i: status for i in ids})

    def set_statuses(self, statuses: Mapping[int, str]) -> dict[int, str]:
        """Each invitation its own status (an undo's), in one transaction; the old ones back."""
        if not statuses:
            return {}
        with self.db.session() as session:
            rows = {
                row.id: row
                for row in session.scalars(
                    select(InvitationRow).where(InvitationRow.id.in_(list(statuses)))
                )
            }
            missing = [i for i in statuses if i not in rows]
            if missing:
                raise NotFoundError(f"There is no invitation with id {missing[0]}.")
            before = {i: rows[i].status for i in statuses}
            for invitation_id, status in statuses.items():
                rows[invitation_id].status = status
            return before

    # The contacts an invitation names --------------------------------------------------
    def contacts_by_profile(self, urls: Iterable[str | None]) -> dict[str, Contact]:
        """The contacts with these profile URLs, by ``profile_key`` (photos left out)."""
        wanted = {profile_key(u) for u in urls if profile_key(u)}
        if not wanted:
            return {}
        found: dict[str, Contact] = {}
        keys = sorted(wanted)
        # Stored URLs may end in a slash; compare without one.
        stored = func.lower(func.rtrim(ContactRow.profile_url, "/"))
        with self.db.read() as session:
            for start in range(0, len(keys), 500):
                stmt = select(ContactRow).where(stored.in_(keys[start : start + 500]))
                for row in session.scalars(stmt.order_by(ContactRow.id)):
                    found.setdefault(profile_key(row.profile_url), to_domain(row, Contact))
        return found

    def contact_by_source(self, source: str, source_key: str) -> Contact | None:
        """The contact an import (or an earlier add) recorded under this source key."""
        stmt = select(ContactRow).where(
            ContactRow.source == source, ContactRow.source_key == source_key
        )
        with self.db.read() as session:
            row = session.scalars(stmt.order_by(ContactRow.id)).first()
            return to_domain(row, Contact) if row is not None else None

    def save_contact_with_status(
        self, contact: Contact, invitation_id: int, status: str
    ) -> tuple[Contact, str]:
        """Add or update ``contact`` and set the invitation's status, in one transaction.

        Returns the stored contact and the invitation's status before.
        """
        with self.db.session() as session:
            invitation = session.get(InvitationRow, invitation_id)
            if invitation is None:
                raise NotFoundError(f"There is no invitation with id {invitation_id}.")
            if contact.id is None:
                row = ContactRow(**to_row_values(contact, ContactRow, frozenset({"id"})))
                session.add(row)
            else:
                found = session.get(ContactRow, contact.id)
                if found is None:
                    raise NotFoundError(f"There is no contact with id {contact.id}.")
                row = found
                # The photo is never changed here (and may not have been read).
                apply(row, contact, frozenset({"id", "created_at", "photo"}))
            before, invitation.status = invitation.status, status
            session.flush()
            return to_domain(row, Contact, photo=None), before

    def undo_contact_with_status(
        self,
        invitation_id: int,
        status: str,
        created_id: int | None = None,
        before: Contact | None = None,
    ) -> None:
        """Undo ``save_contact_with_status``: remove the contact it created or write back
        the one it changed, and restore the invitation's status, in one transaction."""
        with self.db.session() as session:
            invitation = session.get(InvitationRow, invitation_id)
            if invitation is not None:
                invitation.status = status
            if created_id is not None:
                session.execute(delete(ContactRow).where(ContactRow.id == created_id))
            elif before is not None and before.id is not None:
                row = session.get(ContactRow, before.id)
                if row is not None:
                    apply(row, before, frozenset({"id", "created_at", "photo"}))


__all__ = ["InvitationRepository", "profile_key"]

"""Finding and editing contacts."""

from __future__ import annotations

from netplanner.domain.entities import Contact
from netplanner.storage.repositories import ContactRepository


class ContactService:
    """The contacts use cases the CLI and the GUI share."""

    def __init__(self, repo: ContactRepository) -> None:
        self.repo = repo

    def search(self, query: str | None = None, needs_location: bool = False) -> list[Contact]:
        """Contacts whose name, company, position, location or tags contain every word."""
        return self.repo.list(query=query, needs_location=needs_location)

    def get(self, contact_id: int) -> Contact:
        return self.repo.get(contact_id)

    def count(self) -> int:
        return self.repo.count()

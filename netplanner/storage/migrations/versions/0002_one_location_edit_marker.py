"""One hand-edit marker for a contact's location: "location", whichever field was named.

The window used to mark each location field it saved by hand ("location_text", "lat", ...)
and the command line marked "location"; imports now look for "location" alone, so the
older names are rewritten to it. A data migration only: no table changes, so no batch mode.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The location fields as they were named when this revision was written (frozen here, not
# imported, so the migration means the same whatever the code becomes).
LOCATION_FIELDS = frozenset(
    ("location_text", "lat", "lon", "country_code", "admin1", "timezone", "location_status")
)
LOCATION_EDITED = "location"

contacts = sa.table(
    "contacts", sa.column("id", sa.Integer()), sa.column("edited_fields", sa.JSON())
)


def _one_marker(fields: list[object]) -> list[object]:
    """The markers with every location field named as one "location", order kept."""
    markers = (LOCATION_EDITED if f in LOCATION_FIELDS else f for f in fields)
    return list(dict.fromkeys(markers))


def upgrade() -> None:
    bind = op.get_bind()
    changed = []
    for contact_id, fields in bind.execute(sa.select(contacts.c.id, contacts.c.edited_fields)):
        if isinstance(fields, list) and _one_marker(fields) != fields:
            changed.append({"contact_id": contact_id, "fields": _one_marker(fields)})
    if changed:
        bind.execute(
            contacts.update()
            .where(contacts.c.id == sa.bindparam("contact_id"))
            .values(edited_fields=sa.bindparam("fields", type_=sa.JSON())),
            changed,
        )


def downgrade() -> None:
    """Nothing to undo: the version before this one reads "location" as a hand edit too."""

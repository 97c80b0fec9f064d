"""Contacts remember the imported row their state already holds (``import_digest``).

A re-import of an unchanged export then compares digests instead of merging every row
again; any write to a contact other than an import's clears its digest. Existing contacts
start without one: their first re-import after this revision merges as before.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('import_digest', sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.drop_column('import_digest')

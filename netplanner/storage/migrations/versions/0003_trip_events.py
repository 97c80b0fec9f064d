"""Trips remember the calendar events they were read from, and the fields as imported.

A trip merged from several events (a flight, a conference, a dinner in one city) keeps every
event's UID in ``trip_events``, so a re-import finds it by any of them; ``trips.imported``
holds the calendar's fields as last imported, so a re-import changes only what the calendar
changed. Trips read from a calendar before this revision get their one UID (``source_key``).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

trips = sa.table(
    "trips",
    sa.column("id", sa.Integer()),
    sa.column("source", sa.String()),
    sa.column("source_key", sa.String()),
)


def upgrade() -> None:
    op.create_table(
        'trip_events',
        sa.Column('uid', sa.String(length=500), nullable=False),
        sa.Column('trip_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ['trip_id'], ['trips.id'], name=op.f('fk_trip_events_trip_id_trips'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('uid', name=op.f('pk_trip_events')),
    )
    with op.batch_alter_table('trip_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_trip_events_trip_id'), ['trip_id'], unique=False)
    with op.batch_alter_table('trips', schema=None) as batch_op:
        batch_op.add_column(sa.Column('imported', sa.JSON(), nullable=True))
    bind = op.get_bind()
    seen: set[str] = set()
    rows = []
    query = (
        sa.select(trips.c.id, trips.c.source_key)
        .where(trips.c.source == "ics", trips.c.source_key.is_not(None))
        .order_by(trips.c.id)
    )
    for trip_id, uid in bind.execute(query):
        if uid not in seen:
            seen.add(uid)
            rows.append({"uid": uid, "trip_id": trip_id})
    if rows:
        events = sa.table("trip_events", sa.column("uid", sa.String()),
                          sa.column("trip_id", sa.Integer()))  # fmt: skip
        bind.execute(events.insert(), rows)


def downgrade() -> None:
    with op.batch_alter_table('trips', schema=None) as batch_op:
        batch_op.drop_column('imported')
    with op.batch_alter_table('trip_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_trip_events_trip_id'))
    op.drop_table('trip_events')

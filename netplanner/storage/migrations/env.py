"""Alembic environment: runs on the connection NetPlanner hands it, batch mode on SQLite."""

from __future__ import annotations

from alembic import context

from netplanner.storage.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("NetPlanner runs migrations on a connection it opens itself")
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()

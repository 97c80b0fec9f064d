"""The PostgreSQL fixtures, for the tests in this folder only."""

from __future__ import annotations

from tests.pg_fixture import postgres_db_url, postgres_server, postgres_url

__all__ = ["postgres_db_url", "postgres_server", "postgres_url"]

"""Storage: SQLAlchemy models, engine and sessions, repositories, migrations, backups."""

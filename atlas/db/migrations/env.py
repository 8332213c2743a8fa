"""Alembic's environment: run by :func:`atlas.db.upgrade` / :func:`atlas.db.downgrade` with the
engine in ``config.attributes["engine"]`` (no ini file, no URL in a file). SQLite migrations run
in batch mode (SQLite alters a table by copying it)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import text

from atlas.db.models import Base

#: Any fixed number: the PostgreSQL advisory lock that lets one process migrate at a time.
MIGRATION_LOCK = 7_150_902

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    engine = config.attributes["engine"]
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            if connection.dialect.name == "postgresql":
                # processes started together (gunicorn workers without --preload) wait for the
                # first one's upgrade, then find the database current
                connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": MIGRATION_LOCK})
            context.run_migrations()


if context.is_offline_mode():
    raise SystemExit(
        "Offline (SQL script) migrations are not supported: run `python -m atlas db upgrade`."
    )
run_migrations_online()

"""Alembic's environment: run by :func:`atlas.db.upgrade` / :func:`atlas.db.downgrade` with the
engine in ``config.attributes["engine"]`` (no ini file, no URL in a file). SQLite migrations run
in batch mode (SQLite alters a table by copying it)."""

from __future__ import annotations

from alembic import context

from atlas.db.models import Base

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
            context.run_migrations()


if context.is_offline_mode():
    raise SystemExit(
        "Offline (SQL script) migrations are not supported: run `python -m atlas db upgrade`."
    )
run_migrations_online()

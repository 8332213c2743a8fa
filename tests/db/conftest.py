"""The database tests run on both backends: SQLite (a file per test) and PostgreSQL (a database
per test in the session's throwaway cluster, ``postgres_url``)."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import create_engine, text

from atlas.db import Database

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path):
    """An empty database's URL on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'atlas.sqlite3'}"
        return
    server = request.getfixturevalue("postgres_url")
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def empty_db(database_url):
    """A database with no table yet."""
    db = Database.from_url(database_url)
    yield db
    db.dispose()


@pytest.fixture
def db(empty_db):
    """A database upgraded to the newest revision."""
    empty_db.upgrade()
    return empty_db

"""The database of what users write (:mod:`atlas.db.models`), and its migrations.

SQLite by default, in ``<ATLAS_DATA_DIR>/atlas.sqlite3`` (foreign keys on, write-ahead log so
readers never wait for a writer), or PostgreSQL when ``ATLAS_DATABASE_URL`` names one (psycopg 3).
The schema is Alembic's: the scripts ship inside the package (``atlas/db/migrations``) and run
from Python (:func:`upgrade`, :func:`downgrade`; ``python -m atlas db upgrade``); the app
upgrades the database at start-up, so ``make run`` needs nothing else.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

if TYPE_CHECKING:
    from alembic.config import Config

    from atlas.settings import Settings

MIGRATIONS = Path(__file__).with_name("migrations")
SQLITE_FILE = "atlas.sqlite3"


class DatabaseError(RuntimeError):
    """The database cannot be opened or upgraded; the message says which and how to fix it."""


def url_for(conf: Settings) -> str:
    """The database's SQLAlchemy URL: ``ATLAS_DATABASE_URL``, else SQLite in the data folder."""
    if conf.database_url:
        return conf.database_url
    return f"sqlite:///{conf.data_dir / SQLITE_FILE}"


def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    # a second process writing (another gunicorn worker) is waited for, not an error
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets its folder created and its pragmas on every
    connection."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


@dataclass
class Database:
    """An engine and its session factory. ``session()`` is a unit of work: committed when the
    block ends, rolled back (nothing written) when it raises."""

    engine: Engine

    @classmethod
    def from_settings(cls, conf: Settings) -> Database:
        return cls(make_engine(url_for(conf)))

    @classmethod
    def from_url(cls, url: str) -> Database:
        return cls(make_engine(url))

    def __post_init__(self) -> None:
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def backend(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self._sessions.begin() as s:
            yield s

    def upgrade(self, revision: str = "head") -> None:
        upgrade(self.engine, revision)

    def downgrade(self, revision: str) -> None:
        downgrade(self.engine, revision)

    def current(self) -> str | None:
        return current(self.engine)

    def dispose(self) -> None:
        self.engine.dispose()


def alembic_config(engine: Engine) -> Config:
    """Alembic's configuration without an ini file: the packaged scripts and ``engine``."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


@contextmanager
def _one_migrator(engine: Engine) -> Iterator[None]:
    """One process migrates a SQLite file at a time (an exclusive lock on ``<file>.lock``; the
    others wait, then find it current). PostgreSQL takes an advisory lock in the migration's
    own transaction instead (migrations/env.py)."""
    path = engine.url.database if engine.dialect.name == "sqlite" else None
    if not path or path == ":memory:":
        yield
        return
    import fcntl

    with open(f"{path}.lock", "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command

    try:
        with _one_migrator(engine):
            command.upgrade(alembic_config(engine), revision)
    except Exception as exc:
        raise DatabaseError(_problem(engine, "upgrade", exc)) from exc


def downgrade(engine: Engine, revision: str) -> None:
    from alembic import command

    try:
        with _one_migrator(engine):
            command.downgrade(alembic_config(engine), revision)
    except Exception as exc:
        raise DatabaseError(_problem(engine, "downgrade", exc)) from exc


def current(engine: Engine) -> str | None:
    """The revision the database is at (None: empty, never upgraded)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def heads() -> tuple[str, ...]:
    """The newest revision(s) the packaged scripts define."""
    from alembic.script import ScriptDirectory

    return tuple(ScriptDirectory(str(MIGRATIONS)).get_heads())


def is_current(engine: Engine) -> bool:
    return current(engine) in heads()


def revision(engine: Engine) -> int:
    """A number that grows with every write users make (the newest audit entry's: every write
    is audited in its own transaction, :func:`atlas.accounts.audit`), 0 before any. Answers that
    show what users wrote are kept under it, so a publish, a rollback, a plan or an approval is
    seen at once. One primary-key lookup; an unreachable database reads as -1 (nothing cached
    under it can be served again once it is back)."""
    from sqlalchemy import func, select

    from atlas.db.models import AuditEntry

    try:
        with engine.connect() as conn:
            return int(conn.execute(select(func.max(AuditEntry.id))).scalar() or 0)
    except Exception:  # noqa: BLE001 - the database down must not take the official atlas down
        return -1


def tables(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names())


def _problem(engine: Engine, what: str, exc: Exception) -> str:
    """One line naming the database (without its password) and what failed."""
    where = engine.url.render_as_string(hide_password=True)
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return (
        f"Database {where}: the {what} failed ({first}). Check ATLAS_DATABASE_URL / ATLAS_DATA_DIR."
    )

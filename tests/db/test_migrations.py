"""Alembic's migrations on both backends: upgrade, downgrade and upgrade again run clean, and the
models are exactly what the migrations build (autogenerate finds nothing to add)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from atlas.__main__ import main
from atlas.db import Database, heads, tables
from atlas.db.models import Base, Dataset, DatasetVersion, Scope, User
from tests.conftest import ROOT

#: Every table the issue's writes need (points 1-5), beside Alembic's own.
EXPECTED = {
    "users",
    "scopes",
    "invitations",
    "login_attempts",
    "datasets",
    "dataset_versions",
    "dataset_values",
    "plans",
    "plan_targets",
    "experiences",
    "experience_units",
    "experience_goals",
    "experience_links",
    "experience_files",
    "audit_log",
}


def test_dbm001_upgrade_downgrade_upgrade_runs_clean(empty_db):
    assert empty_db.current() is None
    empty_db.upgrade()
    assert empty_db.current() in heads()
    assert tables(empty_db.engine) == EXPECTED | {"alembic_version"}
    empty_db.downgrade("base")
    assert empty_db.current() is None
    assert tables(empty_db.engine) <= {"alembic_version"}
    empty_db.upgrade()
    assert tables(empty_db.engine) == EXPECTED | {"alembic_version"}


def test_dbm002_the_models_match_the_migrations(db):
    with db.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(ctx, Base.metadata)
    assert diff == []


def test_dbm003_the_current_version_pointer_is_a_foreign_key_on_both_backends(db):
    fks = inspect(db.engine).get_foreign_keys("datasets")
    assert {(tuple(f["constrained_columns"]), f["referred_table"]) for f in fks} >= {
        (("current_version_id",), "dataset_versions")
    }


def test_dbm004_foreign_keys_and_checks_are_enforced(db):
    with pytest.raises(IntegrityError):
        with db.session() as s:
            s.add(DatasetVersion(dataset_id=999, number=1))
    with pytest.raises(IntegrityError):
        with db.session() as s:
            s.add(User(email="a@b.org", name="A", password_hash="x", role="superuser"))
    with pytest.raises(IntegrityError):  # a scope belongs to an account or an invitation
        with db.session() as s:
            s.add(Scope(country="BRA"))
    with db.session() as s:
        assert s.query(User).count() == 0


def test_dbm005_versions_are_numbered_once_per_dataset(db):
    with db.session() as s:
        d = Dataset(
            country="BRA",
            indicator="illiteracy",
            title="t",
            source="s",
            licence="CC-BY-4.0",
            contact="c",
        )
        s.add(d)
        s.flush()
        s.add(DatasetVersion(dataset_id=d.id, number=1))
    with pytest.raises(IntegrityError):
        with db.session() as s:
            s.add(DatasetVersion(dataset_id=d.id, number=1))


def test_dbm006_sqlite_has_foreign_keys_on_and_a_write_ahead_log(tmp_path):
    db = Database.from_url(f"sqlite:///{tmp_path / 'sub' / 'atlas.sqlite3'}")
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    db.dispose()


def test_dbm007_the_command_line_upgrades_and_downgrades(database_url, monkeypatch, capsys):
    monkeypatch.setenv("ATLAS_DATABASE_URL", database_url)
    assert main(["db", "upgrade"]) == 0
    assert capsys.readouterr().out.strip() in heads()
    assert main(["db", "downgrade", "base"]) == 0
    assert capsys.readouterr().out.strip() == "(empty)"
    db = Database.from_url(database_url)
    assert tables(db.engine) <= {"alembic_version"}
    db.dispose()


def test_dbm008_sqlite_lives_in_the_data_folder_by_default(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ATLAS_DATA_DIR", str(tmp_path / "var"))
    assert main(["db", "upgrade"]) == 0
    assert (tmp_path / "var" / "atlas.sqlite3").is_file()


def test_dbm009_a_database_that_cannot_be_reached_is_one_line_without_password(monkeypatch, capsys):
    monkeypatch.setenv("ATLAS_DATABASE_URL", "postgresql://atlas:s3cret@127.0.0.1:1/none")
    assert main(["db", "upgrade"]) == 2
    err = capsys.readouterr().err
    assert "s3cret" not in err and "upgrade failed" in err and len(err.strip().splitlines()) == 1


def test_dbm010_two_processes_starting_together_upgrade_once(empty_db, database_url):
    """Two servers started at the same time (gunicorn workers without --preload) both end on
    the newest revision, and neither fails."""
    code = f"from atlas.db import Database\nDatabase.from_url({database_url!r}).upgrade()\n"
    procs = [
        subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    errors = [p.communicate(timeout=120)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], errors
    assert empty_db.current() in heads()


def test_dbm011_revision_0002_adds_files_and_fills_the_search_column_and_goes_back(empty_db):
    """0001 -> an experience written with accents -> 0002: its folded search text is filled
    from what was there; back to 0001 the files' table and the column are gone, the experience
    kept; 0002 again runs clean."""
    empty_db.upgrade("0001")
    with empty_db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO experiences (title, what_was_done, results, results_source, contact, "
                "language, status, moderation_note, created_at, updated_at) VALUES "
                "('Educación en São Paulo', 'Mejoró la *educación*', '', '', '', 'es', "
                "'approved', '', '2020-01-01', '2020-01-01')"
            )
        )
    empty_db.upgrade("0002")
    with empty_db.engine.connect() as conn:
        folded = conn.execute(text("SELECT search_text FROM experiences")).scalar()
    assert folded == " EDUCACION EN SAO PAULO MEJORO LA EDUCACION "
    assert "experience_files" in tables(empty_db.engine)
    empty_db.downgrade("0001")
    assert "experience_files" not in tables(empty_db.engine)
    columns = {c["name"] for c in inspect(empty_db.engine).get_columns("experiences")}
    assert "search_text" not in columns and "title" in columns
    with empty_db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM experiences")).scalar() == 1
    empty_db.upgrade()
    assert empty_db.current() in heads()

"""The database tests run on both backends (``database_url`` of tests/conftest.py)."""

from __future__ import annotations

import pytest

from atlas.db import Database
from tests.fixtures.people import make_people


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


@pytest.fixture
def people(db):
    """An admin, an editor of the state BRA:12 and a reviewer (tests/fixtures/people.py)."""
    return make_people(db)

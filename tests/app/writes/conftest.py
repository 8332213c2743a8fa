"""The pages that write (accounts, the e-network and local plans, contributed data's API): the app
on a database of each backend (started once per module), emptied before each test, and its
people (an admin, an editor of the state BRA:12, a reviewer). ``app`` here is that app, not the
tiny store's read-only one of tests/app/conftest.py."""

from __future__ import annotations

import re

import pytest

from app import create_app
from atlas.db import Database
from atlas.db.models import Base
from atlas.settings import settings
from tests.fixtures.people import make_people


@pytest.fixture(scope="module")
def served(tiny_store, module_database_url):
    """The app and its database, started once per backend (the app upgrades the database)."""
    db = Database.from_url(module_database_url)
    yield create_app(settings(), store=tiny_store, db=db), db
    db.dispose()


@pytest.fixture
def db(served):
    """The app's database, emptied before each test."""
    db = served[1]
    with db.session() as s:
        for table in reversed(Base.metadata.sorted_tables):
            s.execute(table.delete())
    return db


@pytest.fixture
def app(served, db):
    return served[0]


@pytest.fixture
def people(app, db):
    """An admin, an editor of the state BRA:12, a reviewer (the app upgraded the database)."""
    return make_people(db)


def form_token(html: str) -> str:
    """The CSRF token a page's form carries."""
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)

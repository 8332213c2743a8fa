"""The app on the tiny store, once per test module: ``app`` and its Flask test ``client`` (a module
that needs another store or settings defines its own)."""

from __future__ import annotations

import pytest

from app import create_app
from atlas.settings import settings


@pytest.fixture(scope="module")
def app(tiny_store):
    return create_app(settings(), store=tiny_store)


@pytest.fixture(scope="module")
def client(app):
    return app.server.test_client()

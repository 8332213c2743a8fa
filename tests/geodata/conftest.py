"""Fixtures of the geodata tests."""

from __future__ import annotations

import pytest

from geodata.cells import MissingCodes
from geodata.registry import load_registry


@pytest.fixture(scope="session")
def codes(raw_dir):
    """``codes(source_id)``: that source's declared missing-value codes, as a reader takes them."""
    sources = {s.id: s for c in load_registry().values() for s in c.sources}

    def make(source_id: str) -> MissingCodes:
        return sources[source_id].codes(raw_dir)

    return make

"""Shared fixtures. Real-data tests read the raw folder (ATLAS_RAW_DIR, default ../shared/data)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def raw_dir() -> Path:
    raw = Path(os.environ.get("ATLAS_RAW_DIR", ROOT.parent / "shared" / "data")).resolve()
    if not raw.is_dir():
        pytest.fail(
            f"Raw data folder {raw} not found: set ATLAS_RAW_DIR or put shared/ beside the repo."
        )
    return raw

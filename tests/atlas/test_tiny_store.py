"""The tiny synthetic store (tests/fixtures/tiny_store.py) keeps the format of the full build."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyarrow.parquet as pq


def _manifest(store: Path) -> dict:
    return json.loads((store / "manifest.json").read_text())


def _file_kinds(store: Path) -> set[str]:
    """Every file's path with its country and content hash blanked out."""
    out = set()
    for p in store.rglob("*"):
        if p.is_file():
            name = re.sub(r"\.[0-9a-f]{12}\.", ".<hash>.", p.relative_to(store).as_posix())
            out.add(re.sub(r"\b([A-Z]{3}|national)\b", "<country>", name))
    return out


def test_tny001_the_tiny_store_has_the_files_keys_and_columns_of_the_full_build(
    tiny_store_dir, store_dir
):
    tiny, full = _manifest(tiny_store_dir), _manifest(store_dir)
    assert tiny.keys() == full.keys() and tiny["store_version"] == full["store_version"]
    geo_keys = next(iter(full["all_countries"]["geo"]["country"].values())).keys()
    for iso3, entry in tiny["countries"].items():
        assert entry.keys() == full["countries"][iso3].keys()
        for level, lods in entry["geo"].items():
            assert lods.keys() == full["countries"][iso3]["geo"][level].keys()
            assert all(f.keys() == geo_keys for f in lods.values())
    assert tiny["all_countries"].keys() == full["all_countries"].keys()
    for table in ("units.parquet", "observations.parquet", "peers.parquet"):
        tiny_schema = pq.read_schema(tiny_store_dir / table)
        full_schema = pq.read_schema(store_dir / table)
        assert tiny_schema.remove_metadata().equals(full_schema.remove_metadata()), table
    assert _file_kinds(tiny_store_dir) == _file_kinds(store_dir)

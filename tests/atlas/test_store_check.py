"""The store's start-up check and health (atlas/store.py) on damaged copies of the tiny store."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from atlas.store import STORE_VERSION, Store, StoreError, check


@pytest.fixture
def copy(tiny_store_dir, tmp_path) -> Path:
    """A copy of the tiny store that a test may break."""
    return Path(shutil.copytree(tiny_store_dir, tmp_path / "store"))


def _drop_column(table: str, column: str):
    def damage(path: Path) -> None:
        pq.write_table(pq.read_table(path / table).drop_columns([column]), path / table)

    return damage


def _manifest(change):
    def damage(path: Path) -> None:
        manifest = json.loads((path / "manifest.json").read_text())
        change(manifest)
        (path / "manifest.json").write_text(json.dumps(manifest))

    return damage


def _geo_file(path: Path, stem: str) -> Path:
    return next((path / "geo").glob(f"{stem}.*.json"))


DAMAGES = {
    "store removed": (shutil.rmtree, "no manifest.json (the store is not built)"),
    "units column removed": (
        _drop_column("units.parquet", "population"),
        "units.parquet lacks the column(s) population",
    ),
    "observations column removed": (
        _drop_column("observations.parquet", "source_id"),
        "observations.parquet lacks the column(s) source_id",
    ),
    "table removed": (lambda p: (p / "units.parquet").unlink(), "units.parquet is missing"),
    "table overwritten": (
        lambda p: (p / "observations.parquet").write_bytes(b"not parquet at all"),
        "observations.parquet is unreadable (",
    ),
    "geo file removed": (
        lambda p: _geo_file(p, "URY-admin1-low").unlink(),
        "the display file geo/URY-admin1-low.",
    ),
    "geo file emptied": (
        lambda p: _geo_file(p, "BRA-municipality-high").write_bytes(b""),
        "is missing or empty",
    ),
    "another store version": (
        _manifest(lambda m: m.update(store_version=STORE_VERSION + 1)),
        f"it has store version {STORE_VERSION + 1}, this atlas reads version {STORE_VERSION}",
    ),
    "store version absent": (
        _manifest(lambda m: m.pop("store_version")),
        f"it has store version None, this atlas reads version {STORE_VERSION}",
    ),
    "manifest key absent": (_manifest(lambda m: m.pop("sources")), "manifest.json lacks sources"),
    "country entry incomplete": (
        _manifest(lambda m: m["countries"]["URY"].pop("geo")),
        "manifest.json's entry of URY lacks geo",
    ),
    "geo entry malformed": (
        _manifest(lambda m: m["countries"]["BRA"].update(geo=["BRA.json"])),
        "manifest.json is malformed (AttributeError",
    ),
    "garbage manifest": (
        lambda p: (p / "manifest.json").write_text("{garbage"),
        "manifest.json is unreadable (JSONDecodeError",
    ),
    "manifest not an object": (
        lambda p: (p / "manifest.json").write_text("[1, 2]"),
        "manifest.json is not a JSON object",
    ),
}


@pytest.mark.parametrize("damage", list(DAMAGES))
def test_chk001_a_damaged_store_stops_the_load_with_one_line_naming_it_and_the_fix(copy, damage):
    breaks, problem = DAMAGES[damage]
    breaks(copy)
    with pytest.raises(StoreError) as err:
        Store(copy)
    line = str(err.value)
    assert "\n" not in line
    assert line.startswith(f"Data store at {copy}: ") and problem in line
    assert line.endswith("Run `make store` to rebuild it.")


def test_chk002_an_intact_store_passes_and_its_manifest_is_returned(tiny_store_dir, tiny_store):
    manifest = check(tiny_store_dir)
    assert manifest == tiny_store.manifest and manifest["store_version"] == STORE_VERSION
    assert tiny_store.health() is None
    assert tiny_store.version == STORE_VERSION and len(tiny_store.fingerprint) == 16


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (shutil.rmtree, "the store folder"),
        (_manifest(lambda m: m.update(fingerprint="0" * 16)), "another build than the one loaded"),
        (lambda p: (p / "manifest.json").write_text("{"), "manifest.json is unreadable"),
        (lambda p: (p / "observations.parquet").unlink(), "observations.parquet is missing"),
        (lambda p: _geo_file(p, "ALL-country-low").unlink(), "geo/ALL-country-low."),
    ],
)
def test_chk003_health_says_when_the_store_on_disk_is_no_longer_the_one_loaded(
    copy, change, reason
):
    store = Store(copy)
    assert store.health() is None
    change(copy)
    problem = store.health()
    assert problem is not None and reason in problem and "\n" not in problem

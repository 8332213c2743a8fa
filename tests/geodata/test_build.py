"""The build as a whole: a failed build names the file and the fix and leaves the store intact."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import shapely

from geodata import geometry
from geodata.build import build
from geodata.countries import ury
from geodata.errors import BuildError
from geodata.registry import load_registry
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def small_raw(raw_dir, tmp_path_factory) -> Path:
    """A raw folder with Uruguay and the national series only: a full build in a few seconds."""
    raw = tmp_path_factory.mktemp("raw")
    for part in ("URY", "national"):
        shutil.copytree(raw_dir / part, raw / part)
    return raw


@pytest.fixture(scope="module")
def small_store(small_raw, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("out") / "store"
    build(small_raw, out, countries=["URY"], log=lambda m: None)
    return out


def _snapshot(store: Path) -> dict[str, bytes]:
    return {
        p.relative_to(store).as_posix(): p.read_bytes() for p in store.rglob("*") if p.is_file()
    }


def test_bld001_small_build_writes_a_complete_store(small_store):
    manifest = json.loads((small_store / "manifest.json").read_text())
    assert list(manifest["countries"]) == ["URY"]
    assert (small_store / "quality" / "URY.md").read_text().startswith("# Data quality: URY")
    names = {
        f["name"] for lod in manifest["countries"]["URY"]["geo"]["admin1"].values() for f in [lod]
    }
    assert all(
        (small_store / "geo" / n).exists() and (small_store / "geo" / f"{n}.gz").exists()
        for n in names
    )


def test_bld002_corrupt_file_is_a_clear_error_and_the_store_stays(small_raw, small_store):
    before = _snapshot(small_store)
    target = small_raw / "URY/indicators/datos_tmi.rds"
    saved = target.read_bytes()
    try:
        target.write_bytes(b"this is not an R file")
        with pytest.raises(BuildError) as err:
            build(small_raw, small_store, countries=["URY"], log=lambda m: None)
        assert "datos_tmi.rds" in str(err.value) and "Fix:" in str(err.value)
    finally:
        target.write_bytes(saved)
    assert _snapshot(small_store) == before
    assert not list(small_store.parent.glob(".store.tmp-*"))


def test_bld003_missing_file_names_it_and_the_official_download(small_raw, small_store):
    before = _snapshot(small_store)
    target = small_raw / "URY/indicators/guillermodangelo_tesis/tasa-desempleo.csv"
    moved = target.with_suffix(".bak")
    target.rename(moved)
    try:
        with pytest.raises(BuildError) as err:
            build(small_raw, small_store, countries=["URY"], log=lambda m: None)
        msg = str(err.value)
        assert "tasa-desempleo.csv" in msg and "missing" in msg and "http" in msg
    finally:
        moved.rename(target)
    assert _snapshot(small_store) == before


def test_bld003b_a_reader_whose_table_changed_shape_names_the_file(raw_dir, monkeypatch):
    """Whatever goes wrong after the file is read (a column gone, a year that is not a number)
    stops with the source's files and the fix, not a bare traceback."""
    src = next(s for s in load_registry()["URY"].sources if s.id.startswith("ury_mides"))
    # the wide table as published: no "year" column
    monkeypatch.setattr(
        ury, "read_unemployment", lambda raw, codes: ury._read_unemployment_table(raw)
    )
    with pytest.raises(BuildError) as err:
        src.read(raw_dir)
    msg = str(err.value)
    assert "tasa-desempleo.csv" in msg and "no column(s)" in msg and "Fix:" in msg


def test_bld004_command_line_failure_has_no_traceback(small_raw, small_store, tmp_path):
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "geodata",
            "build",
            "--raw",
            str(tmp_path / "nothing"),
            "--out",
            str(small_store),
            "--country",
            "URY",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 2
    assert "raw data folder does not exist" in out.stderr and "Traceback" not in out.stderr
    assert "previous store" in out.stderr


def test_bld005_if_stale_skips_a_fresh_store(small_raw, small_store):
    build(small_raw, small_store, countries=["URY"], log=lambda m: None)
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "geodata",
            "build",
            "--if-stale",
            "--raw",
            str(small_raw),
            "--out",
            str(small_store),
            "--country",
            "URY",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "up to date" in out.stdout


def _grid(n: int, jag: float = 0.0) -> np.ndarray:
    """n x n unit squares whose shared vertical edges zig-zag (hand-made coverage)."""
    cells = []
    for i in range(n):
        for j in range(n):
            left = [(i, j + k / 10) for k in range(11)]
            right = [(i + 1, j + k / 10) for k in range(11)]

            def zig(pts, x0):
                return [
                    (x0 + (jag if k % 2 and 0 < x0 < n else 0), y) for k, (_, y) in enumerate(pts)
                ]

            ring = zig(left, i)[::-1] + zig(right, i + 1)
            cells.append(shapely.Polygon(ring))
    return np.array(cells, dtype=object)


def test_bld006_coverage_simplification_leaves_no_gaps_or_overlaps():
    """A jagged 4 x 4 grid simplified far beyond its detail still tiles the square exactly."""
    cells = _grid(4, jag=0.03)
    assert shapely.coverage_is_valid(cells)
    simplified = geometry.simplify_coverage(cells, "low", factor=5.0)
    union = shapely.union_all(simplified)
    assert union.area == pytest.approx(16.0, rel=1e-3)
    assert shapely.area(simplified).sum() == pytest.approx(union.area, rel=1e-6)
    assert shapely.get_num_coordinates(simplified).sum() < shapely.get_num_coordinates(cells).sum()


def test_bld007_clean_coverage_removes_overlaps_and_keeps_every_unit():
    a = shapely.box(0, 0, 1, 1)
    b = shapely.box(0.98, 0, 2, 1)  # overlaps a by a 0.02-wide strip
    tiny = shapely.box(0.985, 0.4, 0.995, 0.5)  # lies inside the overlap
    cleaned, overlap = geometry.clean_coverage(np.array([a, b, tiny], dtype=object))
    assert overlap > 0
    assert not shapely.is_empty(cleaned).any()
    assert shapely.union_all(cleaned[:2]).area == pytest.approx(2.0, rel=1e-6)


def test_bld008_repair_turns_holes_outside_shell_into_valid_multipolygons():
    """Brazil's islands are stored as 'holes' outside the shell; make_valid repairs them."""
    bad = shapely.Polygon(
        shapely.box(0, 0, 1, 1).exterior.coords, [shapely.box(2, 2, 3, 3).exterior.coords]
    )
    fixed, n = geometry.repair(np.array([bad, shapely.box(5, 5, 6, 6)], dtype=object))
    assert n == 1 and shapely.is_valid(fixed).all()
    assert set(shapely.get_type_id(fixed)) <= {3, 6}


def test_bld009_if_stale_rebuilds_a_store_of_another_version(tmp_path):
    from atlas.store import STORE_VERSION
    from geodata.__main__ import is_fresh
    from geodata.build import fingerprint

    raw, out = tmp_path / "raw", tmp_path / "store"
    out.mkdir()
    manifest = {"store_version": STORE_VERSION, "fingerprint": fingerprint(raw)}
    (out / "manifest.json").write_text(json.dumps(manifest))
    assert is_fresh(raw, out)
    (out / "manifest.json").write_text(json.dumps({**manifest, "store_version": 0}))
    assert not is_fresh(raw, out)

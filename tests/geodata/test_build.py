"""The build as a whole: a failed build names the file and the fix and leaves the store intact."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely

from atlas.store import CURRENT, RELEASES, Store, resolve
from geodata import geometry, peers
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
    small_store = resolve(small_store)  # the release just built
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
    assert not list((small_store / RELEASES).glob(".tmp-*"))


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


def test_bld012_a_countrys_frame_leaves_out_small_remote_islands_only():
    """A 10 x 40 country with a coast of small units, a small island off the coast and a small
    remote one (as Chile's mainland, Juan Fernández and Easter Island): the frame takes the
    country, the coast and the near island, not the remote one."""
    mainland = shapely.box(0, 0, 10, 40)
    coast = [shapely.box(10 + 0.1 * k, 20, 10.1 + 0.1 * k, 20.1) for k in range(30)]  # to x=13
    near = shapely.box(14, 10, 14.2, 10.2)  # 1 degree off the coast: inside a tenth of 40
    remote = shapely.box(-40, 20, -39.5, 20.5)
    geoms = np.array([mainland, *coast, near, remote], dtype=object)
    assert geometry.display_bounds(geoms) == pytest.approx([0, 0, 14.2, 40])
    # a large remote territory is part of the country's frame
    big = shapely.box(-40, 20, -35, 30)
    assert geometry.display_bounds(np.array([mainland, big], dtype=object))[0] == -40
    # islands only: the frame is theirs
    assert geometry.display_bounds(np.array([near, remote], dtype=object)) == [-40, 10, 14.2, 20.5]


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


#: Uruguay's 19 departments as the MIDES table writes them, and its country row.
URY_DEPARTMENTS = [
    "Montevideo",
    "Artigas",
    "Canelones",
    "Cerro Largo",
    "Colonia",
    "Durazno",
    "Flores",
    "Florida",
    "Lavalleja",
    "Maldonado",
    "Paysandú",
    "Río Negro",
    "Rivera",
    "Rocha",
    "Salto",
    "San José",
    "Soriano",
    "Tacuarembó",
    "Treinta y Tres",
    "Total",
]


def _unemployment_table(cell: str) -> tuple[str, dict]:
    """A hand-made MIDES unemployment table for 2006-2007 in the producer's layout (';',
    decimal comma, 60 rows, footer); Mujeres/Artigas/2006 (line 3) holds ``cell``. Returns the
    text and {(sex, department, year): value} of every numeric cell."""
    lines, values = ["Sexo;Departamento;2006;2007"], {}
    for s, sex in enumerate(("Mujeres", "Varones", "Total")):
        for d, department in enumerate(URY_DEPARTMENTS):
            row = []
            for year in (2006, 2007):
                value = 5 + s + d / 4 + (year - 2006) / 10
                values[(sex, department, year)] = value
                row.append(f"{value:.2f}".replace(".", ","))
            lines.append(f"{sex};{department};{';'.join(row)}")
    lines[2] = "Mujeres;Artigas;" + cell + ";" + lines[2].split(";")[3]
    del values[("Mujeres", "Artigas", 2006)]
    lines += ["Origen: hand-made test table", "Fecha: -", "Título: -", "Organismo: -", "Enlace: -"]
    return "\n".join(lines) + "\n", values


@pytest.fixture
def unemployment_file(small_raw):
    """Write a hand-made unemployment table into the small raw folder; restore the real one."""
    target = small_raw / "URY/indicators/guillermodangelo_tesis/tasa-desempleo.csv"
    saved = target.read_bytes()

    def write(cell: str) -> dict:
        text, values = _unemployment_table(cell)
        target.write_text(text, encoding="utf-8")
        return values

    yield write
    target.write_bytes(saved)


def test_bld010_an_undeclared_code_stops_the_build_naming_the_file_and_the_cell(
    small_raw, small_store, unemployment_file
):
    before = _snapshot(small_store)
    unemployment_file("*")
    with pytest.raises(BuildError) as err:
        build(small_raw, small_store, countries=["URY"], log=lambda m: None)
    msg = str(err.value)
    assert "File: URY/indicators/guillermodangelo_tesis/tasa-desempleo.csv" in msg
    assert "'*' at line 3, year 2006, Departamento Artigas, Sexo Mujeres" in msg
    assert "declare it in missing_codes of source 'ury_mides_desempleo' in " in msg
    assert "geodata/sources/URY.toml" in msg and "report the file" in msg
    assert _snapshot(small_store) == before


def test_bld011_a_declared_code_costs_its_cell_only_and_is_counted(
    small_raw, unemployment_file, tmp_path, monkeypatch
):
    """Before strict codes, one 'ND' turned the 2006 column into text and the build dropped every
    2006 value without a word; declared, it is one missing cell, counted in the quality report."""
    values = unemployment_file("ND")
    registry = load_registry()
    ury_sources = tuple(
        dataclasses.replace(s, missing_codes=("ND",)) if s.id == "ury_mides_desempleo" else s
        for s in registry["URY"].sources
    )
    registry["URY"] = dataclasses.replace(registry["URY"], sources=ury_sources)
    monkeypatch.setattr("geodata.build.load_registry", lambda: registry)
    out = tmp_path / "store"
    build(small_raw, out, countries=["URY"], log=lambda m: None)

    obs = pd.read_parquet(resolve(out) / "observations.parquet")
    names = {n: f"URY{code:02d}" for code, n in enumerate(URY_DEPARTMENTS[:-1], start=1)}
    indicators = {
        "Mujeres": "unemployment_women",
        "Varones": "unemployment_men",
        "Total": "unemployment",
    }
    mine = obs[obs["indicator_id"].isin(indicators.values())]
    stored = {(r.indicator_id, r.unit_id, r.year): r.value for r in mine.itertuples()}
    expected = {
        (indicators[sex], names[dep], year): v
        for (sex, dep, year), v in values.items()
        if dep != "Total"
    }
    assert len(expected) == 19 * 3 * 2 - 1
    assert stored == pytest.approx(expected)
    quality = json.loads((resolve(out) / "quality" / "URY.json").read_text())
    met = quality["sources"]["ury_mides_desempleo"]["missing_codes_met"]
    assert met == {"URY/indicators/guillermodangelo_tesis/tasa-desempleo.csv": {"ND": 1}}
    report = (resolve(out) / "quality" / "URY.md").read_text()
    assert (
        "`ury_mides_desempleo` `URY/indicators/guillermodangelo_tesis/tasa-desempleo.csv`: 'ND' 1"
        in report
    )


def test_bld013_a_rebuild_leaves_a_loaded_release_whole_and_clears_old_leftovers(
    small_raw, small_store, monkeypatch
):
    """The real build under a loaded store: the store it loaded keeps every file (a server's
    geometry URLs keep answering); a new load gets the new release; a killed build's leftovers
    older than the grace period go."""
    loaded = Store(small_store)
    old_geo = loaded.path / "geo" / loaded.geo_file("URY", "admin1", "low")
    leftover = small_store / RELEASES / ".tmp-4242"
    leftover.mkdir()
    os.utime(leftover, (time.time() - 48 * 3600,) * 2)
    registry = load_registry()  # coarser outlines: new geometry files, as after a code change
    registry["URY"] = dataclasses.replace(registry["URY"], simplify_factor=3.0)
    monkeypatch.setattr("geodata.build.load_registry", lambda: registry)
    build(small_raw, small_store, countries=["URY"], log=lambda m: None, grace_hours=24)
    assert old_geo.is_file() and loaded.health() is None
    fresh = Store(small_store)
    assert fresh.path != loaded.path and fresh.path.parent == small_store / RELEASES
    assert fresh.geo_file("URY", "admin1", "low") != old_geo.name
    assert not leftover.exists()


def test_bld014_a_build_that_fails_at_its_last_step_leaves_current_as_it_was(
    small_raw, small_store, monkeypatch
):
    before = os.readlink(small_store / CURRENT)

    def fail(*args, **kwargs):
        raise BuildError("peers failed (test)")

    monkeypatch.setattr(peers, "peers", fail)
    with pytest.raises(BuildError):
        build(small_raw, small_store, countries=["URY"], log=lambda m: None)
    assert os.readlink(small_store / CURRENT) == before
    assert not list((small_store / RELEASES).glob(".tmp-*"))

"""``python -m atlas report``: the figures the data keepers read, checked against the data."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pyreadr

from tests.conftest import ROOT


def run_report(store_dir, *args) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "atlas", "report", "--json", "--store", str(store_dir), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    return json.loads(out.stdout)


def test_rep001_units_join_rates_and_validity(store_dir):
    rep = run_report(store_dir)
    c = rep["countries"]
    assert c["BRA"]["units"]["municipality"] == 5564
    assert c["MEX"]["units"]["municipality"] == 2457
    assert c["COL"]["units"]["municipality"] == 1122
    assert c["PER"]["units"]["municipality"] >= 1874
    assert c["CHL"]["units"]["municipality"] == 345
    assert c["URY"]["units"]["admin1"] == 19
    assert all(c[k]["layers_valid"] for k in ("BRA", "CHL", "COL", "MEX", "PER", "URY"))
    atlas = c["BRA"]["sources"]["bra_atlas2013"]
    assert (atlas["codes_joined"], atlas["codes"]) == (5564, 5565)
    assert atlas["unmatched_codes"] == ["2206720"]
    coneval = c["MEX"]["sources"]["mex_coneval_pobreza_municipal"]
    assert coneval["join_rate"] < 1.0  # 2020 adds 12 post-2015 municipios
    assert c["MEX"]["indicators"]["municipality"]["poverty_multidimensional"] == [2010, 2015, 2020]


def test_rep002_text_report_names_every_country(store_dir):
    out = subprocess.run(
        [sys.executable, "-m", "atlas", "report", "--store", str(store_dir)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for iso3 in ("BRA", "CHL", "COL", "MEX", "PER", "URY"):
        assert iso3 in out
    assert "Join rates" in out and "Warnings" in out


def test_rep003_missing_store_is_a_clear_error(tmp_path):
    out = subprocess.run(
        [sys.executable, "-m", "atlas", "report", "--store", str(tmp_path / "nowhere")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 2
    assert "No data store" in out.stderr and "Traceback" not in out.stderr


def _unsd_status(x0, t0, xt, t, target, deadline, lower_is_better=True, achieved_slack=0.0):
    """UNSD progress-chart class, written out independently of atlas.method."""
    if lower_is_better and xt <= target + achieved_slack:
        return "achieved"
    cagr = (xt / x0) ** (1 / (t - t0)) - 1
    projected = x0 * (1 + cagr) ** (deadline - t0)
    rho = (projected - x0) / (target - x0)
    if rho >= 0.95:
        return "on_track"
    if rho >= 0.10:
        return "must_accelerate"
    return "stagnation_regression"


def test_rep004_brazil_infant_mortality_classes_match_a_recomputation(store_dir, raw_dir):
    rep = run_report(store_dir, "--progress")
    case = next(c for c in rep["cases"] if c["country"] == "BRA")
    atlas = pyreadr.read_r(raw_dir / "BRA/indicators/abjur_abjData/pnud_muni.rda")["pnud_muni"]
    wide = atlas.pivot(index="codmun7", columns="ano", values="mort1")
    wide = wide.drop(index=2206720)  # Nazária: no polygon, not a unit of the atlas
    counts: dict[str, int] = {}
    for x0, xt in zip(wide[1991], wide[2010], strict=True):
        s = _unsd_status(x0, 1991, xt, 2010, x0 / 3, 2015)
        counts[s] = counts.get(s, 0) + 1
    assert case["status_units"] == {k: v for k, v in counts.items() if v}
    assert case["baseline_years"] == [1991] and case["latest_years"] == [2010]


def test_rep005_mexico_illiteracy_classes_match_a_recomputation(store_dir, store):
    rep = run_report(store_dir, "--progress")
    case = next(c for c in rep["cases"] if c["country"] == "MEX")
    cube = store.cube("illiteracy", "MEX", "municipality")
    years = np.array(cube.years)
    counts: dict[str, int] = {}
    for row in cube.values:
        ok = np.isfinite(row) & (years <= 2010)
        if ok.sum() < 2:
            s = "insufficient_data"
        else:
            ys, vs = years[ok], row[ok]
            # universal literacy: illiteracy target 0; within 1 point of 0 counts as achieved
            if vs[0] == 0:
                s = "achieved" if vs[-1] <= 1 else "stagnation_regression"
            else:
                s = _unsd_status(vs[0], ys[0], vs[-1], ys[-1], 0.0, 2015, achieved_slack=1.0)
        counts[s] = counts.get(s, 0) + 1
    assert case["status_units"] == counts

"""Territorial inequality: hand-checked values, PySAL agreement, invariances, convergence."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from inequality.gini import Gini
from inequality.theil import Theil, TheilD

from atlas.method.inequality import (
    beta_convergence,
    coefficient_of_variation,
    gini,
    inequality_table,
    max_min_ratio,
    percentile_ratio,
    share_off_track,
    sigma_convergence,
    summarize,
    theil,
    theil_decomposition,
)


def test_ineq001_hand_checked_values():
    assert gini([1, 2, 3, 4]) == pytest.approx(0.25)  # 20 / (2 * 16 * 2.5)
    assert gini([1, 2, 3, 4], [1, 1, 1, 1]) == pytest.approx(0.25)
    assert theil([1, 3]) == pytest.approx(0.5 * (0.5 * math.log(0.5) + 1.5 * math.log(1.5)))
    assert coefficient_of_variation([1, 3]) == pytest.approx(0.5)
    assert percentile_ratio(list(range(1, 11))) == pytest.approx(9.0)
    assert max_min_ratio([2, 5, 10]) == pytest.approx(5.0)


def test_ineq002_undefined_ratios_and_missing_values():
    assert math.isnan(percentile_ratio([0, 0, 0, 5, 9]))
    assert math.isnan(max_min_ratio([0, 3]))
    assert gini([1, np.nan, 3]) == gini([1, 3])  # missing is left out, never zero
    assert gini([1, 3, 100], [1, 1, np.nan]) == gini([1, 3], [1, 1])
    assert math.isnan(gini([]))
    with pytest.raises(ValueError, match="non-negative"):
        theil([1, -2])


def test_ineq003_weighted_decomposition_hand_checked():
    # Two regions of equal values: all inequality is between regions.
    d = theil_decomposition([1, 1, 3, 3], ["A", "A", "B", "B"], [1, 1, 1, 1])
    assert d.within == pytest.approx(0.0, abs=1e-12)
    assert d.between == pytest.approx(theil([1, 3]))
    assert d.between_share == pytest.approx(1.0)


def test_ineq004_off_track_share():
    s = share_off_track(
        [
            "achieved",
            "must_accelerate",
            "stagnation_regression",
            "insufficient_data",
            None,
            "on_track",
        ],
        [100, 200, 50, 1000, 30, 150],
    )
    assert s.share == pytest.approx(250 / 500)
    assert (s.population_assessed, s.population_not_assessed) == (500, 1030)
    assert (s.units_off_track, s.units_assessed) == (2, 4)


def test_ineq005_sigma_convergence_balanced_panel():
    frame = pd.DataFrame(
        {
            "unit_id": ["a", "b", "c", "a", "b"],
            "year": [2000, 2000, 2000, 2010, 2010],
            "value": [10.0, 30.0, 99.0, 15.0, 25.0],
        }
    )
    out = sigma_convergence(frame)
    assert out["n"].tolist() == [2, 2]  # c is not observed in 2010
    assert out.loc[2000, "sd"] == pytest.approx(10.0)
    assert out.loc[2010, "sd"] == pytest.approx(5.0)
    assert out.loc[2010, "cv"] < out.loc[2000, "cv"]
    assert sigma_convergence(frame, balanced=False)["n"].tolist() == [3, 2]


def test_ineq006_beta_convergence_recovers_the_slope():
    x0 = np.array([10.0, 20.0, 40.0, 60.0])
    change = 0.5 - 0.05 * x0  # units that start higher fall faster
    b = beta_convergence(x0, x0 + 10 * change, 2000, 2010)
    assert (b.beta, b.intercept, b.r2, b.n) == (
        pytest.approx(-0.05),
        pytest.approx(0.5),
        pytest.approx(1.0),
        4,
    )
    assert b.converging
    noisy = beta_convergence(x0, x0 + 10 * change + [1, -1, 1, -1], 2000, [2010, 2010, 2010, 2010])
    assert noisy.se > 0 and noisy.r2 < 1
    assert math.isnan(beta_convergence([1.0], [2.0], 2000, 2010).beta)


def test_ineq007_summary_and_table():
    frame = pd.DataFrame(
        {
            "country": ["BRA"] * 4 + ["PER"] * 2,
            "admin1": ["A", "A", "B", "B", "L", "L"],
            "value": [10.0, 20.0, 30.0, 40.0, 5.0, 5.0],
            "population": [1.0, 2.0, 3.0, 4.0, 5.0, 5.0],
            "status": [
                "achieved",
                "on_track",
                "must_accelerate",
                "worsening",
                "achieved",
                "achieved",
            ],
        }
    )
    s = summarize(frame["value"], frame["population"], frame["admin1"])
    assert s.n == 6 and s.theil_between + s.theil_within == pytest.approx(s.theil_weighted)
    out = inequality_table(frame, "country", admin1_col="admin1", status_col="status")
    assert out.loc["PER", "gini"] == 0.0
    assert out.loc["BRA", "share_off_track"] == pytest.approx(7 / 10)
    assert out.loc["BRA", "mean_weighted"] == pytest.approx(300 / 10)


# --------------------------------------------------------------------------------------------
# Properties

positive = st.floats(0.01, 1e4, allow_nan=False)
units = st.lists(
    st.tuples(positive, st.integers(1, 5), st.sampled_from("ABC")), min_size=2, max_size=40
)


@given(st.floats(0.0, 1e4), st.integers(1, 30), st.floats(1, 1e5))
def test_ineq101_equal_values_give_zero(value, n, pop):
    vals, pops, groups = [value] * n, [pop] * n, ["A", "B"] * n
    for w in (None, pops):
        assert gini(vals, w) == 0.0
        assert theil(vals, w) == 0.0
        assert coefficient_of_variation(vals, w) == 0.0
        d = theil_decomposition(vals, groups[:n], w)
        assert (d.total, d.between, d.within) == (0.0, 0.0, 0.0)


@given(units, st.floats(0.001, 1000))
def test_ineq102_scale_invariance(rows, c):
    x = np.array([r[0] for r in rows])
    w = np.array([r[1] for r in rows], dtype=float)
    for weights in (None, w):
        assert gini(c * x, weights) == pytest.approx(gini(x, weights), abs=1e-9)
        assert theil(c * x, weights) == pytest.approx(theil(x, weights), abs=1e-9)
        assert coefficient_of_variation(c * x, weights) == pytest.approx(
            coefficient_of_variation(x, weights), abs=1e-9
        )


@given(units)
def test_ineq103_theil_decomposition_sums_to_the_total(rows):
    x = np.array([r[0] for r in rows])
    w = np.array([r[1] for r in rows], dtype=float)
    g = [r[2] for r in rows]
    for weights in (None, w):
        d = theil_decomposition(x, g, weights)
        assert d.between + d.within == pytest.approx(d.total, abs=1e-12)
        assert d.total == pytest.approx(theil(x, weights), abs=1e-9)
        assert d.between >= -1e-12 and d.within >= -1e-12


@given(units)
def test_ineq104_agrees_with_pysal_and_weights_act_as_replication(rows):
    x = np.array([r[0] for r in rows])
    w = np.array([r[1] for r in rows])
    g = np.array([r[2] for r in rows])
    assume(len(set(x)) > 1)
    ones = np.ones_like(x)
    assert gini(x, ones) == pytest.approx(Gini(x).g, abs=1e-9)
    assert theil(x, ones) == pytest.approx(float(Theil(x).T), abs=1e-9)
    d_w, d_p = theil_decomposition(x, g, ones), TheilD(x, g)
    assert d_w.between == pytest.approx(float(np.ravel(d_p.bg)[0]), abs=1e-9)
    # integer population weights = the same unit repeated that many times
    rx, rg = np.repeat(x, w), np.repeat(g, w)
    assert gini(x, w) == pytest.approx(gini(rx), abs=1e-9)
    assert theil(x, w) == pytest.approx(theil(rx), abs=1e-9)
    assert coefficient_of_variation(x, w) == pytest.approx(coefficient_of_variation(rx), abs=1e-9)
    assert theil_decomposition(x, g, w).between == pytest.approx(
        theil_decomposition(rx, rg).between, abs=1e-9
    )

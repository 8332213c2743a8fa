"""Population-weighted roll-ups to admin-1 and country."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from atlas.method.rollup import ROLLUP_COLUMNS, rollup


@pytest.fixture
def units() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "unit_id": ["a", "b", "c", "d", "e", "f"],
            "admin1": ["X", "X", "X", "X", "Y", "Y"],
            "value": [10.0, 20.0, 5.0, np.nan, 40.0, np.nan],
            "population": [100.0, 300.0, np.nan, 50.0, 200.0, 80.0],
        }
    )


def test_rol001_admin1_weighted_mean_and_missing_units(units):
    out = rollup(units, "admin1")
    assert list(out.columns) == list(ROLLUP_COLUMNS)
    x = out.loc["X"]
    assert x["value"] == pytest.approx((100 * 10 + 300 * 20) / 400)  # 17.5, not the mean 15
    assert (x["units"], x["units_counted"], x["population_counted"]) == (4, 2, 400)
    assert x["units_missing"] == ["c", "d"]
    y = out.loc["Y"]
    assert (y["value"], y["units_counted"], y["units_missing"]) == (40.0, 1, ["f"])


def test_rol002_country_total(units):
    out = rollup(units)
    assert out.index.tolist() == ["total"]
    assert out.loc["total", "value"] == pytest.approx((1000 + 6000 + 8000) / 600)
    assert out.loc["total", "units_missing"] == ["c", "d", "f"]


def test_rol003_by_admin1_and_year():
    frame = pd.DataFrame(
        {
            "unit_id": ["a", "b", "a", "b"],
            "admin1": ["X", "X", "X", "X"],
            "year": [2000, 2000, 2010, 2010],
            "value": [10.0, 30.0, 5.0, np.nan],
            "population": [1.0, 3.0, 1.0, 3.0],
        }
    )
    out = rollup(frame, ["admin1", "year"])
    assert out.loc[("X", 2000), "value"] == pytest.approx(25.0)
    assert out.loc[("X", 2010), "value"] == 5.0
    assert out.loc[("X", 2010), "units_missing"] == ["b"]


def test_rol004_nothing_counted_is_missing_not_zero():
    frame = pd.DataFrame({"unit_id": ["a"], "g": ["X"], "value": [np.nan], "population": [10.0]})
    out = rollup(frame, "g")
    assert np.isnan(out.loc["X", "value"]) and out.loc["X", "units_counted"] == 0
    frame = pd.DataFrame({"unit_id": ["a"], "g": ["X"], "value": [3.0], "population": [0.0]})
    assert np.isnan(rollup(frame, "g").loc["X", "value"])


def test_rol005_negative_population_is_an_error(units):
    units.loc[0, "population"] = -1
    with pytest.raises(ValueError, match="negative"):
        rollup(units, "admin1")


@given(st.lists(st.tuples(st.floats(0, 100), st.floats(1, 1e6)), min_size=1, max_size=30))
def test_rol101_weighted_mean_within_range_and_equal_weights_give_the_mean(rows):
    frame = pd.DataFrame(rows, columns=["value", "population"])
    frame["unit_id"] = range(len(frame))
    v = rollup(frame).loc["total", "value"]
    assert frame["value"].min() - 1e-9 <= v <= frame["value"].max() + 1e-9
    frame["population"] = 7.0
    assert rollup(frame).loc["total", "value"] == pytest.approx(frame["value"].mean(), abs=1e-9)

"""Admin-1 values of municipal series, computed at build time (geodata/rollups.py).

The hand-made cases check the rules (published > producer's weights > population, the coverage
rule, flagged values keep their weight); the real-data ones check that a state's value on the
state map is the number the summary card gives for the same state and year.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from atlas import panels
from atlas.urlstate import State
from atlas.views import compute
from geodata.rollups import MIN_COVERAGE, admin1_rollups

OBS = ["unit_id", "indicator_id", "year", "value", "ci_low", "ci_high", "source_id", "flag", "flag_ref"]  # fmt: skip


def _units() -> pd.DataFrame:
    """One country with two states: "1" of three municipalities (populations 100, 100, 800) and
    "2" of two (50, 50)."""
    rows = [("XXX", "country", "", math.nan)]
    rows += [("XXX1", "admin1", "1", math.nan), ("XXX2", "admin1", "2", math.nan)]
    for code, a1, pop in (("11", "1", 100), ("12", "1", 100), ("13", "1", 800)):
        rows.append((f"XXX{code}", "municipality", a1, pop))
    rows += [("XXX21", "municipality", "2", 50), ("XXX22", "municipality", "2", 50)]
    df = pd.DataFrame(rows, columns=["unit_id", "level", "admin1_code", "population"])
    return df.assign(country="XXX")


def _obs(rows) -> pd.DataFrame:
    """Observation rows ``(unit, indicator, year, value, source, flag)``, plus each
    municipality's 2010 population."""
    pops = [(u, "population", 2010, p, "census", "") for u, p in
            (("XXX11", 100), ("XXX12", 100), ("XXX13", 800), ("XXX21", 50), ("XXX22", 50))]  # fmt: skip
    df = pd.DataFrame([*pops, *rows], columns=["unit_id", "indicator_id", "year", "value", "source_id", "flag"])  # fmt: skip
    df = df.assign(ci_low=np.nan, ci_high=np.nan, flag_ref="")[OBS]
    return df.astype({"year": "int32"})


def _weights(rows=()) -> pd.DataFrame:
    df = pd.DataFrame(
        list(rows), columns=["unit_id", "indicator_id", "year", "weight", "source_id"]
    )
    return df.astype({"year": "int32", "weight": "float64"})


def _aggregates(rows=()) -> pd.DataFrame:
    df = pd.DataFrame(list(rows), columns=["unit_id", "indicator_id", "year", "value", "source_id"])
    return df.astype({"year": "int32", "value": "float64"})


def _by_unit(rows: pd.DataFrame, basis: pd.DataFrame, indicator: str = "rate"):
    got = rows[rows["indicator_id"] == indicator].set_index("unit_id")["value"]
    how = basis[basis["indicator_id"] == indicator].set_index("unit_id")
    return got, how


def test_rol001_population_weighted_and_flagged_values_keep_their_weight():
    obs = _obs(
        [
            ("XXX11", "rate", 2010, 10.0, "src", ""),
            ("XXX12", "rate", 2010, 20.0, "src", "few_events"),  # flagged: still counted
            ("XXX13", "rate", 2010, 30.0, "src", ""),
            ("XXX21", "rate", 2010, 5.0, "src", ""),
            ("XXX22", "rate", 2010, 15.0, "src", ""),
        ]
    )
    rows, weights, basis = admin1_rollups(_units(), obs, _weights(), _aggregates())
    got, how = _by_unit(rows, basis)
    assert got["XXX1"] == pytest.approx((100 * 10 + 100 * 20 + 800 * 30) / 1000)
    assert got["XXX2"] == pytest.approx(10.0)
    assert how.loc["XXX1", "basis"] == "population"
    assert how.loc["XXX1", ["units", "units_counted"]].tolist() == [3, 3]
    assert how.loc["XXX1", "coverage"] == pytest.approx(1.0)
    assert weights.empty  # no producer's weight: none written for the roll-ups
    assert set(rows["source_id"]) == {"src"} and (rows["flag"] == "").all()
    assert "population" not in set(rows["indicator_id"])  # counts are not averaged


def test_rol002_coverage_rule_leaves_a_thin_roll_up_missing():
    obs = _obs(
        [
            # state 1: the two small municipalities only (200 of 1,000 people): missing
            ("XXX11", "rate", 2010, 10.0, "src", ""),
            ("XXX12", "rate", 2010, 20.0, "src", ""),
            # state 2: half its population has a value: kept (the rule is "at least half")
            ("XXX21", "rate", 2010, 5.0, "src", ""),
        ]
    )
    rows, _, basis = admin1_rollups(_units(), obs, _weights(), _aggregates())
    got, how = _by_unit(rows, basis)
    assert "XXX1" not in got.index and "XXX1" not in how.index
    assert got["XXX2"] == pytest.approx(5.0)
    assert how.loc["XXX2", "coverage"] == pytest.approx(MIN_COVERAGE)
    assert how.loc["XXX2", ["units", "units_counted"]].tolist() == [2, 1]


def test_rol003_producer_weights_then_published_figure_of_the_same_source():
    obs = _obs(
        [
            ("XXX11", "rate", 2010, 10.0, "src", ""),
            ("XXX12", "rate", 2010, 20.0, "src", ""),
            ("XXX13", "rate", 2010, 30.0, "src", ""),
            ("XXX21", "rate", 2010, 5.0, "src", ""),
            ("XXX22", "rate", 2010, 15.0, "src", ""),
        ]
    )
    # births: the producer's weights, for state 1 only
    w = _weights([("XXX11", "rate", 2010, 3.0, "src"), ("XXX13", "rate", 2010, 1.0, "src")])
    # the producer's own figure for state 2; another producer's for state 1 is not used
    agg = _aggregates([("XXX2", "rate", 2010, 11.5, "src"), ("XXX1", "rate", 2010, 99.0, "other")])
    rows, weights, basis = admin1_rollups(_units(), obs, w, agg)
    got, how = _by_unit(rows, basis)
    assert got["XXX1"] == pytest.approx((3 * 10 + 1 * 30) / 4)
    assert how.loc["XXX1", "basis"] == "producer_weights"
    assert how.loc["XXX1", "units_counted"] == 2
    assert how.loc["XXX1", "coverage"] == pytest.approx(0.9)  # 100 + 800 of 1,000 people
    assert weights.set_index("unit_id").loc["XXX1", "weight"] == pytest.approx(4.0)
    assert got["XXX2"] == 11.5 and how.loc["XXX2", "basis"] == "published"
    assert math.isnan(how.loc["XXX2", "coverage"])


def test_rol004_a_year_of_the_producers_own_state_series_is_left_as_it_is():
    obs = _obs(
        [
            ("XXX11", "rate", 2010, 10.0, "src", ""),
            ("XXX13", "rate", 2010, 30.0, "src", ""),
            ("XXX21", "rate", 2010, 5.0, "src", ""),
            ("XXX22", "rate", 2010, 15.0, "src", ""),
            ("XXX2", "rate", 2010, 9.0, "dept", ""),  # the producer's department series
            ("XXX11", "rate", 2011, 10.0, "src", ""),
            ("XXX13", "rate", 2011, 30.0, "src", ""),
        ]
    )
    rows, _, _ = admin1_rollups(_units(), obs, _weights(), _aggregates())
    assert rows[rows["year"] == 2010].empty  # no roll-up beside the producer's own in 2010
    assert rows[rows["year"] == 2011]["unit_id"].tolist() == ["XXX1"]


# -- the full store -----------------------------------------------------------------------


def _view(store, catalog, **kw):
    base = dict(lang="es", level="municipality", view="value", base_year=None)
    return compute(store, catalog, State(**{**base, **kw}))


def _state_value(store, indicator, country, unit_id, year):
    values = store.values(indicator, year, country, "admin1")
    return float(values.value[values.layer.index.get_loc(unit_id)])


@pytest.mark.parametrize(
    ("country", "admin1", "indicator", "year", "basis"),
    [
        ("BRA", "12", "infant_mortality", 2010, "population"),  # Acre
        ("MEX", "07", "poverty_multidimensional", 2015, "producer_weights"),  # Chiapas, CONEVAL
        ("MEX", "07", "poverty_extreme", 2000, "population"),
        ("COL", "05", "housing_inadequate", 2018, "published"),  # Antioquia, DANE
    ],
)
def test_rol005_state_value_is_the_summary_cards_number(
    store, catalog, country, admin1, indicator, year, basis
):
    card = panels.summary(
        store,
        catalog,
        _view(store, catalog, country=country, indicator=indicator, year=year, admin1=admin1),
    )
    unit_id = country + admin1
    assert _state_value(store, indicator, country, unit_id, year) == pytest.approx(
        card.value, rel=1e-12
    )
    assert store.admin1_basis(indicator, unit_id, year)["basis"] == basis
    assert card.basis == {"population": "weighted"}.get(basis, basis)


def test_rol006_chiapas_and_colombia_figures(store):
    # CONEVAL's population-weighted share, 72.55 % (tests/atlas/test_aggregates.py from the raw)
    assert _state_value(store, "poverty_multidimensional", "MEX", "MEX07", 2015) == pytest.approx(
        72.55, abs=0.01
    )
    # DANE's published NBI of Antioquia, 2018: the state map shows DANE's figure
    for ind in ("unmet_basic_needs", "housing_inadequate"):
        published = store.published(ind, "COL05", 2018)
        assert published is not None
        assert _state_value(store, ind, "COL", "COL05", 2018) == published[0]
        assert store.admin1_basis(ind, "COL05", 2018)["basis"] == "published"
    assert _state_value(store, "unmet_basic_needs", "COL", "COL05", 2018) == pytest.approx(10.73)


def test_rol007_every_kept_roll_up_covers_half_its_state(store):
    seen = 0
    for country in ("BRA", "MEX", "PER", "CHL", "COL"):
        for ind in store.indicators(country, "admin1"):
            layer = store.layer(country, "admin1")
            for year in store.years(ind, country, "admin1"):
                for uid in layer.unit_ids:
                    b = store.admin1_basis(ind, uid, year)
                    if b is None or b["basis"] == "published":
                        continue
                    seen += 1
                    share = (
                        b["coverage"]
                        if math.isfinite(b["coverage"])
                        else b["units_counted"] / b["units"]
                    )
                    assert share >= MIN_COVERAGE, (country, ind, year, uid)
    assert seen > 1000

"""Progress towards a target: hand-checked cases, properties, scalar vs vectorised agreement."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from atlas.method.progress import (
    PROGRESS_FIELDS,
    STATUS_RANK,
    STATUSES,
    Progress,
    assess,
    assess_many,
    expected_path,
)
from atlas.method.targets import local_target, target_for, thresholds, trend_only

PCT = (0.0, 100.0)


def mdg(indicator: str, direction: str = "lower"):
    return target_for("mdg2015", indicator, direction=direction)


# --------------------------------------------------------------------------------------------
# Hand-checked cases


def test_prg001_under5_two_thirds_required_rates():
    """60 per 1,000 in 1990 -> 20 in 2015: required ARR ln 3 / 25 = 4.39 %/yr, CAGR -4.30 %/yr."""
    p = assess(
        [1990, 2005], [60, 35], mdg("under5_mortality"), direction="lower", valid_range=(0, 400)
    )
    assert p.target_value == 20.0
    assert p.arr_required == pytest.approx(math.log(3) / 25)
    assert round(p.arr_required * 100, 2) == 4.39
    assert round(p.cagr_required * 100, 2) == -4.30
    assert p.expected_linear == pytest.approx(60 - 40 * 15 / 25)  # 36
    assert p.expected_constant_rate == pytest.approx(60 * 3 ** (-15 / 25))  # 31.04
    assert p.cagr == pytest.approx((35 / 60) ** (1 / 15) - 1)
    assert p.arr == pytest.approx(math.log(60 / 35) / 15)
    assert p.projected == pytest.approx(60 * (35 / 60) ** (25 / 15))  # 24.44
    assert p.rho == pytest.approx((24.435013 - 60) / (20 - 60), rel=1e-6)  # 0.889
    assert p.status == "must_accelerate"
    assert p.gap == 15 and p.gap_share == pytest.approx(15 / 40)
    assert p.cagr_still_required == pytest.approx((20 / 35) ** (1 / 10) - 1)  # -5.44 %/yr
    assert p.slope_still_required == pytest.approx(-1.5)
    assert p.year_reached == pytest.approx(1990 + math.log(1 / 3) / (math.log(35 / 60) / 15))


@pytest.mark.parametrize(
    ("latest", "status", "rho"),
    [
        (20.0, "must_accelerate", (30 * (2 / 3) ** (24 / 19) - 30) / (15 - 30)),  # 0.80
        (16.0, "on_track", (30 * (16 / 30) ** (24 / 19) - 30) / (15 - 30)),
        (14.0, "achieved", None),
        (29.5, "stagnation_regression", (30 * (29.5 / 30) ** (24 / 19) - 30) / (15 - 30)),
    ],
)
def test_prg002_extreme_poverty_30_in_1991_target_15(latest, status, rho):
    p = assess(
        [1991, 2010], [30, latest], mdg("poverty_extreme"), direction="lower", valid_range=PCT
    )
    assert (p.baseline_year, p.baseline_value, p.target_value) == (1991, 30.0, 15.0)
    assert p.cagr_required == pytest.approx(0.5 ** (1 / 24) - 1)  # -2.85 %/yr from 1991
    assert p.expected_linear == pytest.approx(30 - 15 * 19 / 24)
    assert p.status == status
    if rho is None:
        assert p.year_reached == 2010
    else:
        assert p.rho == pytest.approx(rho)


def test_prg003_water_coverage_60_target_80():
    p = assess(
        [1991, 2010], [60, 78], mdg("water_piped", "higher"), direction="higher", valid_range=PCT
    )
    assert p.target_value == 80.0
    assert p.cagr_required == pytest.approx((80 / 60) ** (1 / 24) - 1)  # +1.21 %/yr
    assert p.projected == pytest.approx(60 * 1.3 ** (24 / 19))  # 83.6
    assert p.rho == pytest.approx((83.5759 - 60) / 20, rel=1e-4)
    assert p.status == "on_track"
    assert p.gap == pytest.approx(2.0) and p.gap_share == pytest.approx(0.1)


def test_prg004_met_in_2000_is_achieved_since_2000():
    p = assess([1990, 2000, 2010], [40, 18, 15], mdg("poverty_extreme"), direction="lower")
    assert p.status == "achieved"
    assert p.year_reached == 2000
    assert p.gap == pytest.approx(-5.0)  # passed the target by 5 points
    assert p.cagr_still_required is None


def test_prg005_met_then_lost_is_judged_on_the_latest_value():
    p = assess([1990, 2000, 2010], [40, 18, 25], mdg("poverty_extreme"), direction="lower")
    assert p.status == "must_accelerate"
    assert p.rho == pytest.approx((40 * 0.625**1.25 - 40) / (20 - 40))


def test_prg006_single_observation_is_insufficient_data():
    p = assess([2000], [25.0], mdg("poverty_extreme"), direction="lower")
    assert p.status == "insufficient_data"
    assert (p.n_points, p.baseline_year, p.latest_year) == (1, 2000, 2000)
    assert p.rho is None and p.cagr is None


def test_prg007_no_observation_is_insufficient_data():
    p = assess([1990, 2000], [None, float("nan")], mdg("poverty_extreme"), direction="lower")
    assert p == Progress(status="insufficient_data", n_points=0, deadline=2015)


def test_prg008_worsening_unit_is_stagnation_regression():
    p = assess([1990, 2010], [40, 45], mdg("poverty_extreme"), direction="lower")
    assert p.status == "stagnation_regression"
    assert p.rho < 0
    assert p.year_reached is None


def test_prg009_zero_baseline_falls_back_to_linear():
    p = assess(
        [1991, 2010], [0, 30], mdg("water_piped", "higher"), direction="higher", valid_range=PCT
    )
    assert p.target_value == 50.0
    assert p.cagr is None and p.cagr_required is None
    assert p.projection_method == "linear"
    assert p.projected == pytest.approx(30 / 19 * 24)
    assert p.status == "must_accelerate"
    assert p.year_reached == pytest.approx(1991 + 50 / (30 / 19))


def test_prg010_zero_latest():
    p = assess([1990, 2010], [10, 0], mdg("poverty_extreme"), direction="lower", valid_range=PCT)
    assert p.status == "achieved" and p.arr is None
    p = assess(
        [1991, 2010], [50, 0], mdg("water_piped", "higher"), direction="higher", valid_range=PCT
    )
    assert p.status == "stagnation_regression" and p.projected == 0.0 and p.cagr == -1.0


@pytest.mark.parametrize(
    ("latest", "status"), [(99.2, "achieved"), (98.5, "on_track"), (90.0, "stagnation_regression")]
)
def test_prg011_universal_target_within_one_point_counts_as_achieved(latest, status):
    p = assess(
        [1991, 2010],
        [90, latest],
        mdg("school_attendance_primary", "higher"),
        direction="higher",
        valid_range=PCT,
    )
    assert p.target_value == 100.0
    assert p.status == status
    assert p.projected <= 100.0  # clipped to the valid range


def test_prg012_deprivation_to_zero():
    t = mdg("illiteracy")
    assert assess([1991, 2010], [20, 0.8], t, direction="lower").status == "achieved"
    p = assess([1991, 2010], [20, 5], t, direction="lower", valid_range=PCT)
    assert p.status == "must_accelerate"
    assert p.rho == pytest.approx(1 - 0.25 ** (24 / 19))
    assert p.cagr_required is None and p.expected_constant_rate is None  # no rate reaches 0
    # reaches the 1-point tolerance of the 0 target at the observed pace in 2032
    assert p.year_reached == pytest.approx(1991 + math.log(1 / 20) / math.log(0.25 ** (1 / 19)))


def test_prg013_national_target_met_at_baseline():
    t = target_for("national", "infant_mortality", direction="lower", country="COL")
    p = assess([2005, 2010], [15, 14], t, direction="lower")
    assert (p.status, p.year_reached) == ("achieved", 2005.0)
    p = assess([2005, 2010], [15, 19], t, direction="lower")
    assert p.status == "stagnation_regression"
    assert p.rho is None and p.cagr_required is None  # no required change from a met baseline


def test_prg014_missing_values_are_ignored_not_zero():
    t = mdg("poverty_extreme")
    ref = assess([1990, 2010], [40, 15], t, direction="lower")
    for years, values in [
        ([1990, 2000, 2010], [40, float("nan"), 15]),
        ([1990, 2000, 2010], [40, None, 15]),
        ([1990, 2000, 2010], [40, pd.NA, 15]),
        ([1990, 2000, 2010], [40, 250, 15]),  # outside the valid range
    ]:
        assert assess(years, values, t, direction="lower", valid_range=PCT) == ref


def test_prg015_observation_window():
    t = mdg("poverty_extreme")
    p = assess([1985, 1990, 2010, 2020], [50, 40, 25, 10], t, direction="lower")
    assert (p.baseline_year, p.latest_year, p.status) == (1990, 2010, "must_accelerate")
    p = assess([1985, 1990, 2010, 2020], [50, 40, 25, 10], t, direction="lower", as_of=2020)
    assert (p.latest_year, p.status) == (2020, "achieved")
    assert p.slope_still_required is None  # the deadline is past


def test_prg016_sdg_baseline_2015():
    t = target_for("sdg2030", "under5_mortality", direction="lower")
    p = assess([2010, 2015, 2020], [40, 30, 26], t, direction="lower", valid_range=(0, 400))
    assert (p.baseline_year, p.target_value, p.deadline) == (2015, 25.0, 2030)
    assert p.projected == pytest.approx(30 * (26 / 30) ** 3)
    assert p.status == "on_track"


def test_prg017_halving_and_three_quarters_rates():
    p = assess([1990, 2000], [30, 25], mdg("poverty_extreme"), direction="lower")
    assert round(p.cagr_required * 100, 2) == -2.73
    p = assess([1990, 2000], [400, 300], mdg("maternal_mortality"), direction="lower")
    assert p.arr_required == pytest.approx(math.log(4) / 25)  # 5.5 %/yr
    assert round(p.arr_required * 100, 1) == 5.5


@pytest.mark.parametrize(
    ("latest", "status"),
    [
        (8.0, "improving_fast"),
        (9.5, "improving"),
        (9.8, "improving_slowly"),
        (10.0, "improving_slowly"),
        (11.0, "worsening"),
    ],
)
def test_prg018_trend_only_classes(latest, status):
    p = assess([2000, 2010], [10, latest], mdg("unemployment"), direction="lower", valid_range=PCT)
    assert p.status == status
    assert p.target_value is None and p.rho is None and p.gap is None


def test_prg019_trend_only_at_best_bound_and_zero_baseline():
    t = trend_only("overcrowding")
    assert assess([2000, 2010], [0, 0], t, direction="lower", valid_range=PCT).status == (
        "improving_fast"
    )
    assert assess([2000, 2010], [0, 3], t, direction="lower").status == "worsening"
    assert assess([2000, 2010], [0, 3], t, direction="higher").status == "improving_fast"


@pytest.mark.parametrize(
    ("values", "status"),
    [
        ([0.90, 0.99], "achieved"),
        ([0.80, 0.85], "must_accelerate"),
        ([1.25, 1 / 0.85], "must_accelerate"),
        ([0.90, 0.85], "stagnation_regression"),
    ],
)
def test_prg020_gender_parity(values, status):
    t = target_for("mdg2015", "gender_parity_primary", direction="none")
    p = assess([1991, 2010], values, t, direction="none", valid_range=(0, 3))
    assert p.status == status
    assert p.scale == "parity_ratio"
    assert p.target_value == pytest.approx(1.03)
    if values[0] == 0.80:
        assert p.rho == pytest.approx(
            (1.25 * (1 / 0.85 / 1.25) ** (24 / 19) - 1.25) / (1.03 - 1.25)
        )


def test_prg021_local_target():
    p = assess(
        [2000, 2020], [40, 20], local_target("under5_mortality", 10, 2030), direction="lower"
    )
    assert (p.baseline_year, p.deadline, p.target_value) == (2000, 2030, 10.0)
    assert p.rho == pytest.approx((40 * 0.5**1.5 - 40) / (10 - 40))
    assert p.status == "must_accelerate"


def test_prg022_bad_input():
    with pytest.raises(ValueError, match="direction"):
        assess([1990, 2000], [1, 2], mdg("population"), direction="none")
    with pytest.raises(ValueError, match="twice"):
        assess([1990, 1990], [1, 2], mdg("poverty_extreme"), direction="lower")
    df = pd.DataFrame({"unit_id": ["a", "a"], "year": [1990, 1990], "value": [1.0, 2.0]})
    with pytest.raises(ValueError, match="twice"):
        assess_many(df, mdg("poverty_extreme"), direction="lower")


def test_prg023_expected_path_hand_values():
    lin = expected_path(1990, 60, 20, 2015, [1990, 2005, 2015])
    assert lin.tolist() == pytest.approx([60, 36, 20])
    cr = expected_path(1990, 60, 20, 2015, [1990, 2015], method="constant_rate")
    assert cr.tolist() == pytest.approx([60, 20])
    assert np.isnan(expected_path(1990, 0, 20, 2015, [2000], method="constant_rate")).all()


# --------------------------------------------------------------------------------------------
# Properties

TARGETS = [
    ("ratio", lambda d: target_for("mdg2015", "poverty_extreme", direction=d)),
    ("shortfall", lambda d: target_for("mdg2015", "water_piped", direction=d)),
    ("universal", lambda d: target_for("mdg2015", "illiteracy", direction=d)),
    ("absolute", lambda d: target_for("sdg2030", "under5_mortality", direction=d)),
    ("local", lambda d: local_target("x", 40.0, 2015, baseline_year=1990)),
    ("trend", lambda d: target_for("mdg2015", "unemployment", direction=d)),
]
values = st.one_of(
    st.floats(0, 100, allow_nan=False), st.sampled_from([0.0, 0.5, 1.0, 99.0, 100.0])
)


@settings(max_examples=400, deadline=None)
@given(
    direction=st.sampled_from(["lower", "higher"]),
    which=st.sampled_from(range(len(TARGETS))),
    x0=values,
    a=values,
    b=values,
    t0=st.integers(1990, 2005),
    dt=st.integers(1, 10),
)
def test_prg101_status_is_monotone_in_the_latest_value(direction, which, x0, a, b, t0, dt):
    """A better latest value never gives a worse class."""
    target = TARGETS[which][1](direction)
    better, worse = (min(a, b), max(a, b)) if direction == "lower" else (max(a, b), min(a, b))
    pb = assess([t0, t0 + dt], [x0, better], target, direction=direction, valid_range=PCT)
    pw = assess([t0, t0 + dt], [x0, worse], target, direction=direction, valid_range=PCT)
    assert STATUS_RANK[pb.status] >= STATUS_RANK[pw.status], (pb, pw)


@given(
    x0=st.floats(0.01, 1e4),
    xt=st.floats(0.01, 1e4),
    t0=st.integers(1950, 2020),
    span=st.integers(1, 50),
)
def test_prg102_paths_start_at_the_baseline_and_end_at_the_target(x0, xt, t0, span):
    for method in ("linear", "constant_rate"):
        start, end = expected_path(t0, x0, xt, t0 + span, [t0, t0 + span], method=method)
        assert start == pytest.approx(x0, rel=1e-9)
        assert end == pytest.approx(xt, rel=1e-9)


@given(
    x0=st.floats(0.5, 99),
    xt=st.floats(0.5, 99),
    span=st.integers(5, 40),
    share=st.floats(0.05, 0.95),
)
def test_prg103_a_unit_on_its_path_is_on_track(x0, xt, span, share):
    """A unit exactly on the constant-rate path projects to the target: rho = 1."""
    assume(abs(xt - x0) > 1.5)
    direction = "lower" if xt < x0 else "higher"
    t = max(1, round(share * span))
    assume(t < span)
    x_t = float(expected_path(2000, x0, xt, 2000 + span, [2000 + t], method="constant_rate")[0])
    target = local_target("x", xt, 2000 + span, baseline_year=2000)
    p = assess([2000, 2000 + t], [x0, x_t], target, direction=direction, valid_range=PCT)
    assert p.status in ("on_track", "achieved")
    if p.status == "on_track":
        assert p.rho == pytest.approx(1.0, rel=1e-6)
        assert p.expected_constant_rate == pytest.approx(x_t, rel=1e-9)


@given(
    x0=st.floats(1, 99), xt=st.floats(0, 100), extra=st.lists(st.integers(1991, 2009), max_size=4)
)
def test_prg104_missing_observations_change_nothing(x0, xt, extra):
    t = mdg("poverty_extreme")
    years = [1990, 2010, *sorted(set(extra))]
    vals = [x0, xt] + [float("nan")] * len(set(extra))
    assert assess(years, vals, t, direction="lower") == assess(
        [1990, 2010], [x0, xt], t, direction="lower"
    )


# --------------------------------------------------------------------------------------------
# Scalar and vectorised versions agree

unit_series = st.dictionaries(
    keys=st.integers(1, 10_000),
    values=st.dictionaries(
        keys=st.integers(1983, 2034),
        values=st.one_of(values, st.just(float("nan")), st.floats(100.5, 150)),
        max_size=5,
    ),
    min_size=1,
    max_size=12,
)


def _same(field: str, scalar, vector) -> bool:
    if scalar is None:
        return (
            vector is None or (isinstance(vector, float) and math.isnan(vector)) or pd.isna(vector)
        )
    if isinstance(scalar, str):
        return scalar == vector
    return math.isclose(float(scalar), float(vector), rel_tol=1e-9, abs_tol=1e-12) or (
        math.isinf(scalar) and scalar == vector
    )


def _near_threshold(p: Progress) -> bool:
    th = thresholds()
    return p.rho is not None and any(
        abs(p.rho - c) < 1e-9 for c in (th.on_track, th.must_accelerate)
    )


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=unit_series,
    direction=st.sampled_from(["lower", "higher"]),
    which=st.sampled_from(range(len(TARGETS) + 1)),
    as_of=st.sampled_from([None, 2030]),
)
def test_prg201_scalar_and_vectorised_agree(data, direction, which, as_of):
    if which == len(TARGETS):
        target = target_for("mdg2015", "gender_parity_primary", direction="none")
    else:
        target = TARGETS[which][1](direction)
    rows = [(u, y, v) for u, series in data.items() for y, v in (series or {2000: np.nan}).items()]
    frame = pd.DataFrame(rows, columns=["unit_id", "year", "value"])
    many = assess_many(frame, target, direction=direction, valid_range=PCT, as_of=as_of)
    assert list(many.columns) == list(PROGRESS_FIELDS)
    assert set(many.index) == set(frame["unit_id"])
    for unit, series in data.items():
        one = assess(
            list(series),
            list(series.values()),
            target,
            direction=direction,
            valid_range=PCT,
            as_of=as_of,
        )
        row = many.loc[unit]
        for field in PROGRESS_FIELDS:
            if field == "status" and _near_threshold(one):
                continue
            assert _same(field, getattr(one, field), row[field]), (unit, field, one, row[field])


def test_prg202_vectorised_handles_all_statuses_and_keeps_empty_units():
    frame = pd.DataFrame(
        {
            "unit_id": ["a", "a", "b", "b", "c", "c", "d", "e", "e", "e"],
            "year": [1990, 2005, 1991, 2010, 1990, 2010, 1990, 1990, 2000, 2010],
            "value": [60, 35, 30, 31, 60, 15, 50, 40, np.nan, 15],
        }
    )
    frame.loc[len(frame)] = ["f", 2000, np.nan]
    out = assess_many(frame, mdg("under5_mortality"), direction="lower")
    assert out["status"].to_dict() == {
        "a": "must_accelerate",
        "b": "stagnation_regression",
        "c": "achieved",
        "d": "insufficient_data",
        "e": "on_track",
        "f": "insufficient_data",
    }
    assert out.loc["f", "n_points"] == 0 and pd.isna(out.loc["f", "baseline_value"])
    assert set(out["status"]) <= set(STATUSES)


def test_prg203_vectorised_assesses_every_unit_of_a_brazil_sized_frame():
    # Its speed is measured by bench/timings.py (bench/RESULTS.md), not asserted here.
    rng = np.random.default_rng(7)
    units = np.repeat(np.arange(5_570), 3)
    years = np.tile([1991, 2000, 2010], 5_570)
    vals = np.clip(rng.normal(30, 15, units.size), 0, 100)
    vals[rng.random(units.size) < 0.02] = np.nan
    frame = pd.DataFrame({"unit_id": units, "year": years, "value": vals})
    target = mdg("poverty_extreme")
    out = assess_many(frame, target, direction="lower", valid_range=PCT)
    assert len(out) == 5_570 and set(out["status"]) <= set(STATUSES)


# --------------------------------------------------------------------------------------------
# A unit that moved away from its target is never achieved (x0 = 0 for every kind of rule)


def _moved_away(p: Progress, direction: str) -> bool:
    """The shortfall from the target value itself (not from the tolerance band) grew."""
    if p.target_value is None or p.baseline_value is None or p.latest_value is None:
        return False
    sign = 1.0 if direction == "lower" else -1.0
    short0 = max(0.0, sign * (p.baseline_value - p.target_value))
    short = max(0.0, sign * (p.latest_value - p.target_value))
    return short > short0 + 1e-9


@pytest.mark.parametrize(
    ("framework", "indicator", "direction", "kind"),
    [
        ("mdg2015", "poverty_extreme", "lower", "ratio"),  # halve: x* = 0 when x0 = 0
        ("mdg2015", "water_sanitation_inadequate", "lower", "ratio"),  # 7.C for "% without"
        ("mdg2015", "children_out_of_school", "lower", "absolute"),  # universal: 0 %
        ("sdg2030", "poverty_extreme", "lower", "absolute"),  # below 3 %
        ("sdg2030", "under5_mortality", "lower", "absolute"),  # 25 per 1,000
    ],
)
@pytest.mark.parametrize("latest", [0.0, 0.24, 0.5, 1.0, 2.5, 10.0])
def test_prg301_zero_baseline_lower_is_better(framework, indicator, direction, kind, latest):
    """x0 = 0, lower is better: staying at 0 is achieved; any rise above a target of 0 is not,
    even within the tolerance (BRA3500600: 0.00 -> 0.24; BRA3516853: 0.00 -> 1.00)."""
    t = target_for(framework, indicator, direction=direction)
    assert t.kind == kind
    p = assess(
        [2015, 2020],
        [0.0, latest],
        replace(t, baseline_year=2015, deadline=2030),
        direction=direction,
        valid_range=PCT,
    )
    assert p.baseline_value == 0.0 and p.status in STATUSES
    if latest <= p.target_value:
        assert p.status == "achieved"  # still meets the target value itself
    else:
        assert p.status != "achieved"
        assert p.status == "stagnation_regression"  # a baseline that met it, then lost
    if _moved_away(p, direction):
        assert p.status != "achieved"


@pytest.mark.parametrize(
    ("framework", "indicator", "kind"),
    [
        ("mdg2015", "school_attendance_primary", "absolute"),  # universal: 100 %
        ("mdg2015", "water_piped", "shortfall_ratio"),  # halve the share without access
        ("sdg2030", "water_piped", "absolute"),  # universal: 100 %
    ],
)
@pytest.mark.parametrize(
    ("x0", "latest"),
    [(0.0, 0.0), (0.0, 30.0), (100.0, 100.0), (100.0, 99.5), (99.5, 99.8), (99.5, 99.2)],
)
def test_prg302_edge_baselines_higher_is_better(framework, indicator, kind, x0, latest):
    """Higher is better, baselines at both edges (0 and 100): from 0 a rise is progress, never
    "achieved" unless the target is met; from (near) 100, a fall is never achieved."""
    t = target_for(framework, indicator, direction="higher")
    assert t.kind == kind
    t = replace(t, baseline_year=2000, deadline=2030)
    p = assess([2000, 2010], [x0, latest], t, direction="higher", valid_range=PCT)
    if latest < x0:
        assert p.status == "stagnation_regression"  # moved away: never achieved
    elif latest >= 99.0 and latest >= x0:
        assert p.status == "achieved"  # within the tolerance and not moving away
    else:
        assert p.status != "achieved"
    if x0 == 0.0 and latest == 30.0:
        assert p.projection_method == "linear" and p.rho is not None  # zero baseline: slope
    assert not (_moved_away(p, "higher") and p.status == "achieved")


@pytest.mark.parametrize(("values", "baseline"), [([0.0, 0.9, 1.05], 0.9), ([0.0, 1.2, 1.1], 1.2)])
def test_prg303_parity_zero_ratio_is_not_a_baseline(values, baseline):
    """A girls/boys ratio of 0 is impossible: it is skipped, and the next value is the baseline."""
    t = target_for("mdg2015", "gender_parity_primary", direction="none")
    p = assess([1990, 2000, 2010], values, t, direction="none")
    assert p.baseline_year == 2000
    assert p.baseline_value == pytest.approx(max(baseline, 1 / baseline))
    assert p.status in ("achieved", "on_track", "must_accelerate", "stagnation_regression")


@pytest.mark.parametrize(
    ("values", "status"),
    [([0.0, 0.0], "improving_fast"), ([0.0, 0.5], "worsening"), ([5.0, 0.0], "improving_fast")],
)
def test_prg304_zero_baseline_without_a_numeric_target(values, status):
    """Trend classes: staying at 0 (the best bound) improves; rising from 0 worsens."""
    t = trend_only("x", baseline_year=1990, deadline=2015)
    assert assess([1990, 2000], values, t, direction="lower", valid_range=PCT).status == status


def test_prg305_local_target_of_zero_and_tolerance():
    t = local_target("poverty_extreme", 0, 2030)
    assert assess([2010, 2020], [0.0, 0.6], t, direction="lower").status == "stagnation_regression"
    assert assess([2010, 2020], [0.8, 0.6], t, direction="lower").status == "achieved"
    assert assess([2010, 2020], [0.6, 0.6], t, direction="lower").status == "achieved"


def test_prg306_vectorised_never_achieves_a_unit_that_moved_away():
    frame = pd.DataFrame(
        {
            "unit_id": ["a", "a", "b", "b", "c", "c", "d", "d"],
            "year": [1991, 2010] * 4,
            "value": [0.0, 0.24, 0.0, 1.0, 0.0, 0.0, 0.9, 0.3],
        }
    )
    out = assess_many(frame, mdg("poverty_extreme"), direction="lower", valid_range=PCT)
    assert out["status"].to_dict() == {
        "a": "stagnation_regression",
        "b": "stagnation_regression",
        "c": "achieved",
        "d": "achieved",
    }


# --------------------------------------------------------------------------------------------
# Baseline rule (EUSTAT exception 3 with a window) and a verdict after a past deadline


def test_prg401_sdg_baseline_before_2015_within_the_window():
    """Colombia's NBI, 2005 and 2018: no 2015 value, 2018 leaves nothing after it, so the baseline
    is the closest earlier one (2005, inside the window) and the pace is 2005 -> 2018."""
    t = target_for("sdg2030", "unmet_basic_needs", direction="lower")
    p = assess([2005, 2018], [60.0, 35.0], t, direction="lower", valid_range=PCT)
    assert (p.baseline_year, p.latest_year, p.n_points) == (2005, 2018, 2)
    assert p.target_value == 30.0 and p.cagr == pytest.approx((35 / 60) ** (1 / 13) - 1)
    assert p.status == "on_track"
    earliest = t.baseline_year - t.baseline_window
    p = assess([earliest - 1, 2018], [60.0, 35.0], t, direction="lower", valid_range=PCT)
    assert p.status == "insufficient_data" and p.n_points == 1  # outside the window


def test_prg402_sdg_prefers_2015_then_the_first_after():
    t = target_for("sdg2030", "unmet_basic_needs", direction="lower")
    p = assess([2005, 2015, 2020], [60.0, 40.0, 30.0], t, direction="lower", valid_range=PCT)
    assert p.baseline_year == 2015
    p = assess([2005, 2017, 2020], [60.0, 40.0, 30.0], t, direction="lower", valid_range=PCT)
    assert p.baseline_year == 2017


def test_prg403_past_deadline_gets_a_verdict_from_a_baseline_before_it():
    """A series with a baseline before the deadline that continues only after it: achieved or not
    achieved by the latest observation. A series that starts after the deadline says nothing
    about it (a 2019 'baseline' for a 1990-2015 target would credit noise): insufficient data."""
    t = mdg("water_sanitation_inadequate")
    p = assess([2005, 2018], [60.0, 35.0], t, direction="lower", valid_range=PCT)
    assert (p.baseline_year, p.latest_year, p.status) == (2005, 2018, "not_achieved")
    assert p.projected == pytest.approx(60 * (35 / 60) ** (10 / 13))  # value at the deadline
    p = assess([2005, 2018], [60.0, 25.0], t, direction="lower", valid_range=PCT)
    assert p.status == "achieved"  # 25 <= 60 / 2
    t = mdg("infant_mortality")
    for values in ([9.0, 8.0, 7.0], [9.0, 5.0, 2.0]):
        p = assess([2019, 2021, 2023], values, t, direction="lower", valid_range=(0, 1000))
        assert p.status == "insufficient_data", values
    # the SDG 2030 targets judge the same series
    t = target_for("sdg2030", "infant_mortality", direction="lower")
    p = assess([2019, 2021, 2023], [9.0, 8.0, 7.0], t, direction="lower")
    assert p.status != "insufficient_data" and p.baseline_year == 2019


def test_prg404_data_up_to_the_deadline_still_win():
    """A series with two observations up to the deadline is judged on them (EUSTAT exception 5);
    later ones only count when the earlier ones are not enough."""
    t = mdg("poverty_extreme")
    p = assess([1991, 2010, 2020], [40.0, 25.0, 5.0], t, direction="lower", valid_range=PCT)
    assert (p.latest_year, p.status) == (2010, "must_accelerate")


def test_prg405_vectorised_baselines_agree_with_the_rule():
    frame = pd.DataFrame(
        {
            "unit_id": ["a", "a", "b", "b", "b", "c", "d", "d"],
            "year": [2005, 2018, 2005, 2015, 2020, 2018, 1999, 2018],
            "value": [60.0, 35.0, 60.0, 40.0, 30.0, 35.0, 60.0, 35.0],
        }
    )
    t = target_for("sdg2030", "unmet_basic_needs", direction="lower")
    out = assess_many(frame, t, direction="lower", valid_range=PCT)
    assert out["baseline_year"].tolist() == [2005, 2015, 2018, 2018]
    assert out["status"].tolist()[2:] == ["insufficient_data", "insufficient_data"]


# --------------------------------------------------------------------------------------------
# The whole store: no unit that worsened is achieved, in any country, indicator or framework


def test_prg501_no_worsened_unit_is_achieved_anywhere_in_the_store(store):
    from atlas.analysis import layer_progress
    from atlas.catalog import catalog

    cat = catalog()
    checked = 0
    for country in store.countries():
        for level in store.levels(country):
            for indicator in store.indicators(country, level):
                direction = cat[indicator].direction
                if direction not in ("higher", "lower"):
                    continue
                for framework in ("mdg2015", "sdg2030", "national"):
                    p = layer_progress(
                        store,
                        cat,
                        indicator=indicator,
                        country=country,
                        level=level,
                        framework=framework,
                    )
                    if p["scale"].iloc[0] == "parity_ratio":
                        direction = "lower"
                    achieved = p[p["status"] == "achieved"]
                    sign = 1.0 if direction == "lower" else -1.0
                    x0, x, xs = (
                        achieved[c].to_numpy(float)
                        for c in ("baseline_value", "latest_value", "target_value")
                    )
                    short0 = np.maximum(0.0, sign * (x0 - xs))
                    short = np.maximum(0.0, sign * (x - xs))
                    worse = achieved.index[short > short0 + 1e-9]
                    assert worse.empty, (country, level, indicator, framework, list(worse[:5]))
                    checked += len(p)
    assert checked > 100_000

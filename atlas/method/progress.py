"""Progress of one unit (or thousands) towards a target: rates, paths, projection, status class.

Method (docs/method.md explains it for users; thresholds are set once, in targets.toml):

1. **Observations.** Missing values (NaN/None) and values outside the indicator's valid range are
   ignored, never read as zero. The assessment period ends at the deadline (EUSTAT: "if the target
   year is past, assess with data up to the target year"); ``as_of`` moves that end.
2. **Baseline and latest** (one rule: EUSTAT's Open SDG methodology, exception 3, "the first year
   after or before the baseline year that allows at least two values", with ESCAP's MDG rule "1990
   or the first value observed after 1990" for the after part). The baseline is the observation of
   the framework's baseline year; else the first one after it that leaves at least ``min_points``
   observations up to the end; else the closest one before it that does, at most the framework's
   ``baseline_window`` years earlier (``targets.toml``). The latest is the last observation up to
   the end. No such baseline up to the deadline: the rule runs again over every observation, so a
   series that only continues after a past deadline gets a verdict (point 5), unless its baseline
   would come after the deadline (a series that starts after it says nothing about it). Still none:
   ``insufficient_data`` (UNSD, Open SDG: at least two data points).
3. **Observed pace.** Compound annual growth rate ``CAGR = (x_t/x0)^(1/(t-t0)) - 1`` between
   baseline and latest, and UNICEF's annual rate of reduction ``ARR = ln(x0/x_t)/(t-t0)`` for
   lower-is-better indicators. A zero (or negative) baseline has no CAGR: the linear pace
   ``(x_t - x0)/(t - t0)`` is used instead (``projection_method = "linear"``).
4. **Projection.** ``projected`` is the value at the deadline if the observed pace continues,
   clipped to the valid range.
5. **Status, numeric target** (UNSD SDG Progress Chart technical note 2023, as implemented by
   EUSTAT's Open SDG site):

   * ``achieved`` - the latest value meets the target; for a target of 0 or 100 a latest value
     within ``bound_tolerance`` points of it also counts (EUSTAT exception 2), but only if it did
     not move away from the target since the baseline (Statistics Canada / Open SDG credit a value
     at its natural limit only while it stays there). So a unit whose shortfall from the target
     value itself (``max(0, x - x*)``, or ``max(0, x* - x)`` when higher is better) grew is never
     ``achieved``;
   * a deadline already past at the latest observation (a series that continues only after it):
     ``achieved`` as above, else ``not_achieved`` - a verdict, not a projection;
   * otherwise ``rho = (projected - x0) / (x* - x0)``, the share of the required change the unit
     will have made by the deadline: ``rho >= on_track`` -> ``on_track``;
     ``must_accelerate <= rho < on_track`` -> ``must_accelerate``; below ->
     ``stagnation_regression``;
   * a baseline that already met the target (or was within the tolerance) and a latest value that
     no longer does -> ``stagnation_regression`` (rho is undefined there).

6. **Status, no numeric target** (Statistics Canada, as used by Open SDG): the direction-signed
   CAGR ``g`` gives ``improving_fast`` (``g >= trend_fast``), ``improving`` (``>= trend_moderate``),
   ``improving_slowly`` (``>= trend_slow``) or ``worsening``. A zero baseline counts as infinitely
   fast change in the sign of the linear change; a unit that stays at the best bound of the valid
   range is ``improving_fast`` (Statistics Canada's rule for values at a natural limit). These four
   are kept apart from the target classes: "improving" says nothing about meeting a target.

Parity targets are scored on ``max(x, 1/x)`` (Statistics Canada's treatment of parity indices):
values, paths and rates of such a :class:`Progress` are in that scale (``scale="parity_ratio"``).

:func:`assess` is the readable reference for one series; :func:`assess_many` does the same for a
long table of many units with numpy and must agree with it (tested).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, fields

import numpy as np
import pandas as pd

from atlas.method.targets import FULL_SCALE, Target, Thresholds, thresholds

STATUSES = (
    "achieved",
    "on_track",
    "must_accelerate",
    "stagnation_regression",
    "not_achieved",
    "insufficient_data",
    "improving_fast",
    "improving",
    "improving_slowly",
    "worsening",
)
TARGET_STATUSES = (
    "achieved",
    "on_track",
    "must_accelerate",
    "stagnation_regression",
    "not_achieved",
)
TREND_STATUSES = ("improving_fast", "improving", "improving_slowly", "worsening")
#: Order within each family (higher is better); ``insufficient_data`` ranks 0. ``not_achieved``
#: (a deadline already past) ranks with ``stagnation_regression``: both miss the target.
STATUS_RANK = (
    {s: 4 - i for i, s in enumerate(TARGET_STATUSES[:4])}
    | {"not_achieved": 1}
    | {s: 4 - i for i, s in enumerate(TREND_STATUSES)}
    | {"insufficient_data": 0}
)
#: Classes counted as "off track" in inequality summaries.
OFF_TRACK_STATUSES = ("must_accelerate", "stagnation_regression", "not_achieved", "worsening")

_EPS = 1e-9  # relative slack when comparing a value with its target (float noise only)


@dataclass(frozen=True)
class Progress:
    """Where one unit stands against its target. ``None`` means "not defined here", never zero.

    Rates are fractions per year (``-0.0273`` = -2.73 %/yr); ``arr`` and ``arr_required`` are
    positive when the indicator falls. ``gap`` is the distance still to go, in the indicator's
    unit (negative once the target is passed); ``gap_share`` is that gap as a share of the whole
    required change ``|x* - x0|``. ``expected_*`` are the values the unit should have at its latest
    year on the straight-line and constant-rate paths from baseline to target. ``year_reached`` is
    the first observed year of the latest run of values meeting the target when it is met, else
    the (fractional) year the target would be met at the observed pace, ``None`` if never.
    """

    status: str
    n_points: int
    baseline_year: int | None = None
    baseline_value: float | None = None
    latest_year: int | None = None
    latest_value: float | None = None
    target_value: float | None = None
    deadline: int | None = None
    expected_linear: float | None = None
    expected_constant_rate: float | None = None
    gap: float | None = None
    gap_share: float | None = None
    cagr: float | None = None
    arr: float | None = None
    slope: float | None = None
    cagr_required: float | None = None
    arr_required: float | None = None
    slope_required: float | None = None
    cagr_still_required: float | None = None
    slope_still_required: float | None = None
    projected: float | None = None
    projection_method: str | None = None
    rho: float | None = None
    year_reached: float | None = None
    scale: str = "value"


PROGRESS_FIELDS = tuple(f.name for f in fields(Progress))


# --------------------------------------------------------------------------------------------
# Shared set-up


def _setup(
    target: Target, direction: str, valid_range: tuple[float, float] | None
) -> tuple[str, tuple[float, float] | None, str]:
    """Effective direction, clipping range and scale (parity is scored on max(x, 1/x))."""
    if target.kind == "parity":
        return "lower", (1.0, math.inf), "parity_ratio"
    if direction not in ("higher", "lower"):
        raise ValueError(
            f"Progress needs a normative direction ('higher' or 'lower'), not {direction!r}: "
            "context indicators are not assessed."
        )
    return direction, valid_range, "value"


def _threshold(xstar: float, direction: str, th: Thresholds) -> float:
    """The value that counts as meeting the target (EUSTAT: within 1 point of a 0/100 target)."""
    if direction == "lower" and xstar == 0.0:
        return th.bound_tolerance
    if direction == "higher" and xstar == FULL_SCALE:
        return FULL_SCALE - th.bound_tolerance
    return xstar


def _is_bound(xstar: float, direction: str) -> bool:
    """A target of 0 (lower is better) or 100 (higher is better): the tolerance may apply."""
    return (direction == "lower" and xstar == 0.0) or (
        direction == "higher" and xstar == FULL_SCALE
    )


def _met_latest(x: float, x0: float, xstar: float, eff: float, direction: str) -> bool:
    """The latest value meets the target: exactly, or within the tolerance of a 0/100 target
    without having moved away from it since the baseline (a unit that moved away never counts)."""
    if _meets(x, xstar, direction):
        return True
    return _is_bound(xstar, direction) and _meets(x, eff, direction) and _meets(x, x0, direction)


def _meets(v: float, eff: float, direction: str) -> bool:
    slack = _EPS * max(1.0, abs(eff))
    return v <= eff + slack if direction == "lower" else v >= eff - slack


def _pow(base: float, exponent: float) -> float:
    """``base ** exponent`` that overflows to infinity (as numpy does) instead of raising."""
    try:
        return base**exponent
    except OverflowError:
        return math.inf


def _clip(v: float | None, rng: tuple[float, float] | None) -> float | None:
    if v is None or rng is None:
        return v
    return min(max(v, rng[0]), rng[1])


def expected_path(
    baseline_year: int,
    baseline_value: float,
    target_value: float,
    deadline: int,
    years: Sequence[float] | np.ndarray,
    *,
    method: str = "linear",
) -> np.ndarray:
    """Values on the path from the baseline to the target (for charts and the expected values).

    ``linear``: ``x0 + (x* - x0)(t - t0)/(T - t0)``;
    ``constant_rate``: ``x0 (x*/x0)^((t - t0)/(T - t0))``
    (NaN everywhere when ``x0`` or ``x*`` is not positive: no constant rate links them).
    """
    t = np.asarray(years, dtype=float)
    if deadline <= baseline_year:
        raise ValueError("The deadline must come after the baseline year.")
    share = (t - baseline_year) / (deadline - baseline_year)
    if method == "linear":
        return baseline_value + (target_value - baseline_value) * share
    if method == "constant_rate":
        if baseline_value <= 0 or target_value <= 0:
            return np.full(t.shape, np.nan)
        return baseline_value * np.power(target_value / baseline_value, share)
    raise ValueError(f"method must be 'linear' or 'constant_rate', not {method!r}.")


# --------------------------------------------------------------------------------------------
# One series: the reference implementation


def _observations(
    years: Sequence[float],
    values: Sequence[float | None],
    target: Target,
    valid_range: tuple[float, float] | None,
    as_of: int | None,
) -> list[tuple[int, float]]:
    """Every usable observation up to ``as_of``, sorted by year (parity in the max(x, 1/x) scale)."""
    if len(years) != len(values):
        raise ValueError("years and values must have the same length.")
    obs: dict[int, float] = {}
    for y, v in zip(years, values, strict=True):
        if pd.isna(y) or pd.isna(v) or not math.isfinite(float(y)) or not math.isfinite(float(v)):
            continue  # missing is missing, never zero
        y, v = int(y), float(v)
        if valid_range is not None and not valid_range[0] <= v <= valid_range[1]:
            continue
        if target.kind == "parity":
            if v <= 0:
                continue
            v = max(v, 1.0 / v)
            if not math.isfinite(v):
                continue
        if as_of is not None and y > as_of:
            continue
        if y in obs:
            raise ValueError(f"Year {y} appears twice in the series.")
        obs[y] = v
    return sorted(obs.items())


def _ends(target: Target, as_of: int | None) -> tuple[int | None, ...]:
    """The ends of the assessment period to try in turn: ``as_of``; else the deadline, then (a
    deadline already past) every observation."""
    if as_of is not None:
        return (as_of,)
    if target.deadline is not None:
        return (target.deadline, None)
    return (None,)


def _too_late(baseline: float, target: Target) -> bool:
    """A baseline observed at or after the deadline cannot measure progress towards it (the target
    derived from it would be due the year it was measured): a series that starts then gets no
    verdict (Chile's 2019-2023 comunal data say nothing about the MDG 2015 targets; they are
    judged against the SDG 2030 ones; a Mexican municipio created in 2015 neither)."""
    return target.deadline is not None and baseline >= target.deadline


def _period(
    obs: list[tuple[int, float]], target: Target, min_points: int, ends: tuple[int | None, ...]
) -> tuple[list[tuple[int, float]], bool]:
    """The observations assessed, from the baseline to the latest, and whether a baseline was found
    (the rule of the module docstring, point 2). Without one, the candidates of the widest end."""
    B, W = target.baseline_year, target.baseline_window
    cands: list[tuple[int, float]] = []
    for end in ends:
        upto = [o for o in obs if end is None or o[0] <= end]
        after = [o for o in upto if B is None or o[0] >= B]
        before = [o for o in upto if B is not None and B - W <= o[0] < B]
        cands = before + after
        late = bool(after) and _too_late(after[0][0], target)
        if len(after) >= min_points and not late:
            return after, True
        k = min_points - len(after)
        if k > 0 and len(before) >= k:
            return before[-k:] + after, True
    return cands, False


def assess(
    years: Sequence[float],
    values: Sequence[float | None],
    target: Target,
    *,
    direction: str,
    valid_range: tuple[float, float] | None = None,
    as_of: int | None = None,
    th: Thresholds | None = None,
) -> Progress:
    """Progress of one series (years and values) towards ``target``.

    ``direction`` and ``valid_range`` come from the indicator's catalog entry. ``as_of`` is the last
    year of data used (default: the target's deadline). See the module docstring for the method.
    """
    th = th or thresholds()
    direction, clip_range, scale = _setup(target, direction, valid_range)
    obs = _observations(years, values, target, valid_range, as_of)
    obs, found = _period(obs, target, th.min_points, _ends(target, as_of))
    T = target.deadline
    n = len(obs)
    if n == 0:
        return Progress(status="insufficient_data", n_points=0, deadline=T, scale=scale)
    (t0, x0), (t, x) = obs[0], obs[-1]
    xstar = target.target_value(x0)
    if not found:
        return Progress(
            status="insufficient_data",
            n_points=n,
            baseline_year=t0,
            baseline_value=x0,
            latest_year=t,
            latest_value=x,
            target_value=xstar,
            deadline=T,
            scale=scale,
        )

    dt = t - t0
    slope = (x - x0) / dt
    constant = x0 > 0 and x >= 0
    cagr = _pow(x / x0, 1.0 / dt) - 1.0 if constant else None
    arr = (math.log(x0) - math.log(x)) / dt if direction == "lower" and x0 > 0 and x > 0 else None
    projected = None
    if T is not None and T > t0:
        h = T - t0
        projected = x0 * _pow(x / x0, h / dt) if constant else x0 + slope * h
        projected = _clip(projected, clip_range)
    method = "constant_rate" if constant else "linear"
    common = dict(
        n_points=n,
        baseline_year=t0,
        baseline_value=x0,
        latest_year=t,
        latest_value=x,
        deadline=T,
        cagr=cagr,
        arr=arr,
        slope=slope,
        projected=projected,
        projection_method=method,
        scale=scale,
    )

    if xstar is None:  # no numeric target: trend-only classes
        d = 1.0 if direction == "higher" else -1.0
        lo, hi = clip_range if clip_range is not None else (-math.inf, math.inf)
        at_best = (x0 <= lo and x <= lo) if direction == "lower" else (x0 >= hi and x >= hi)
        if at_best:
            g = math.inf
        elif cagr is not None and x0 > 0:
            g = d * cagr
        else:
            change = d * (x - x0)
            g = math.inf if change > 0 else (-math.inf if change < 0 else 0.0)
        if g >= th.trend_fast:
            status = "improving_fast"
        elif g >= th.trend_moderate:
            status = "improving"
        elif g >= th.trend_slow:
            status = "improving_slowly"
        else:
            status = "worsening"
        return Progress(status=status, **common)

    eff = _threshold(xstar, direction, th)
    met0 = _meets(x0, eff, direction)
    met = _met_latest(x, x0, xstar, eff, direction)
    gap = (x - xstar) if direction == "lower" else (xstar - x)
    gap_share = gap / abs(xstar - x0) if xstar != x0 else None

    rho = expected_lin = expected_cr = None
    slope_req = cagr_req = arr_req = None
    if not met0 and T is not None and T > t0:
        h = T - t0
        rho = (projected - x0) / (xstar - x0)
        expected_lin = x0 + (xstar - x0) * (t - t0) / h
        slope_req = (xstar - x0) / h
        if x0 > 0 and xstar > 0:
            expected_cr = x0 * _pow(xstar / x0, (t - t0) / h)
            cagr_req = _pow(xstar / x0, 1.0 / h) - 1.0
            if direction == "lower":
                arr_req = (math.log(x0) - math.log(xstar)) / h
    slope_still = cagr_still = None
    if not met and T is not None and T > t:
        slope_still = (xstar - x) / (T - t)
        if x > 0 and xstar > 0:
            cagr_still = _pow(xstar / x, 1.0 / (T - t)) - 1.0

    if met:
        status = "achieved"
    elif T is not None and t > T:
        status = "not_achieved"  # the deadline had passed at the latest observation: a verdict
    elif met0:
        status = "stagnation_regression"
    elif rho is None:
        status = "insufficient_data"  # deadline not after the baseline: nothing to project
    elif rho >= th.on_track:
        status = "on_track"
    elif rho >= th.must_accelerate:
        status = "must_accelerate"
    else:
        status = "stagnation_regression"

    if met:
        year_reached: float | None = None
        for y, v in reversed(obs):
            if not _meets(v, eff, direction):
                break
            year_reached = float(y)
    else:
        year_reached = None
        tau = None
        if constant:
            if x > 0 and eff > 0 and x != x0:
                log_q = (math.log(x) - math.log(x0)) / dt  # log of the yearly growth factor
                tau = (math.log(eff) - math.log(x0)) / log_q
        elif slope != 0:
            tau = (eff - x0) / slope
        if tau is not None and tau > dt:
            year_reached = t0 + tau

    return Progress(
        status=status,
        target_value=xstar,
        expected_linear=expected_lin,
        expected_constant_rate=expected_cr,
        gap=gap,
        gap_share=gap_share,
        cagr_required=cagr_req,
        arr_required=arr_req,
        slope_required=slope_req,
        cagr_still_required=cagr_still,
        slope_still_required=slope_still,
        rho=rho,
        year_reached=year_reached,
        **common,
    )


# --------------------------------------------------------------------------------------------
# Many units at once


def assess_many(
    frame: pd.DataFrame,
    target: Target,
    *,
    direction: str,
    valid_range: tuple[float, float] | None = None,
    as_of: int | None = None,
    th: Thresholds | None = None,
    unit_col: str = "unit_id",
    year_col: str = "year",
    value_col: str = "value",
) -> pd.DataFrame:
    """:func:`assess` for every unit of a long table (``unit_id, year, value``), vectorised.

    Returns one row per unit of ``frame`` (index ``unit_col``; units whose values are all missing
    are kept as ``insufficient_data``) and one column per :class:`Progress` field; missing
    numbers are NaN, missing labels ``None``.
    """
    th = th or thresholds()
    direction, clip_range, scale = _setup(target, direction, valid_range)
    lower = direction == "lower"
    T = target.deadline

    codes, uniques = pd.factorize(frame[unit_col].to_numpy())
    units = pd.Index(uniques, name=unit_col)
    ids = pd.RangeIndex(len(units))  # units are grouped by their integer code (much faster)
    y = frame[year_col].to_numpy(dtype="float64", na_value=np.nan)
    v = frame[value_col].to_numpy(dtype="float64", na_value=np.nan)
    keep = np.isfinite(y) & np.isfinite(v)
    if valid_range is not None:
        keep &= (v >= valid_range[0]) & (v <= valid_range[1])
    if target.kind == "parity":
        keep &= v > 0
        with np.errstate(divide="ignore", over="ignore"):
            v = np.maximum(v, 1.0 / v)
        keep &= np.isfinite(v)
    if as_of is not None:
        keep &= y <= as_of
    df = pd.DataFrame({"u": codes[keep], "y": np.floor(y[keep]), "v": v[keep]})
    dup = df.duplicated(["u", "y"])
    if dup.any():
        row = df[dup].iloc[0]
        raise ValueError(f"Unit {units[int(row['u'])]!r}: year {int(row['y'])} appears twice.")
    df = df.sort_values(["u", "y"], kind="stable").reset_index(drop=True)
    df = _assessed_rows(df, target, th.min_points, _ends(target, as_of))
    agg = df.groupby("u", sort=False).agg(
        t0=("y", "first"), x0=("v", "first"), t=("y", "last"), x=("v", "last"), n=("y", "size")
    )
    found = df.groupby("u", sort=False)["found"].first().reindex(ids).fillna(False)
    agg = agg.reindex(ids)
    t0, x0, t, x = (agg[c].to_numpy(dtype=float) for c in ("t0", "x0", "t", "x"))
    n = agg["n"].fillna(0).to_numpy(dtype=int)
    m = len(units)
    nan = np.full(m, np.nan)
    out: dict[str, np.ndarray] = {f: nan.copy() for f in PROGRESS_FIELDS}
    out["n_points"] = n
    found = found.to_numpy(dtype=bool)
    out["status"] = np.full(m, "insufficient_data", dtype=object)
    out["projection_method"] = np.full(m, None, dtype=object)
    out["scale"] = np.full(m, scale, dtype=object)
    out["deadline"] = np.full(m, np.nan if T is None else float(T))
    has = n >= 1
    out["baseline_year"] = np.where(has, t0, np.nan)
    out["baseline_value"] = np.where(has, x0, np.nan)
    out["latest_year"] = np.where(has, t, np.nan)
    out["latest_value"] = np.where(has, x, np.nan)

    if target.is_numeric:
        # Target.target_value takes the baselines as an array too (one rule per kind, one place).
        xstar = np.broadcast_to(np.asarray(target.target_value(x0), dtype=float), (m,))
        xstar = np.where(has, xstar, np.nan)
        out["target_value"] = xstar
    else:
        xstar = nan

    ok = found
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        dt = np.where(ok, t - t0, np.nan)
        slope = (x - x0) / dt
        constant = ok & (x0 > 0) & (x >= 0)
        ratio = np.where(constant, x / x0, np.nan)
        cagr = np.where(constant, np.power(ratio, 1.0 / dt) - 1.0, np.nan)
        arr_ok = ok & lower & (x0 > 0) & (x > 0)
        arr = np.where(arr_ok, (np.log(x0) - np.log(x)) / dt, np.nan)
        if T is not None:
            h = T - t0
            proj = np.where(constant, x0 * np.power(ratio, h / dt), x0 + slope * h)
            proj = np.where(ok & (h > 0), proj, np.nan)
            if clip_range is not None:
                proj = np.clip(proj, clip_range[0], clip_range[1])
        else:
            h = nan
            proj = nan
        out["slope"] = np.where(ok, slope, np.nan)
        out["cagr"] = cagr
        out["arr"] = arr
        out["projected"] = proj
        out["projection_method"] = np.where(
            ok, np.where(constant, "constant_rate", "linear"), None
        ).astype(object)

        if not target.is_numeric:
            d = 1.0 if direction == "higher" else -1.0
            lo, hi = clip_range if clip_range is not None else (-np.inf, np.inf)
            at_best = ((x0 <= lo) & (x <= lo)) if lower else ((x0 >= hi) & (x >= hi))
            change = d * (x - x0)
            g = np.where(
                at_best,
                np.inf,
                np.where(constant, d * cagr, np.sign(change) * np.where(change != 0, np.inf, 0.0)),
            )
            status = np.select(
                [g >= th.trend_fast, g >= th.trend_moderate, g >= th.trend_slow],
                ["improving_fast", "improving", "improving_slowly"],
                "worsening",
            ).astype(object)
            out["status"] = np.where(ok, status, "insufficient_data").astype(object)
            return _frame(out, units)

        tol = th.bound_tolerance

        def meets(a, b):
            slack = _EPS * np.maximum(1.0, np.abs(b))
            return a <= b + slack if lower else a >= b - slack

        bound = xstar == (0.0 if lower else FULL_SCALE)
        eff = np.where(bound, tol if lower else FULL_SCALE - tol, xstar)
        met0 = meets(x0, eff)
        # exactly, or within the tolerance of a 0/100 target without having moved away from it
        met = meets(x, xstar) | (bound & meets(x, eff) & meets(x, x0))
        gap = (x - xstar) if lower else (xstar - x)
        out["gap"] = np.where(ok, gap, np.nan)
        out["gap_share"] = np.where(ok & (xstar != x0), gap / np.abs(xstar - x0), np.nan)

        toward = ok & ~met0 & (h > 0)
        out["rho"] = np.where(toward, (proj - x0) / (xstar - x0), np.nan)
        out["expected_linear"] = np.where(toward, x0 + (xstar - x0) * (t - t0) / h, np.nan)
        out["slope_required"] = np.where(toward, (xstar - x0) / h, np.nan)
        pos = toward & (x0 > 0) & (xstar > 0)
        out["expected_constant_rate"] = np.where(
            pos, x0 * np.power(xstar / x0, (t - t0) / h), np.nan
        )
        out["cagr_required"] = np.where(pos, np.power(xstar / x0, 1.0 / h) - 1.0, np.nan)
        out["arr_required"] = np.where(pos & lower, (np.log(x0) - np.log(xstar)) / h, np.nan)
        hl = (T - t) if T is not None else nan
        still = ok & ~met & (hl > 0)
        out["slope_still_required"] = np.where(still, (xstar - x) / hl, np.nan)
        out["cagr_still_required"] = np.where(
            still & (x > 0) & (xstar > 0), np.power(xstar / x, 1.0 / hl) - 1.0, np.nan
        )

        rho = out["rho"]
        past = (t > T) if T is not None else np.zeros(m, dtype=bool)
        status = np.select(
            [met, past, met0, np.isnan(rho), rho >= th.on_track, rho >= th.must_accelerate],
            [
                "achieved",
                "not_achieved",
                "stagnation_regression",
                "insufficient_data",
                "on_track",
                "must_accelerate",
            ],
            "stagnation_regression",
        ).astype(object)
        out["status"] = np.where(ok, status, "insufficient_data").astype(object)

        # Year reached: projected at the observed pace when not met ...
        log_q = (np.log(x) - np.log(x0)) / dt
        tau_cr = np.where(
            (x > 0) & (eff > 0) & (x != x0), (np.log(eff) - np.log(x0)) / log_q, np.nan
        )
        tau_lin = np.where(slope != 0, (eff - x0) / slope, np.nan)
        tau = np.where(constant, tau_cr, tau_lin)
        reached = np.where(ok & ~met & (tau > dt), t0 + tau, np.nan)
        # ... and the first year of the last run of observations meeting it when met.
        eff_row = eff[df["u"].to_numpy()]
        slack_row = _EPS * np.maximum(1.0, np.abs(eff_row))
        vv = df["v"].to_numpy()
        met_row = vv <= eff_row + slack_row if lower else vv >= eff_row - slack_row
        last_miss = df.loc[~met_row].groupby("u", sort=False)["y"].max()
        miss_row = last_miss.reindex(df["u"]).fillna(-np.inf).to_numpy()
        since = (
            df.loc[met_row & (df["y"].to_numpy() > miss_row)].groupby("u", sort=False)["y"].min()
        )
        since = since.reindex(ids).to_numpy(dtype=float)
        out["year_reached"] = np.where(ok & met, since, reached)
    return _frame(out, units)


def _baseline_years(df: pd.DataFrame, target: Target, min_points: int, end: float) -> pd.Series:
    """Each unit's baseline year under :func:`_period`'s rule with the period ending at ``end``
    (units without one are left out)."""
    B, W = target.baseline_year, target.baseline_window
    yy = df["y"].to_numpy()
    upto = yy <= end
    if B is None:
        after, before = upto, np.zeros(len(df), dtype=bool)
    else:
        after, before = upto & (yy >= B), upto & (yy >= B - W) & (yy < B)
    g_after = df.loc[after].groupby("u", sort=False)["y"]
    n_after = g_after.size()
    first = g_after.first()
    enough = n_after >= min_points
    if target.deadline is not None:  # a baseline at or after the deadline is none (_too_late)
        enough &= first < target.deadline
    years = first[enough]
    earlier = df.loc[before]
    if len(earlier):
        # 1 for the observation closest to the baseline year, 2 for the one before it, ...
        rank = earlier.iloc[::-1].groupby("u", sort=False).cumcount().reindex(earlier.index) + 1
        need = min_points - n_after.reindex(earlier["u"]).fillna(0).to_numpy()
        chosen = earlier.loc[rank.to_numpy() == need]
        years = years.combine_first(chosen.groupby("u", sort=False)["y"].first())
    return years


def _assessed_rows(
    df: pd.DataFrame, target: Target, min_points: int, ends: tuple[int | None, ...]
) -> pd.DataFrame:
    """:func:`_period` for every unit of a long table sorted by unit and year (``u`` an integer
    code, ``y, v``): the
    rows assessed, and a ``found`` column (a baseline was found). Units without one keep the
    candidates of the widest end (fewer than ``min_points`` rows)."""
    B, W = target.baseline_year, target.baseline_window
    u = df["u"].to_numpy()
    size = int(u.max()) + 1 if len(u) else 0
    base = np.full(size, np.nan)
    end_of = np.full(size, np.nan)
    for end in ends:
        e = np.inf if end is None else float(end)
        years = _baseline_years(df, target, min_points, e)
        at = years.index.to_numpy(dtype=int)
        new = at[np.isnan(base[at])]
        base[new] = years.loc[new].to_numpy()
        end_of[new] = e
    last = np.inf if ends[-1] is None else float(ends[-1])
    yy = df["y"].to_numpy()
    base_r, end_r = base[u], end_of[u]
    ok = np.isfinite(base_r)
    candidate = yy <= last
    if B is not None:
        candidate &= yy >= B - W
    with np.errstate(invalid="ignore"):
        rows = np.where(ok, (yy >= base_r) & (yy <= end_r), candidate)
    res = df.loc[rows].copy()
    res["found"] = ok[rows]
    return res


def _frame(out: dict[str, np.ndarray], units: pd.Index) -> pd.DataFrame:
    res = pd.DataFrame({f: out[f] for f in PROGRESS_FIELDS}, index=units)
    for col in ("baseline_year", "latest_year", "deadline"):
        res[col] = res[col].astype("Int64")
    res["n_points"] = res["n_points"].astype(int)
    return res

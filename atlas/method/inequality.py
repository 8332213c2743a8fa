"""Territorial inequality between units (municipalities) and its change over time.

Measures are computed on the indicator as published (a deprivation share stays a deprivation
share), over the units that have a value; missing units are left out, never read as zero.

* **Gini** - mean absolute difference over twice the mean. Unweighted: PySAL
  ``inequality.gini.Gini``. Population-weighted (each unit counts by its population, as if every
  inhabitant carried the unit's value): own code, ``sum_ij p_i p_j |x_i - x_j| / (2 P^2 mean)``,
  which equals PySAL's on equal weights (tested).
* **Theil T** - ``sum_i (p_i/P)(x_i/mean) ln(x_i/mean)``, with ``0 ln 0 = 0``. Unweighted and its
  between/within decomposition: PySAL ``inequality.theil.Theil`` / ``TheilD``. PySAL has no
  population weights, so the weighted index and decomposition are own code:
  ``between = sum_g (P_g/P)(mean_g/mean) ln(mean_g/mean)``,
  ``within = sum_g (P_g mean_g)/(P mean) T_g``; ``total = between + within`` exactly.
* **Coefficient of variation** - population standard deviation over the mean.
* **P90/P10** - weighted percentiles by the inverted empirical distribution (numpy
  ``method="inverted_cdf"``); NaN when P10 is 0. **Max/min** - NaN when the minimum is 0.

By convention every index is 0 when all values are equal (also when all are 0).
Sigma convergence is dispersion falling over time; beta convergence is a negative slope of the
annualised change on the initial level (units that started worse improve faster, in either
normative direction).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from atlas.method.progress import OFF_TRACK_STATUSES

ArrayLike = Sequence[float] | np.ndarray | pd.Series


def _clean(
    values: ArrayLike, weights: ArrayLike | None = None, groups: ArrayLike | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """Values, weights (1 when not given) and groups of the units that count: value, weight and
    group present, weight above 0. Negative values or weights raise ``ValueError``."""
    x = pd.Series(values).to_numpy(dtype="float64", na_value=np.nan)
    w = (
        np.ones_like(x)
        if weights is None
        else pd.Series(weights).to_numpy(dtype="float64", na_value=np.nan)
    )
    g = None if groups is None else pd.Series(groups).to_numpy(dtype=object)
    if w.shape != x.shape or (g is not None and g.shape != x.shape):
        raise ValueError("values, weights and groups must have the same length.")
    keep = np.isfinite(x) & np.isfinite(w)
    if g is not None:
        keep &= ~pd.isna(g)
    if (x[keep] < 0).any():
        raise ValueError("Inequality measures need non-negative values.")
    if (w[keep] < 0).any():
        raise ValueError("Weights (populations) must be non-negative.")
    keep &= w > 0
    return x[keep], w[keep], (None if g is None else g[keep])


def _equal(x: np.ndarray) -> bool:
    return x.size > 0 and bool(np.all(x == x[0]))


def gini(values: ArrayLike, weights: ArrayLike | None = None) -> float:
    """Gini coefficient between units; population-weighted when ``weights`` are given."""
    x, w, _ = _clean(values, weights)
    if x.size == 0:
        return float("nan")
    if _equal(x):
        return 0.0
    if weights is None:
        from inequality.gini import Gini

        return float(Gini(x).g)
    order = np.argsort(x, kind="stable")
    x, w = x[order], w[order]
    total_w, total_wx = w.sum(), (w * x).sum()
    cum_before = np.cumsum(w) - w  # weight of units with smaller (or tied, earlier) values
    cum_after = total_w - np.cumsum(w)
    pair_sum = 2.0 * (np.sum(w * x * cum_before) - np.sum(w * x * cum_after))
    return float(pair_sum / (2.0 * total_w * total_wx))


def _theil_w(x: np.ndarray, w: np.ndarray) -> float:
    mean = np.sum(w * x) / w.sum()
    s = x / mean
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(s > 0, s * np.log(s), 0.0)
    return float(np.sum(w * terms) / w.sum())


def theil(values: ArrayLike, weights: ArrayLike | None = None) -> float:
    """Theil T index between units; population-weighted when ``weights`` are given."""
    x, w, _ = _clean(values, weights)
    if x.size == 0:
        return float("nan")
    if _equal(x):
        return 0.0
    if weights is None:
        from inequality.theil import Theil

        return float(Theil(x).T)
    return _theil_w(x, w)


@dataclass(frozen=True)
class TheilDecomposition:
    total: float
    between: float
    within: float

    @property
    def between_share(self) -> float:
        return self.between / self.total if self.total > 0 else float("nan")


def theil_decomposition(
    values: ArrayLike, groups: ArrayLike, weights: ArrayLike | None = None
) -> TheilDecomposition:
    """Theil T split into between-group (admin-1) and within-group parts; they sum to the total."""
    x, w, g = _clean(values, weights, groups)
    if x.size == 0:
        nan = float("nan")
        return TheilDecomposition(nan, nan, nan)
    if _equal(x):
        return TheilDecomposition(0.0, 0.0, 0.0)
    if weights is None:
        from inequality.theil import TheilD

        codes = pd.factorize(g)[0]
        d = TheilD(x, codes)
        total = float(d.T)
        between = float(np.ravel(d.bg)[0])
        return TheilDecomposition(total, between, total - between)
    codes = pd.factorize(g)[0]
    w_g = np.bincount(codes, weights=w)
    wx_g = np.bincount(codes, weights=w * x)
    total_w, mean = w.sum(), np.sum(w * x) / w.sum()
    mean_g = wx_g / w_g
    with np.errstate(divide="ignore", invalid="ignore"):
        s_i = x / mean_g[codes]
        t_g = np.bincount(codes, weights=w * np.where(s_i > 0, s_i * np.log(s_i), 0.0)) / w_g
        r_g = mean_g / mean
        between = float(np.sum(np.where(r_g > 0, (w_g / total_w) * r_g * np.log(r_g), 0.0)))
    within = float(np.sum(wx_g / (total_w * mean) * np.nan_to_num(t_g)))
    return TheilDecomposition(float(between + within), float(between), float(within))


def coefficient_of_variation(values: ArrayLike, weights: ArrayLike | None = None) -> float:
    """Standard deviation (population form) over the mean; weighted when ``weights`` are given."""
    x, w, _ = _clean(values, weights)
    if x.size == 0:
        return float("nan")
    if _equal(x):
        return 0.0
    mean = np.sum(w * x) / w.sum()
    sd = np.sqrt(np.sum(w * (x - mean) ** 2) / w.sum())
    return float(sd / mean)


def percentile_ratio(
    values: ArrayLike, weights: ArrayLike | None = None, *, upper: float = 90, lower: float = 10
) -> float:
    """P90/P10 (or any ``upper``/``lower`` percentiles); NaN when the lower percentile is 0."""
    x, w, _ = _clean(values, weights)
    if x.size == 0:
        return float("nan")
    hi, lo = np.percentile(x, [upper, lower], weights=w, method="inverted_cdf")
    return float(hi / lo) if lo > 0 else float("nan")


def max_min_ratio(values: ArrayLike) -> float:
    """Highest over lowest value; NaN when the lowest is 0."""
    x, _, _ = _clean(values)
    if x.size == 0 or x.min() <= 0:
        return float("nan")
    return float(x.max() / x.min())


@dataclass(frozen=True)
class OffTrackShare:
    share: float  # population off track / population with an assessed status
    population_off_track: float
    population_assessed: float
    population_not_assessed: float  # insufficient data or missing status/population
    units_off_track: int
    units_assessed: int


def share_off_track(
    statuses: ArrayLike,
    population: ArrayLike,
    *,
    off_track: Collection[str] = OFF_TRACK_STATUSES,
) -> OffTrackShare:
    """Share of the population living in units whose status is off track.

    Units with ``insufficient_data`` (or no status) are not assessed: their population is
    reported apart and left out of the denominator. Default off-track classes: must accelerate,
    stagnation or regression, worsening.
    """
    s = pd.Series(statuses).to_numpy(dtype=object)
    p = pd.Series(population).to_numpy(dtype="float64", na_value=np.nan)
    if s.shape != p.shape:
        raise ValueError("statuses and population must have the same length.")
    assessed = ~pd.isna(s) & (s != "insufficient_data") & np.isfinite(p)
    off = assessed & np.isin(s.astype(str), list(off_track))
    pop_assessed = float(p[assessed].sum())
    pop_off = float(p[off].sum())
    not_assessed = float(np.nansum(p[~assessed]))
    share = pop_off / pop_assessed if pop_assessed > 0 else float("nan")
    return OffTrackShare(
        share, pop_off, pop_assessed, not_assessed, int(off.sum()), int(assessed.sum())
    )


@dataclass(frozen=True)
class InequalitySummary:
    n: int
    mean: float
    mean_weighted: float
    gini: float
    gini_weighted: float
    theil: float
    theil_weighted: float
    theil_between: float  # population-weighted, between admin-1
    theil_within: float
    cv: float
    cv_weighted: float
    p90_p10: float
    max_min: float


def summarize(
    values: ArrayLike, weights: ArrayLike | None = None, groups: ArrayLike | None = None
) -> InequalitySummary:
    """Every measure for one set of units; weighted ones need ``weights``, the Theil split needs
    ``groups`` (admin-1 of each unit). Unavailable measures are NaN."""
    nan = float("nan")
    x_all = pd.Series(values).to_numpy(dtype="float64", na_value=np.nan)
    x, _, _ = _clean(x_all)
    mean = float(x.mean()) if x.size else nan
    if weights is not None:
        xw, w, _ = _clean(x_all, weights)
        mean_w = float(np.sum(w * xw) / w.sum()) if xw.size else nan
        g_w, t_w, cv_w = (
            gini(x_all, weights),
            theil(x_all, weights),
            coefficient_of_variation(x_all, weights),
        )
    else:
        mean_w = g_w = t_w = cv_w = nan
    between = within = nan
    if groups is not None:
        d = theil_decomposition(x_all, groups, weights)
        between, within = d.between, d.within
    return InequalitySummary(
        n=int(x.size),
        mean=mean,
        mean_weighted=mean_w,
        gini=gini(x_all),
        gini_weighted=g_w,
        theil=theil(x_all),
        theil_weighted=t_w,
        theil_between=between,
        theil_within=within,
        cv=coefficient_of_variation(x_all),
        cv_weighted=cv_w,
        p90_p10=percentile_ratio(x_all, weights),
        max_min=max_min_ratio(x_all),
    )


def inequality_table(
    frame: pd.DataFrame,
    by: str | list[str] | None = None,
    *,
    value_col: str = "value",
    pop_col: str | None = "population",
    admin1_col: str | None = None,
    status_col: str | None = None,
) -> pd.DataFrame:
    """:func:`summarize` per group of units (for example per country, or per country and year),
    plus the share of the population off track when ``status_col`` is given."""
    keys = [by] if isinstance(by, str) else list(by or [])
    groups = frame.groupby(keys, sort=True) if keys else [("total", frame)]
    rows, index = [], []
    for key, grp in groups:
        s = summarize(
            grp[value_col],
            grp[pop_col] if pop_col else None,
            grp[admin1_col] if admin1_col else None,
        )
        row = dict(s.__dict__)
        if status_col is not None and pop_col is not None:
            off = share_off_track(grp[status_col], grp[pop_col])
            row["share_off_track"] = off.share
            row["population_not_assessed"] = off.population_not_assessed
        rows.append(row)
        index.append(key[0] if isinstance(key, tuple) and len(key) == 1 else key)
    idx = (
        pd.MultiIndex.from_tuples(index, names=keys)
        if len(keys) > 1
        else pd.Index(index, name=keys[0] if keys else None)
    )
    return pd.DataFrame(rows, index=idx)


def sigma_convergence(
    frame: pd.DataFrame,
    *,
    unit_col: str = "unit_id",
    year_col: str = "year",
    value_col: str = "value",
    pop_col: str | None = None,
    balanced: bool = True,
) -> pd.DataFrame:
    """Dispersion between units per year: n, mean, sd, cv, gini, theil and sd of logs.

    Falling dispersion is sigma convergence. With ``balanced`` only units observed in every year
    of ``frame`` are used, so that a changing set of units does not pass for convergence.
    Weighted by ``pop_col`` when given. ``sd_log`` is NaN when a value is 0.
    """
    cols = [unit_col, year_col, value_col] + ([pop_col] if pop_col else [])
    df = frame[cols].copy()
    df = df[np.isfinite(df[value_col].to_numpy(dtype="float64", na_value=np.nan))]
    if balanced and not df.empty:
        n_years = df[year_col].nunique()
        counts = df.groupby(unit_col)[year_col].nunique()
        df = df[df[unit_col].isin(counts.index[counts == n_years])]
    rows = {}
    for year, grp in df.groupby(year_col, sort=True):
        x, w, _ = _clean(grp[value_col], grp[pop_col] if pop_col else None)
        if x.size == 0:
            continue
        mean = float(np.sum(w * x) / w.sum())
        sd = float(np.sqrt(np.sum(w * (x - mean) ** 2) / w.sum()))
        if (x > 0).all():
            lx = np.log(x)
            lm = np.sum(w * lx) / w.sum()
            sd_log = float(np.sqrt(np.sum(w * (lx - lm) ** 2) / w.sum()))
        else:
            sd_log = float("nan")
        wts = w if pop_col else None
        rows[year] = {
            "n": int(x.size),
            "mean": mean,
            "sd": sd,
            "cv": coefficient_of_variation(x, wts),
            "gini": gini(x, wts),
            "theil": theil(x, wts),
            "sd_log": sd_log,
        }
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = year_col
    return out


@dataclass(frozen=True)
class BetaConvergence:
    beta: float  # slope of annualised change on the initial level; < 0: convergence
    intercept: float
    se: float  # standard error of beta (NaN with fewer than 3 units)
    r2: float
    n: int

    @property
    def converging(self) -> bool:
        return bool(self.beta < 0)


def beta_convergence(
    initial: ArrayLike,
    final: ArrayLike,
    initial_year: ArrayLike | float,
    final_year: ArrayLike | float,
    *,
    log: bool = False,
    weights: ArrayLike | None = None,
) -> BetaConvergence:
    """OLS (WLS with ``weights``) of the annualised change on the initial level, one row per unit.

    Change is ``(final - initial)/(years)``, or with ``log=True`` the log growth rate on the log
    level (Barro-style; needs positive values). Pass the ``baseline_*``/``latest_*`` columns of
    :func:`atlas.method.progress.assess_many`. Units with a missing value or no elapsed time are
    left out.
    """
    x0 = pd.Series(initial).to_numpy(dtype="float64", na_value=np.nan)
    x1 = pd.Series(final).to_numpy(dtype="float64", na_value=np.nan)
    t0 = np.broadcast_to(np.asarray(initial_year, dtype="float64"), x0.shape)
    t1 = np.broadcast_to(np.asarray(final_year, dtype="float64"), x0.shape)
    w = (
        np.ones_like(x0)
        if weights is None
        else pd.Series(weights).to_numpy(dtype="float64", na_value=np.nan)
    )
    keep = np.isfinite(x0) & np.isfinite(x1) & np.isfinite(t0) & np.isfinite(t1) & (t1 > t0)
    keep &= np.isfinite(w) & (w > 0)
    if log:
        keep &= (x0 > 0) & (x1 > 0)
    x0, x1, t0, t1, w = x0[keep], x1[keep], t0[keep], t1[keep], w[keep]
    nan = float("nan")
    n = int(x0.size)
    if n < 2:
        return BetaConvergence(nan, nan, nan, nan, n)
    if log:
        level, change = np.log(x0), (np.log(x1) - np.log(x0)) / (t1 - t0)
    else:
        level, change = x0, (x1 - x0) / (t1 - t0)
    lm, cm = np.sum(w * level) / w.sum(), np.sum(w * change) / w.sum()
    sxx = np.sum(w * (level - lm) ** 2)
    if sxx == 0:
        return BetaConvergence(nan, nan, nan, nan, n)
    beta = np.sum(w * (level - lm) * (change - cm)) / sxx
    intercept = cm - beta * lm
    resid = change - intercept - beta * level
    ssr, sst = np.sum(w * resid**2), np.sum(w * (change - cm) ** 2)
    r2 = 1.0 - ssr / sst if sst > 0 else nan
    se = float(np.sqrt(ssr / (n - 2) / sxx)) if n > 2 else nan
    return BetaConvergence(float(beta), float(intercept), se, float(r2), n)

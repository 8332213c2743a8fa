"""Confidence intervals: when can two units, or a unit and its target, be told apart?

Small-area estimates (Chile MDSF, Peru INEI, Mexico CONEVAL) come with confidence intervals; a
difference inside them is not meaningful. Two rules are offered:

* ``"overlap"`` (default): two estimates are distinguishable when their intervals do not overlap.
  It is what a reader sees on a chart, and it is conservative: non-overlapping 95 % intervals
  correspond to a much smaller error rate than 5 % (Schenker & Gentleman 2001, The American
  Statistician 55(3)), so some real differences are called "not distinguishable".
* ``"z"``: a two-sided z test at the interval's level, with each standard error taken from the
  half-width of the interval on the side facing the other estimate, assuming independent,
  approximately normal estimates.

A unit is above / below a target only if the whole interval is. Missing interval bounds mean the
source gave none: the answer is then ``None`` / ``"unknown"``, not a guess.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist
from typing import Literal

import numpy as np
import pandas as pd

ArrayLike = list[float] | np.ndarray | pd.Series
Relation = Literal["above", "below", "not_distinguishable", "unknown"]


@dataclass(frozen=True)
class Estimate:
    """A value with its confidence interval (``low``/``high`` None or NaN when not published)."""

    value: float
    low: float | None = None
    high: float | None = None
    level: float = 0.95

    @property
    def has_interval(self) -> bool:
        return _ok(self.low) and _ok(self.high)

    def __post_init__(self) -> None:
        if self.has_interval and not self.low <= self.value <= self.high:
            raise ValueError(f"Interval [{self.low}, {self.high}] does not contain {self.value}.")


def _ok(v: float | None) -> bool:
    return v is not None and not math.isnan(v)


def distinguishable(
    a: Estimate, b: Estimate, *, method: Literal["overlap", "z"] = "overlap"
) -> bool | None:
    """Whether ``a`` and ``b`` differ beyond their intervals (``None`` if one has no interval)."""
    if not (a.has_interval and b.has_interval):
        return None
    if method == "overlap":
        return a.high < b.low or b.high < a.low
    if method == "z":
        if a.level != b.level:
            raise ValueError("The z rule needs intervals of the same level.")
        z = NormalDist().inv_cdf(0.5 + a.level / 2)
        hi, lo = (a, b) if a.value >= b.value else (b, a)
        se_hi = (hi.value - hi.low) / z  # half-width facing the other estimate
        se_lo = (lo.high - lo.value) / z
        se = math.hypot(se_hi, se_lo)
        if se == 0:
            return hi.value != lo.value
        return (hi.value - lo.value) / se > z
    raise ValueError(f"method must be 'overlap' or 'z', not {method!r}.")


def relative_to_target(estimate: Estimate, target: float) -> Relation:
    """``above`` / ``below`` when the whole interval lies above / below ``target``;
    ``not_distinguishable`` when it contains the target; ``unknown`` without an interval.

    Combine with the indicator's direction to read it: for a lower-is-better indicator ``below``
    means the unit meets the target beyond sampling error."""
    if not estimate.has_interval:
        return "unknown"
    if estimate.low > target:
        return "above"
    if estimate.high < target:
        return "below"
    return "not_distinguishable"


def relative_to_target_many(
    low: ArrayLike, high: ArrayLike, target: ArrayLike | float
) -> np.ndarray:
    """:func:`relative_to_target` for many units at once (arrays of bounds; target scalar or
    per unit). Returns an object array of the same labels."""
    lo = pd.Series(low).to_numpy(dtype="float64", na_value=np.nan)
    hi = pd.Series(high).to_numpy(dtype="float64", na_value=np.nan)
    tg = np.broadcast_to(np.asarray(target, dtype="float64"), lo.shape)
    known = np.isfinite(lo) & np.isfinite(hi) & np.isfinite(tg)
    out = np.select(
        [~known, lo > tg, hi < tg], ["unknown", "above", "below"], "not_distinguishable"
    )
    return out.astype(object)

"""The place answers first: for a selected unit, one answer per MDG goal with data.

Plain Python (numpy); no Dash. Each answer gives the status of the goal's first indicator with data
(in catalog order, one with a verdict on a numeric target first), its latest value against the
target of the chosen framework, the observed and the required annual pace in one unit and one
wording, the projected year of reaching the target, and the unit's rank in its state and in its
country.

**Pace.** The pace is stated the way the status was computed (:mod:`atlas.method.progress`): a
series projected at a constant rate (its baseline is above zero) gets a *relative* pace, "% of the
value a year" (the compound rate); a series projected on a straight line gets a pace in *points* of
the indicator's unit a year. The required pace is the one, from the latest value and at the same
kind of rate, that would bring the unit by the deadline to the level the on-track status asks for:
``on_track`` (95 %) of the way from the baseline to the target. So the observed pace is at least the
required one exactly when the status is "on track", and never when it is "must accelerate" or
"stagnation" (tested over every unit of a layer). The old panel stated a straight-line pace beside a
status from the constant-rate projection (Canela RS, illiteracy: -0.30 points a year observed,
-0.31 required, "must accelerate"), and its "%" did not say whether it meant a relative rate or
points.

**Rank.** Units are ranked on their latest value in the year of the answer (best first by the
indicator's direction; none for a context indicator); flagged values (:mod:`atlas.flags`) are not
ranked. Where the source gives confidence intervals, the unit's rank is given with the range of
ranks it could hold: from one more than the units whose interval lies wholly on the better side of
its own to the units ranked minus those wholly on the worse side. Units whose intervals overlap are
tied; without intervals only equal values tie.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from atlas import analysis
from atlas.catalog import Catalog, Indicator
from atlas.i18n import label, number, t
from atlas.method.progress import TARGET_STATUSES, Progress, assess
from atlas.method.targets import Thresholds, thresholds
from atlas.places import country_label
from atlas.store import Store
from atlas.urlstate import State
from atlas.views import STATUS_COLOURS, source_label

#: Units of the catalog whose "points" are percentage points.
PERCENT_UNITS = ("%", "pct_households")
#: Statuses where the required pace is compared with the observed one.
PACED_STATUSES = ("on_track", "must_accelerate", "stagnation_regression")
#: The colour of a status without one of its own (insufficient data).
GREY = "#9e9e9e"


@dataclass(frozen=True)
class Pace:
    """Observed and required annual pace, both of one ``kind``: ``"relative"`` (percent of the
    value a year, the compound rate) or ``"points"`` (the indicator's unit a year). Signed: negative
    = falling. ``required`` is None where no pace is asked (achieved, deadline passed, no target)
    and ``-inf`` where no constant rate can reach the level (a level of 0)."""

    kind: str
    observed: float
    required: float | None
    start: int
    end: int
    deadline: int | None
    #: True when the observed pace is at least the required one, in the good direction
    fast_enough: bool | None


def _get(p, name: str):
    v = getattr(p, name, None) if isinstance(p, Progress) else p.get(name)
    if isinstance(v, str) or v is None:
        return v
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def pace(p, direction: str, th: Thresholds | None = None) -> Pace | None:
    """The pace of a progress result (a :class:`Progress` or a row of
    :func:`atlas.analysis.layer_progress`) in the terms of its status (see the module docstring);
    None without a baseline and a later value."""
    th = th or thresholds()
    t0, x0 = _get(p, "baseline_year"), _get(p, "baseline_value")
    t1, x1 = _get(p, "latest_year"), _get(p, "latest_value")
    if None in (t0, x0, t1, x1) or t1 <= t0:
        return None
    relative = _get(p, "projection_method") == "constant_rate"
    dt = t1 - t0
    observed = ((x1 / x0) ** (1.0 / dt) - 1.0) * 100.0 if relative else (x1 - x0) / dt
    status = _get(p, "status")
    xstar, deadline = _get(p, "target_value"), _get(p, "deadline")
    required = None
    fast = None
    if status in PACED_STATUSES and xstar is not None and deadline is not None and deadline > t1:
        rho = _get(p, "rho")
        # the level the status asks for: on_track of the way from the baseline to the target;
        # a baseline that already met it (rho undefined) must get back to the target itself
        level = x0 + th.on_track * (xstar - x0) if rho is not None else xstar
        h = deadline - t1
        if relative:
            required = ((level / x1) ** (1.0 / h) - 1.0) * 100.0 if level > 0 else -math.inf
        else:
            required = (level - x1) / h
        # a parity target is scored on max(x, 1/x), where lower is better
        lower = direction == "lower" or _get(p, "scale") == "parity_ratio"
        sign = -1.0 if lower else 1.0
        fast = bool(sign * observed >= sign * required)
    return Pace(
        kind="relative" if relative else "points",
        observed=observed,
        required=required,
        start=int(t0),
        end=int(t1),
        deadline=int(deadline) if deadline is not None else None,
        fast_enough=fast,
    )


def pace_texts(pc: Pace, ind: Indicator, unit_label: str, lang: str) -> tuple[str, str | None]:
    """The observed and the required pace in words, of one kind and one wording ("falls 4.9 % a
    year (relative rate)", "must fall 0.31 percentage points a year"). Where rounding would make
    the two read alike although one is faster, more decimals are shown."""
    if pc.kind == "relative":
        dec, what = 1, t("panels.place.relative", lang)
    else:
        dec = ind.decimals
        what = t("panels.place.pp", lang) if ind.unit in PERCENT_UNITS else unit_label
    req = pc.required if pc.required is not None and math.isfinite(pc.required) else None
    while (
        req is not None
        and dec < 6
        and number(abs(pc.observed), dec, lang) == number(abs(req), dec, lang)
    ):
        if abs(pc.observed - req) < 1e-12:
            break
        dec += 1

    def verb(rate: float) -> str:
        if number(abs(rate), dec, lang) == number(0, dec, lang):
            return "flat"
        return "falls" if rate < 0 else "rises"

    observed = t(
        f"panels.place.observed_{verb(pc.observed)}",
        lang,
        start=pc.start,
        end=pc.end,
        rate=number(abs(pc.observed), dec, lang),
        what=what,
    )
    if pc.required is None or pc.deadline is None:
        return observed, None
    if req is None:
        return observed, t("panels.place.required_zero", lang, deadline=pc.deadline)
    required = t(
        f"panels.place.required_{'fall' if req < 0 else 'rise'}",
        lang,
        deadline=pc.deadline,
        rate=number(abs(req), dec, lang),
        what=what,
    )
    return observed, required


@dataclass(frozen=True)
class Rank:
    """A unit's rank (1 = best) among ``of`` ranked units; ``low``..``high`` are the ranks it could
    hold given the intervals (equal to ``rank`` when nothing overlaps)."""

    rank: int
    low: int
    high: int
    of: int


def rank_with_ties(
    values: np.ndarray,
    ci_low: np.ndarray,
    ci_high: np.ndarray,
    i: int,
    direction: str,
    scope: np.ndarray | None = None,
) -> Rank | None:
    """The rank of unit ``i`` among the units of ``scope`` (all when None) with a value; NaN
    values (missing or flagged) are not ranked. See the module docstring for the ties."""
    v = np.asarray(values, dtype=float)
    if direction not in ("lower", "higher") or not math.isfinite(v[i]):
        return None
    keep = np.isfinite(v) if scope is None else np.isfinite(v) & np.asarray(scope, dtype=bool)
    if not keep[i]:
        return None
    lo = np.where(np.isfinite(ci_low), ci_low, v)
    hi = np.where(np.isfinite(ci_high), ci_high, v)
    s = -1.0 if direction == "lower" else 1.0  # s * value: larger is better
    better_val = s * v[keep]
    better_lo = np.minimum(s * lo, s * hi)[keep]
    better_hi = np.maximum(s * lo, s * hi)[keep]
    me, me_lo, me_hi = s * v[i], min(s * lo[i], s * hi[i]), max(s * lo[i], s * hi[i])
    rank = 1 + int((better_val > me).sum())
    surely_better = int((better_lo > me_hi).sum())
    surely_worse = int((better_hi < me_lo).sum())
    n = int(keep.sum())
    low = min(rank, 1 + surely_better)
    high = max(rank, n - surely_worse)
    # equal values share the best of their ranks ("1, 2, 2, 4") and reach the worst of them
    high = max(high, rank + int((better_val == me).sum()) - 1)
    return Rank(rank=rank, low=low, high=high, of=n)


@dataclass(frozen=True)
class GoalAnswer:
    """One MDG goal's answer for a unit (see the module docstring)."""

    goal: int
    goal_label: str
    indicator: str
    indicator_label: str
    unit_label: str
    status: str
    status_text: str
    colour: str
    latest_year: int
    latest_value: float
    latest_text: str
    target_value: float | None  # None without a numeric target
    baseline_year: int | None  # the first year the progress counts from
    target_text: str  # "" without a numeric target
    deadline: int | None
    pace: Pace | None
    observed_text: str
    required_text: str | None
    year_reached: int | None
    achieved: bool
    rank_state: Rank | None
    rank_country: Rank | None
    admin1_name: str
    country_name: str
    source: str
    flag: bool  # the latest value is flagged: shown, not ranked nor assessed


def _target(catalog: Catalog, state: State, indicator: str, country: str):
    """The chosen framework's target; the reader's local target only for the indicator it was
    set for (other indicators keep the global MDG one)."""
    if indicator == state.indicator:
        return analysis.state_target(catalog, state)
    framework = "mdg2015" if state.framework == "local" else state.framework
    return analysis.target(catalog, indicator, country, framework)


@dataclass(frozen=True)
class UnitSeries:
    """A unit's observations of an indicator as every target reads them: its layer's cube, its
    row, the column of its latest value (``latest``), and the usable values (flagged ones left
    out) of the years that join that latest one."""

    cube: object
    layer: object
    row: int
    latest: int
    years: list[int]
    values: list[float]

    @property
    def latest_year(self) -> int:
        return int(self.cube.years[self.latest])

    @property
    def source_id(self) -> str:
        """The source of the latest value."""
        return str(self.cube.sources[self.latest])


def unit_series(store: Store, catalog: Catalog, indicator: str, unit_id: str) -> UnitSeries | None:
    """:class:`UnitSeries` of ``unit_id``; None when its layer has no value of ``indicator``."""
    unit = store.unit(unit_id)
    country, level = str(unit["country"]), str(unit["level"])
    cube = store.cube(indicator, country, level)
    if cube is None:
        return None
    layer = store.layer(country, level)
    i = int(layer.index.get_indexer([unit_id])[0])
    if i < 0:
        return None
    shown = np.isfinite(cube.values[i])
    if not shown.any():
        return None
    j = int(np.flatnonzero(shown)[-1])  # the latest year with a value
    joined = set(
        analysis.joined_years(store, catalog, indicator, country, level, int(cube.years[j]))
    )
    keep = [k for k, y in enumerate(cube.years) if y in joined]
    return UnitSeries(
        cube,
        layer,
        i,
        j,
        [int(cube.years[k]) for k in keep],
        [float(cube.usable[i, k]) for k in keep],
    )


def _answer(
    store: Store, catalog: Catalog, state: State, ind: Indicator, unit_id: str, lang: str
) -> GoalAnswer | None:
    series = unit_series(store, catalog, ind.id, unit_id)
    if series is None:
        return None
    unit = store.unit(unit_id)
    cube, layer, i, j = series.cube, series.layer, series.row, series.latest
    country, level = layer.country, layer.level
    year = series.latest_year
    flagged = bool(cube.flags is not None and cube.flags[i, j] != "")
    tgt = _target(catalog, state, ind.id, country)
    prog = assess(
        series.years, series.values, tgt, direction=ind.direction, valid_range=ind.valid_range
    )
    unit_label = catalog.unit_label(ind.unit, lang)
    pc = pace(prog, ind.direction)
    observed_text, required_text = ("", None)
    if pc is not None:
        observed_text, required_text = pace_texts(pc, ind, unit_label, lang)
    values = cube.usable[:, j]
    admin1 = layer.admin1_codes
    in_state = np.asarray(admin1 == admin1[i], dtype=bool) if isinstance(admin1[i], str) else None
    rank_country = rank_with_ties(values, cube.ci_low[:, j], cube.ci_high[:, j], i, ind.direction)
    rank_state = (
        rank_with_ties(values, cube.ci_low[:, j], cube.ci_high[:, j], i, ind.direction, in_state)
        if in_state is not None and level == "municipality"
        else None
    )
    achieved = prog.status == "achieved"
    reached = prog.year_reached
    # without a verdict, a target set relative to a baseline rests on no valid baseline (a value
    # of 2016 halved is no 2015 target): only a fixed level (100 % attendance) is still stated
    target_value = prog.target_value
    if prog.status == "insufficient_data" and tgt.kind != "absolute":
        target_value = None
    return GoalAnswer(
        goal=ind.goal,
        goal_label=t(f"goal.{ind.goal}", lang),
        indicator=ind.id,
        indicator_label=label(ind.short or ind.label, lang),
        unit_label=unit_label,
        status=prog.status,
        status_text=t(f"target.status.{prog.status}", lang),
        colour=STATUS_COLOURS.get(prog.status, GREY),
        latest_year=year,
        latest_value=float(cube.values[i, j]),
        target_value=target_value,
        baseline_year=int(prog.baseline_year) if prog.baseline_year is not None else None,
        latest_text=number(float(cube.values[i, j]), ind.decimals, lang),
        target_text=number(target_value, ind.decimals, lang) if target_value is not None else "",
        deadline=prog.deadline,
        pace=pc,
        observed_text=observed_text,
        required_text=required_text,
        year_reached=(int(reached) if achieved else int(math.ceil(reached)))
        if reached is not None
        else None,
        achieved=achieved,
        rank_state=rank_state,
        rank_country=rank_country,
        admin1_name=str(unit["admin1_name"] or ""),
        country_name=country_label(store, country, lang),
        source=source_label(store, cube.sources[j]),
        flag=flagged,
    )


def indicator_answers(
    store: Store, catalog: Catalog, state: State, unit_id: str
) -> list[GoalAnswer]:
    """The answer of every MDG indicator (goals 1 to 8) with data for ``unit_id``, in catalog
    order. ``state`` gives the language, the framework and the local target (for its
    indicator)."""
    try:
        unit = store.unit(unit_id)
    except KeyError:
        return []
    have = set(store.indicators(str(unit["country"]), str(unit["level"])))
    out = []
    for ind in catalog:
        if ind.goal == 0 or ind.id not in have:
            continue
        a = _answer(store, catalog, state, ind, unit_id, state.lang)
        if a is not None:
            out.append(a)
    return out


def place_answers(store: Store, catalog: Catalog, state: State, unit_id: str) -> list[GoalAnswer]:
    """One answer per MDG goal (1 to 8) with data for ``unit_id``, in goal order: the goal's first
    indicator (catalog order) with a verdict on a numeric target, else its first with data.
    ``state`` gives the language, the framework and the local target (for its indicator)."""
    by_goal: dict[int, list[GoalAnswer]] = {}
    for a in indicator_answers(store, catalog, state, unit_id):
        by_goal.setdefault(a.goal, []).append(a)
    out = []
    for goal in sorted(by_goal):
        found = by_goal[goal]
        verdict = [a for a in found if a.status in TARGET_STATUSES]
        out.append((verdict or found)[0])
    return out


def focus_bounds(store: Store, country: str, unit: str = "", admin1: str = "") -> list[float]:
    """The box the map shows: the selected unit's (widened by half its size on each side), else
    the admin-1 filter's (its own unit, or its municipalities' boxes together), else the
    country's. A unit without geometry (or of
    another country) falls back to the next."""
    box = store.unit_bounds(unit) if unit and unit.startswith(country) else None
    if box is not None:  # half the unit's size around it: its neighbours give it a context
        dx, dy = (box[2] - box[0]) / 2, (box[3] - box[1]) / 2
        box = [box[0] - dx, box[1] - dy, box[2] + dx, box[3] + dy]
    if box is None and admin1:
        box = store.unit_bounds(country + admin1)
        if box is None:
            layer = (
                store.layer(country, "municipality")
                if "municipality" in store.levels(country)
                else None
            )
            boxes = (
                [
                    store.unit_bounds(u)
                    for u, a in zip(layer.unit_ids, layer.admin1_codes, strict=True)
                    if a == admin1
                ]
                if layer is not None
                else []
            )
            boxes = np.array([b for b in boxes if b is not None])
            if len(boxes):
                box = [*boxes[:, :2].min(axis=0).tolist(), *boxes[:, 2:].max(axis=0).tolist()]
    return box if box is not None else list(store.bounds(country))


__all__ = [
    "focus_bounds",
    "GoalAnswer",
    "indicator_answers",
    "Pace",
    "Rank",
    "pace",
    "pace_texts",
    "place_answers",
    "rank_with_ties",
]

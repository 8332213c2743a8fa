"""What the panels beside the map show: the ranking, the summary cards and the selected unit.

Plain Python (numpy, pandas); no Dash, no plotly. Every function takes a
:class:`atlas.views.ViewData` (the current view) and returns a frozen object of arrays and texts
ready for :mod:`layouts.panels`. Brazil (5,564 units): ranking + summary take a few milliseconds.

Order ("best first") is the view's (:meth:`atlas.views.MapView.sort_keys`), e.g. for values the
lowest first when lower is better, else highest first (no direction: highest); for the status the
best class first, then by value (best first) within a class.

Ties on the metric are broken by the value in the year (best first), then by the layer's code
order; units that tie on both share a rank ("1, 2, 2, 4").
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from atlas.catalog import Catalog
from atlas.classify import NO_DATA_COLOUR
from atlas.flags import reason_texts as flag_texts
from atlas.i18n import number, t
from atlas.memo import for_object
from atlas.place import Pace, pace
from atlas.places import country_label
from atlas.store import Cube, Layer, Store
from atlas.views import (
    MEMO_SIZE,
    STATUS_COLOURS,
    STATUS_ORDER,
    Column,
    ViewData,
    short_name,
    source_label,
    view_key,
)

#: A change in the Gini coefficient smaller than this (one Gini point) reads as "stable".
GINI_STABLE = 0.01
#: The Gini trend uses only units observed in every year (a balanced panel, as in
#: :func:`atlas.method.sigma_convergence`) when they are at least this share of the units with
#: data in the view's year; otherwise every unit with data in each year.
BALANCED_MIN_SHARE = 0.5


# --------------------------------------------------------------------------------------------
# Ranking


@dataclass(frozen=True)
class Ranking:
    """Units with data, best first; every array has one entry per point to draw.

    ``x`` is the number to plot: the view's metric, except in the status view where it is the
    indicator's value (the metric there is only the class rank). ``rank`` is 1 for the best;
    ties share a rank; 0 marks a selected unit shown although it lies outside the admin-1
    filter (it is placed where it would rank, but not ranked). ``position`` is the display row
    (0 at the top); with ``top`` an empty row at each index of ``breaks`` stands for the
    omitted units.
    """

    layer_index: np.ndarray  # each point's row in the view's layer
    metric: np.ndarray
    x: np.ndarray
    classes: np.ndarray  # the view's class of each point (1..k; colour = view.colours[class - 1])
    # CI bounds: NaN where the source gives none (always NaN in the change and gap views)
    ci_low: np.ndarray
    ci_high: np.ndarray
    is_selected: np.ndarray
    rank: np.ndarray
    position: np.ndarray
    breaks: list[int]
    break_counts: list[int]  # units omitted at each break
    n_ranked: int  # units with data in the (filtered) set
    n_omitted: int  # of those, not shown because of ``top``
    n_no_data: int  # units of the (filtered) set without data
    n_flagged: int  # units of the (filtered) set whose value is flagged (shown, not ranked)
    admin1: str
    top: int
    selected: str
    selected_index: int | None  # index of the selected unit in the arrays
    selected_missing: str  # name of the selected unit when it cannot be shown (no data), else ""
    selected_flag: str  # why, when it is not shown because its value is flagged, else ""
    best_first: str  # "low" (lowest x first), "high" or "" (no normative direction)
    #: the view ranked: the points' ids, names and texts are read from it when first asked for
    #: (Brazil's layer-ordered ranking sends none of them on a switch)
    view: ViewData = field(repr=False, compare=False)

    def __len__(self) -> int:
        return len(self.layer_index)

    @cached_property
    def unit_ids(self) -> list[str]:
        return self.view.layer.unit_ids[self.layer_index].tolist()

    @cached_property
    def names(self) -> list[str]:
        return self.view.layer.names[self.layer_index].tolist()

    @cached_property
    def admin1_names(self) -> list[str]:
        return [
            a if isinstance(a, str) else "" for a in self.view.layer.admin1_names[self.layer_index]
        ]

    @cached_property
    def text(self) -> list[str]:
        """The metric as text (view.metric_text)."""
        texts = self.view.metric_text
        return [texts[i] for i in self.layer_index.tolist()]

    @cached_property
    def value_text(self) -> list[str]:
        """The indicator in the year, with CI (view.value_text)."""
        texts = self.view.value_text
        return [texts[i] for i in self.layer_index.tolist()]

    @cached_property
    def colours(self) -> list[str]:
        palette = np.array([NO_DATA_COLOUR, *self.view.colours], dtype=object)
        return palette[np.clip(self.classes, 0, len(palette) - 1)].tolist()

    @property
    def has_ci(self) -> bool:
        return bool(np.isfinite(self.ci_low).any())

    @property
    def rows(self) -> int:
        """Display rows including the empty rows at the breaks."""
        return len(self.layer_index) + len(self.breaks)


def _keys(view: ViewData) -> tuple[np.ndarray, np.ndarray, str]:
    """Primary and secondary sort keys (ascending = better; NaN = no data) and which x is best:
    the view's own key, then the value in the year (best first)."""
    primary, best = view.kind.sort_keys(view)
    primary = np.where(view.flagged, np.nan, primary)  # flagged values are shown, not ranked
    sign = 1.0 if view.indicator.direction == "lower" else -1.0
    value_key = sign * np.asarray(view.value, dtype=float)
    return primary, np.where(np.isfinite(value_key), value_key, np.inf), best


def _in_scope(layer: Layer, admin1: str) -> np.ndarray:
    if not admin1:
        return np.ones(len(layer), dtype=bool)
    return np.asarray(layer.admin1_codes == admin1, dtype=bool)


def _competition_ranks(k1: np.ndarray, k2: np.ndarray) -> np.ndarray:
    """1-based ranks of already sorted keys; equal (k1, k2) pairs share the lowest rank."""
    n = len(k1)
    if n == 0:
        return np.zeros(0, dtype=int)
    new = np.ones(n, dtype=bool)
    new[1:] = (k1[1:] != k1[:-1]) | (k2[1:] != k2[:-1])
    return np.maximum.accumulate(np.where(new, np.arange(1, n + 1), 0))


def table_order(view: ViewData, admin1: str = "") -> tuple[np.ndarray, np.ndarray]:
    """Layer indices of the units in the admin-1 filter, sorted as the ranking (units without
    data last, in code order), and the rank of each (0 = no data)."""
    primary, secondary, _ = _keys(view)
    scope = _in_scope(view.layer, admin1)
    ok = scope & np.isfinite(primary)
    idx = np.flatnonzero(ok)
    order = idx[np.lexsort((secondary[idx], primary[idx]))]
    ranks = _competition_ranks(primary[order], secondary[order])
    rest = np.flatnonzero(scope & ~ok)
    return np.concatenate([order, rest]), np.concatenate([ranks, np.zeros(len(rest), int)])


@dataclass(frozen=True)
class TableHead:
    """The data table's columns: rank, name, admin-1 and the value in the year, then the view's
    own columns (:meth:`atlas.views.MapView.table_columns`) and, where the view has flagged
    values, the reason of each. The page's table tab and the view's CSV and XLSX
    (:mod:`atlas.exports`) share it."""

    heads: list[str]
    numeric: list[bool]
    extra: list[Column]


def table_head(view: ViewData, lang: str) -> TableHead:
    extra = view.kind.table_columns(view, lang)
    if view.flag_text is not None:  # why a value is shown but not ranked
        extra = [*extra, Column(t("flags.title", lang), False, view.flag_text.__getitem__)]
    heads = [
        t("panels.table.rank", lang),
        t("panels.table.name", lang),
        t("panels.table.admin1", lang),
        t(
            "panels.table.value",
            lang,
            indicator=short_name(view.indicator, lang),
            unit=view.unit_label,
            year=view.state.year,
        ),
        *(c.head for c in extra),
    ]
    return TableHead(heads, [True, False, False, True, *(c.numeric for c in extra)], extra)


def ranking(view: ViewData, *, admin1: str = "", top: int = 0, selected: str = "") -> Ranking:
    """The units of the view with data, best first (see the module docstring for the order).

    ``admin1`` keeps the units of one admin-1 code; ``top=N`` keeps the N best and the N worst
    (with a break between them) when there are more than 2N; the ``selected`` unit is always
    kept and flagged when it has data (placed where it would rank when outside the filter).
    """
    layer = view.layer
    primary, secondary, best = _keys(view)
    has = np.isfinite(primary)
    scope = _in_scope(layer, admin1)
    group = np.flatnonzero(scope & has)
    order = group[np.lexsort((secondary[group], primary[group]))]
    ranks = _competition_ranks(primary[order], secondary[order])
    n_ranked = len(order)

    sel = -1
    selected_missing = selected_flag = ""
    flagged = view.flagged
    if selected:
        hit = layer.index.get_indexer([selected])[0]
        if hit >= 0 and not has[hit]:
            selected_missing = str(layer.names[hit])
            selected_flag = view.flag_text[hit] if flagged[hit] else ""
        elif hit >= 0:
            sel = int(hit)

    # keep: top/bottom N (+ the selected unit)
    keep = np.ones(n_ranked, dtype=bool)
    if top and n_ranked > 2 * top:
        keep[:] = False
        keep[:top] = True
        keep[-top:] = True
    where_sel = np.flatnonzero(order == sel) if sel >= 0 else np.array([], dtype=int)
    if len(where_sel):
        keep[where_sel[0]] = True
    kept, kept_ranks = order[keep], ranks[keep]
    kept_pos = np.flatnonzero(keep).astype(float)  # positions in the full sorted group
    if sel >= 0 and not len(where_sel):  # selected unit outside the filter: insert it in place
        at = _insert_at(primary[order], secondary[order], primary[sel], secondary[sel])
        ins = int(np.searchsorted(kept_pos, at - 0.5))
        kept = np.insert(kept, ins, sel)
        kept_ranks = np.insert(kept_ranks, ins, 0)
        kept_pos = np.insert(kept_pos, ins, at - 0.5)  # half a slot: no break next to a neighbour

    # breaks: an empty display row wherever kept units are not adjacent in the sorted group
    jumps = np.flatnonzero(np.diff(kept_pos) > 1) if len(kept_pos) else np.array([], int)
    step = np.zeros(len(kept), dtype=int)
    step[jumps + 1] = 1
    position = np.arange(len(kept)) + np.cumsum(step)
    breaks = [int(position[j] + 1) for j in jumps]
    break_counts = [int(math.ceil(kept_pos[j + 1] - kept_pos[j])) - 1 for j in jumps]

    x = view.kind.ranking_x(view)
    nan = np.full(len(kept), np.nan)
    with_ci = view.kind.ranking_ci
    return Ranking(
        layer_index=np.asarray(kept, dtype=int),
        metric=np.asarray(view.metric, dtype=float)[kept],
        x=x[kept],
        classes=np.asarray(view.classes)[kept],
        ci_low=np.asarray(view.ci_low, dtype=float)[kept] if with_ci else nan,
        ci_high=np.asarray(view.ci_high, dtype=float)[kept] if with_ci else nan.copy(),
        is_selected=kept == sel,
        rank=kept_ranks,
        position=position,
        breaks=breaks,
        break_counts=break_counts,
        n_ranked=n_ranked,
        n_omitted=int(n_ranked - keep.sum()),
        n_no_data=int((scope & ~has & ~flagged).sum()),
        n_flagged=int((scope & flagged).sum()),
        admin1=admin1,
        top=top,
        selected=selected if sel >= 0 else "",
        selected_index=int(np.flatnonzero(kept == sel)[0]) if sel >= 0 else None,
        selected_missing=selected_missing,
        selected_flag=selected_flag,
        best_first=best,
        view=view,
    )


def _insert_at(k1: np.ndarray, k2: np.ndarray, a: float, b: float) -> int:
    """Where (a, b) goes in the sorted pairs (k1, k2): after every pair that is not worse."""
    return int(np.count_nonzero((k1 < a) | ((k1 == a) & (k2 <= b))))


# --------------------------------------------------------------------------------------------
# Summary


@dataclass(frozen=True)
class StatusShare:
    status: str
    label: str
    colour: str
    units: int
    unit_share: float  # of the units in scope (all classes, "insufficient data" included)
    population: float
    population_share: float  # of the population of the units in scope; NaN when none is known


@dataclass(frozen=True)
class Summary:
    """The scope's aggregate, the national reference, the status shares and the inequality.

    ``value`` is the population-weighted mean over the units in scope with a value and a
    population (:func:`atlas.method.rollup`); when no unit of the layer has a population,
    ``weighted`` is False and ``value`` is the simple mean. When the producer gives its own
    weight for each value (CONEVAL's population, MSP's births), ``value`` is the mean weighted by
    those and ``basis`` is ``"producer_weights"``. When the producer of the units' values
    publishes its own figure for the scope (a department or the country) from the same source and
    year, ``value`` is that figure instead and ``basis`` is ``"published"`` (``published_source``
    names it); otherwise ``basis`` is ``"weighted"`` or ``"unweighted"``. ``units_missing`` are
    the units left out (no value or no population). ``gini_trend`` has one ``(year, gini)`` per year of the
    layer's data for the indicator; it uses the units observed in every year when
    ``gini_balanced``. ``gini_direction`` compares its first and last values: ``falling``
    (convergence), ``rising`` (divergence), ``stable`` (less than :data:`GINI_STABLE`) or ``""``.
    """

    country: str
    country_name: str
    level: str
    admin1: str
    scope_name: str  # the admin-1 name when filtered, else the country name
    indicator: str
    year: int
    value: float
    value_text: str
    weighted: bool
    population_year: int | None
    units: int
    units_counted: int
    units_missing: list[str]
    missing_names: list[str]
    population_counted: float
    national_value: float
    national_year: int | None
    national_text: str
    national_source: str
    statuses: list[StatusShare] = field(default_factory=list)
    gini: float = math.nan
    gini_trend: list[tuple[int, float]] = field(default_factory=list)
    gini_balanced: bool = False
    gini_units: int = 0
    gini_direction: str = ""
    basis: str = "weighted"
    published_source: str = ""


def published_aggregate(
    store: Store, indicator: str, layer: Layer, admin1: str, year: int
) -> tuple[float, str] | None:
    """The producer's own figure for the scope of ``layer`` (the admin-1 ``admin1``, else the
    country) in ``year``, with its source id, when the same source gives the layer's values for
    that year; None otherwise (another producer's national series is a reference, not this)."""
    scope_level = "admin1" if admin1 else "country"
    if layer.level in ("country", scope_level):
        return None
    found = store.published(indicator, layer.country + admin1 if admin1 else layer.country, year)
    cube = store.cube(indicator, layer.country, layer.level)
    if found is None or cube is None or year not in cube.years:
        return None
    return found if found[1] == cube.sources[cube.years.index(year)] else None


def producer_rollup(
    cube: Cube | None, year: int, *, v_scope: np.ndarray, scope: np.ndarray
) -> tuple[float, str, np.ndarray] | None:
    """The mean of the scope's values weighted by the producer's own weights (CONEVAL's
    population, MSP's births; :attr:`Cube.weights`) in ``year``, with the source id and the
    mask of the units counted; None when the producer gives no weight for that year (the caller
    then weights by population)."""
    if cube is None or cube.weights is None or year not in cube.years:
        return None
    j = cube.years.index(year)
    w = cube.weights[scope, j]
    ok = np.isfinite(v_scope) & np.isfinite(w)
    total = float(w[ok].sum())
    if total <= 0:
        return None
    return float(np.dot(w[ok], v_scope[ok]) / total), cube.sources[j], ok


def scope_value(
    store: Store,
    cube: Cube | None,
    layer: Layer,
    indicator: str,
    admin1: str,
    year: int,
    value: np.ndarray,
    pop: np.ndarray,
) -> tuple[float, str, str, np.ndarray, float]:
    """The aggregate of ``value`` (the layer's units) over the scope (the admin-1 ``admin1``,
    else the country) in ``year``, as the summary cards and the unit's report show it:
    ``(value, basis, published source label, mask of the scope's units counted, population
    counted)``. The producer's own published figure when it gives one from the same source
    (``published``); else the mean weighted by the producer's weights (``producer_weights``);
    else by population (``weighted``; :func:`atlas.method.rollup`, in numpy: the pandas group-by
    costs ~5 ms per call for Brazil; tests check they agree); else the simple mean
    (``unweighted``)."""
    scope = _in_scope(layer, admin1)
    v, p = value[scope], pop[scope]
    okv = np.isfinite(v)
    if np.isfinite(pop).any():
        ok = okv & np.isfinite(p)
        wsum = float(p[ok].sum())
        agg = float(np.dot(p[ok], v[ok]) / wsum) if wsum > 0 else math.nan
        basis, counted_pop = "weighted", wsum
    else:
        ok = okv
        agg = float(v[ok].mean()) if ok.any() else math.nan
        basis, counted_pop = "unweighted", math.nan
    published_source = ""
    producer = producer_rollup(cube, year, v_scope=v, scope=scope)
    if producer is not None:
        agg, source, ok = producer
        basis, published_source = "producer_weights", source_label(store, source)
    published = published_aggregate(store, indicator, layer, admin1, year)
    if published is not None:
        agg, basis = published[0], "published"
        published_source = source_label(store, published[1])
    return agg, basis, published_source, ok, counted_pop


def _nearest(years, year: int) -> int:
    """Index of the year closest to ``year`` (the earlier one on a tie, as population_near)."""
    return int(np.argmin([abs(y - year) for y in years]))


def population_weights(
    store: Store, layer: Layer, years: list[int]
) -> tuple[np.ndarray, list[int | None]]:
    """Population weights, units x ``years``, and the population year used for each year.

    The layer's own population series (nearest year, as :func:`analysis.population_near`); for an
    admin-1 layer without one, the sum of its municipalities' populations; else the population
    of the units table (year unknown). NaN where unknown.
    """
    cube = store.cube("population", layer.country, layer.level)
    if cube is not None:
        cols = [_nearest(cube.years, y) for y in years]
        return cube.values[:, cols], [cube.years[c] for c in cols]
    mun = store.cube("population", layer.country, "municipality")
    if layer.level == "admin1" and mun is not None:
        cols = [_nearest(mun.years, y) for y in years]
        munl = store.layer(layer.country, "municipality")
        # municipal admin1 codes -> admin-1 rows (unit ids are country + code)
        row = layer.index.get_indexer([layer.country + str(c) for c in munl.admin1_codes])
        out = np.full((len(layer), len(cols)), np.nan)
        for j, c in enumerate(cols):
            v = mun.values[:, c]
            ok = (row >= 0) & np.isfinite(v)
            sums = np.bincount(row[ok], weights=v[ok], minlength=len(layer))
            n = np.bincount(row[ok], minlength=len(layer))
            out[:, j] = np.where(n > 0, sums, np.nan)
        return out, [mun.years[c] for c in cols]
    pop = np.asarray(layer.population, dtype=float)
    return np.repeat(pop[:, None], len(years), axis=1), [None] * len(years)


def gini_columns(
    values: np.ndarray, weights: np.ndarray, order: np.ndarray | None = None
) -> np.ndarray:
    """Population-weighted Gini of every column of ``values`` (units x years) at once.

    Same formula and conventions as :func:`atlas.method.gini` (units without a value or a
    positive weight left out; 0 when all values are equal; NaN with no unit or a negative value).
    ``order``, when given, sorts each column's values ascending (NaN anywhere, e.g.
    :attr:`atlas.store.Cube.order`): the units left out then weigh nothing wherever they sit, and
    the order of equal values does not change the sum, so a layer's fixed data is sorted once.
    """
    x = np.asarray(values, dtype=float)
    w = np.asarray(weights, dtype=float)
    ok = np.isfinite(x) & np.isfinite(w) & (w > 0)
    negative = (ok & (x < 0)).any(axis=0)
    if order is None:
        order = np.argsort(np.where(ok, x, np.inf), axis=0, kind="stable")
    xs = np.take_along_axis(np.where(ok, x, 0.0), order, axis=0)
    ws = np.take_along_axis(np.where(ok, w, 0.0), order, axis=0)
    wx = ws * xs
    cw = np.cumsum(ws, axis=0)
    total_w, total_wx = cw[-1] if len(cw) else np.zeros(x.shape[1]), wx.sum(axis=0)
    pair = 2.0 * (np.sum(wx * (cw - ws), axis=0) - np.sum(wx * (total_w - cw), axis=0))
    with np.errstate(divide="ignore", invalid="ignore"):
        g = np.where(total_wx > 0, pair / (2.0 * total_w * total_wx), 0.0)
    g = np.where(ok.any(axis=0) & ~negative, g, np.nan)
    return g


def summary(store: Store, catalog: Catalog, view: ViewData) -> Summary:
    """The summary cards' numbers for the view (filtered to ``view.state.admin1`` when set).
    Kept as the views are (:data:`atlas.views.MEMO_SIZE` per store): selecting a unit, turning
    the table's page or changing tab leaves the view as it is, and its summary too (the Gini
    trend sorts every year's values, about 3 ms on Brazil)."""
    key = (*view_key(catalog, view.state), view.state.admin1)
    memo = for_object(store, "summaries", MEMO_SIZE)
    return memo.get_or_compute(key, lambda: _summary(store, catalog, view))


def _summary(store: Store, catalog: Catalog, view: ViewData) -> Summary:
    state, layer, lang = view.state, view.layer, view.state.lang
    ind = view.indicator
    scope = _in_scope(layer, state.admin1)
    year = int(state.year)
    cube = store.cube(state.indicator, layer.country, layer.level)
    years = list(cube.years) if cube is not None else [year]
    if year not in years:
        years = sorted({*years, year})
    wmat, pop_years = population_weights(store, layer, years)
    jy = years.index(year)
    pop = wmat[:, jy]
    weighted = bool(np.isfinite(pop).any())

    # (a) scope value: the producer's figure, its weights or the population's (scope_value)
    value = np.asarray(view.value, dtype=float)
    agg, basis, published_source, ok, pop_counted = scope_value(
        store, cube, layer, state.indicator, state.admin1, year, value, pop
    )
    v, p = value[scope], pop[scope]
    counted = int(ok.sum())
    miss_idx = np.flatnonzero(scope)[~ok]
    missing = layer.unit_ids[miss_idx].tolist()
    country_name = country_label(store, layer.country, state.lang)
    scope_name = country_name
    if state.admin1:
        names = layer.admin1_names[scope]
        scope_name = str(names[0]) if len(names) else state.admin1

    # national reference (the country-level series)
    nat_value, nat_year, nat_source = math.nan, None, ""
    # (all six countries together: the map itself shows the national values, no reference)
    ncube = (
        store.cube(state.indicator, layer.country, "country") if layer.level != "country" else None
    )
    if ncube is not None:
        nv = ncube.values[0]
        have = [i for i, y in enumerate(ncube.years) if math.isfinite(nv[i])]
        if have:
            j = min(have, key=lambda i: (abs(ncube.years[i] - year), ncube.years[i]))
            nat_value, nat_year = float(nv[j]), int(ncube.years[j])
            nat_source = source_label(store, ncube.sources[j])

    # (b) status shares
    statuses: list[StatusShare] = []
    if view.progress is not None:
        order = [*STATUS_ORDER, "insufficient_data"]
        code = {st: i for i, st in enumerate(order)}
        counted_units = scope & ~view.flagged  # a flagged value is left out of the counts
        st = view.progress["status"].to_numpy(dtype=object)[counted_units]
        p_st = pop[counted_units]
        c = np.fromiter((code.get(x, len(order) - 1) for x in st), dtype=int, count=len(st))
        units = np.bincount(c, minlength=len(order))
        pknown = np.isfinite(p_st)
        pops = np.bincount(c[pknown], weights=p_st[pknown], minlength=len(order))
        ptotal = float(pops.sum()) if pknown.any() else math.nan
        n = len(st)
        for i, status in enumerate(order):
            if not units[i]:
                continue
            ps = float(pops[i]) if pknown.any() else math.nan
            statuses.append(
                StatusShare(
                    status=status,
                    label=t(f"target.status.{status}", lang),
                    colour=STATUS_COLOURS.get(status, NO_DATA_COLOUR),
                    units=int(units[i]),
                    unit_share=int(units[i]) / n,
                    population=ps,
                    population_share=ps / ptotal if ptotal else math.nan,
                )
            )

    # (c) inequality: Gini in the year (every unit with a value and a weight) and its trend over
    # the layer's years, in one vectorised call (the year's column last)
    # (flagged values are left out, as missing ones)
    v = np.where(view.flagged[scope], np.nan, v)
    w_year = p if weighted else np.ones_like(v)
    trend: list[tuple[int, float]] = []
    balanced, g_units = False, 0
    if cube is not None:
        x = cube.usable[scope]
        w = wmat[scope][:, [years.index(y) for y in cube.years]] if weighted else np.ones_like(x)
        okx = np.isfinite(x) & np.isfinite(w) & (w > 0)
        full = okx.all(axis=1)
        n_year = int((np.isfinite(v) & np.isfinite(w_year) & (w_year > 0)).sum())
        balanced = len(cube.years) > 1 and full.sum() >= max(2, BALANCED_MIN_SHARE * n_year)
        if balanced:
            w = np.where(full[:, None], w, 0.0)
            g_units = int(full.sum())
        else:
            g_units = int(okx.any(axis=1).sum())
        # the layer's own years are sorted once per cube (the whole layer only: a filter's
        # units are few), the view's year here
        order = None
        if scope.all():
            order = np.column_stack([cube.order, np.argsort(v, kind="stable")])
        g = gini_columns(np.column_stack([x, v]), np.column_stack([w, w_year]), order)
        trend = [(int(y), float(gv)) for y, gv in zip(cube.years, g[:-1], strict=True)]
        g_year = float(g[-1])
    else:
        g_year = float(gini_columns(v[:, None], w_year[:, None])[0])
    direction = ""
    finite = [gv for _, gv in trend if math.isfinite(gv)]
    if len(finite) >= 2:
        d = finite[-1] - finite[0]
        direction = "stable" if abs(d) < GINI_STABLE else ("falling" if d < 0 else "rising")

    return Summary(
        country=layer.country,
        country_name=country_name,
        level=layer.level,
        admin1=state.admin1,
        scope_name=scope_name,
        indicator=state.indicator,
        year=year,
        value=agg,
        value_text=number(agg, ind.decimals, lang),
        weighted=weighted,
        population_year=pop_years[jy],
        units=int(scope.sum()),
        units_counted=counted,
        units_missing=[str(m) for m in missing],
        missing_names=layer.names[miss_idx].tolist(),
        population_counted=pop_counted,
        national_value=nat_value,
        national_year=nat_year,
        national_text=number(nat_value, ind.decimals, lang),
        national_source=nat_source,
        statuses=statuses,
        gini=g_year,
        gini_trend=trend,
        gini_balanced=bool(balanced),
        gini_units=g_units,
        basis=basis,
        published_source=published_source,
        gini_direction=direction,
    )


# --------------------------------------------------------------------------------------------
# One unit


@dataclass(frozen=True)
class UnitDetail:
    """The selected unit: its value, series, the national reference and (gap/status views) its
    progress. Rates are per year: ``rate_unit`` is ``"percent"`` (compound rate, % per year,
    negative = falling) or ``"units"`` (linear, the indicator's unit per year). With a parity
    target, values and rates of the progress fields are in the ``max(x, 1/x)`` scale (``scale``).
    """

    unit_id: str
    name: str
    admin1_name: str
    admin1_code: str
    country: str
    country_name: str
    level: str
    indicator: str
    year: int
    value: float
    ci_low: float
    ci_high: float
    value_text: str  # with CI when given
    source_id: str
    source: str
    series_years: list[int]
    series_values: list[float]
    series_ci_low: list[float]
    series_ci_high: list[float]
    series_sources: list[str]
    national_years: list[int]
    national_values: list[float]
    national_source: str
    status: str | None = None
    status_text: str | None = None
    baseline_year: int | None = None
    baseline_value: float | None = None
    latest_year: int | None = None
    latest_value: float | None = None
    target_value: float | None = None
    deadline: int | None = None
    gap: float | None = None
    gap_share: float | None = None
    rate_observed: float | None = None
    rate_required: float | None = None
    rate_unit: str | None = None
    year_reached: float | None = None
    scale: str = "value"
    #: the observed and required pace in the terms of the status (:func:`atlas.place.pace`)
    pace: Pace | None = None
    #: why the value shown is flagged (kept as published, not ranked), "" when it is not; and
    #: the same for each year of the series
    flag_text: str = ""
    series_flags: list[str] = field(default_factory=list)
    #: at admin-1, how the value was obtained: the producer's published figure or a roll-up of
    #: the municipal values (with which weights and how much of the state it counts); "" else
    basis_text: str = ""


def _opt(v) -> float | None:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def _text(v) -> str:
    return v if isinstance(v, str) else ""


def _opt_int(v) -> int | None:
    f = _opt(v)
    return int(f) if f is not None else None


def basis_text(store: Store, indicator: str, unit_id: str, year: int, lang: str) -> str:
    """How an admin-1 value was obtained (:meth:`Store.admin1_basis`), in the reader's words;
    "" when the store holds it as its producer gave it."""
    b = store.admin1_basis(indicator, unit_id, year)
    if b is None:
        return ""
    if b["basis"] == "published":
        return t("panels.unit.basis.published", lang)
    known = math.isfinite(b["coverage"])  # else no population is known: counted units only
    kind = b["basis"] if known else f"{b['basis']}_units"
    return t(
        f"panels.unit.basis.{kind}",
        lang,
        counted=number(b["units_counted"], 0, lang),
        units=number(b["units"], 0, lang),
        share=number(100 * b["coverage"], 0, lang) if known else "",
    )


def unit_detail(store: Store, catalog: Catalog, view: ViewData, unit_id: str) -> UnitDetail | None:
    """Details of ``unit_id`` in the view, or None when it is not a unit of the view's layer."""
    layer = view.layer
    if not unit_id:
        return None
    i = int(layer.index.get_indexer([unit_id])[0])
    if i < 0:
        return None
    state, lang = view.state, view.state.lang
    series = store.series(unit_id, state.indicator)
    years = series["year"].astype(int).tolist()
    sources = series["source_id"].astype(str).tolist()
    weight_of = store.weights_of(unit_id, state.indicator)
    series_flags = flag_texts(
        store,
        series["flag"].astype(str).tolist(),
        series["flag_ref"].astype(str).tolist(),
        [weight_of.get(y, math.nan) for y in years],
        lang,
        len(years),
    )
    year = int(state.year)
    source_id = sources[years.index(year)] if year in years else view.source_id
    nat_years: list[int] = []
    nat_values: list[float] = []
    nat_source = ""
    # (all six countries together: the map itself shows the national values, no reference)
    ncube = (
        store.cube(state.indicator, layer.country, "country") if layer.level != "country" else None
    )
    if ncube is not None:
        keep = np.isfinite(ncube.values[0])
        nat_years = [int(y) for y, k in zip(ncube.years, keep, strict=True) if k]
        nat_values = ncube.values[0][keep].tolist()
        used = sorted({s for s, k in zip(ncube.sources, keep, strict=True) if k})
        nat_source = "; ".join(source_label(store, s) for s in used)

    extra: dict = {}
    if view.progress is not None:
        p = view.progress.iloc[i]
        status = str(p["status"])
        cagr, cagr_still = _opt(p["cagr"]), _opt(p["cagr_still_required"])
        percent = cagr is not None and (
            cagr_still is not None or _opt(p["slope_still_required"]) is None
        )
        if percent:
            observed = cagr * 100
            required = cagr_still * 100 if cagr_still is not None else None
        else:
            observed, required = _opt(p["slope"]), _opt(p["slope_still_required"])
        extra = {
            "status": status,
            "status_text": t(f"target.status.{status}", lang),
            "baseline_year": _opt_int(p["baseline_year"]),
            "baseline_value": _opt(p["baseline_value"]),
            "latest_year": _opt_int(p["latest_year"]),
            "latest_value": _opt(p["latest_value"]),
            "target_value": _opt(p["target_value"]),
            "deadline": _opt_int(p["deadline"]),
            "gap": _opt(p["gap"]),
            "gap_share": _opt(p["gap_share"]),
            "rate_observed": observed,
            "rate_required": required,
            "rate_unit": ("percent" if percent else "units")
            if observed is not None or required is not None
            else None,
            "year_reached": _opt(p["year_reached"]),
            "scale": str(p["scale"]) if isinstance(p["scale"], str) else "value",
            "pace": pace(p, view.indicator.direction),
        }
    return UnitDetail(
        unit_id=unit_id,
        name=str(layer.names[i]),
        admin1_name=_text(layer.admin1_names[i]),
        admin1_code=_text(layer.admin1_codes[i]),
        country=layer.country,
        country_name=country_label(store, layer.country, state.lang),
        level=layer.level,
        indicator=state.indicator,
        year=year,
        value=float(view.value[i]),
        ci_low=float(view.ci_low[i]),
        ci_high=float(view.ci_high[i]),
        value_text=view.value_text[i],
        source_id=source_id,
        source=source_label(store, source_id),
        series_years=years,
        series_values=series["value"].astype(float).tolist(),
        series_ci_low=series["ci_low"].astype(float).tolist(),
        series_ci_high=series["ci_high"].astype(float).tolist(),
        series_sources=sources,
        national_years=nat_years,
        national_values=nat_values,
        national_source=nat_source,
        flag_text=view.flag_text[i] if view.flag_text is not None else "",
        series_flags=series_flags,
        basis_text=basis_text(store, state.indicator, unit_id, year, lang)
        if layer.level == "admin1"
        else "",
        **extra,
    )

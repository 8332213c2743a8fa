"""The unit's report (``/unit/<id>``): the answer a mayor takes to the council.

Plain Python, no Dash. :func:`unit_report` puts together, for one unit and the reader's framework
(the global MDG targets by default, or the SDG, national or the reader's own local target, as the
map's URL state gives it):

- a header answer: how many of the unit's targets are achieved, on track, must accelerate or
  stagnate (:func:`atlas.place.indicator_answers`, the map panel's own answers, so the two never
  disagree), with the sources and years those verdicts rest on;
- one small trend chart per indicator: the unit's values, its state's and its country's (the
  store's admin-1 series, the country's own series or else the same roll-up the summary cards
  show, :func:`atlas.panels.scope_value`), and the target's line from its baseline to its deadline;
- the profile (:mod:`atlas.profile`) for the key facts, the value tables and the peers;
- with the database of what users write (:mod:`atlas.local_report`): each contributed series
  served now as a line of its own beside the official ones (role ``contributed``, named by its
  label, its source and licence in the sources), the unit's local plan with its targets' status
  and pace, and the e-network's approved experiences of the unit. The official lines, the
  verdicts and the header counts are the store's alone, with or without them.

Values are kept as numbers; texts are in the requested language.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from atlas.catalog import Catalog
from atlas.db import Database
from atlas.geography import LEVELS
from atlas.i18n import lang_or_default, number, t
from atlas.local_report import CONTRIBUTED, ContributedSeries, UnitLocal, unit_local
from atlas.method.progress import TARGET_STATUSES, TREND_STATUSES
from atlas.panels import population_weights, scope_value
from atlas.place import GoalAnswer, indicator_answers
from atlas.profile import IndicatorProfile, Profile, profile
from atlas.store import Store
from atlas.text import attribution, source_label, year_ranges
from atlas.urlstate import FRAMEWORKS, State
from atlas.views import STATUS_COLOURS

#: The header counts these verdicts, in this order ("not achieved": a deadline already past).
COUNTED = TARGET_STATUSES
#: Frameworks offered when the reader's gives no verdict at all, in this order.
ALTERNATIVES = ("sdg2030", "national", "mdg2015")
#: Indicators the report does not chart (the key facts give them).
NOT_CHARTED = ("population",)
#: The lines of a chart, in drawing order: the country's and the state's (named by their levels),
#: the contributed series (users' data, never verdicts), then the unit's official one on top.
ROLES = (*LEVELS[:0:-1], CONTRIBUTED, "unit")


@dataclass(frozen=True)
class Point:
    year: int
    value: float
    flagged: bool = False
    source_id: str = ""  # the store's source of the value (a contributed one: its dataset's)
    note: str = ""  # why the value is flagged, or how a roll-up was weighted
    low: float | None = None  # a contributed value's interval, as its version gives it
    high: float | None = None


@dataclass(frozen=True)
class Line:
    """One series of a chart: the unit's (``role`` "unit"), its state's ("admin1"), its
    country's ("country"), named in the language, or a contributed dataset's ("contributed",
    named by its label), with the source of its values."""

    role: str
    name: str
    points: tuple[Point, ...]
    source: str


@dataclass(frozen=True)
class Chart:
    """One indicator's trend: its lines, the target's line and the verdict."""

    indicator: str
    goal: int
    label: str
    unit_label: str
    decimals: int
    lines: tuple[Line, ...]
    target_value: float | None
    target_year: int | None
    baseline_year: int | None
    answer: GoalAnswer | None  # None: a context indicator, not assessed
    profile: IndicatorProfile

    def line(self, role: str) -> Line | None:
        return next((ln for ln in self.lines if ln.role == role), None)

    def lines_of(self, role: str) -> tuple[Line, ...]:
        """Every line of ``role`` (a unit may have several contributed series)."""
        return tuple(ln for ln in self.lines if ln.role == role)

    @property
    def years(self) -> tuple[int, int]:
        """The span of the x axis: every point, and the target's deadline."""
        ys = [p.year for ln in self.lines for p in ln.points]
        if self.target_year is not None:
            ys.append(self.target_year)
        return min(ys), max(ys)


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int
    colour: str


@dataclass(frozen=True)
class SourceUse:
    """A source the report shows values of: its line, the years of those values, its licence
    and where the producer publishes it."""

    id: str
    label: str
    years: str
    licence: str
    url: str


@dataclass(frozen=True)
class UnitReport:
    profile: Profile
    state: State  # the language, framework and local target the report answers for
    framework_label: str
    counts: tuple[StatusCount, ...]  # the verdicts present, in :data:`COUNTED` order
    insufficient: int  # indicators with too few years (or none since the baseline) for a verdict
    trends: int  # indicators judged on their trend only (no numeric target in the framework)
    sources: tuple[tuple[str, str], ...]  # (producer, years) the verdicts rest on
    charts: tuple[Chart, ...]
    #: the indicators a local target may be set for (id, label), in the report's order
    targetable: tuple[tuple[str, str], ...]
    #: every source whose values the report shows (the state's and country's lines too)
    sources_used: tuple[SourceUse, ...] = ()
    #: the URL asked for a local target without its value or year (the MDG ones are shown)
    local_incomplete: bool = False
    #: without any verdict: another framework that gives some (later data may be judged against
    #: the SDG 2030 targets), "" if none does
    alternative: str = ""
    #: what users wrote about the unit (None: the report was made without the database)
    local: UnitLocal | None = None

    @property
    def contributed_labels(self) -> tuple[str, ...]:
        """The labels of the contributed lines drawn, once each, in chart order."""
        found = (ln.name for c in self.charts for ln in c.lines_of(CONTRIBUTED))
        return tuple(dict.fromkeys(found))

    @property
    def assessed(self) -> int:
        return sum(c.count for c in self.counts)


def local_incomplete(state: State) -> bool:
    """A local target without both its value and its year (the report then uses the MDG's)."""
    return state.framework == "local" and (state.local_value is None or not state.local_year)


def report_state(state: State, unit_id: str, country: str) -> State:
    """The state the report reads: the URL's language, framework and local target, for the
    unit's country (a framework the URL does not know, or a local target without its value and
    year, reads as the global MDG one, as on the map)."""
    framework = state.framework if state.framework in FRAMEWORKS else "mdg2015"
    if local_incomplete(state):
        framework = "mdg2015"
    return replace(state, country=country, unit=unit_id, framework=framework)


def _unit_line(p: Profile, ind: IndicatorProfile) -> Line:
    points = tuple(
        Point(o.year, o.value, bool(o.flag), o.source_id, o.flag) for o in ind.observations
    )
    return Line("unit", p.name, points, "; ".join(s for s, _ in ind.sources()))


def _series_line(store: Store, role: str, unit_id: str, name: str, indicator: str) -> Line | None:
    rows = store.series(unit_id, indicator)
    values = rows["value"].to_numpy(dtype=float)
    keep = np.isfinite(values)
    if not keep.any():
        return None
    sids = rows["source_id"].to_numpy()[keep]
    points = tuple(
        Point(int(y), float(v), source_id=str(sid))
        for y, v, sid in zip(rows["year"].to_numpy()[keep], values[keep], sids, strict=True)
    )
    sources = dict.fromkeys(source_label(store, str(s)) for s in sids)
    return Line(role, name, points, "; ".join(sources))


def _rollup_line(store: Store, indicator: str, country: str, level: str, name: str, lang: str):
    """The country's line rolled up from its units of ``level`` as the summary cards do it."""
    cube = store.cube(indicator, country, level)
    if cube is None:
        return None
    layer = store.layer(country, level)
    weights, _ = population_weights(store, layer, list(cube.years))
    points, sources = [], {}
    for j, y in enumerate(cube.years):
        agg, basis, published, _, _ = scope_value(
            store, cube, layer, indicator, "", int(y), cube.values[:, j], weights[:, j]
        )
        if math.isfinite(agg):
            label = published or t(
                f"report.rollup.{basis}", lang, source=source_label(store, cube.sources[j])
            )
            points.append(Point(int(y), float(agg), source_id=str(cube.sources[j]), note=label))
            sources[label] = None
    return Line("country", name, tuple(points), "; ".join(sources)) if points else None


def _lines(store: Store, p: Profile, ind: IndicatorProfile, lang: str) -> tuple[Line, ...]:
    lines = []
    if p.level != "country":
        nat = _series_line(store, "country", p.country, p.country_name, ind.id)
        if nat is None:  # no national series: the roll-up of the layer the values come from
            level = "municipality" if store.cube(ind.id, p.country, "municipality") else p.level
            nat = _rollup_line(store, ind.id, p.country, level, p.country_name, lang)
        if nat is not None:
            lines.append(nat)
    if p.level == "municipality" and p.admin1_code:
        state = _series_line(store, "admin1", p.country + p.admin1_code, p.admin1_name, ind.id)
        if state is not None:
            lines.append(state)
    lines.append(_unit_line(p, ind))
    return tuple(lines)


def _contributed_line(s: ContributedSeries) -> Line:
    points = tuple(
        Point(v.year, v.value, source_id=s.source_id, low=v.low, high=v.high) for v in s.points
    )
    return Line(CONTRIBUTED, s.label, points, s.source)


def _with_contributed(lines: tuple[Line, ...], contributed) -> tuple[Line, ...]:
    """The official lines and the contributed ones, in :data:`ROLES` order."""
    extra = [_contributed_line(s) for s in contributed]
    if not extra:
        return lines
    cut = next(k for k, ln in enumerate(lines) if ln.role == "unit")
    return (*lines[:cut], *extra, *lines[cut:])


def _clipped(lines: tuple[Line, ...], start: int) -> tuple[Line, ...]:
    """The state and country lines from ``start`` on (a national series from 1990 beside a
    comuna's three years since 2017 would squeeze the comuna's into a corner)."""
    out = []
    for ln in lines:
        if ln.role != "unit":
            ln = replace(ln, points=tuple(pt for pt in ln.points if pt.year >= start))
        if ln.points:
            out.append(ln)
    return tuple(out)


def _chart(
    store: Store,
    p: Profile,
    ind: IndicatorProfile,
    a: GoalAnswer | None,
    lang: str,
    contributed: tuple[ContributedSeries, ...] = (),
):
    # a target is drawn where it was judged: with too few years it may rest on no baseline
    has_target = (
        a is not None
        and a.status != "insufficient_data"
        and a.target_value is not None
        and a.deadline is not None
    )
    start = ind.observations[0].year
    if has_target and a.baseline_year is not None:
        start = min(start, a.baseline_year)
    return Chart(
        indicator=ind.id,
        goal=ind.goal,
        label=ind.short or ind.label,
        unit_label=ind.unit,
        decimals=ind.decimals,
        lines=_with_contributed(_clipped(_lines(store, p, ind, lang), start), contributed),
        target_value=a.target_value if has_target else None,
        target_year=a.deadline if has_target else None,
        baseline_year=a.baseline_year if has_target else None,
        answer=a,
        profile=ind,
    )


def _producers(store: Store, charts, answers: dict[str, GoalAnswer]) -> tuple[tuple[str, str], ...]:
    """Each producer the verdicts rest on (its short name), with the years of the unit's values it
    gave; the sources list names each dataset."""
    years: dict[str, set[int]] = {}
    for c in charts:
        if c.indicator not in answers:
            continue
        for pt in c.line("unit").points:
            try:
                producer = attribution(store.source(pt.source_id).get("producer", ""), "")
            except KeyError:
                producer = pt.source_id
            years.setdefault(producer or pt.source_id, set()).add(pt.year)
    return tuple((s, year_ranges(ys)) for s, ys in years.items())


def _sources_used(store: Store, charts, local: UnitLocal | None, lang: str):
    """The store's sources of the values shown, by name, then each contributed series drawn
    (its source named with its label, its licence)."""
    years: dict[str, set[int]] = {}
    for c in charts:
        for ln in c.lines:
            for pt in ln.points:
                if pt.source_id:
                    years.setdefault(pt.source_id, set()).add(pt.year)
    contributed = {s.source_id: s for s in (local.contributed if local else ())}
    out, users = [], []
    for sid, ys in years.items():
        if sid in contributed:
            s = contributed[sid]
            text = t("report.contributed_source", lang, source=s.source, label=s.label)
            users.append(SourceUse(sid, text, year_ranges(ys), s.licence, ""))
            continue
        try:
            meta = store.source(sid)
        except KeyError:
            meta = {}
        out.append(
            SourceUse(
                id=sid,
                label=source_label(store, sid),
                years=year_ranges(ys),
                licence=str(meta.get("licence", "")),
                url=str(meta.get("url", "")),
            )
        )
    return (*sorted(out, key=lambda s: s.label), *users)


def unit_report(
    store: Store, catalog: Catalog, state: State, unit_id: str, db: Database | None = None
) -> UnitReport | None:
    """The report of ``unit_id`` under ``state`` (language, framework, local target); None for
    an unknown unit. With ``db`` (the users' database) it also holds what users wrote about the
    unit (see the module docstring)."""
    lang = lang_or_default(state.lang)
    p = profile(store, catalog, unit_id, lang)
    if p is None:
        return None
    local = unit_local(db, store, catalog, p.unit_id, lang) if db is not None else None
    st = report_state(replace(state, lang=lang), p.unit_id, p.country)
    answers = {a.indicator: a for a in indicator_answers(store, catalog, st, p.unit_id)}
    charts = tuple(
        _chart(store, p, ind, answers.get(ind.id), lang, local.series(ind.id) if local else ())
        for g in p.goals
        for ind in g.indicators
        if ind.id not in NOT_CHARTED
    )
    statuses = [a.status for a in answers.values() if not a.flag]
    counts = tuple(
        StatusCount(s, t(f"target.status.{s}", lang), statuses.count(s), STATUS_COLOURS[s])
        for s in COUNTED
        if s in statuses
    )
    alternative = ""
    if not counts:
        for other in ALTERNATIVES:
            if other == st.framework:
                continue
            found = indicator_answers(store, catalog, replace(st, framework=other), p.unit_id)
            if any(a.status in COUNTED and not a.flag for a in found):
                alternative = other
                break
    return UnitReport(
        profile=p,
        state=st,
        framework_label=t(f"target.framework.{st.framework}", lang),
        counts=counts,
        insufficient=statuses.count("insufficient_data"),
        trends=sum(statuses.count(s) for s in TREND_STATUSES),
        sources=_producers(store, charts, answers),
        charts=charts,
        targetable=tuple((c.indicator, c.label) for c in charts if c.indicator in answers),
        sources_used=_sources_used(store, charts, local, lang),
        local_incomplete=local_incomplete(state),
        alternative=alternative,
        local=local,
    )


def chart_summary(c: Chart, lang: str) -> str:
    """The chart in words (the image's text alternative): each line's values by year, the
    target and the verdict."""
    parts = []
    for ln in (ln for role in reversed(ROLES) for ln in c.lines_of(role)):
        values = ", ".join(f"{pt.year}: {number(pt.value, c.decimals, lang)}" for pt in ln.points)
        parts.append(f"{ln.name} — {values}")
    if c.target_value is not None:
        parts.append(
            t(
                "report.target_point",
                lang,
                value=number(c.target_value, c.decimals, lang),
                year=c.target_year,
            )
        )
    if c.answer is not None:
        parts.append(c.answer.status_text)
    return f"{c.label} ({c.unit_label}). " + ". ".join(parts) + "."

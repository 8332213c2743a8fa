"""The profile of one unit (municipality, admin-1 unit or country): everything the atlas knows.

Plain Python, no Dash: :func:`profile` reads the store and the catalog and returns a frozen
:class:`Profile` (texts already in the requested language, numbers left as numbers so that the page
formats them for the locale). For every indicator with data for the unit it gives every observed
value with its source and year, the latest value of the national reference series, the progress
under the global MDG framework (``mdg2015``: :func:`atlas.method.assess`) and the comparability
note of the series. Indicators are grouped by MDG goal, context indicators (goal 0) last, as in
the map's indicator menu.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from atlas.catalog import Catalog, Indicator
from atlas.choices import DEFAULT_INDICATORS
from atlas.flags import reason_text
from atlas.i18n import label, lang_or_default, messages, t
from atlas.method import assess, frameworks, target_for, target_note, threshold_fields
from atlas.peer_view import Peers, peers_of
from atlas.places import country_label
from atlas.store import Store
from atlas.text import source_label

FRAMEWORK = "mdg2015"


def framework_note(lang: str) -> str:
    """How the profile measures progress: the framework's baseline year and deadline, as
    targets.toml holds them (never written in the text)."""
    fw = frameworks()[FRAMEWORK]
    return t("profile.framework_note", lang, baseline=fw.baseline_year, deadline=fw.deadline)


@dataclass(frozen=True)
class Observation:
    year: int
    value: float
    ci_low: float | None
    ci_high: float | None
    source_id: str
    source: str  # "producer, dataset" (atlas.text.attribution)
    #: why the value is flagged (shown as published, left out of the progress), "" if it is not
    flag: str = ""


@dataclass(frozen=True)
class Reference:
    """The latest value of the country's reference series for the indicator."""

    year: int
    value: float
    source_id: str
    source: str
    comparability: str


@dataclass(frozen=True)
class ProgressSummary:
    """Progress under :data:`FRAMEWORK`; ``None`` fields are "not defined here", never zero.

    Rates are fractions per year (``-0.035`` = -3.5 % a year); ``change_still_required`` is in the
    indicator's unit per year (used when no constant rate links the latest value and the target).
    Values are in the ``scale`` of :class:`atlas.method.Progress` (``parity_ratio`` for parity).
    """

    framework: str
    framework_label: str
    kind: str  # the target kind: ratio, absolute, shortfall_ratio, parity or trend
    code: str  # the MDG target code of the rule ("4.A"), empty for trend-only
    status: str
    status_label: str
    status_help: str
    baseline_year: int | None
    baseline_value: float | None
    latest_year: int | None
    latest_value: float | None
    target_value: float | None
    deadline: int | None
    rate_observed: float | None
    rate_still_required: float | None
    change_still_required: float | None
    scale: str
    citation: str


@dataclass(frozen=True)
class IndicatorProfile:
    id: str
    goal: int
    target: str  # MDG target code of the catalog ("4.A"), may be empty
    label: str
    short: str
    unit: str  # the unit's label in the language ("per 1,000 live births")
    direction: str
    decimals: int
    observations: tuple[Observation, ...]
    national: Reference | None
    progress: ProgressSummary | None  # None: context indicator, not assessed
    comparability: tuple[str, ...]  # one note per series (source) the values come from

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(o.year for o in self.observations)

    @property
    def latest(self) -> Observation:
        return self.observations[-1]

    def value(self, year: int) -> float | None:
        return next((o.value for o in self.observations if o.year == year), None)

    def sources(self) -> list[tuple[str, tuple[int, ...]]]:
        """Each source (label) with the years it gave, in order of first year."""
        out: dict[str, list[int]] = {}
        for o in self.observations:
            out.setdefault(o.source, []).append(o.year)
        return [(s, tuple(ys)) for s, ys in out.items()]


@dataclass(frozen=True)
class GoalSection:
    goal: int
    title: str  # "MDG 4: Child mortality"
    indicators: tuple[IndicatorProfile, ...]

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(sorted({y for ind in self.indicators for y in ind.years}))


@dataclass(frozen=True)
class Profile:
    unit_id: str
    name: str
    code: str
    level: str  # municipality | admin1 | country
    kind: str  # what the unit is called in its country, in the language ("município")
    country: str  # ISO3
    country_name: str
    admin1_code: str
    admin1_name: str
    admin1_kind: str  # "estado", "departamento", ...
    population: float | None
    population_year: int | None
    population_source: str  # empty when the store does not say
    area_km2: float | None
    lang: str
    goals: tuple[GoalSection, ...]
    #: municipalities like this one and those that did better from a similar start
    #: (geodata/peers.py); None for admin-1 units and countries
    peers: Peers | None = None

    @property
    def indicators(self) -> list[IndicatorProfile]:
        return [ind for g in self.goals for ind in g.indicators]

    def indicator(self, indicator_id: str) -> IndicatorProfile | None:
        return next((i for i in self.indicators if i.id == indicator_id), None)

    def map_indicator(self) -> IndicatorProfile | None:
        """The indicator a link to the map should show: a headline MDG one where there is one."""
        for ind_id in DEFAULT_INDICATORS:  # the map's own order of preference
            ind = self.indicator(ind_id)
            if ind is not None:
                return ind
        inds = self.indicators
        return next((i for i in inds if i.goal != 0), inds[0] if inds else None)


# --------------------------------------------------------------------------------------------
# Names


def unit_kind(country: str, level: str, lang: str) -> str:
    """What one unit of ``level`` is called in ``country`` ("comuna", "estado"), lower case."""
    for key in (f"profile.kind.{country}.{level}", f"profile.kind.any.{level}"):
        if key in messages():
            return t(key, lang)
    return level


# --------------------------------------------------------------------------------------------
# The profile


def _float(v) -> float | None:
    if v is None or pd.isna(v):
        return None
    v = float(v)
    return v if math.isfinite(v) else None


def _observations(store: Store, rows: pd.DataFrame, lang: str) -> tuple[Observation, ...]:
    out = []
    weights = (
        store.weights_of(rows["unit_id"].iat[0], rows["indicator_id"].iat[0]) if len(rows) else {}
    )
    # columns as arrays: DataFrame.itertuples costs ~1.5 ms a call in pandas' indexing
    columns = ("year", "value", "ci_low", "ci_high", "source_id", "flag", "flag_ref")
    for year, v, lo, hi, source, reason, ref in zip(
        *(rows[c].to_numpy() for c in columns), strict=True
    ):
        value = _float(v)
        if value is None:
            continue
        out.append(
            Observation(
                year=int(year),
                value=value,
                ci_low=_float(lo),
                ci_high=_float(hi),
                source_id=str(source),
                source=source_label(store, str(source)),
                flag=reason_text(store, reason, ref, weights.get(int(year)), lang),
            )
        )
    return tuple(sorted(out, key=lambda o: o.year))


def _comparability(ind: Indicator, country: str, level: str, source_ids, lang: str) -> list[str]:
    notes = []
    for s in ind.series_for(country, level):
        if s.source in source_ids:
            note = label(s.comparability, lang)
            if note and note not in notes:
                notes.append(note)
    return notes


def _national(
    store: Store, ind: Indicator, unit_id: str, country: str, lang: str
) -> Reference | None:
    if unit_id == country:
        return None  # the unit is the country: its own values are the reference
    rows = store.series(country, ind.id)
    obs = _observations(store, rows, lang)
    if not obs:
        return None
    last = obs[-1]
    notes = _comparability(ind, country, "country", {last.source_id}, lang)
    return Reference(
        year=last.year,
        value=last.value,
        source_id=last.source_id,
        source=last.source,
        comparability=" ".join(notes),
    )


def _progress(ind: Indicator, country: str, obs, lang: str) -> ProgressSummary | None:
    try:
        target = target_for(FRAMEWORK, ind.id, direction=ind.direction, country=country)
        usable = [o for o in obs if not o.flag]  # a flagged value is shown, not assessed
        p = assess(
            [o.year for o in usable],
            [o.value for o in usable],
            target,
            direction=ind.direction,
            valid_range=ind.valid_range,
        )
    except ValueError:  # no normative direction: a context indicator is not assessed
        return None
    return ProgressSummary(
        framework=FRAMEWORK,
        framework_label=t(f"target.framework.{FRAMEWORK}", lang),
        kind=target.kind,
        code=target.code,
        status=p.status,
        status_label=t(f"target.status.{p.status}", lang),
        status_help=t(f"target.status_help.{p.status}", lang, **threshold_fields(lang)),
        baseline_year=p.baseline_year,
        baseline_value=p.baseline_value,
        latest_year=p.latest_year,
        latest_value=p.latest_value,
        target_value=p.target_value,
        deadline=p.deadline,
        rate_observed=p.cagr,
        rate_still_required=p.cagr_still_required,
        change_still_required=p.slope_still_required,
        scale=p.scale,
        citation=target_note(target, lang),
    )


def _indicator(store, catalog, ind: Indicator, unit: dict, rows, lang) -> IndicatorProfile | None:
    obs = _observations(store, rows, lang)
    if not obs:
        return None
    country, level = unit["country"], unit["level"]
    comparable = ind.comparable_years(country, level)
    return IndicatorProfile(
        id=ind.id,
        goal=ind.goal,
        target=ind.target,
        label=label(ind.label, lang),
        short=label(ind.short, lang),
        unit=catalog.unit_label(ind.unit, lang),
        direction=ind.direction,
        decimals=ind.decimals,
        observations=obs,
        national=_national(store, ind, unit["unit_id"], country, lang),
        progress=_progress(ind, country, obs, lang) if comparable else None,
        comparability=tuple(_comparability(ind, country, level, {o.source_id for o in obs}, lang)),
    )


def _lookup(store: Store, unit_id) -> dict | None:
    if not isinstance(unit_id, str) or not 0 < len(unit_id) <= 32:
        return None
    for candidate in dict.fromkeys((unit_id, unit_id.strip().upper())):
        try:
            return store.unit(candidate)
        except (KeyError, TypeError, ValueError):
            continue
    return None


def profile(store: Store, catalog: Catalog, unit_id: str, lang: str) -> Profile | None:
    """The profile of ``unit_id`` (e.g. ``"BRA1200013"``) in ``lang``; None for an unknown id."""
    lang = lang_or_default(lang)
    unit = _lookup(store, unit_id)
    if unit is None:
        return None
    uid, country, level = unit["unit_id"], unit["country"], unit["level"]
    series = store.series(uid)
    by_goal: dict[int, list[IndicatorProfile]] = {}
    for ind_id, rows in series.groupby("indicator_id", sort=False):
        if ind_id not in catalog.indicators:
            continue
        entry = _indicator(store, catalog, catalog[ind_id], unit, rows, lang)
        if entry is not None:
            by_goal.setdefault(entry.goal, []).append(entry)
    goals = tuple(
        GoalSection(
            goal=g,
            title=t(f"goal.{g}", lang) if f"goal.{g}" in messages() else str(g),
            indicators=tuple(sorted(by_goal[g], key=lambda i: (i.target or "~", i.label))),
        )
        for g in sorted(by_goal, key=lambda g: (g == 0, g))
    )

    population, pop_year = _float(unit["population"]), unit["population_year"]
    pop_year = int(pop_year) if pop_year is not None else None
    pop_source = ""
    pop_ind = next((i for g in goals for i in g.indicators if i.id == "population"), None)
    if pop_ind is not None:
        if population is None:  # admin-1 units: the latest population value of the store
            population, pop_year = pop_ind.latest.value, pop_ind.latest.year
        pop_source = next((o.source for o in pop_ind.observations if o.year == pop_year), "")

    return Profile(
        unit_id=uid,
        name=str(unit["name"]),
        code=str(unit["code"] or ""),
        level=level,
        kind=unit_kind(country, level, lang),
        country=country,
        country_name=country_label(store, country, lang),
        admin1_code=str(unit["admin1_code"] or ""),
        admin1_name=str(unit["admin1_name"] or ""),
        admin1_kind=unit_kind(country, "admin1", lang),
        population=population,
        population_year=pop_year,
        population_source=pop_source,
        area_km2=_float(unit["area_km2"]),
        lang=lang,
        goals=goals,
        peers=peers_of(store, catalog, uid, country, lang) if level == "municipality" else None,
    )

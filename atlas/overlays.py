"""The layers a reader may lay over the official map (``State.layers``, the URL's ``layers``),
and the local plan's targets the map's local framework offers. Plain Python on the database of
what users write (:mod:`atlas.db`) and the store; no Dash.

* ``contributed``: the values a municipality (or a secretariat) published for the shown
  country and indicator (:func:`atlas.publish.current_values`), one per unit of the shown layer,
  each with its label ("contributed by ..., version 3, 2026-12-01"), year, source and licence and
  the *official* value beside it. In a view of the values themselves each is classed by the
  view's own breaks (:func:`atlas.classify.class_of`), so it reads in the map's legend; in the
  other views (a change, a gap, a status) a contributed value has no such metric and the layer
  only outlines its units. The official series is never touched: the map's own trace, its
  ranking, legend and downloads stay what the store holds.
* ``experiences``: the units of the shown layer where an approved experience of the e-network
  (:mod:`atlas.network`) took place (at the admin-1 or country level, the state or country
  holding the municipality named), with the experiences' titles.

Cost: :func:`for_view` asks the database one query per layer switched on, and one for the
switches of the layers left off (whether there is anything to show: two EXISTS in one SELECT);
a layer switched off costs no other work.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from sqlalchemy import ColumnElement, exists, select
from sqlalchemy.orm import Session

from atlas import plans
from atlas.catalog import Catalog
from atlas.classify import class_of
from atlas.db import Database
from atlas.db.models import Dataset, Experience, ExperienceUnit
from atlas.geography import ALL_COUNTRIES
from atlas.i18n import decimals_needed, number
from atlas.publish import ContributedValue, current_values
from atlas.store import Store
from atlas.text import source_label
from atlas.urlstate import LAYERS
from atlas.views import ViewData

CONTRIBUTED, EXPERIENCES = LAYERS


@dataclass(frozen=True)
class ContributedUnit:
    """One unit's contributed value (the one the map draws) and the official value beside it."""

    unit_id: str
    name: str
    year: int
    value: float
    #: the value in the reader's language, with its interval when the publication gave one
    value_text: str
    label: str
    source: str
    licence: str
    dataset_id: int
    #: the store's value of the same year, else its latest (None: the store has none)
    official: float | None
    official_text: str
    official_year: int | None
    official_source: str
    #: the map's class of the value (1..k), 0 where the view does not map values
    cls: int


@dataclass(frozen=True)
class DatasetNote:
    """What the caption says of one contributed dataset drawn: its label, licence and source and
    how many units of the layer it covers."""

    dataset_id: int
    label: str
    licence: str
    source: str
    units: int


@dataclass(frozen=True)
class ContributedLayer:
    units: tuple[ContributedUnit, ...]
    datasets: tuple[DatasetNote, ...]
    #: whether the units are coloured by the view's classes (a view of the values)
    coloured: bool
    #: contributed units that are not in the layer shown (another level)
    elsewhere: int = 0


@dataclass(frozen=True)
class ExperienceItem:
    """An approved experience with a unit in the layer shown: its id (its page,
    ``/network/<id>``), title, and the names of the layer's units it is drawn on."""

    id: int
    title: str
    places: tuple[str, ...]


@dataclass(frozen=True)
class ExperiencePlace:
    """A unit of the layer outlined: its id, name and the titles of its experiences."""

    unit_id: str
    name: str
    titles: tuple[str, ...]


@dataclass(frozen=True)
class ExperienceLayer:
    units: tuple[ExperiencePlace, ...]
    experiences: tuple[ExperienceItem, ...]


@dataclass(frozen=True)
class Overlays:
    """What the map lays over the official layer for a view: whether each layer has anything
    for this country (and indicator), and the layers switched on (None when off)."""

    available: dict[str, bool] = field(default_factory=lambda: dict.fromkeys(LAYERS, False))
    contributed: ContributedLayer | None = None
    experiences: ExperienceLayer | None = None

    @property
    def shown(self) -> tuple[str, ...]:
        return tuple(n for n in LAYERS if getattr(self, n) is not None)


# -- reading -----------------------------------------------------------------------------------


def _in_country(column, country: str) -> ColumnElement[bool]:
    """``column`` (a unit id) is of ``country``: a range of ids (``"BRA" <= id < "BRB"``), which
    the column's index answers on both backends (a LIKE prefix does not on PostgreSQL under
    most collations)."""
    upper = country[:-1] + chr(ord(country[-1]) + 1)
    return (column >= country) & (column < upper)


def _experience_rows(country: str):
    q = (
        select(Experience.id, Experience.title, ExperienceUnit.unit_id)
        .join(ExperienceUnit, ExperienceUnit.experience_id == Experience.id)
        .where(Experience.status == "approved")
    )
    if country != ALL_COUNTRIES:
        q = q.where(_in_country(ExperienceUnit.unit_id, country))
    return q.order_by(Experience.created_at.desc(), Experience.id.desc(), ExperienceUnit.unit_id)


def availability(session: Session, country: str, indicator: str) -> dict[str, bool]:
    """Whether each layer has anything for ``country`` and ``indicator``: a dataset served now,
    an approved experience with a unit in the country. One query."""
    contributed = exists().where(
        Dataset.country == country,
        Dataset.indicator == indicator,
        Dataset.current_version_id.is_not(None),
    )
    experiences = exists().where(
        Experience.status == "approved",
        ExperienceUnit.experience_id == Experience.id,
        *([] if country == ALL_COUNTRIES else [_in_country(ExperienceUnit.unit_id, country)]),
    )
    found = session.execute(select(contributed, experiences)).one()
    return {CONTRIBUTED: bool(found[0]), EXPERIENCES: bool(found[1])}


def _official(
    store: Store, view: ViewData, uid: str, year: int
) -> tuple[float | None, int | None, str]:
    """The store's value of ``uid`` in ``year``, else its latest: (value, year, source id)."""
    layer = view.layer
    cube = store.cube(view.state.indicator, layer.country, layer.level)
    if cube is None:
        return None, None, ""
    row = cube.values[layer.index.get_loc(uid)]
    if year in cube.years and math.isfinite(row[cube.column(year)]):
        j = cube.column(year)
    else:
        finite = np.flatnonzero(np.isfinite(row))
        if not len(finite):
            return None, None, ""
        j = int(finite[-1])
    return float(row[j]), int(cube.years[j]), cube.sources[j]


def _pick(rows: list[ContributedValue], year: int | None) -> ContributedValue:
    """The value a unit's rows put on the map: of the shown year if there is one, else of the
    latest year; of the newest publication among datasets of that year."""
    years = {r.year for r in rows}
    chosen = year if year in years else max(years)
    return max(
        (r for r in rows if r.year == chosen), key=lambda r: (r.published, r.version, r.dataset_id)
    )


def _value_text(r: ContributedValue, decimals: int, lang: str) -> str:
    text = number(r.value, decimals, lang)
    if r.low is not None and r.high is not None:
        text += f" [{number(r.low, decimals, lang)}–{number(r.high, decimals, lang)}]"
    return text


def contributed_layer(
    rows: Iterable[ContributedValue], store: Store, catalog: Catalog, view: ViewData
) -> ContributedLayer:
    """The layer of ``rows`` (:func:`atlas.publish.current_values` of the view's country and
    indicator) for ``view``: one value per unit of its layer (see :func:`_pick`)."""
    state, layer = view.state, view.layer
    lang, decimals = state.lang, catalog[state.indicator].decimals
    by_unit: dict[str, list[ContributedValue]] = {}
    for r in rows:
        by_unit.setdefault(r.unit_id, []).append(r)
    inside = [u for u in by_unit if u in layer.index]
    coloured = view.kind.metric_is_value and bool(view.breaks)
    picked = [_pick(by_unit[u], state.year) for u in inside]
    classes = class_of([r.value for r in picked], view.breaks) if coloured else [0] * len(picked)
    names = dict(zip(layer.unit_ids, layer.names, strict=True))
    units, notes = [], {}
    for r, cls in zip(picked, classes, strict=True):
        official, year, source_id = _official(store, view, r.unit_id, r.year)
        units.append(
            ContributedUnit(
                unit_id=r.unit_id,
                name=str(names[r.unit_id]),
                year=r.year,
                value=r.value,
                value_text=_value_text(r, decimals, lang),
                label=r.label,
                source=r.source,
                licence=r.licence,
                dataset_id=r.dataset_id,
                official=official,
                official_text=number(official, decimals, lang),
                official_year=year,
                official_source=source_label(store, source_id) if source_id else "",
                cls=int(cls),
            )
        )
        note = notes.get(r.dataset_id)
        notes[r.dataset_id] = DatasetNote(
            r.dataset_id, r.label, r.licence, r.source, (note.units if note else 0) + 1
        )
    return ContributedLayer(
        units=tuple(sorted(units, key=lambda u: (u.name, u.unit_id))),
        datasets=tuple(notes[k] for k in sorted(notes)),
        coloured=coloured,
        elsewhere=len(by_unit) - len(inside),
    )


def _layer_unit(store: Store, view: ViewData, uid: str) -> str | None:
    """The unit of the view's layer that holds ``uid``: itself, its state or its country."""
    index = view.layer.index
    if uid in index:
        return uid
    try:
        admin1 = store.unit(uid)["admin1_code"]
    except KeyError:
        return None
    for holder in (f"{uid[:3]}{admin1}" if admin1 else None, uid[:3]):
        if holder and holder in index:
            return holder
    return None


def experience_layer(rows, store: Store, view: ViewData) -> ExperienceLayer:
    """The layer of ``rows`` ((id, title, unit id) of approved experiences, newest first)."""
    names = dict(zip(view.layer.unit_ids, view.layer.names, strict=True))
    titles: dict[int, str] = {}
    places: dict[int, list[str]] = {}
    for exp_id, title, uid in rows:
        unit = _layer_unit(store, view, uid)
        if unit is None:
            continue
        titles[exp_id] = title
        mine = places.setdefault(exp_id, [])
        if unit not in mine:
            mine.append(unit)
    by_unit: dict[str, list[str]] = {}
    for exp_id, units in places.items():
        for unit in units:
            by_unit.setdefault(unit, []).append(titles[exp_id])
    return ExperienceLayer(
        units=tuple(
            ExperiencePlace(u, str(names[u]), tuple(ts))
            for u, ts in sorted(by_unit.items(), key=lambda kv: (str(names[kv[0]]), kv[0]))
        ),
        experiences=tuple(
            ExperienceItem(i, titles[i], tuple(str(names[u]) for u in places[i])) for i in titles
        ),
    )


def for_view(db: Database | None, store: Store, catalog: Catalog, view: ViewData) -> Overlays:
    """The overlays of ``view`` (a computed view of a resolved state): the layers its state
    switches on, and whether each layer has anything to show. Without a database there is
    nothing to lay over."""
    if db is None:
        return Overlays()
    state = view.state
    wanted = set(state.layers)
    with db.session() as s:
        off = [n for n in LAYERS if n not in wanted]
        available = availability(s, state.country, state.indicator) if off else {}
        contributed = experiences = None
        if CONTRIBUTED in wanted:
            rows = current_values(s, state.country, state.indicator, store=store, lang=state.lang)
            available[CONTRIBUTED] = bool(rows)
            contributed = contributed_layer(rows, store, catalog, view)
        if EXPERIENCES in wanted:
            rows = s.execute(_experience_rows(state.country)).all()
            available[EXPERIENCES] = bool(rows)
            experiences = experience_layer(rows, store, view)
    return Overlays(available, contributed, experiences)


# -- the local plan's targets --------------------------------------------------------------------


@dataclass(frozen=True)
class PlanOffer:
    """A target of the selected unit's own plan for the shown indicator, as the map's local
    framework offers it: "<plan>: <value> by <year>"."""

    plan: str
    indicator: str
    value: float
    year: int
    value_text: str
    #: the plan's period (the reader sees which plan it is)
    period: tuple[int, int]


def plan_offers(
    db: Database | None, store: Store, catalog: Catalog, unit_id: str, indicator: str, lang: str
) -> list[PlanOffer]:
    """The targets of ``unit_id``'s plan (:func:`atlas.plans.plan_for`) for ``indicator``, by
    year; none without a unit, a plan or a database. One query."""
    if db is None or not unit_id or not indicator or indicator not in catalog.indicators:
        return []
    try:
        store.unit(unit_id)
    except KeyError:
        return []
    with db.session() as s:
        plan = plans.plan_for(s, unit_id)
    if plan is None:
        return []
    decimals = catalog[indicator].decimals
    return [
        PlanOffer(
            plan=plan.name,
            indicator=indicator,
            value=t.value,
            year=t.year,
            value_text=number(t.value, max(decimals, decimals_needed(t.value)), lang),
            period=(plan.period_start, plan.period_end),
        )
        for t in sorted(plan.targets, key=lambda t: t.year)
        if t.indicator == indicator
    ]

"""Local development plans: a municipality's own plan (name, period, document) and its targets
(an indicator's value to reach by a year), tracked with the atlas's own method.

An editor whose scopes cover the unit (or an admin) records them; every write asks
:func:`atlas.accounts.require` for ``edit_plan`` on the unit's place and is written to the audit
log in the same transaction. A unit has one plan (recording it again updates it).

:func:`plan_targets_for` is what the unit's report and the map's local-target framework call:
each target with its status and required pace, computed by the *same* functions the atlas uses
for the MDG and national targets -- the target is :func:`atlas.analysis.target` with the
``local`` framework, the assessment :func:`atlas.method.progress.assess` on the unit's series as
:mod:`atlas.place` reads it (the years that join the latest one), the pace
:func:`atlas.place.pace`. Nothing is reimplemented here.

Refusals the reader is told about raise :class:`PlanError` with a message key of
``messages_network.toml`` (``localplan.error.*``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from atlas import accounts, analysis, i18n
from atlas.accounts import EDIT_PLAN, Principal
from atlas.catalog import Catalog
from atlas.db import Database
from atlas.db.models import Plan, PlanTarget
from atlas.method.progress import Progress, assess
from atlas.place import Pace, pace, pace_texts, unit_series
from atlas.store import Store
from atlas.text import source_label

NAME_MAX = 300
URL_MAX = 2048
#: Years a plan or a target may name: the MDG era to a generation ahead.
YEAR_MIN, YEAR_MAX = 1990, 2100
MAX_TARGETS = 100


class PlanError(ValueError):
    """A refusal the reader is told about: ``key`` is a message of ``messages_network.toml``."""

    def __init__(self, key: str, **values):
        super().__init__(key)
        self.key = key
        self.values = values


@dataclass(frozen=True)
class PlanTargetRow:
    id: int
    indicator: str
    value: float
    year: int


@dataclass(frozen=True)
class PlanInfo:
    id: int
    unit_id: str
    name: str
    period_start: int
    period_end: int
    document_url: str
    targets: tuple[PlanTargetRow, ...]


@dataclass(frozen=True)
class TargetProgress:
    """A plan's target and where the unit stands against it: the method's :class:`Progress`
    (status, baseline, latest value, target value, deadline) and its :class:`Pace` (observed
    and required, None without two observations)."""

    target: PlanTargetRow
    progress: Progress
    pace: Pace | None
    #: the store's source of the latest value ("" without one)
    source_id: str = ""

    @property
    def status(self) -> str:
        return self.progress.status


# -- checks ----------------------------------------------------------------------------------


def http_url(url: str) -> str:
    """``url`` stripped, if it is an http(s) address (PlanError otherwise); "" stays ""."""
    url = url.strip()
    if not url:
        return ""
    if len(url) > URL_MAX:
        raise PlanError("localplan.error.url_long", n=URL_MAX)
    scheme, sep, rest = url.partition("://")
    if (
        not sep
        or scheme.lower() not in ("http", "https")
        or not rest
        or any(c.isspace() for c in url)
    ):
        raise PlanError("localplan.error.url")
    return url


def _year(value, what: str) -> int:
    try:
        year = int(str(value).strip())
    except (TypeError, ValueError):
        raise PlanError("localplan.error.year", what=what) from None
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise PlanError("localplan.error.year", what=what)
    return year


def _place(store: Store, unit_id: str) -> accounts.Place:
    try:
        return accounts.place_of(store, unit_id)
    except KeyError:
        raise PlanError("localplan.error.unit", unit=unit_id[:40]) from None


def _info(plan: Plan) -> PlanInfo:
    return PlanInfo(
        id=plan.id,
        unit_id=plan.unit_id,
        name=plan.name,
        period_start=plan.period_start,
        period_end=plan.period_end,
        document_url=plan.document_url,
        targets=tuple(
            PlanTargetRow(t.id, t.indicator, t.value, t.year)
            for t in sorted(plan.targets, key=lambda t: (t.indicator, t.year, t.id))
        ),
    )


def _plan(s: Session, unit_id: str) -> Plan | None:
    return s.scalar(select(Plan).where(Plan.unit_id == unit_id).order_by(Plan.id.desc()).limit(1))


# -- reading ---------------------------------------------------------------------------------


def plan_for(session: Session, unit_id: str) -> PlanInfo | None:
    """The unit's plan and its targets (None: the unit has recorded none)."""
    plan = _plan(session, unit_id)
    return _info(plan) if plan is not None else None


def assess_target(
    store: Store, catalog: Catalog, unit_id: str, row: PlanTargetRow
) -> TargetProgress:
    """One target against the unit's series, by the method the atlas uses for every target."""
    ind = catalog[row.indicator]
    country = str(store.unit(unit_id)["country"])
    tgt = analysis.target(
        catalog, row.indicator, country, "local", analysis.LocalTarget(row.value, row.year)
    )
    series = unit_series(store, catalog, row.indicator, unit_id)
    years, values = (series.years, series.values) if series is not None else ([], [])
    prog = assess(years, values, tgt, direction=ind.direction, valid_range=ind.valid_range)
    return TargetProgress(
        row, prog, pace(prog, ind.direction), series.source_id if series is not None else ""
    )


def plan_targets_for(
    session: Session, unit_id: str, store: Store, catalog: Catalog
) -> list[TargetProgress]:
    """The unit's plan targets, each with its status and required pace (see the module
    docstring), for the unit's report and the map's local framework. Targets of an indicator
    the catalog no longer has are left out; a unit the store lacks has none."""
    info = plan_for(session, unit_id)
    if info is None:
        return []
    try:
        store.unit(unit_id)
    except KeyError:
        return []
    known = {ind.id for ind in catalog}
    return [assess_target(store, catalog, unit_id, r) for r in info.targets if r.indicator in known]


#: The headings of a plan's targets, in :class:`TargetTexts` order (message keys).
TARGET_COLUMNS = (
    "localplan.indicator",
    "localplan.value",
    "localplan.year",
    "localplan.latest",
    "localplan.status",
    "localplan.observed",
    "localplan.required",
)


@dataclass(frozen=True)
class TargetTexts:
    """A plan's target as a row of words in one language, the same on the plan's page and in the
    unit's report: the indicator, the target value with its unit, the latest value with its year
    and source ("no data" without one), the status, the observed and the required pace ("" where
    none is asked)."""

    indicator: str
    target: str
    year: int
    latest: str
    status: str
    observed: str
    required: str


def target_texts(tp: TargetProgress, store: Store, catalog: Catalog, lang: str) -> TargetTexts:
    ind = catalog[tp.target.indicator]
    unit_label = catalog.unit_label(ind.unit, lang)
    p = tp.progress
    latest = (
        f"{i18n.number(p.latest_value, ind.decimals, lang)} ({p.latest_year}; "
        f"{i18n.t('common.source', lang)}: {source_label(store, tp.source_id)})"
        if p.latest_value is not None
        else i18n.t("common.no_data", lang)
    )
    observed = required = ""
    if tp.pace is not None:
        observed, required = pace_texts(tp.pace, ind, unit_label, lang)
    return TargetTexts(
        indicator=i18n.label(ind.short or ind.label, lang),
        target=f"{i18n.number(tp.target.value, ind.decimals, lang)} {unit_label}",
        year=tp.target.year,
        latest=latest,
        status=i18n.t(f"target.status.{p.status}", lang),
        observed=observed,
        required=required or "",
    )


# -- writing ---------------------------------------------------------------------------------


def save_plan(
    db: Database,
    by: Principal | None,
    store: Store,
    unit_id: str,
    name: str,
    period_start,
    period_end,
    document_url: str = "",
    ip: str = "",
) -> PlanInfo:
    """Record (or update) the unit's plan. Refused (:class:`atlas.accounts.NotAllowed`) unless
    ``by`` may ``edit_plan`` the unit; PlanError for a value the reader must correct."""
    place = _place(store, unit_id)
    accounts.require(by, EDIT_PLAN, place)
    name = " ".join(name.split())
    if not name:
        raise PlanError("localplan.error.name")
    if len(name) > NAME_MAX:
        raise PlanError("localplan.error.name_long", n=NAME_MAX)
    start, end = _year(period_start, "start"), _year(period_end, "end")
    if start > end:
        raise PlanError("localplan.error.period")
    url = http_url(document_url)
    with db.session() as s:
        plan = _plan(s, unit_id)
        created = plan is None
        if created:
            plan = Plan(unit_id=unit_id, created_by=by.id if by else None)
            s.add(plan)
        plan.name, plan.period_start, plan.period_end, plan.document_url = name, start, end, url
        s.flush()
        accounts.audit(
            s,
            by,
            "create_plan" if created else "update_plan",
            "plan",
            plan.id,
            ip,
            unit=unit_id,
            name=name,
            period=[start, end],
        )
        return _info(plan)


def set_target(
    db: Database,
    by: Principal | None,
    store: Store,
    catalog: Catalog,
    unit_id: str,
    indicator: str,
    value,
    year,
    ip: str = "",
) -> PlanInfo:
    """Add a target to the unit's plan (or change the value of the one of that indicator and
    year). The value must lie in the indicator's valid range."""
    place = _place(store, unit_id)
    accounts.require(by, EDIT_PLAN, place)
    try:
        ind = catalog[indicator]
    except KeyError:
        raise PlanError("localplan.error.indicator", indicator=str(indicator)[:64]) from None
    if ind.goal == 0:
        raise PlanError("localplan.error.indicator", indicator=indicator)
    try:
        number = float(str(value).strip().replace(",", "."))
    except ValueError:
        raise PlanError("localplan.error.value") from None
    lo, hi = ind.valid_range
    if not math.isfinite(number) or not lo <= number <= hi:
        raise PlanError("localplan.error.range", low=f"{lo:g}", high=f"{hi:g}")
    year = _year(year, "target")
    with db.session() as s:
        plan = _plan(s, unit_id)
        if plan is None:
            raise PlanError("localplan.error.no_plan")
        row = next((t for t in plan.targets if t.indicator == indicator and t.year == year), None)
        if row is None:
            if len(plan.targets) >= MAX_TARGETS:
                raise PlanError("localplan.error.too_many", n=MAX_TARGETS)
            row = PlanTarget(indicator=indicator, year=year, value=number)
            plan.targets.append(row)
        else:
            row.value = number
        s.flush()
        accounts.audit(
            s,
            by,
            "set_plan_target",
            "plan",
            plan.id,
            ip,
            unit=unit_id,
            indicator=indicator,
            value=number,
            year=year,
        )
        return _info(plan)


def delete_target(
    db: Database, by: Principal | None, store: Store, unit_id: str, target_id: int, ip: str = ""
) -> PlanInfo:
    """Remove one target of the unit's plan."""
    place = _place(store, unit_id)
    accounts.require(by, EDIT_PLAN, place)
    with db.session() as s:
        plan = _plan(s, unit_id)
        row = (
            next((t for t in plan.targets if t.id == target_id), None) if plan is not None else None
        )
        if row is None:
            raise PlanError("localplan.error.no_target")
        plan.targets.remove(row)
        s.flush()
        accounts.audit(
            s,
            by,
            "delete_plan_target",
            "plan",
            plan.id,
            ip,
            unit=unit_id,
            indicator=row.indicator,
            year=row.year,
        )
        return _info(plan)

"""What users wrote about one unit, as its report (:mod:`atlas.unit_report`) shows it beside the
official data: the contributed series served now (:func:`atlas.publish.unit_values`), the local
development plan with each target's status and required pace (:func:`atlas.plans.plan_targets_for`
and the plan page's own row texts, :func:`atlas.plans.target_texts`) and the approved experiences
of the e-network (:func:`atlas.network.experiences_for_unit`).

Plain Python: one read-only session of the database, plain dataclasses out. Nothing here touches
the official series, the verdicts or the header counts, which stay the store's alone. A database
that cannot be read leaves the report as it is without it, and says so
(:attr:`UnitLocal.unavailable`), rather than failing the whole page.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy.exc import SQLAlchemyError

from atlas.catalog import Catalog
from atlas.db import Database
from atlas.network import ExperienceView, experiences_for_unit
from atlas.plans import TargetProgress, TargetTexts, plan_for, plan_targets_for, target_texts
from atlas.publish import ContributedValue, unit_values
from atlas.store import Store
from atlas.urlstate import State

log = logging.getLogger(__name__)

#: The role of a contributed series among a chart's lines (:data:`atlas.unit_report.ROLES`).
CONTRIBUTED = "contributed"


@dataclass(frozen=True)
class ContributedSeries:
    """One contributed dataset's values of one indicator for the unit, from the version it
    serves now, named by its label ("contributed by São Teste, version 3, 2026-12-01")."""

    dataset_id: int
    indicator: str
    label: str
    source: str
    licence: str
    points: tuple[ContributedValue, ...]  # by year

    @property
    def source_id(self) -> str:
        """The series' entry among the report's sources (never a store source's id)."""
        return f"{CONTRIBUTED}:{self.dataset_id}"


@dataclass(frozen=True)
class PlanRow:
    """A target of the plan: where the unit stands (the method's answer), the same words as the
    plan's page, and the map's view with this target as its local framework."""

    progress: TargetProgress
    texts: TargetTexts
    map_state: State


@dataclass(frozen=True)
class LocalPlan:
    name: str
    period_start: int
    period_end: int
    document_url: str
    rows: tuple[PlanRow, ...]


@dataclass(frozen=True)
class UnitLocal:
    """The users' parts of a unit's report."""

    contributed: tuple[ContributedSeries, ...] = ()
    plan: LocalPlan | None = None
    experiences: tuple[ExperienceView, ...] = ()
    #: the database could not be read (the report shows the official data alone, and says so)
    unavailable: bool = False

    def series(self, indicator: str) -> tuple[ContributedSeries, ...]:
        return tuple(s for s in self.contributed if s.indicator == indicator)


def _series(values: list[ContributedValue]) -> tuple[ContributedSeries, ...]:
    by: dict[tuple[str, int], list[ContributedValue]] = {}
    for v in values:
        by.setdefault((v.indicator, v.dataset_id), []).append(v)
    out = []
    for (indicator, dataset_id), pts in sorted(by.items()):
        pts.sort(key=lambda v: v.year)
        first = pts[0]
        out.append(
            ContributedSeries(
                dataset_id, indicator, first.label, first.source, first.licence, tuple(pts)
            )
        )
    return tuple(out)


def _map_state(store: Store, unit_id: str, tp: TargetProgress, lang: str) -> State:
    u = store.unit(unit_id)
    level = str(u["level"]) if u["level"] != "country" else State.level
    return State(
        lang=lang,
        country=str(u["country"]),
        level=level,
        indicator=tp.target.indicator,
        framework="local",
        local_value=tp.target.value,
        local_year=tp.target.year,
        unit=unit_id,
    )


def unit_local(db: Database, store: Store, catalog: Catalog, unit_id: str, lang: str) -> UnitLocal:
    """The contributed series, the plan and the approved experiences of ``unit_id`` (a unit of
    the store), texts in ``lang``."""
    try:
        with db.session() as s:
            contributed = _series(unit_values(s, unit_id, store=store, lang=lang))
            info = plan_for(s, unit_id)
            progress = plan_targets_for(s, unit_id, store, catalog) if info else []
            experiences = tuple(experiences_for_unit(s, unit_id))
    except SQLAlchemyError as exc:
        log.warning("unit report %s without the users' data: %s", unit_id, type(exc).__name__)
        return UnitLocal(unavailable=True)
    plan = None
    if info is not None:
        rows = tuple(
            PlanRow(
                tp, target_texts(tp, store, catalog, lang), _map_state(store, unit_id, tp, lang)
            )
            for tp in progress
        )
        plan = LocalPlan(info.name, info.period_start, info.period_end, info.document_url, rows)
    return UnitLocal(contributed, plan, experiences)

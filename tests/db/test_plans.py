"""Local development plans on both backends: recording a plan and its targets, the scope
refusals (anonymous, an editor of another state, a reviewer), the audit log, and the targets'
status computed by the same method as the map's local framework."""

from __future__ import annotations

import math

import pytest
from sqlalchemy import func, select

from atlas import analysis, plans
from atlas.accounts import NotAllowed
from atlas.db.models import AuditEntry, Plan, PlanTarget
from atlas.plans import PlanError

#: a municipality of the tiny store's state 12, and one of its state 11
HOME, AWAY = "BRA1200032", "BRA1100011"


def _count(db, model) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_pln001_an_editor_records_the_plan_and_targets_of_a_unit_in_scope(
    db, people, tiny_store, catalog
):
    ed = people["editor"]
    info = plans.save_plan(
        db, ed, tiny_store, HOME, "  Plan  de Desarrollo ", 2024, 2027, "https://example.org/p.pdf"
    )
    assert (info.name, info.period_start, info.period_end) == ("Plan de Desarrollo", 2024, 2027)
    plans.set_target(db, ed, tiny_store, catalog, HOME, "infant_mortality", "10,5", 2030)
    # the same indicator and year again changes the value, it does not add a second target
    info = plans.set_target(db, ed, tiny_store, catalog, HOME, "infant_mortality", 10, 2030)
    assert [(r.indicator, r.value, r.year) for r in info.targets] == [
        ("infant_mortality", 10.0, 2030)
    ]
    # recording the plan again updates it
    plans.save_plan(db, ed, tiny_store, HOME, "Plan 2", 2024, 2028)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Plan)) == 1
        assert plans.plan_for(s, HOME).name == "Plan 2"
        actions = s.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions[-4:] == ["create_plan", "set_plan_target", "set_plan_target", "update_plan"]


@pytest.mark.parametrize("who", ["anonymous", "editor_elsewhere", "reviewer"])
def test_pln002_every_plan_write_is_refused_out_of_scope_and_writes_nothing(
    db, people, tiny_store, catalog, who
):
    plans.save_plan(db, people["editor"], tiny_store, HOME, "Plan", 2024, 2027)
    plans.set_target(db, people["editor"], tiny_store, catalog, HOME, "illiteracy", 5, 2030)
    with db.session() as s:
        target_id = plans.plan_for(s, HOME).targets[0].id
    by, unit = {
        "anonymous": (None, HOME),
        "editor_elsewhere": (people["editor"], AWAY),
        "reviewer": (people["reviewer"], HOME),
    }[who]
    before = tuple(_count(db, m) for m in (Plan, PlanTarget, AuditEntry))
    with pytest.raises(NotAllowed):
        plans.save_plan(db, by, tiny_store, unit, "Mine", 2024, 2027)
    with pytest.raises(NotAllowed):
        plans.set_target(db, by, tiny_store, catalog, unit, "illiteracy", 1, 2030)
    with pytest.raises(NotAllowed):
        plans.delete_target(db, by, tiny_store, unit, target_id)
    assert tuple(_count(db, m) for m in (Plan, PlanTarget, AuditEntry)) == before


@pytest.mark.parametrize(
    "call, key",
    [
        (
            lambda db, by, st, cat: plans.save_plan(db, by, st, HOME, "", 2024, 2027),
            "localplan.error.name",
        ),
        (
            lambda db, by, st, cat: plans.save_plan(db, by, st, HOME, "P", 2028, 2027),
            "localplan.error.period",
        ),
        (
            lambda db, by, st, cat: plans.save_plan(db, by, st, HOME, "P", "x", 2027),
            "localplan.error.year",
        ),
        (
            lambda db, by, st, cat: plans.save_plan(
                db, by, st, HOME, "P", 2024, 2027, "javascript:alert(1)"
            ),
            "localplan.error.url",
        ),
        (
            lambda db, by, st, cat: plans.save_plan(db, by, st, "BRA9999999", "P", 2024, 2027),
            "localplan.error.unit",
        ),
        (
            lambda db, by, st, cat: plans.set_target(db, by, st, cat, HOME, "illiteracy", 5, 2030),
            "localplan.error.no_plan",
        ),
        (
            lambda db, by, st, cat: plans.set_target(db, by, st, cat, HOME, "nope", 5, 2030),
            "localplan.error.indicator",
        ),
        (
            lambda db, by, st, cat: plans.set_target(
                db, by, st, cat, HOME, "illiteracy", 150, 2030
            ),
            "localplan.error.range",
        ),
        (
            lambda db, by, st, cat: plans.set_target(
                db, by, st, cat, HOME, "illiteracy", "nan", 2030
            ),
            "localplan.error.range",
        ),
    ],
)
def test_pln003_bad_input_gets_its_message_and_writes_nothing(
    db, people, tiny_store, catalog, call, key
):
    before = _count(db, AuditEntry)
    with pytest.raises(PlanError) as err:
        call(db, people["editor"], tiny_store, catalog)
    assert err.value.key == key
    assert _count(db, AuditEntry) == before


def test_pln004_targets_are_assessed_like_the_map_s_local_framework(
    db, people, tiny_store, catalog
):
    ed = people["editor"]
    plans.save_plan(db, ed, tiny_store, HOME, "Plan", 2024, 2030)
    plans.set_target(db, ed, tiny_store, catalog, HOME, "infant_mortality", 5, 2030)
    plans.set_target(db, ed, tiny_store, catalog, HOME, "illiteracy", 0.5, 2015)
    with db.session() as s:
        found = plans.plan_targets_for(s, HOME, tiny_store, catalog)
    assert [f.target.indicator for f in found] == ["illiteracy", "infant_mortality"]
    for f in found:
        layer = analysis.layer_progress(
            tiny_store,
            catalog,
            indicator=f.target.indicator,
            country="BRA",
            level="municipality",
            framework="local",
            local=analysis.LocalTarget(f.target.value, f.target.year),
        )
        row = layer.loc[HOME]
        assert f.status == row["status"]
        assert f.progress.target_value == pytest.approx(f.target.value)
        assert f.progress.latest_value == pytest.approx(row["latest_value"])
    mortality = found[1]
    # 2010's value is the latest; a deadline ahead asks for a pace
    assert mortality.progress.latest_year == 2010 and mortality.progress.deadline == 2030
    assert mortality.pace is not None and mortality.pace.required is not None
    assert math.isfinite(mortality.pace.required)
    # 0.5 % illiteracy by 2015 from 2010's level: far faster than the observed pace
    assert found[0].status == "must_accelerate" and found[0].pace.fast_enough is False


def test_pln005_a_target_can_be_removed_and_a_unit_without_a_plan_has_none(
    db, people, tiny_store, catalog
):
    ed = people["editor"]
    with db.session() as s:
        assert plans.plan_targets_for(s, HOME, tiny_store, catalog) == []
    plans.save_plan(db, ed, tiny_store, HOME, "Plan", 2024, 2030)
    info = plans.set_target(db, ed, tiny_store, catalog, HOME, "illiteracy", 5, 2030)
    info = plans.delete_target(db, ed, tiny_store, HOME, info.targets[0].id)
    assert info.targets == ()
    with pytest.raises(PlanError):
        plans.delete_target(db, ed, tiny_store, HOME, 12345)

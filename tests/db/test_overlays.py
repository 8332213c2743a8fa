"""The map's layers over the official one (atlas/overlays.py) on both backends: contributed values
classed by the view's own breaks with the official value beside them, a rollback's effect, the
experiences' units at each level, the switches' availability, and the local plan's targets the
local framework offers. The tiny store's units; values published through atlas.publish."""

from __future__ import annotations

import pytest

from atlas import network, overlays, plans
from atlas.choices import resolve
from atlas.classify import class_of
from atlas.network import ExperienceInput
from atlas.publish import rollback
from atlas.urlstate import State
from atlas.views import compute
from tests.fixtures.contributed import publish_rows

#: municipalities of the tiny store's state 12 (the fixtures' editor's scope)
HOME, NEXT = "BRA1200012", "BRA1200022"


def _view(store, catalog, **kw):
    base = dict(
        lang="en", country="BRA", level="municipality", indicator="infant_mortality", year=2010
    )
    return compute(store, catalog, resolve(State(**{**base, **kw}), store, catalog))


def _experience(db, who, store, units, title="Vigilancia comunitaria", publish=True):
    data = ExperienceInput(
        title=title, what_was_done="Visitas", language="es", unit_ids=units, goals=[4]
    )
    return network.create(db, who, store, data, publish=publish)


def test_ovl001_nothing_published_or_approved_leaves_both_switches_off(db, tiny_store, catalog):
    view = _view(tiny_store, catalog, layers=("contributed", "experiences"))
    found = overlays.for_view(db, tiny_store, catalog, view)
    assert found.available == {"contributed": False, "experiences": False}
    assert found.contributed.units == () and found.experiences.units == ()
    off = overlays.for_view(db, tiny_store, catalog, _view(tiny_store, catalog))
    assert off.available == {"contributed": False, "experiences": False}
    assert off.contributed is None and off.experiences is None and off.shown == ()
    assert overlays.for_view(None, tiny_store, catalog, view) == overlays.Overlays()


def test_ovl002_contributed_values_take_the_view_classes_beside_the_official(
    db, people, tiny_store, catalog
):
    view = _view(tiny_store, catalog, layers=("contributed",))
    # the value of another unit on the official map: the contributed one must take its class
    layer = list(view.layer.unit_ids)
    twin = layer.index("BRA1100051")
    value = float(view.value[twin])
    publish_rows(
        db,
        people["editor"],
        tiny_store,
        "BRA",
        "infant_mortality",
        [("1200012", 2010, f"{value:g}".replace(".", ",")), ("1200022", 2012, "7,5", "6", "9")],
        unit_id=HOME,
    )
    off = overlays.for_view(db, tiny_store, catalog, _view(tiny_store, catalog))
    assert off.available["contributed"] and off.contributed is None
    found = overlays.for_view(db, tiny_store, catalog, view)
    assert found.available["contributed"] and found.shown == ("contributed",)
    shown = found.contributed
    assert shown.coloured and shown.elsewhere == 0
    home, near = sorted(shown.units, key=lambda u: u.unit_id)
    assert (home.unit_id, home.year, home.value) == (HOME, 2010, value)
    assert home.cls == int(view.classes[twin]) > 0
    assert near.cls == int(class_of([7.5], view.breaks)[0])
    assert home.label.startswith("contributed by Porto Ensaio, version 1, ")
    assert home.source.startswith("Secretaria Municipal") and home.licence == "CC BY 4.0"
    assert near.value_text == "7.5 [6.0–9.0]"
    # the official value beside it: the same year's, else the latest the store holds
    i, j = layer.index(HOME), layer.index(NEXT)
    assert (home.official, home.official_year) == (float(view.value[i]), 2010)
    assert (near.official, near.official_year) == (float(view.value[j]), 2010)
    assert near.official_source and near.official_text == view.value_text[j]
    assert [(d.units, d.licence) for d in shown.datasets] == [(2, "CC BY 4.0")]
    # the official view itself is what it was: the layer reads the view, never changes it
    again = _view(tiny_store, catalog)
    assert (again.value == view.value)[[i, j]].all()


def test_ovl003_a_view_that_maps_no_values_outlines_and_another_level_is_elsewhere(
    db, people, tiny_store, catalog
):
    publish_rows(
        db, people["editor"], tiny_store, "BRA", "infant_mortality", [("1200012", 2010, "9")]
    )
    status = _view(tiny_store, catalog, view="status", layers=("contributed",))
    shown = overlays.for_view(db, tiny_store, catalog, status).contributed
    assert not shown.coloured and [u.cls for u in shown.units] == [0]
    states = _view(tiny_store, catalog, level="admin1", layers=("contributed",))
    shown = overlays.for_view(db, tiny_store, catalog, states).contributed
    assert shown.units == () and shown.elsewhere == 1


def test_ovl004_a_second_version_replaces_the_first_until_it_is_rolled_back(
    db, people, tiny_store, catalog
):
    ed = people["editor"]
    first = publish_rows(
        db, ed, tiny_store, "BRA", "infant_mortality", [("1200012", 2010, "9")], unit_id=HOME
    )
    publish_rows(db, ed, tiny_store, "BRA", "infant_mortality", [("1200022", 2010, "8")], HOME)
    view = _view(tiny_store, catalog, layers=("contributed",))

    def drawn():
        shown = overlays.for_view(db, tiny_store, catalog, view).contributed
        return [(u.unit_id, u.value, u.label.split(", ")[1]) for u in shown.units]

    assert drawn() == [(NEXT, 8.0, "version 2")]
    with db.session() as s:
        rollback(s, ed, first.dataset_id, 1, store=tiny_store)
    assert drawn() == [(HOME, 9.0, "version 1")]


def test_ovl005_approved_experiences_outline_their_units_at_every_level(
    db, people, tiny_store, catalog
):
    shown = _experience(db, people["editor"], tiny_store, [HOME, NEXT])
    _experience(db, None, tiny_store, ["BRA1200032"], title="Pendiente")  # waits: not shown
    _experience(db, people["admin"], tiny_store, ["URY01"], title="En Uruguay")
    view = _view(tiny_store, catalog, layers=("experiences",))
    layer = overlays.for_view(db, tiny_store, catalog, view).experiences
    assert [(p.unit_id, p.titles) for p in layer.units] == [
        (NEXT, ("Vigilancia comunitaria",)),
        (HOME, ("Vigilancia comunitaria",)),
    ]
    assert [(e.id, e.places) for e in layer.experiences] == [
        (shown.id, ("Porto Ensaio", "Campo Modelo"))
    ]
    # at the admin-1 level the state holding the municipalities, once
    states = _view(tiny_store, catalog, level="admin1", layers=("experiences",))
    layer = overlays.for_view(db, tiny_store, catalog, states).experiences
    assert [(p.unit_id, p.titles) for p in layer.units] == [("BRA12", ("Vigilancia comunitaria",))]
    # Uruguay's map shows Uruguay's experience only; the switch of a country with none is off
    uruguay = _view(tiny_store, catalog, country="URY", level="admin1", layers=("experiences",))
    layer = overlays.for_view(db, tiny_store, catalog, uruguay).experiences
    assert [p.titles for p in layer.units] == [("En Uruguay",)]
    with db.session() as s:
        assert overlays.availability(s, "BRA", "infant_mortality")["experiences"]
        assert not overlays.availability(s, "COL", "infant_mortality")["experiences"]


@pytest.mark.parametrize(
    ("layers", "queries"), [((), 1), (("contributed",), 2), (("contributed", "experiences"), 2)]
)
def test_ovl006_one_query_per_layer_switched_on_and_one_for_the_others(
    db, tiny_store, catalog, layers, queries
):
    from sqlalchemy import event

    seen = []

    def count(*_args):
        seen.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        overlays.for_view(db, tiny_store, catalog, _view(tiny_store, catalog, layers=layers))
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert len(seen) == queries


def test_ovl007_the_plan_targets_of_the_selected_unit_are_offered_for_its_indicator(
    db, people, tiny_store, catalog
):
    ed = people["editor"]
    assert overlays.plan_offers(db, tiny_store, catalog, HOME, "infant_mortality", "en") == []
    plans.save_plan(db, ed, tiny_store, HOME, "Plan Municipal 2024-2027", 2024, 2027)
    plans.set_target(db, ed, tiny_store, catalog, HOME, "infant_mortality", "10,25", 2027)
    plans.set_target(db, ed, tiny_store, catalog, HOME, "infant_mortality", 12, 2025)
    plans.set_target(db, ed, tiny_store, catalog, HOME, "illiteracy", 5, 2027)
    offers = overlays.plan_offers(db, tiny_store, catalog, HOME, "infant_mortality", "en")
    assert [(o.plan, o.value, o.year, o.value_text) for o in offers] == [
        ("Plan Municipal 2024-2027", 12.0, 2025, "12.0"),
        ("Plan Municipal 2024-2027", 10.25, 2027, "10.25"),
    ]
    for unit, indicator in ((NEXT, "infant_mortality"), (HOME, "population"), ("", "x")):
        assert overlays.plan_offers(db, tiny_store, catalog, unit, indicator, "en") == []
    assert overlays.plan_offers(None, tiny_store, catalog, HOME, "infant_mortality", "en") == []

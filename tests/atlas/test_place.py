"""The place answers first (atlas/place.py): pace in the terms of the status, ranks with ties,
the answer per goal, and the zoom to a selected unit."""

from __future__ import annotations

import math

import numpy as np
import pytest

from atlas import place
from atlas.catalog import catalog as load
from atlas.method import assess, target_for
from atlas.urlstate import State
from layouts.figures import view_for_bounds

CANELA = "BRA4304408"  # Canela, Rio Grande do Sul


def _series(rng: np.random.Generator) -> tuple[list[int], list[float]]:
    """A random falling-or-rising series of two to four observations, 1991-2012."""
    years = sorted(rng.choice(np.arange(1991, 2013), size=rng.integers(2, 5), replace=False))
    start = float(rng.uniform(0.5, 80))
    values = [start]
    for _ in years[1:]:
        values.append(float(np.clip(values[-1] * rng.uniform(0.3, 1.4), 0, 100)))
    return [int(y) for y in years], values


@pytest.mark.parametrize(
    "indicator",
    ["illiteracy", "infant_mortality", "school_attendance_primary", "gender_parity_primary"],
)
def test_plc001_pace_agrees_with_status_over_many_series(indicator):
    """Property: over many random series the observed pace is at least the required one exactly
    when the status is on track, never when it is "must accelerate" or "stagnation"; and the two
    texts never read alike when one is faster."""
    ind = load()[indicator]
    tgt = target_for("mdg2015", indicator, direction=ind.direction, country="BRA")
    rng = np.random.default_rng(7)
    seen = set()
    for _ in range(3000):
        years, values = _series(rng)
        p = assess(years, values, tgt, direction=ind.direction, valid_range=ind.valid_range)
        pc = place.pace(p, ind.direction)
        if pc is None or pc.required is None or p.rho is None:
            continue
        seen.add(p.status)
        assert pc.fast_enough == (p.status == "on_track"), (years, values, p, pc)
        # observed in the same kind of rate as the projection the status came from
        assert pc.kind == ("relative" if p.projection_method == "constant_rate" else "points")
        for lang in ("es", "pt", "en"):
            observed, required = place.pace_texts(pc, ind, "%", lang)
            if not pc.fast_enough and math.isfinite(pc.required):
                rate = lambda s: s.rsplit(":", 1)[1].split()[1]  # noqa: E731
                assert rate(observed) != rate(required), (observed, required)
    assert {"on_track", "must_accelerate", "stagnation_regression"} <= seen


def test_plc002_rank_with_ties_where_intervals_overlap():
    values = np.array([10.0, 12.0, 12.0, 20.0, np.nan, 30.0])
    nan = np.full(6, np.nan)
    # lower is better, no intervals: equal values tie; missing values are not ranked
    r = place.rank_with_ties(values, nan, nan, 2, "lower")
    assert (r.rank, r.low, r.high, r.of) == (2, 2, 3, 5)
    assert place.rank_with_ties(values, nan, nan, 0, "lower") == place.Rank(1, 1, 1, 5)
    assert place.rank_with_ties(values, nan, nan, 5, "higher") == place.Rank(1, 1, 1, 5)
    assert place.rank_with_ties(values, nan, nan, 4, "lower") is None
    assert place.rank_with_ties(values, nan, nan, 0, "none") is None
    # intervals: unit 3 (20 [13-27]) overlaps units 1, 2 (12 [11-14]) and 5 (30 [26-34])
    lo = np.array([9.5, 11, 11, 13, np.nan, 26])
    hi = np.array([10.5, 14, 14, 27, np.nan, 34])
    r = place.rank_with_ties(values, lo, hi, 3, "lower")
    assert (r.rank, r.low, r.high, r.of) == (4, 2, 5, 5)
    # a scope (the unit's state) ranks within it only
    scope = np.array([False, True, False, True, True, True])
    r = place.rank_with_ties(values, lo, hi, 3, "lower", scope)
    assert (r.rank, r.low, r.high, r.of) == (2, 1, 3, 3)


def test_plc003_answers_per_goal_in_the_tiny_store(tiny_store):
    state = State(lang="en", country="BRA", indicator="illiteracy", view="status")
    answers = place.place_answers(tiny_store, load(), state, "BRA1100011")
    assert [a.goal for a in answers] == sorted({a.goal for a in answers}) and answers
    for a in answers:
        assert a.status_text and a.colour.startswith("#") and a.source
        assert a.rank_country is not None and a.rank_country.of >= a.rank_state.of
    assert place.place_answers(tiny_store, load(), state, "NOPE") == []


def test_plc004_flagged_value_is_not_ranked(tiny_store):
    from tests.fixtures.tiny_store import INHERITED

    unit, year, _ = INHERITED
    state = State(lang="es", country="BRA", indicator="illiteracy", view="status")
    answers = place.place_answers(tiny_store, load(), state, unit)
    lit = next(a for a in answers if a.indicator == "illiteracy")
    assert lit.latest_year == year and lit.flag
    assert lit.rank_country is None and lit.rank_state is None


def test_plc005_zoom_to_a_selected_unit(tiny_store):
    """The map centres on the unit's bounding box and zooms closer than to its country."""
    box = tiny_store.unit_bounds("BRA1100011")
    assert box == pytest.approx([-60, -10, -59, -9])
    center, zoom = view_for_bounds(box)
    assert center == pytest.approx({"lon": -59.5, "lat": -9.5})
    _, country_zoom = view_for_bounds(tiny_store.bounds("BRA"))
    assert zoom > country_zoom
    state = tiny_store.unit_bounds("BRA11")  # the state (admin-1 unit)
    assert state == pytest.approx([-60, -10, -55, -9])
    assert tiny_store.unit_bounds("BRA") is None and tiny_store.unit_bounds("XX") is None


@pytest.mark.parametrize(
    ("country", "islands", "edge"),
    [
        ("CHL", ["CHL05201"], "Rapa Nui (Easter Island), 3,500 km off the coast"),
        ("COL", ["COL88001"], "San Andrés, 700 km off the coast"),
    ],
)
def test_plc015_a_country_is_framed_without_its_remote_islets(store, country, islands, edge):
    """Chile's map was a thin strip at the right of a frame that reached Easter Island; the
    frame now takes the mainland and near islands, and a remote islet's own frame still shows it."""
    x0, y0, x1, y1 = store.bounds(country)
    x0, y0, x1, y1 = x0 - 1e-3, y0 - 1e-3, x1 + 1e-3, y1 + 1e-3  # the frame is rounded to 1e-4
    for unit in islands:
        ux0, uy0, ux1, uy1 = store.unit_bounds(unit)
        assert ux1 < x0 or ux0 > x1 or uy1 < y0 or uy0 > y1, edge
    # every unit on the mainland is in the frame (a few near islands too)
    layer = store.layer(country, "municipality")
    inside = [
        u
        for u in layer.unit_ids
        if (b := store.unit_bounds(u)) and b[0] >= x0 and b[2] <= x1 and b[1] >= y0 and b[3] <= y1
    ]
    assert len(inside) >= len(layer.unit_ids) - 3


def test_plc006_canela_illiteracy_pace_agrees_with_status(store, catalog):
    """The issue's case: Canela RS, illiteracy 2000. The status comes from a constant-rate
    projection, so the pace is a relative rate, and the required one is faster: must accelerate."""
    state = State(lang="es", country="BRA", indicator="illiteracy", year=2000, view="status")
    from atlas import choices
    from atlas.panels import unit_detail
    from atlas.views import compute

    view = compute(store, catalog, choices.resolve(state, store, catalog))
    d = unit_detail(store, catalog, view, CANELA)
    assert d.status == "must_accelerate" and d.pace.kind == "relative"
    assert d.pace.observed > d.pace.required and not d.pace.fast_enough  # falls too slowly
    observed, required = place.pace_texts(d.pace, catalog["illiteracy"], "%", "es")
    # before: "-0,5 % por año" observed (a slope, in points) beside "reducir 0,5 % por año"
    assert "Ritmo observado 1991–2000: baja 5,5 % por año (tasa relativa" in observed
    assert "bajar 15,3 % por año (tasa relativa" in required
    answers = place.place_answers(store, catalog, state, CANELA)
    assert {a.goal for a in answers} >= {1, 2, 4}
    for a in answers:
        assert a.rank_country.of > a.rank_state.of > 0


def test_plc007_answers_at_the_top_of_the_unit_panel(tiny_store):
    """The panel opens with the answer per goal: a light of the status's colour beside the status
    in words, the value against the target, both paces and the ranks, in each language."""
    from atlas import choices
    from atlas.panels import unit_detail
    from atlas.views import compute
    from layouts import ids
    from layouts.panels import unit_panel
    from tests.fixtures.tree import texts

    for lang, rank in (("es", "Posición"), ("pt", "Posição"), ("en", "Rank")):
        state = State(lang=lang, country="BRA", indicator="illiteracy", view="status")
        state = choices.resolve(state, tiny_store, load())
        view = compute(tiny_store, load(), state)
        d = unit_detail(tiny_store, load(), view, "BRA1100011")
        answers = place.place_answers(tiny_store, load(), state, "BRA1100011")
        panel = unit_panel(d, view, lang, answers=answers)
        first = panel.children[3]  # after the label, the name and the place
        assert first.id == ids.PLACE_ANSWERS
        text = texts(first)
        for a in answers:
            assert a.status_text in text and a.observed_text in text
        assert rank in text
        lights = [c for li in first.children[2].children for c in li.children[1].children]
        assert any(getattr(c, "style", None) == {"background": answers[0].colour} for c in lights)


def test_plc008_the_map_focuses_on_the_unit_else_the_state_else_the_country(tiny_store):
    focus = place.focus_bounds
    assert focus(tiny_store, "BRA", "BRA1100011") == pytest.approx([-60.5, -10.5, -58.5, -8.5])
    assert focus(tiny_store, "BRA", "", "12") == pytest.approx([-60, -11, -55, -10])
    assert focus(tiny_store, "BRA") == pytest.approx(tiny_store.bounds("BRA"))
    # a unit of another country (a stale link) does not move the map away from the country
    assert focus(tiny_store, "URY", "BRA1100011") == pytest.approx(tiny_store.bounds("URY"))

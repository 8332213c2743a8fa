"""Presentation mode and tours without a browser: the callbacks' functions on the tiny store."""

from __future__ import annotations

import pytest
from dash import no_update
from dash.exceptions import PreventUpdate

from app import AppContext, create_app
from atlas import tour as tours
from atlas import urlstate
from atlas.settings import settings
from atlas.tour import Slide
from callbacks import history
from callbacks import map as map_cb
from callbacks import present as present_cb
from callbacks.router import render
from layouts import ids
from tests.app.test_app import _find


@pytest.fixture(scope="module")
def ctx(tiny_store, catalog):
    return AppContext(store=tiny_store, catalog=catalog, conf=settings())


def _parse(ctx, search):
    return urlstate.parse(search, ctx.default_state, set(ctx.store.countries()))


def _tour(*queries: str) -> str:
    return tours.encode([Slide(q, f"S{i}", f"note {i}") for i, q in enumerate(queries)])


def test_pre001_a_present_link_renders_the_page_in_presentation_mode(ctx):
    encoded = _tour("v=1&c=URY&m=gap", "v=1&c=URY")
    page, _ = render(ctx, "/", f"?c=URY&present=1&tour={encoded}&s=1")
    tree = type("T", (), {"children": page})()
    assert "present-mode" in _find(tree, ids.WRAP).className
    assert _find(tree, ids.PRESENT).data is True
    assert _find(tree, ids.TOUR).data == encoded and _find(tree, ids.SLIDE).data == 1
    bar = str(_find(tree, ids.TOUR_BAR).children)
    assert "2 de 2" in bar and "S1" in bar and "note 1" in bar
    plain, _ = render(ctx, "/", "?c=URY")
    assert "present-mode" not in _find(type("T", (), {"children": plain})(), ids.WRAP).className


def test_pre002_steps_go_to_each_slide_and_stop_at_the_ends(ctx):
    encoded = _tour("v=1&c=URY&m=gap", "v=1&c=URY&y=2011")
    here = f"?v=1&c=URY&present=1&tour={encoded}"
    nxt = _parse(ctx, present_cb.step(ctx, ids.TOUR_NEXT, here))
    assert (nxt.slide, nxt.present, nxt.tour, nxt.year) == (1, True, encoded, 2011)
    back = _parse(
        ctx, present_cb.step(ctx, ids.TOUR_PREV, urlstate.serialise(nxt, ctx.default_state))
    )
    assert (back.slide, back.view) == (0, "gap")
    for trigger, search in (
        (ids.TOUR_PREV, here),  # before the first
        (ids.TOUR_NEXT, urlstate.serialise(nxt, ctx.default_state)),  # past the last
        (ids.TOUR_NEXT, "?c=URY"),  # no tour
        (ids.TOUR_NEXT, f"?c=URY&tour={encoded}"),  # a tour, not presenting: only "start"
    ):
        with pytest.raises(PreventUpdate):
            present_cb.step(ctx, trigger, search)
    start = _parse(ctx, present_cb.step(ctx, ids.TOUR_START, f"?c=URY&tour={encoded}&lang=en"))
    assert (start.present, start.slide, start.view, start.lang) == (True, 0, "gap", "en")


def test_pre003_the_panel_adds_moves_retitles_and_removes_slides(ctx):
    add = {"type": ids.TOUR_EDIT}
    encoded, error = present_cb.edit(ctx, ids.TOUR_ADD, "", "?c=URY&m=gap&lang=pt", "Mapa", [], [])
    assert error == "" and tours.decode(encoded) == (Slide("v=1&c=URY&m=gap", "Mapa"),)
    encoded, _ = present_cb.edit(ctx, ids.TOUR_ADD, encoded, "?c=URY&y=2011", "Dois", [], [])
    moved, _ = present_cb.edit(ctx, {**add, "index": 1, "op": "up"}, encoded, "", None, [], [])
    assert [s.title for s in tours.decode(moved)] == ["Dois", "Mapa"]
    titled, _ = present_cb.edit(
        ctx, {"type": ids.TOUR_NOTE, "index": 0}, moved, "", None, ["A", "B"], ["x", None]
    )
    assert [(s.title, s.note) for s in tours.decode(titled)] == [("A", "x"), ("B", "")]
    left, _ = present_cb.edit(ctx, {**add, "index": 0, "op": "remove"}, titled, "", None, [], [])
    assert [s.title for s in tours.decode(left)] == ["B"]
    full = tours.encode([Slide("", str(i)) for i in range(tours.MAX_SLIDES)])
    kept, error = present_cb.edit(ctx, ids.TOUR_ADD, full, "?c=URY&lang=en", "", [], [])
    assert kept is no_update and str(tours.MAX_SLIDES) in error and "at most" in error


def test_pre004_the_panel_redraws_its_rows_only_when_they_show_something_else(ctx):
    encoded = _tour("v=1&c=URY", "v=1&c=URY&m=gap")
    rows, link, off = present_cb.panel(ctx, encoded, "es", ["S0", "S1"], ["note 0", "note 1"])
    assert rows is no_update and not off
    opened = _parse(ctx, "?" + link.split("?", 1)[1])
    assert (opened.present, opened.slide, opened.tour) == (True, 0, encoded)
    rows, _, _ = present_cb.panel(ctx, encoded, "es", ["S1", "S0"], ["note 1", "note 0"])
    assert len(rows) == 2
    rows, link, off = present_cb.panel(ctx, "", "es", [], [])
    assert link is None and off and len(rows) == 1


def test_pre005_back_and_forward_restore_presentation_mode_and_the_tour(ctx):
    encoded = _tour("v=1&c=URY")
    out = history.restore(ctx, "/", f"?c=URY&present=1&tour={encoded}", "")
    assert (out["present"], out["tour"], out["slide"]) == (True, encoded, 0)
    state = map_cb.state_from_controls(
        "es", **{n: out[n] for n in map_cb.CONTROLS}, present=True, tour="1.junk", slide="x"
    )
    assert (state.present, state.tour, state.slide) == (True, "", 0)


def test_pre006_the_card_answers_for_the_mapped_indicator_only_in_presentation_mode(ctx):
    search = "?v=1&c=URY&l=admin1&i=infant_mortality&y=2010&u=URY02"
    assert present_cb.shown_extras(ctx, search)["card"] == []
    out = present_cb.shown_extras(ctx, search + "&present=1&p=contrast")
    card = str(out["card"])
    assert "Centro de Prueba" in card and "status-light" in card
    assert out["bar_class"].endswith("d-none") and out["contrast"] == "true"


def test_pre007_the_app_registers_each_presentation_callback_once(ctx):
    app = create_app(settings(), store=ctx.store)
    outputs = " ".join(app.callback_map)
    for cid in (ids.PRESENT, ids.TOUR, ids.TOUR_LIST, ids.PRESENT_CARD):
        assert f"{cid}." in outputs, cid

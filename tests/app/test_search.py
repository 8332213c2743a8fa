"""Place search: accent- and case-insensitive typeahead over the units of the six countries."""

from __future__ import annotations

import pytest
from dash import Dash, dcc, html
from dash.exceptions import PreventUpdate

from callbacks import search
from layouts import ids
from layouts.search import SEARCH, search_box


def test_src001_bogota_finds_bogota_dc_first(store):
    opts = search.options_for(store, "bogota", "es")
    assert opts[0]["value"] == "COL11001"
    assert opts[0]["label"] == "Bogotá, D.C. — Bogotá, D.C. (Colombia)"


def test_src002_upper_case_without_accents_finds_sao_paulo_with_admin1_and_country(store):
    opts = search.options_for(store, "SAO PAULO", "pt")
    assert opts[0]["value"] == "BRA3550308"
    assert opts[0]["label"] == "São Paulo — São Paulo (Brasil)"
    # the state is offered too, and says what it is (labels are never ambiguous)
    labels = [o["label"] for o in opts]
    assert "São Paulo — estado (Brasil)" in labels
    assert len(labels) == len(set(labels))


def test_src003_options_carry_accent_free_search_text_for_the_browser_filter(store):
    for o in search.options_for(store, "bogota", "en"):
        assert "BOGOTA" in o["search"]


@pytest.mark.parametrize(
    "query", ["", "%", "ñ" * 300, None, "a", " ", "..", 12, ["bo"], "\x00", "'; DROP", "(", "\\"]
)
def test_src004_odd_input_never_raises(tiny_store, query):
    opts = search.options_for(tiny_store, query, "es")
    assert isinstance(opts, list)
    assert all(set(o) == {"label", "value", "search"} for o in opts)


def test_src005_limit_and_language(store):
    assert len(search.options_for(store, "san", "en", limit=20)) == 20
    assert search.options_for(store, "cusco", "en")[0]["label"].endswith("(Peru)")
    assert search.options_for(store, "cusco", "fr")[0]["label"].endswith("(Perú)")


def test_src006_callback_keeps_the_selection_and_ignores_short_queries(store):
    with pytest.raises(PreventUpdate):
        search.update_options(store, "b", "COL11001", "es")
    with pytest.raises(PreventUpdate):
        search.update_options(store, None, "COL11001", "es")
    opts = search.update_options(store, "lima", "COL11001", "es")
    assert opts[-1]["value"] == "COL11001"
    assert [o["value"] for o in opts].count("COL11001") == 1
    assert search.update_options(store, "lima", "NOPE", "es") == search.options_for(
        store, "lima", "es"
    )


def test_src007_search_box_and_registration(tiny_store):
    box = search_box("pt")
    dropdown = box.children[1]
    assert isinstance(dropdown, dcc.Dropdown) and dropdown.id == SEARCH == "unit-search"
    assert dropdown.searchable and dropdown.clearable and dropdown.placeholder
    assert box.role == "search"
    app = Dash(__name__)
    app.layout = html.Div([dcc.Store(id=ids.LANG), box])
    ctx = type("Ctx", (), {"store": tiny_store})()
    search.register(app, ctx)
    keys = list(app.callback_map)
    assert keys[0] == f"{SEARCH}.options"
    # the second shows the selected unit in the box
    assert (
        len(keys) == 2
        and f"{SEARCH}.value" in keys[1]
        and ids.SELECTED in str(app.callback_map[keys[1]]["inputs"])
    )


def test_src008_the_box_follows_the_selection_without_a_round_trip(tiny_store):
    from callbacks import map as map_cb

    value, opts = search.box_for_selection(tiny_store, "BRA1100011", None, "es")
    assert value == "BRA1100011"
    assert opts == [search.current_option(tiny_store, "BRA1100011", "es")]
    assert opts[0]["label"].startswith("São Teste — Estado Exemplo")
    # the box already shows it: nothing to do (and the box's own change selects nothing new)
    with pytest.raises(PreventUpdate):
        search.box_for_selection(tiny_store, "BRA1100011", "BRA1100011", "es")
    with pytest.raises(PreventUpdate):
        map_cb.selection(ids.SEARCH, None, None, "BRA1100011", "BRA", "BRA1100011")
    # a cleared or unknown selection empties the box
    assert search.box_for_selection(tiny_store, "", "BRA1100011", "es") == (None, [])
    assert search.box_for_selection(tiny_store, "XXX9", None, "es") == (None, [])

"""Polish readers notice: counts in the reader's language, the map's wheel, the loading state."""

from __future__ import annotations

from dataclasses import replace

import pytest

from app import AppContext
from atlas import urlstate
from atlas.settings import settings
from atlas.views import LegendEntry, compute
from callbacks import map as map_cb


@pytest.fixture(scope="module")
def ctx(tiny_store, catalog):
    return AppContext(store=tiny_store, catalog=catalog, conf=settings())


def _parse(ctx, search):
    return urlstate.parse(search, ctx.default_state, set(ctx.store.countries()))


@pytest.mark.parametrize(
    ("lang", "expected"), [("es", "(4.530)"), ("pt", "(4.530)"), ("en", "(4,530)")]
)
def test_pol001_legend_counts_use_the_readers_thousands_separator(ctx, lang, expected):
    view = compute(
        ctx.store,
        ctx.catalog,
        _parse(ctx, f"?c=URY&l=admin1&i=infant_mortality&y=2010&lang={lang}"),
    )
    view = replace(view, legend=[LegendEntry("a – b", "#ffffff", 4530)])
    (item,) = map_cb.legend_items(view)
    assert item.children[-1].children == expected


def test_pol002_the_page_says_it_is_loading_in_the_readers_language_not_blank(tiny_store):
    from app import create_app

    app = create_app(settings(), store=tiny_store)
    body = app.server.test_client().get("/").get_data(as_text=True)
    assert '<div class="atlas-boot" role="status">' in body
    assert '<span lang="es">Cargando el atlas…</span>' in body
    assert '<span lang="en" hidden>Loading the atlas…</span>' in body


def test_pol003_the_map_and_ranking_start_with_a_loading_line_not_empty_axes(ctx):
    from atlas.choices import resolve
    from layouts import ids, map_page
    from tests.app.test_app import _find

    state = resolve(_parse(ctx, "?c=URY&lang=pt"), ctx.store, ctx.catalog)
    tree = type("T", (), {"children": map_page.layout(ctx.store, ctx.catalog, state, None)})()
    for cid in (ids.MAP, ids.RANKING):
        layout = _find(tree, cid).figure["layout"]
        assert layout["annotations"][0]["text"] == "Carregando o mapa…"
        assert layout["xaxis"]["visible"] is False and layout["yaxis"]["visible"] is False
        assert "template" not in layout  # plotly's default template stays out of the first load


def test_pol004_a_ranking_that_names_its_rows_gets_a_box_as_tall_as_they_need():
    import plotly.graph_objects as go

    assert map_cb.ranking_box(go.Figure(layout={"height": 968})) == {"height": "968px"}
    assert map_cb.ranking_box(go.Figure()) == {}


@pytest.mark.parametrize(("lang", "placeholder"), [("es", "Elija…"), ("pt", "Escolha…")])
def test_pol005_every_dropdown_of_the_map_page_speaks_the_readers_language(ctx, lang, placeholder):
    from dash import dcc

    from atlas.choices import resolve
    from layouts import map_page

    state = resolve(_parse(ctx, f"?c=URY&lang={lang}"), ctx.store, ctx.catalog)
    page = map_page.layout(ctx.store, ctx.catalog, state, None)
    dropdowns = [c for c in page._traverse() if isinstance(c, dcc.Dropdown)]
    assert len(dropdowns) >= 10
    for d in dropdowns:
        assert d.placeholder and d.labels.get("clear_search"), d.id
        if d.id != "unit-search":
            assert d.placeholder == placeholder, d.id
        assert "Search" not in d.labels["search"] and "Clear" not in d.labels["clear_search"]


@pytest.mark.parametrize(("lang", "locale"), [("es", "es"), ("pt", "pt-br"), ("en", "en")])
def test_pol006_every_graph_speaks_the_readers_language_and_has_no_bare_image(ctx, lang, locale):
    from dash import dcc

    from callbacks.router import render
    from tests.fixtures.tree import nodes

    graphs = []
    for path, search in [
        ("/", f"?c=URY&lang={lang}"),
        ("/embed", f"?c=URY&l=admin1&i=infant_mortality&lang={lang}"),
        ("/compare", f"?u=URY01,URY02&i=infant_mortality&lang={lang}"),
    ]:
        page, _ = render(ctx, path, search)
        graphs += [(path, g) for g in nodes(page) if isinstance(g, dcc.Graph)]
    assert {path for path, _ in graphs} == {"/", "/embed", "/compare"}
    for path, g in graphs:
        # the toolbar's tooltips in the reader's language (plotly's locale, jsbundle/build.js)
        assert g.config["locale"] == locale, (path, g.id)
        assert g.config["displaylogo"] is False, (path, g.id)
        if g.config.get("displayModeBar") is not False:
            # plotly's bare image and cloud share are replaced by the download menu; selecting
            # does nothing here
            removed = {"toImage", "sendChartToCloud", "select2d", "lasso2d"}
            assert removed <= set(g.config["modeBarButtonsToRemove"])

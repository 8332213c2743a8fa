"""The app without a browser: router, map callback, geometry route, failure pages."""

from __future__ import annotations

import gzip
import json
import re

import numpy as np
import pytest
from dash import Patch, no_update
from dash.exceptions import PreventUpdate

from app import AppContext, create_app, vendor_version
from atlas import choices, urlstate
from atlas.settings import settings
from atlas.store import StoreError
from atlas.urlstate import State as ViewState
from atlas.views import REGISTRY, compute
from bench.dashclient import DashClient
from callbacks import map as map_cb
from callbacks.router import render
from layouts import ids, map_page, paint, panels
from layouts.figures import FigureDict


@pytest.fixture(scope="module")
def ctx(store, catalog):
    return AppContext(store=store, catalog=catalog, conf=settings())


def _find(node, cid):
    """The component with id ``cid`` in a layout tree."""
    if getattr(node, "id", None) == cid:
        return node
    children = getattr(node, "children", None)
    for child in children if isinstance(children, list) else [children]:
        if child is not None and not isinstance(child, (str, int, float)):
            hit = _find(child, cid)
            if hit is not None:
                return hit
    return None


def test_app001_router_sets_controls_from_the_url(ctx):
    page, lang = render(ctx, "/", "?lang=pt&c=MEX&i=illiteracy&y=2000")
    assert lang == "pt"
    root = {"children": page}
    tree = type("T", (), root)()
    assert _find(tree, "country-select").value == "MEX"
    assert _find(tree, "indicator-select").value == "illiteracy"
    assert _find(tree, "year-select").value == 2000
    assert not _find(tree, "url-notice").is_open


@pytest.mark.parametrize(
    "search",
    [
        "?c=XXX",
        "?y=abc",
        "?i=%00%ff",
        "?l=planet",
        "?lang=fr",
        "?%%%",
        "?c=BRA&y=1850",
        "?" + "a=1&" * 200,
    ],
)
def test_app002_bad_parameters_fall_back_with_a_notice_never_an_error(ctx, search):
    page, _ = render(ctx, "/", search)
    tree = type("T", (), {"children": page})()
    assert _find(tree, "country-select").value in ctx.store.countries()
    notice = _find(tree, "url-notice")
    if search not in ("?" + "a=1&" * 200, "?%%%"):  # unknown keys are ignored silently
        assert notice.is_open and "default" not in (notice.children or "")  # shown in Spanish


def test_app003_unknown_path_is_a_friendly_page(ctx):
    page, _ = render(ctx, "/nope", "")
    assert "no encontrada" in json.dumps(page, default=str)


def _state(**kw):
    base = dict(
        lang="en", country="BRA", level="municipality", indicator="infant_mortality", year=2010
    )
    base.update(kw)
    return ViewState(**base)


def _view(ctx, geo=None, **kw):
    return map_cb.update_view(ctx, _state(**kw), geo)


def test_app004_first_view_is_a_figure_whose_geometry_is_a_url(ctx):
    out = _view(ctx)
    fig = out["figure"]
    units, outlines, selected, contributed, experiences = fig.data
    assert isinstance(units.geojson, str) and units.geojson.startswith("/geo/BRA-municipality-low.")
    # the layers over the official map: on the units' geometry, empty while switched off
    for layer in (contributed, experiences):
        assert layer.geojson == units.geojson and len(layer.locations) == 0
    assert outlines.geojson.startswith("/geo/BRA-admin1-low.") and len(outlines.locations) == 27
    assert len(units.locations) == len(units.z) == 5564
    assert set(units.z) <= set(range(0, 6))
    assert "Source:" in units.hovertemplate and "Year: 2010" in units.hovertemplate
    assert out["geo"]["key"] == "BRA:municipality" and out["geo"]["lod"] == "low"
    assert "Infant mortality" in out["title"]
    assert "Lowest" in out["alt"] and "highest" in out["alt"]
    assert out["search"] == "?v=1&lang=en&y=2010"
    assert len(json.dumps(fig, default=str)) < 1_000_000


def test_app005_a_value_change_sends_a_patch_without_geometry(ctx):
    geo = _view(ctx)["geo"]
    out = _view(ctx, geo=geo, indicator="poverty_extreme", unit="BRA1200013")
    assert out["geo"] is no_update  # the browser keeps whatever level of detail it shows
    patch = out["figure"]
    assert isinstance(patch, Patch)
    ops = json.dumps(patch.to_plotly_json(), default=str)
    assert "geojson" not in ops and "locations" in ops  # the selection outline's one location
    assert len(ops) < 400_000
    assert "BRA1200013" in ops


def test_app005b_a_switch_in_one_layer_sends_the_values_once_not_names_or_rows(ctx):
    first = _view(ctx)
    key = first["ranking_key"]
    assert key == "BRA:municipality" and not isinstance(first["ranking"], Patch)
    names = list(first["ranking"].data[0].hovertext)
    out = map_cb.update_view(
        ctx, _state(indicator="poverty_extreme"), first["geo"], ranking_key=key
    )
    assert out["ranking_key"] is no_update
    # both figures change in the browser, from one message of numbers (layouts/paint.py)
    assert out["figure"] is no_update and out["ranking"] is no_update
    message = json.loads(json.dumps(out["paint"], default=str))
    text = json.dumps(message)
    assert names[0] not in text and "BRA1100015" not in text  # names and ids stay put
    assert "y" not in message["ranking"] and "x" not in message["ranking"]  # rows follow
    full = _view(ctx, indicator="poverty_extreme")
    got = paint.unpack(message)
    fx = [np.nan if v is None else v for v in full["ranking"].data[0].x]
    assert np.array_equal(got["x"], np.array(fx, dtype=float), equal_nan=True)
    assert got["customdata"] == [list(r) for r in full["figure"].data[0].customdata]
    assert got["z"] == list(full["figure"].data[0].z)
    # a selection moves the map: the patches go as they are
    moved = map_cb.update_view(
        ctx,
        _state(indicator="poverty_extreme", unit="BRA1200013"),
        first["geo"],
        focus_map=True,
        ranking_key=key,
    )
    assert isinstance(moved["ranking"], Patch) and moved["paint"] is no_update
    # another layer, or a cut ranking: the whole figure again
    other = map_cb.update_view(ctx, _state(top=10), first["geo"], ranking_key=key)
    assert not isinstance(other["ranking"], Patch) and other["ranking_key"] == ""


def test_app006_missing_values_are_a_no_data_class(ctx):
    out = _view(ctx, country="MEX", year=2020, lang="es")
    z = list(out["figure"].data[0].z)
    assert z.count(0) >= 500  # Oaxaca's municipios: CONAPO gives districts only
    assert "sin datos" in json.dumps(out["legend"], default=str)


def test_app007_intervals_appear_in_the_hover(ctx):
    out = _view(ctx, country="PER", indicator="poverty", year=2018)
    assert any("[" in row[0] for row in out["figure"].data[0].customdata)


@pytest.mark.parametrize("view", REGISTRY.names())
def test_app008_every_view_renders_with_legend_counts_that_add_up(ctx, view):
    out = _view(ctx, view=view, base_year=1991)
    fig = out["figure"]
    # each item's last part is its count, with the reader's thousands separator: "(1,127)"
    counts = [int(re.sub(r"[(),.]", "", item.children[-1].children)) for item in out["legend"]]
    assert sum(counts) == 5564
    assert len(fig.data[0].colorscale) >= 4
    if REGISTRY[view].assesses_progress:
        assert "Target" in fig.data[0].hovertemplate


def test_app009_control_chain_resolves_to_valid_choices(ctx):
    state = _controls(lang="es", country="URY", indicator="poverty_extreme", year=1850, view="gap")
    out = map_cb.control_outputs(ctx, state)
    level_opts, level = out["level_options"], out["level"]
    ind_opts, ind = out["indicator_options"], out["indicator"]
    year_opts, year = out["year_options"], out["year"]
    assert level == "admin1" and [o["value"] for o in level_opts] == ["admin1"]
    assert ind in {o["value"] for o in ind_opts if not o.get("disabled")}
    assert year == year_opts[-1]["value"]


def _controls(**kw):
    """The state the controls give for a gap view (English, Brazil, 2010) changed by ``kw``."""
    values = map_cb.control_values(_state(view="gap")) | kw
    lang = values.pop("lang", "en")
    return map_cb.state_from_controls(lang, **values)


def test_app009b_picking_local_target_or_manual_breaks_shows_their_fields(ctx):
    # Before a value is typed the view falls back, but the fields to type it in must show.
    out = map_cb.control_outputs(ctx, _controls(framework="local", classification="manual"))
    assert out["local_target_field"] == "" and out["breaks_field"] == map_page.SHOWN
    out = map_cb.control_outputs(ctx, _controls())
    assert (out["local_target_field"], out["breaks_field"]) == ("d-none", map_page.HIDDEN)


def test_app009c_typed_values_are_checked_like_their_url_parameters(ctx):
    state = _controls(framework="local", local_value=1e300, local_year=1, classes=1)
    assert (state.local_value, state.local_year, state.classes) == (None, None, 5)
    state = _controls(framework="local", local_value="12.5", local_year=2030.0, classes="7")
    assert (state.local_value, state.local_year, state.classes) == (12.5, 2030, 7)
    # The link written back opens the same view, with no "invalid parameter" notice.
    search = map_cb.update_view(ctx, state, None)["search"]
    assert "lv=12.5" in search and "ly=2030" in search
    assert urlstate.parse(search, ctx.default_state).invalid == ()


def test_app010_click_and_search_select_a_unit(ctx):
    assert (
        map_cb.selected_from_click(
            {"points": [{"curveNumber": 0, "location": "BRA1200013"}]}, trace=0
        )
        == "BRA1200013"
    )
    assert map_cb.selected_from_click({"points": [{"customdata": ["MEX01001"]}]}) == "MEX01001"
    # a layer-ordered ranking's point names its row of the layer (the ranking key's layer)
    rows = ("BRA1100015", "BRA1100023")
    click = {"points": [{"curveNumber": 0, "pointIndex": 1}]}
    assert map_cb.selected_from_click(click, ranking_ids=rows) == "BRA1100023"
    assert tuple(map_cb.layer_ids(ctx.store, "URY:admin1")) == tuple(
        ctx.store.layer("URY", "admin1").unit_ids
    )
    for key in ("", None, "URY", "XXX:admin1", "URY:municipality", ["BRA:municipality"]):
        assert map_cb.layer_ids(ctx.store, key) is None
    for bad in (5, -1, "1", None):
        with pytest.raises(PreventUpdate):
            map_cb.selected_from_click(
                {"points": [{"curveNumber": 0, "pointIndex": bad}]}, ranking_ids=rows
            )
    with pytest.raises(PreventUpdate):
        map_cb.selected_from_click({"points": [{"curveNumber": 1, "location": "BRA35"}]}, trace=0)
    with pytest.raises(PreventUpdate):
        map_cb.selected_from_click(None)
    # a unit under a layer over the official map (contributed data, experiences) is clicked
    # through it; the outlines (admin-1, the selection) select nothing
    for curve in (3, 4):
        click = {"points": [{"curveNumber": curve, "location": "BRA1200013"}]}
        assert map_cb.selection(map_cb.ids.MAP, click, None, None, "BRA") == (
            "BRA1200013",
            no_update,
        )
    for curve in (1, 2):
        with pytest.raises(PreventUpdate):
            click = {"points": [{"curveNumber": curve, "location": "BRA12"}]}
            map_cb.selection(map_cb.ids.MAP, click, None, None, "BRA")


def test_app011_manual_breaks_parse_leniently():
    assert map_cb.parse_breaks("10, 20;5") == (5.0, 10.0, 20.0)
    assert map_cb.parse_breaks("ten") == ()
    assert map_cb.parse_breaks(None) == ()


def test_app012_geometry_route_serves_gzip_with_long_cache(client, tiny_store):
    name = tiny_store.geo_file("URY", "admin1", "low")
    r = client.get(f"/geo/{name}", headers={"Accept-Encoding": "gzip"})
    assert r.status_code == 200
    assert r.headers["Content-Encoding"] == "gzip"
    assert (
        "immutable" in r.headers["Cache-Control"]
        and "max-age=31536000" in r.headers["Cache-Control"]
    )
    assert json.loads(gzip.decompress(r.data))["type"] == "FeatureCollection"
    assert b"root:" not in client.get("/geo/../../etc/passwd").data
    assert client.get("/geo/BRA-municipality-low.000000000000.json").status_code == 404


def test_app013_missing_store_stops_the_start_with_one_line_naming_the_fix(tmp_path):
    with pytest.raises(StoreError) as err:
        create_app(settings(store_dir=str(tmp_path / "none")))
    line = str(err.value)
    assert "\n" not in line and "no manifest.json" in line and "`make store`" in line


def test_app014_every_callback_is_wired(client):
    deps = client.get("/_dash-dependencies").get_json()
    # Dash writes one output as "id.prop" and several as "..id.prop...id.prop..": compare whole
    # ids, as a substring "page" would also match "table-page".
    outputs = {o.rsplit(".", 1)[0] for d in deps for o in d["output"].strip(".").split("...")}
    for cid in ("page", "level-select", "indicator-select", "year-select", "choropleth", "url"):
        assert cid in outputs


def test_app015_a_unit_found_by_name_switches_to_its_country():
    from layouts import ids

    assert map_cb.selection(ids.SEARCH, None, None, "MEX01001", "BRA") == ("MEX01001", "MEX")
    unit, country = map_cb.selection(ids.SEARCH, None, None, "BRA1200013", "BRA")
    assert unit == "BRA1200013" and country is no_update
    click = {"points": [{"curveNumber": 0, "location": "BRA3550308"}]}
    assert map_cb.selection(ids.MAP, click, None, None, "BRA")[0] == "BRA3550308"
    with pytest.raises(PreventUpdate):
        map_cb.selection(ids.SEARCH, None, None, None, "BRA")


def test_app016_all_six_countries_offer_only_comparable_indicators_with_a_caveat(ctx):
    from atlas.choices import available_indicators, resolve

    inds = available_indicators(ctx.store, ctx.catalog, "ALL", "country")
    assert "under5_mortality" in inds and "unmet_basic_needs" not in inds
    assert all(ctx.catalog[i].comparable_across_countries for i in inds)
    state = resolve(
        ViewState(lang="en", country="ALL", indicator="unmet_basic_needs"), ctx.store, ctx.catalog
    )
    assert state.level == "country" and state.indicator in inds and "indicator" in state.invalid
    out = _view(ctx, country="ALL", level="country", indicator="under5_mortality", year=2015)
    assert out["figure"].data[0].geojson.startswith("/geo/ALL-country-low.")
    assert len(out["figure"].data[0].locations) == 6
    assert "Comparing countries" in json.dumps(out["notes"], default=str)


def test_app017_the_geometry_record_lists_each_level_of_detail_for_the_zoom_swap(ctx):
    geo = _view(ctx)["geo"]
    assert geo["detail_zoom"] == map_cb.DETAIL_ZOOM
    assert geo["files"]["low"][0].startswith("/geo/BRA-municipality-low.")
    assert geo["files"]["high"][0].startswith("/geo/BRA-municipality-high.")
    assert geo["files"]["high"][1].startswith("/geo/BRA-admin1-high.")
    assert len(json.dumps(geo)) < 1000  # URLs only
    # Another country or level: a new figure and a new record, back at the national detail.
    out = _view(ctx, geo=dict(geo, lod="high"), country="URY", level="admin1", year=2015)
    assert out["geo"]["key"] == "URY:admin1" and out["geo"]["lod"] == "low"
    assert out["geo"]["files"]["high"][1] is None  # no outlines over admin-1 units
    assert isinstance(out["figure"], FigureDict)  # a whole figure, not a patch
    # ALL has one file: both levels of detail name it.
    all_six = _view(ctx, country="ALL", level="country", indicator="under5_mortality", year=2015)
    assert all_six["geo"]["files"]["high"] == all_six["geo"]["files"]["low"]


def _vendor_files(directory, bundle=b"window.Plotly={};"):
    (directory / "maplibre").mkdir(parents=True, exist_ok=True)
    (directory / "plotly-atlas.min.js").write_bytes(bundle)
    (directory / "plotly-atlas.min.js.br").write_bytes(b"not really brotli")
    (directory / "maplibre" / "maplibre-gl.mjs").write_bytes(b"export const Map = 1;")
    (directory / "locales").mkdir(exist_ok=True)
    (directory / "locales" / "pt-br.mjs").write_bytes(b"export default {name: 'pt-br'};")


def test_app018_plotly_and_maplibre_are_served_by_version_and_cached_for_good(tiny_store, tmp_path):
    vendor = tmp_path / "vendor"
    _vendor_files(vendor)
    version = vendor_version(vendor)
    client = create_app(settings(), store=tiny_store, vendor_dir=vendor).server.test_client()
    index = client.get("/").get_data(as_text=True)
    assert f'src="/vendor/{version}/plotly-atlas.min.js"' in index
    r = client.get(f"/vendor/{version}/plotly-atlas.min.js", headers={"Accept-Encoding": "br"})
    assert r.status_code == 200 and r.headers["Content-Encoding"] == "br"
    assert r.data == b"not really brotli"  # the file written at build time, sent as it is
    assert "immutable" in r.headers["Cache-Control"] and r.mimetype == "text/javascript"
    r = client.get(f"/vendor/{version}/maplibre/maplibre-gl.mjs")
    assert r.status_code == 200 and r.mimetype == "text/javascript"  # ES modules need it
    assert "Content-Encoding" not in r.headers or r.headers["Content-Encoding"] != "br"
    r = client.get(f"/vendor/{version}/locales/pt-br.mjs")  # plotly's Portuguese, on demand
    assert r.status_code == 200 and r.mimetype == "text/javascript"
    for bad in (
        "/vendor/000000000000/plotly-atlas.min.js",  # an old version: gone, not served stale
        f"/vendor/{version}/../../app.py",
        f"/vendor/{version}/maplibre/../../app.py",
        f"/vendor/{version}/locales/fr.mjs",
        f"/vendor/{version}/plotly-atlas.min.js.br",
    ):
        assert client.get(bad).status_code == 404, bad
    # A rebuilt bundle gets a new URL; without one the page falls back to Dash's plotly.js.
    _vendor_files(vendor, bundle=b"window.Plotly={v:2};")
    assert vendor_version(vendor) != version
    assert vendor_version(tmp_path / "none") is None
    bare = create_app(
        settings(), store=tiny_store, vendor_dir=tmp_path / "none"
    ).server.test_client()
    assert "/vendor/" not in bare.get("/").get_data(as_text=True)


@pytest.mark.parametrize("prefix", ["/", "/atlas/"])
def test_app019_a_returning_browser_revalidates_stylesheets_without_downloading_them(
    tiny_store, prefix
):
    client = create_app(settings(url_prefix=prefix), store=tiny_store).server.test_client()
    index = client.get(prefix).get_data(as_text=True)
    css = re.search(rf'href="({re.escape(prefix)}assets/[^"]+\.css[^"]*)"', index).group(1)
    first = client.get(css, headers={"Accept-Encoding": "gzip, br"})
    assert first.status_code == 200 and first.headers["Content-Encoding"] in ("gzip", "br")
    again = client.get(
        css, headers={"Accept-Encoding": "gzip, br", "If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304 and again.data == b""


def _hrefs(node) -> list[str]:
    if isinstance(node, (list, tuple)):
        return [h for child in node for h in _hrefs(child)]
    found = [node.href] if getattr(node, "href", None) else []
    return found + _hrefs(getattr(node, "children", None) or [])


def test_app020_every_language_is_reachable_whatever_the_default(store, catalog):
    ctx_pt = AppContext(store=store, catalog=catalog, conf=settings(default_lang="pt"))
    page, lang = render(ctx_pt, "/", "?c=CHL")
    assert lang == "pt"
    hrefs = _hrefs(page)
    assert {"/?v=1&lang=es&c=CHL", "/?v=1&lang=en&c=CHL", "/?v=1&c=CHL"} <= set(hrefs)
    assert "/method?lang=es" not in hrefs  # the reader is in pt: links keep pt, the default
    page, _ = render(ctx_pt, "/unit/BRA1200013", "?lang=es")
    hrefs = _hrefs(page)
    assert "/method?lang=es" in hrefs and "/?lang=es" in hrefs


def test_app021_after_a_filter_leaves_fewer_pages_previous_goes_back_at_once(ctx):
    # Brazil on page 6, then filtered to Rondônia (2 pages): the table shows page 2 of 2.
    view = compute(
        ctx.store, ctx.catalog, choices.resolve(_state(admin1="11"), ctx.store, ctx.catalog)
    )
    table = panels.data_table(view, "en", page=5, admin1="11")
    prev, nxt = (_find(table, {"type": panels.PAGE_BUTTON, "dir": d}) for d in ("prev", "next"))
    assert nxt.disabled and prev.value == "0"
    buttons = [{"id": prev.id, "value": prev.value}, {"id": nxt.id, "value": nxt.value}]
    assert map_cb.page_from_click(prev.id, [1, None], buttons) == 0
    with pytest.raises(PreventUpdate):
        map_cb.page_from_click(prev.id, [None, None], buttons)


def test_app022_the_page_and_the_controls_callback_offer_the_same_base_years(ctx):
    page, _ = render(ctx, "/", "?y=2000&m=change&i=infant_mortality")
    in_page = _find(type("T", (), {"children": page})(), ids.BASE_YEAR).options
    after = map_cb.control_outputs(ctx, _controls(view="change", year=2000, base_year=1991))[
        "base_year_options"
    ]
    assert in_page == after == [{"label": "1991", "value": 1991}]


def test_app023_a_link_to_a_unit_of_another_map_says_so_and_a_country_click_drills_down(ctx):
    for search in ("?c=BRA&u=MEX01001", "?c=BRA&u=BRA9999999", "?c=BRA&u=BRA35"):
        state = choices.resolve(urlstate.parse(search, ctx.default_state), ctx.store, ctx.catalog)
        assert state.unit == "" and "unit" in state.invalid, search
    state = choices.resolve(
        urlstate.parse("?c=BRA&u=BRA1200013", ctx.default_state), ctx.store, ctx.catalog
    )
    assert state.unit == "BRA1200013" and state.invalid == ()
    # On the six-country map a click on Brazil opens Brazil's map with nothing selected.
    click = {"points": [{"curveNumber": 0, "location": "BRA"}]}
    assert map_cb.selection(ids.MAP, click, None, None, "ALL") == ("", "BRA")


def test_app024_turning_a_table_page_sends_the_table_only(ctx):
    geo = _view(ctx)["geo"]
    out = map_cb.update_view(ctx, _state(tab="table"), geo, 3, figures_too=False)
    for name in ("figure", "geo", "legend", "ranking", "summary", "panel"):
        assert out[name] is no_update, name
    assert "Page 4 of 112" in json.dumps(out["table"].to_plotly_json(), default=str)
    assert out["search"] == "?v=1&lang=en&y=2010&tab=table"
    # Those inputs are the view callback's, as Dash names them in triggered_prop_ids.
    app = create_app(settings(), store=ctx.store)
    inputs = {
        f"{i['id']}.{i['property']}" for cb in app.callback_map.values() for i in cb["inputs"]
    }
    assert map_cb.TABLE_ONLY_INPUTS <= inputs


def test_app025_a_typed_value_that_cannot_be_used_says_so(ctx):
    out = map_cb.control_outputs(
        ctx, _controls(view="value", classification="manual", breaks="a, b")
    )
    notice, is_open = out["notice"], out["notice_open"]
    assert is_open and notice == "Invalid value for “breaks”; the default is shown."
    out = map_cb.control_outputs(ctx, _controls(view="value"))
    notice, is_open = out["notice"], out["notice_open"]
    assert not is_open and notice == ""


def test_app026_choices_that_fall_back_with_the_data_open_no_notice(ctx):
    # Another indicator without the year shown, a view it lacks, "local" or "manual" just picked.
    for kw in (
        dict(indicator="poverty_extreme", year=2015),
        dict(indicator="population", view="status"),
        dict(view="gap", framework="local"),
        dict(view="value", classification="manual"),
    ):
        out = map_cb.control_outputs(ctx, _controls(**kw))
        notice, is_open = out["notice"], out["notice_open"]
        assert not is_open and notice == "", kw


def test_app027_the_callbacks_answer_every_output_of_their_contract_by_name(ctx):
    geo = _view(ctx)["geo"]
    answers = {
        "first": _view(ctx),
        "patch": _view(ctx, geo=geo, view="status"),
        "table only": map_cb.update_view(ctx, _state(tab="table"), geo, 2, figures_too=False),
        "admin-1 only": map_cb.update_view(ctx, _state(country="URY", level="admin1"), None),
    }
    for name, out in answers.items():
        assert set(out) == set(map_cb.VIEW_OUTPUTS), name
    for state in (_controls(), _controls(view="change", framework="local", breaks="a")):
        assert set(map_cb.control_outputs(ctx, state)) == set(map_cb.CONTROL_OUTPUTS)
    # The app registers exactly those outputs, so Dash maps each name to its component.
    app = create_app(settings(), store=ctx.store)
    registered = {o.strip(".") for cb in app.callback_map for o in cb.split("..") if o}
    for contract in (map_cb.VIEW_OUTPUTS, map_cb.CONTROL_OUTPUTS):
        for dep in contract.values():
            assert f"{dep.component_id}.{dep.component_property}" in registered


def test_app028_the_language_links_follow_the_view_the_reader_has_made(ctx):
    out = _view(ctx, indicator="poverty_extreme", year=2010, view="status", unit="BRA1200013")
    for code in ("es", "pt", "en"):
        link = urlstate.parse(out[f"lang_{code}"].split("?", 1)[-1], ctx.default_state)
        assert link.lang == code and link.indicator == "poverty_extreme", code
        assert (link.view, link.unit, link.year) == ("status", "BRA1200013", 2010)
    # a table page turn keeps them too (the tab is part of the view)
    turned = map_cb.update_view(ctx, _state(tab="table"), None, 1, figures_too=False)
    assert "tab=table" in turned["lang_pt"] and "lang=pt" in turned["lang_pt"]


def test_app029_the_report_files_download_with_a_name_and_parse_back(client):
    import csv
    import io

    import openpyxl

    resp = client.get("/unit/BRA1100011/report.csv?lang=en&f=sdg2030")
    assert resp.status_code == 200 and resp.mimetype == "text/csv"
    assert 'filename="atlas-odm-BRA1100011-Sao-Teste.csv"' in resp.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(resp.data.decode("utf-8-sig"))))
    assert rows and {r["page_url"] for r in rows} == {
        "http://localhost/unit/BRA1100011?v=1&lang=en&f=sdg2030"
    }
    resp = client.get("/unit/BRA1100011/report.xlsx")
    assert resp.status_code == 200 and resp.mimetype.endswith("spreadsheetml.sheet")
    book = openpyxl.load_workbook(io.BytesIO(resp.data))
    assert book.sheetnames == ["Resumen", "Datos", "Fuentes"]


@pytest.mark.parametrize(
    "path, text",
    [
        ("/unit/NOPE/report.csv", "NOPE"),
        ("/unit/BRA1100011/report.pdf", "csv"),
        ("/unit/%3Cscript%3E/report.xlsx?lang=en", "<script>"),
    ],
)
def test_app030_a_bad_report_file_request_gets_a_short_message(client, path, text):
    resp = client.get(path)
    assert resp.status_code == 404 and resp.mimetype == "text/plain"
    assert text in resp.data.decode() and "Traceback" not in resp.data.decode()


def test_app031_the_page_s_own_assets_are_cached_for_good_under_their_stamp(client):
    page = client.get("/").data.decode()
    named = re.findall(r'(?:href|src)="(/assets/[^"?]+\?m=[^"]+)"', page)
    assert {u.split("?")[0] for u in named} >= {"/assets/atlas.js", "/assets/1_atlas.css"}
    for url in named:
        got = client.get(url)
        assert got.status_code == 200
        assert got.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        again = client.get(url, headers={"If-None-Match": got.headers["ETag"]})
        assert again.status_code == 304 and "immutable" in again.headers["Cache-Control"]
    # without Dash's stamp the file may change under the same URL: the browser revalidates it
    assert client.get("/assets/atlas.js").headers["Cache-Control"] == "no-cache"
    assert "immutable" not in client.get("/assets/nothing.js?m=1").headers.get("Cache-Control", "")


def test_app032_the_view_callback_sets_the_controls_only_when_one_changed(app):
    """One request per switch: the view's answer holds the controls its change resolves (an
    impossible year becomes the latest); a selection, a tab or a first view leaves them."""
    dc = DashClient(app)
    values = map_cb.control_values(_state(country="URY", level="admin1", year=1850))
    inputs = {f"{map_cb.CONTROLS[k]}.value": v for k, v in values.items()}
    state = {f"{ids.LANG}.data": "en"}
    switched, *_ = dc.call("choropleth.figure", inputs, state, [f"{ids.INDICATOR}.value"])
    answer = switched["response"]
    years = [o["value"] for o in answer[ids.YEAR]["options"]]
    assert answer[ids.YEAR]["value"] == years[-1] != 1850
    assert answer[ids.LEVEL]["value"] == "admin1" and ids.MAP in answer
    for changed in ([f"{ids.SELECTED}.data"], [f"{ids.TABS}.value"], []):
        answer = dc.call("choropleth.figure", inputs, state, changed)[0]["response"]
        assert not {ids.LEVEL, ids.INDICATOR, ids.YEAR, ids.NOTICE} & set(answer), changed
        assert ids.URL in answer

"""Routing under ``ATLAS_URL_PREFIX``: the router reads pathnames through the URL builder, every
link of a rendered page stays under the prefix, and the app serves its pages, Dash's routes,
assets, geometry and vendor scripts there (and nothing at the root)."""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

import pytest

from app import AppContext, create_app, vendor_version
from atlas import panels as panel_data
from atlas.choices import resolve
from atlas.geography import ALL_COUNTRIES
from atlas.i18n import LANGS
from atlas.settings import settings
from atlas.urls import ROUTES
from atlas.urlstate import State
from atlas.views import compute
from callbacks import map as map_cb
from callbacks.router import RENDERERS, render
from layouts import ids, map_page, panels
from tests.app.bodies import router_body
from tests.fixtures.tree import nodes

PREFIXES = ["", "/atlas/"]
HOSTILE = ["//evil.example/x", "/\\evil", "/%2F%2Fevil", "/unit/../../x", "///evil.example"]


@pytest.fixture(scope="module")
def contexts(store, catalog):
    return {
        prefix: AppContext(store=store, catalog=catalog, conf=settings(url_prefix=prefix))
        for prefix in PREFIXES
    }


def _hrefs(page) -> list[str]:
    return [n.href for n in nodes(page) if isinstance(getattr(n, "href", None), str)]


def _lang_links(page) -> list[str]:
    return [n.href for n in nodes(page) if "lang-link" in (getattr(n, "className", "") or "")]


def _pathname(prefix: str, path: str) -> str:
    """``path`` as a browser under ``prefix`` reports it (the prefix's slash shared)."""
    return prefix.rstrip("/") + path if prefix else path


@pytest.mark.parametrize("prefix", PREFIXES)
@pytest.mark.parametrize(
    ("path", "search"),
    [
        ("/", "?c=URY&l=admin1&lang=pt"),
        ("/method", "?lang=en"),
        ("/data", "?lang=pt"),
        ("/unit/BRA1200013", ""),
        ("/unit/NOPE", "?lang=pt"),
        ("/compare", "?u=BRA1200013,MEX20067,NOPE&i=illiteracy&lang=pt"),
        ("/nope", ""),
        *[(p, "?lang=en") for p in HOSTILE],
    ],
)
def test_rtr001_every_link_of_a_rendered_page_stays_under_the_prefix(
    contexts, prefix, path, search
):
    ctx = contexts[prefix]
    page, _ = render(ctx, _pathname(prefix, path), search)
    hrefs = _hrefs(page)
    assert len(_lang_links(page)) == len(LANGS)
    assert any(not h.startswith("#") for h in hrefs)
    for href in hrefs:
        parts = urlsplit(href)
        if href.startswith("#"):  # within the page
            continue
        if parts.scheme:  # the sources' official downloads, on the methodology page only
            assert parts.scheme in ("http", "https") and path == "/method", href
            continue
        assert href.startswith(prefix or "/") and not href.startswith("//"), href
        assert not parts.netloc, href


@pytest.mark.parametrize("prefix", PREFIXES)
@pytest.mark.parametrize("path", HOSTILE + ["/nope"])
def test_rtr002_an_unknown_path_links_its_languages_home_never_off_site(contexts, prefix, path):
    page, lang = render(contexts[prefix], _pathname(prefix, path), "?lang=pt&c=URY")
    home = prefix or "/"
    assert lang == "pt"
    assert _lang_links(page) == [home, home + "?lang=pt", home + "?lang=en"]
    assert "no encontrada" not in str(page) and "não encontrada" in str(page).lower()


@pytest.mark.parametrize("prefix", PREFIXES)
def test_rtr003_language_links_keep_the_routed_page_and_view(contexts, prefix):
    home = prefix or "/"
    ctx = contexts[prefix]
    page, _ = render(ctx, _pathname(prefix, "/"), "?c=URY&l=admin1&lang=pt&junk=1&y=abc")
    assert _lang_links(page) == [
        home + "?v=1&c=URY&l=admin1",
        home + "?v=1&lang=pt&c=URY&l=admin1",
        home + "?v=1&lang=en&c=URY&l=admin1",
    ]
    page, _ = render(ctx, _pathname(prefix, "/unit/BRA1200013/"), "?lang=en")
    unit = home + "unit/BRA1200013"
    assert _lang_links(page) == [unit, unit + "?lang=pt", unit + "?lang=en"]
    page, _ = render(ctx, _pathname(prefix, "/method"), "")
    assert _lang_links(page) == [home + "method", home + "method?lang=pt", home + "method?lang=en"]


def test_rtr004_the_map_fetches_geometry_and_links_profiles_under_the_prefix(contexts):
    ctx = contexts["/atlas/"]
    geo = map_cb.geometry_record(ctx.store, "BRA", "municipality", ctx.urls)
    files = [f for pair in geo["files"].values() for f in pair]
    assert len(files) == 4 and all(f.startswith("/atlas/geo/BRA-") for f in files), files
    state = resolve(
        State(lang="en", country="BRA", indicator="infant_mortality"), ctx.store, ctx.catalog
    )
    view = compute(ctx.store, ctx.catalog, state)
    detail = panel_data.unit_detail(ctx.store, ctx.catalog, view, "BRA1200013")
    link = panels.unit_panel(detail, view, "en", ctx.urls)
    assert "/atlas/unit/BRA1200013?lang=en" in _hrefs(link)


@pytest.fixture(scope="module")
def prefixed(store, tmp_path_factory):
    vendor = tmp_path_factory.mktemp("vendor")
    (vendor / "maplibre").mkdir()
    (vendor / "plotly-atlas.min.js").write_bytes(b"window.Plotly={};")
    (vendor / "maplibre" / "maplibre-gl.mjs").write_bytes(b"export const Map = 1;")
    app = create_app(settings(url_prefix="atlas"), store=store, vendor_dir=vendor)
    return app.server.test_client(), vendor_version(vendor)


def test_rtr005_the_app_serves_pages_routes_and_files_under_the_prefix_only(prefixed, store):
    client, version = prefixed
    index = client.get("/atlas/")
    assert index.status_code == 200
    html = index.get_data(as_text=True)
    refs = re.findall(r'(?:src|href)="([^"]+)"', html)
    # the canonical link is absolute (atlas/meta.py), under the prefix too
    assert refs and all(r.startswith(("/atlas/", "http://localhost/atlas/")) for r in refs), refs
    assert f'src="/atlas/vendor/{version}/plotly-atlas.min.js"' in html
    config = re.search(r'id="_dash-config" type="application/json">(.*?)</script>', html, re.S)
    assert json.loads(config.group(1))["requests_pathname_prefix"] == "/atlas/"
    for path in ("/atlas/method", "/atlas/unit/BRA1200013", "/atlas/_dash-layout"):
        assert client.get(path).status_code == 200, path
    deps = client.get("/atlas/_dash-dependencies").get_json()
    outputs = {o for d in deps for o in d["output"].strip(".").split("...")}
    assert {"page.children", "choropleth.figure"} <= outputs
    geo = store.geo_file("URY", "admin1", "low")
    assert client.get(f"/atlas/geo/{geo}").status_code == 200
    assert client.get(f"/atlas/vendor/{version}/maplibre/maplibre-gl.mjs").status_code == 200
    for outside in ("/", "/method", f"/geo/{geo}", f"/vendor/{version}/plotly-atlas.min.js"):
        assert client.get(outside).status_code == 404, outside


def test_rtr007_the_router_callback_reads_the_prefixed_pathname(prefixed):
    client, _ = prefixed
    deps = client.get("/atlas/_dash-dependencies").get_json()
    body = router_body("/atlas/unit/URY01", "?lang=en")
    assert body["output"] in {d["output"] for d in deps}
    r = client.post("/atlas/_dash-update-component", json=body)
    assert r.status_code == 200
    response = r.get_json()["response"]
    hrefs = list(_json_hrefs(response))
    assert {"/atlas/unit/URY01?lang=pt", "/atlas/method?lang=en"} <= set(hrefs)
    assert all(h.startswith(("/atlas/", "#")) for h in hrefs), hrefs
    # The profile's link back to the map shows the unit's country and level there.
    assert any(h.startswith("/atlas/?v=1&lang=en&c=URY&l=admin1") for h in hrefs), hrefs
    assert response["lang-store"]["data"] == "en"


def _json_props(node):
    """The props of every component in a JSON layout or callback response."""
    if isinstance(node, dict):
        if isinstance(node.get("props"), dict):
            yield node["props"]
        for value in node.values():
            yield from _json_props(value)
    elif isinstance(node, list):
        for value in node:
            yield from _json_props(value)


def _json_hrefs(node):
    """Every ``href`` in a callback's JSON response."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "href" and isinstance(value, str):
                yield value
            else:
                yield from _json_hrefs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _json_hrefs(value)


def test_rtr008_every_registered_page_has_a_renderer():
    assert set(RENDERERS) == {r.name for r in ROUTES}


@pytest.mark.parametrize("prefix", PREFIXES)
def test_rtr009_the_data_page_has_a_section_per_country_and_keeps_its_language_links(
    contexts, prefix
):
    home = prefix or "/"
    ctx = contexts[prefix]
    page, lang = render(ctx, _pathname(prefix, "/data"), "?lang=en&c=PER")
    assert lang == "en"
    assert _lang_links(page) == [home + "data", home + "data?lang=pt", home + "data?lang=en"]
    ids = {n.id for n in nodes(page) if isinstance(getattr(n, "id", None), str)}
    assert set(ctx.store.countries()) <= ids
    assert "The data: what the atlas can and cannot say" in str(page)


@pytest.mark.parametrize("prefix", PREFIXES)
def test_rtr010_the_map_the_methodology_and_the_header_link_the_data_page(contexts, prefix):
    home = prefix or "/"
    ctx = contexts[prefix]
    page, _ = render(ctx, _pathname(prefix, "/"), "?c=PER&lang=pt")
    link = next(n for n in nodes(page) if getattr(n, "id", None) == ids.DATA_LINK)
    assert link.href == home + "data?lang=pt#PER"
    assert link.children == "Sobre estes dados"
    assert home + "data?lang=pt" in _hrefs(page)  # the header's navigation
    page, _ = render(ctx, _pathname(prefix, "/method"), "?lang=en")
    assert _hrefs(page).count(home + "data?lang=en") == 2  # navigation and the page's own link
    # all six countries together: the top of the page
    assert map_page.data_href(ctx.urls, ALL_COUNTRIES, "en") == home + "data?lang=en"
    assert map_page.data_href(ctx.urls, "URY", "es") == home + "data#URY"


def test_rtr011_the_map_s_data_link_follows_the_country_shown(prefixed):
    client, _ = prefixed
    output = f"{ids.DATA_LINK}.href"
    deps = client.get("/atlas/_dash-dependencies").get_json()
    assert any(d["output"] == output for d in deps)
    for country, lang, href in (
        ("URY", "en", "/atlas/data?lang=en#URY"),
        ("MEX", "es", "/atlas/data#MEX"),
        (ALL_COUNTRIES, "pt", "/atlas/data?lang=pt"),
    ):
        body = {
            "output": output,
            "outputs": {"id": ids.DATA_LINK, "property": "href"},
            "inputs": [{"id": ids.COUNTRY, "property": "value", "value": country}],
            "state": [{"id": ids.LANG, "property": "data", "value": lang}],
            "changedPropIds": [f"{ids.COUNTRY}.value"],
        }
        r = client.post("/atlas/_dash-update-component", json=body)
        assert r.status_code == 200
        assert r.get_json()["response"][ids.DATA_LINK]["href"] == href


def _layout(client, referer: str | None):
    r = client.get("/atlas/_dash-layout", headers={"Referer": referer} if referer else {})
    assert r.status_code == 200
    assert r.headers["Cache-Control"] == "no-store" and "Referer" in r.headers["Vary"]
    stores = {c["props"]["id"]: c["props"] for c in r.get_json()["props"]["children"]}
    return stores


def test_rtr012_the_first_layout_holds_the_page_its_referer_names(prefixed):
    """The renderer's first request after the page: the page already rendered for the address
    the browser just opened, so the map's view does not wait for the router's round trip."""
    client, _ = prefixed
    address = "/atlas/?c=URY&l=admin1&lang=pt"
    stores = _layout(client, "http://localhost" + address)
    assert stores[ids.LANG]["data"] == "pt" and stores[ids.RENDERED]["data"] == address
    country = [p for p in _json_props(stores[ids.PAGE]) if p.get("id") == ids.COUNTRY]
    assert [p["value"] for p in country] == ["URY"]
    # another site, no Referer, or not an address: the empty shell, which the router fills
    for referer in ("http://elsewhere.example/atlas/?c=URY", None, "javascript:alert(1)"):
        stores = _layout(client, referer)
        assert stores[ids.PAGE].get("children") is None and stores[ids.RENDERED]["data"] is None


def test_rtr013_the_router_is_called_only_through_its_gate_in_the_browser(prefixed):
    """The page that came with the layout costs no round trip: the router never runs at start-up
    (``prevent_initial_call``); its gate, a clientside callback on the address
    (assets/atlas.js, ``atlas.route``), passes on any address but that page's. The gate's
    behaviour is the browser tests' (tests/browser/test_pages.py, test_brw097 and test_brw098)."""
    client, _ = prefixed
    deps = client.get("/atlas/_dash-dependencies").get_json()
    (router,) = [d for d in deps if f"{ids.PAGE}.children" in d["output"]]
    assert router["prevent_initial_call"] and not router["clientside_function"]
    assert [i["id"] for i in router["inputs"]] == [ids.ROUTE]
    (gate,) = [d for d in deps if f"{ids.ROUTE}.data" in d["output"]]
    assert gate["clientside_function"]["function_name"] == "route"
    assert [(i["id"], i["property"]) for i in gate["inputs"]] == [(ids.URL, "pathname")]
    r = client.post("/atlas/_dash-update-component", json=router_body("/atlas/method", "?lang=en"))
    assert r.status_code == 200
    response = r.get_json()["response"]
    assert response[ids.LANG]["data"] == "en" and response[ids.PAGE]["children"]

"""The app without a browser: router, map callback, geometry route, failure pages."""

from __future__ import annotations

import gzip
import json

import pytest

from app import AppContext, create_app
from atlas.settings import settings
from callbacks import map as map_cb
from callbacks.router import render


@pytest.fixture(scope="module")
def ctx(store, catalog):
    return AppContext(store=store, catalog=catalog, conf=settings())


@pytest.fixture(scope="module")
def client(store):
    return create_app(settings(), store=store).server.test_client()


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


def test_app004_map_sends_values_and_a_geometry_url_not_geometry(ctx):
    fig, title, caption, legend, alt, notes, search = map_cb.update_map(
        ctx, "BRA", "municipality", "infant_mortality", 2010, "en"
    )
    trace = fig.data[0]
    assert isinstance(trace.geojson, str) and trace.geojson.startswith("/geo/BRA-municipality-low.")
    assert len(trace.locations) == len(trace.z) == 5564
    assert set(trace.z) <= set(range(0, 6))
    assert "Source:" in trace.hovertemplate and "Year: 2010" in trace.hovertemplate
    assert "2010" in caption and "Source" in caption and "5564" in caption.replace(",", "")
    assert "Infant mortality" in title
    assert "Lowest" in alt and "highest" in alt
    assert search == "?v=1&lang=en&y=2010"
    assert len(json.dumps(fig.to_plotly_json(), default=str)) < 1_000_000


def test_app005_missing_values_are_a_no_data_class(ctx):
    fig, *_rest = map_cb.update_map(ctx, "MEX", "municipality", "infant_mortality", 2020, "es")
    z = list(fig.data[0].z)
    assert z.count(0) >= 500  # Oaxaca's municipios: CONAPO gives districts only
    legend = _rest[2]
    assert "sin datos" in json.dumps(legend, default=str)


def test_app006_intervals_appear_in_the_hover(ctx):
    fig, *_ = map_cb.update_map(ctx, "PER", "municipality", "poverty", 2018, "es")
    assert any("[" in row[2] for row in fig.data[0].customdata)


def test_app007_control_chain_keeps_valid_choices_and_replaces_invalid_ones(ctx):
    opts, value = map_cb.level_options(ctx, "URY", "municipality", "es")
    assert value == "admin1" and [o["value"] for o in opts] == ["admin1"]
    opts, value = map_cb.indicator_options(ctx, "URY", "admin1", "poverty_extreme", "es")
    assert value in {o["value"] for o in opts if not o.get("disabled")}
    opts, value = map_cb.year_options(ctx, "infant_mortality", "URY", "admin1", 1850)
    assert value == 2015 and opts[0]["value"] == 1997


def test_app008_geometry_route_serves_gzip_with_long_cache(client, store):
    name = store.geo_file("URY", "admin1", "low")
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


def test_app009_missing_store_shows_a_message_not_a_traceback(tmp_path):
    app = create_app(settings(store_dir=str(tmp_path / "none")))
    r = app.server.test_client().get("/_dash-layout")
    assert r.status_code == 200 and "make run" in r.get_data(as_text=True)


def test_app010_every_callback_is_wired(client):
    deps = client.get("/_dash-dependencies").get_json()
    outputs = " ".join(d["output"] for d in deps)
    for cid in ("page", "level-select", "indicator-select", "year-select", "choropleth", "url"):
        assert cid in outputs

"""The map drawn on the server (atlas/render.py): an SVG that parses and carries the page's title,
legend, source and address with one path per unit coloured as the page colours it, a print PNG
and a link-preview PNG of the stated sizes, and a cache keyed by the view's address."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from PIL import Image

from atlas import render
from atlas.choices import resolve
from atlas.classify import NO_DATA_COLOUR
from atlas.i18n import number
from atlas.urlstate import State
from atlas.views import compute

SVG = "{http://www.w3.org/2000/svg}"
URL = "https://atlas.example/?v=1&i=infant_mortality&y=2010"


def _state(store, catalog, **kw):
    return resolve(
        State(**{"country": "BRA", "indicator": "infant_mortality", **kw}), store, catalog
    )


def _svg(store, catalog, **kw):
    state = _state(store, catalog, **kw)
    return state, ET.fromstring(render.draw(store, catalog, state, "svg", URL))


def _texts(root) -> list[str]:
    return [el.text or "" for el in root.iter(f"{SVG}text")]


def test_ren001_the_svg_has_the_pages_title_legend_source_licence_and_address(tiny_store, catalog):
    state, root = _svg(tiny_store, catalog, lang="en", year=2010)
    view = compute(tiny_store, catalog, state)
    texts = _texts(root)
    assert view.title in texts
    assert root.find(f"{SVG}title").text == view.title
    for entry in view.legend:
        assert f"{entry.label} ({number(entry.count, 0, 'en')})" in texts
    footer = " ".join(el.text for el in root.iter(f"{SVG}text") if el.get("class") == "source")
    licence = tiny_store.source(view.source_id)["licence"]
    assert "Source: " in footer and view.source in footer and "2010" in footer
    assert f"Licence: {licence}" in footer
    assert URL in texts


def test_ren002_one_path_per_unit_with_the_colour_of_its_class(tiny_store, catalog):
    state, root = _svg(tiny_store, catalog, year=2010)
    view = compute(tiny_store, catalog, state)
    paths = {p.get("data-id"): p for p in root.iter(f"{SVG}path") if p.get("data-id")}
    assert sorted(paths) == sorted(view.layer.unit_ids)
    colours = [NO_DATA_COLOUR, *view.colours]
    for uid, cls in zip(view.layer.unit_ids, np.asarray(view.classes), strict=True):
        assert paths[uid].get("fill") == colours[int(cls)]
        assert paths[uid].get("d").startswith("M")
    # the municipality without a 2010 value is grey, and named in its tooltip
    missing = paths["BRA1200052"]
    assert missing.get("fill") == NO_DATA_COLOUR
    assert missing.find(f"{SVG}title").text == "Rio Hipótese"
    swatches = [r.get("fill") for r in root.iter(f"{SVG}rect") if r.get("class") == "swatch"]
    assert swatches == [e.colour for e in view.legend]


def test_ren003_the_svg_outlines_states_and_the_selection_in_the_language(tiny_store, catalog):
    _, root = _svg(tiny_store, catalog, lang="pt", year=2010, unit="BRA1100011")
    classes = [p.get("class") for p in root.iter(f"{SVG}path")]
    assert classes.count("admin1") == 1 and classes.count("selected") == 1
    assert any(s.startswith("Fonte: ") for s in _texts(root))
    _, uruguay = _svg(tiny_store, catalog, country="URY", level="admin1")
    assert not [p for p in uruguay.iter(f"{SVG}path") if p.get("class") == "admin1"]


def test_ren010_a_selection_zooms_the_map_to_it_as_the_page_does(tiny_store, catalog):
    _, root = _svg(tiny_store, catalog, year=2010, unit="BRA1100011")
    shown = {p.get("data-id") for p in root.iter(f"{SVG}path") if p.get("data-id")}
    # the westernmost municipality of the first state and its neighbours; the far east is cut
    assert {"BRA1100011", "BRA1100021", "BRA1200012"} <= shown
    assert not shown & {"BRA1100051", "BRA1200052"}
    clip = root.find(f"{SVG}clipPath/{SVG}rect")
    assert root.find(f"{SVG}g").get("clip-path") == "url(#map-area)" and clip is not None
    _, state = _svg(tiny_store, catalog, year=2010, admin1="12")
    shown = {p.get("data-id") for p in state.iter(f"{SVG}path") if p.get("data-id")}
    assert {u for u in shown if u.startswith("BRA12")} == {f"BRA12000{c}2" for c in range(1, 6)}
    state = _state(tiny_store, catalog, year=2010, unit="BRA1100011")
    img = Image.open(io.BytesIO(render.draw(tiny_store, catalog, state, "preview", URL)))
    assert img.size == (1200, 630)


def test_ren004_the_print_png_is_a4_landscape_at_300_dpi_and_decodes(tiny_store, catalog):
    state = _state(tiny_store, catalog, year=2010)
    img = Image.open(io.BytesIO(render.draw(tiny_store, catalog, state, "png", URL)))
    img.load()
    assert img.format == "PNG" and img.size == render.PRINT_SIZE == (3508, 2480)
    assert round(img.info["dpi"][0]) == 300
    rgb = img.convert("RGB")
    colours = {c for _, c in rgb.getcolors(1 << 16)}
    view = compute(tiny_store, catalog, state)
    assert render._rgb(view.colours[0]) in colours and render._rgb(NO_DATA_COLOUR) in colours


def test_ren005_the_preview_is_1200x630_and_small(tiny_store, catalog):
    state = _state(tiny_store, catalog, year=2010)
    body = render.draw(tiny_store, catalog, state, "preview", URL)
    img = Image.open(io.BytesIO(body))
    assert img.size == (1200, 630) and len(body) < 300_000


def test_ren006_the_cache_keeps_the_last_views_by_their_address(tiny_store, catalog):
    r = render.Renderer(tiny_store, catalog, cache_size=2)
    a, b = _state(tiny_store, catalog, year=2010), _state(tiny_store, catalog, year=2000)
    first = r.render(a, "svg", URL)
    assert r.render(a, "svg", URL) is first  # the same bytes, not drawn again
    assert r.key("svg", URL) == (tiny_store.fingerprint, "svg", URL)
    r.render(b, "svg", URL + "&y=2000")
    r.render(a, "preview", URL)
    assert r.cached() == 2
    assert r.render(a, "svg", URL) is not first  # evicted: drawn again, the same document
    assert r.render(a, "svg", URL) == first
    with pytest.raises(ValueError, match="Unknown image format"):
        r.render(a, "gif", URL)
    second = render.draw(tiny_store, catalog, b, "svg", URL + "&y=2000")
    small = render.Renderer(tiny_store, catalog, cache_bytes=len(first) + len(second) - 1)
    small.render(a, "svg", URL)
    kept = small.render(b, "svg", URL + "&y=2000")  # over the budget: the older file goes
    assert kept == second and small.cached() == 1
    assert small.render(b, "svg", URL + "&y=2000") is kept


def test_ren007_a_long_title_wraps_within_its_width_with_an_ellipsis():
    words = "Proporción de la población con acceso sostenible a mejores fuentes de agua " * 4
    lines = render.wrap(words, 40, 900, bold=True, max_lines=2)
    assert len(lines) == 2 and lines[1].endswith("…")
    assert all(render.font(40, True).getlength(x) <= 900 for x in lines)


def test_ren008_a_missing_font_is_named_with_the_fix(monkeypatch, tmp_path):
    monkeypatch.setitem(render.FONT_FILES, False, tmp_path / "gone.ttf")
    render.font.cache_clear()
    try:
        with pytest.raises(render.RenderError, match="assets/fonts"):
            render.font(12)
    finally:
        render.font.cache_clear()


def test_ren009_brazils_municipalities_render_as_svg_png_and_preview(store, catalog):
    state = _state(store, catalog)
    root = ET.fromstring(render.draw(store, catalog, state, "svg", URL))
    units = [p for p in root.iter(f"{SVG}path") if p.get("data-id")]
    view = compute(store, catalog, state)
    assert len(units) >= 5500 and {p.get("data-id") for p in units} <= set(view.layer.unit_ids)
    state = _state(store, catalog, unit="BRA4304408")  # Canela RS: the map zooms to it
    root = ET.fromstring(render.draw(store, catalog, state, "svg", URL))
    near = {p.get("data-id") for p in root.iter(f"{SVG}path") if p.get("data-id")}
    assert "BRA4304408" in near and 10 < len(near) < 1000
    assert {u[:5] for u in near} <= {"BRA42", "BRA43"}  # Rio Grande do Sul and Santa Catarina
    preview = render.draw(store, catalog, state, "preview", URL)
    assert Image.open(io.BytesIO(preview)).size == (1200, 630) and len(preview) < 300_000
    png = Image.open(io.BytesIO(render.draw(store, catalog, state, "png", URL)))
    assert png.size == render.PRINT_SIZE

"""The upload page's preview maps (atlas/upload_preview.py): the upload beside the official layer
with the official classes and colours, limited to the area it covers, its own classes where the
store has no official layer, and its cost on Brazil's 5,564 municipalities."""

from __future__ import annotations

import re

import numpy as np
import pytest

from atlas import render
from atlas.contrib import read_upload
from atlas.contrib.mapping import Mapping
from atlas.contrib.validation import validate
from atlas.store import Store
from atlas.upload_preview import preview

MAPPING = Mapping(code=("code",), year="year", value="value")


def _report(store, rows: list[tuple[str, int, float]], indicator="infant_mortality", country="BRA"):
    text = "code;year;value\n" + "".join(f"{c};{y};{v}\n" for c, y, v in rows)
    table = read_upload(text.encode(), "own.csv")
    return validate(table, MAPPING, country, indicator, store)


def _fills(svg: str) -> dict[str, str]:
    return dict(re.findall(r'<path data-id="([^"]+)" fill="([^"]+)"', svg))


def test_upv001_the_upload_takes_the_official_classes_and_colours(tiny_store, catalog):
    report = _report(tiny_store, [("1100011", 2010, 12.5), ("1100021", 2010, 29.9)])
    p = preview(tiny_store, catalog, report, "en", filename="own.csv")
    assert (p.year, p.level, p.covered, p.official_year) == (2010, "municipality", 2, 2010)
    official, upload = _fills(p.official.svg), _fills(p.upload.svg)
    # the official map colours its units by its classes; the upload's value of 29.9 takes the
    # colour the official map gives its own highest values
    view_colours = set(official.values())
    assert upload["BRA1100011"] in view_colours and upload["BRA1100021"] in view_colours
    assert upload["BRA1100011"] != upload["BRA1100021"]
    others = {c for u, c in upload.items() if u not in ("BRA1100011", "BRA1100021")}
    assert others == {"#d9d9d9"}
    assert "Official layer. Source:" in p.official.caption and "2010" in p.official.caption
    assert p.upload.caption.startswith("Preview, not published")
    assert "Lowest: São Teste (12.5); highest: Vila Exemplo (29.9)" in p.upload.alt
    assert f"<desc>{p.upload.alt}</desc>" in p.upload.svg


def test_upv002_a_year_the_store_lacks_is_drawn_beside_the_nearest_official_year(
    tiny_store, catalog
):
    report = _report(tiny_store, [("1100011", 2012, 12.5)])
    p = preview(tiny_store, catalog, report, "es")
    assert (p.year, p.official_year) == (2012, 2010)
    assert "Oficial: Mortalidad infantil, 2010" in p.official.svg


def test_upv003_without_an_official_layer_the_upload_has_its_own_classes(tiny_store, catalog):
    assert "under5_mortality" not in tiny_store.indicators("BRA", "municipality")
    rows = [("1100011", 2010, 20.0), ("1100021", 2010, 30.0), ("1100031", 2010, 40.0)]
    p = preview(tiny_store, catalog, _report(tiny_store, rows, "under5_mortality"), "pt")
    assert p.official is None and p.official_link == ""
    fills = _fills(p.upload.svg)
    assert len({fills[f"BRA11000{k}1"] for k in (1, 2, 3)}) == 3


def test_upv004_nothing_clean_no_preview(tiny_store, catalog):
    assert preview(tiny_store, catalog, _report(tiny_store, [("9999999", 2010, 5)]), "es") is None


@pytest.mark.realdata
def test_upv005_one_municipality_is_shown_in_its_state_not_in_the_whole_country(store, catalog):
    p = preview(store, catalog, _report(store, [("3550308", 2010, 11.5)]), "en")
    fills = _fills(p.upload.svg)
    layer = store.layer("BRA", "municipality")
    in_sight = layer.admin1_codes[layer.index.get_indexer(list(fills))]
    assert fills["BRA3550308"] != "#d9d9d9"
    # São Paulo's 645 municipalities and some neighbours in the frame, not Brazil's 5,564
    assert 645 <= len(fills) < 2000 and (in_sight == "35").sum() == 645


@pytest.mark.realdata
def test_upv006_a_brazil_wide_preview_covers_every_unit(store_dir, catalog):
    """Its CPU time is measured by ``python -m bench.upload`` (bench/RESULTS.md)."""
    fresh = Store(store_dir)
    render.shapes.cache_clear()
    vals = fresh.values("infant_mortality", 2010, "BRA", "municipality")
    rows = [
        (u[3:], 2010, round(float(v), 2))
        for u, v in zip(vals.layer.unit_ids, vals.value, strict=True)
        if np.isfinite(v)
    ]
    report = _report(fresh, rows)
    p = preview(fresh, catalog, report, "es")
    assert p.covered == len(rows) > 5000

"""The map view's table as CSV and XLSX (atlas/exports.py): the page's rows and columns in its
order, a metadata block that pandas skips or reads on its own sheet, numbers as numbers, and
no cell a spreadsheet would run as a formula."""

from __future__ import annotations

import io
from dataclasses import replace

import numpy as np
import openpyxl
import pandas as pd

from atlas import exports
from atlas.choices import resolve
from atlas.panels import table_head, table_order
from atlas.urlstate import State
from atlas.views import compute

URL = "https://atlas.example/?v=1&y=2010"
DATE = "2026-12-02"


def _view(store, catalog, **kw):
    state = State(**{"country": "BRA", "indicator": "illiteracy", "year": 2010, **kw})
    return compute(store, catalog, resolve(state, store, catalog))


def test_xpv001_the_csv_has_the_pages_rows_in_order_and_reads_back_with_pandas(tiny_store, catalog):
    view = _view(tiny_store, catalog, lang="en", admin1="12")
    table = pd.read_csv(io.BytesIO(exports.view_csv(tiny_store, view, URL, DATE)), comment="#")
    head = table_head(view, "en")
    order, ranks = table_order(view, "12")
    assert list(table.columns) == [
        "unit_id",
        *head.heads[:4],
        "ci_low",
        "ci_high",
        *head.heads[4:],
    ]
    assert list(table["unit_id"]) == [view.layer.unit_ids[i] for i in order]  # state 12 only
    assert table["Rank"].fillna(0).astype(int).tolist() == ranks.tolist()
    values = table[head.heads[3]].to_numpy(float)
    np.testing.assert_allclose(values, np.asarray(view.value)[order])
    flagged = table.set_index("unit_id").loc["BRA1200042"]
    assert flagged[head.heads[-1]] == view.flag_text[view.layer.index.get_loc("BRA1200042")]


def test_xpv002_the_metadata_names_definition_source_licence_citation_url_and_date(
    tiny_store, catalog
):
    view = _view(tiny_store, catalog, lang="pt")
    meta = dict(exports.view_meta(tiny_store, view, URL, DATE))
    assert meta["Definição"] == view.indicator.definition["pt"]
    assert meta["Fonte"] == view.source
    assert meta["Licença"] == tiny_store.source(view.source_id)["licence"]
    assert meta["Página"] == URL and meta["Gerado"] == DATE
    assert URL in meta["Citação"] and DATE in meta["Citação"]
    lines = exports.view_csv(tiny_store, view, URL, DATE).decode("utf-8-sig").splitlines()
    assert lines[0].startswith("# Título,") and all(x.startswith("# ") for x in lines[: len(meta)])
    book = openpyxl.load_workbook(io.BytesIO(exports.view_xlsx(tiny_store, view, URL, DATE)))
    assert book.sheetnames == ["Dados", "Metadados"]
    assert {r[0]: r[1] for r in book["Metadados"].iter_rows(values_only=True)} == meta
    sheet = pd.read_excel(io.BytesIO(exports.view_xlsx(tiny_store, view, URL, DATE)))
    assert len(sheet) == len(view.layer) and sheet.iloc[:, 0].str.startswith("BRA").all()


def test_xpv003_no_cell_starts_a_formula(tiny_store, catalog):
    view = _view(tiny_store, catalog, lang="en")
    names = np.array(["=HYPERLINK(1)", "+1", "-2", "@SUM(A1)", *view.layer.names[4:]], object)
    view = replace(view, layer=replace(view.layer, names=names), source="=cmd|' /C calc'!A0")
    csv_text = exports.view_csv(tiny_store, view, URL, DATE).decode("utf-8-sig")
    table = pd.read_csv(io.StringIO(csv_text), comment="#")
    assert {"'=HYPERLINK(1)", "'+1", "'-2", "'@SUM(A1)"} <= set(table["Name"])
    assert "# Source,\"'=cmd|' /C calc'!A0\"" in csv_text
    book = openpyxl.load_workbook(io.BytesIO(exports.view_xlsx(tiny_store, view, URL, DATE)))
    cells = [c for ws in book for row in ws.iter_rows(values_only=True) for c in row]
    assert not [c for c in cells if isinstance(c, str) and c.startswith(("=", "+", "-", "@"))]

"""The map view's files over HTTP (callbacks/exports.py): each route answers with its file, a
name that says indicator, country, level and year, caching headers, and a short message for an
address that names no view."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET

import openpyxl
import pandas as pd
import pytest
from PIL import Image

from app import create_app
from atlas.settings import settings
from atlas.urls import URLs
from atlas.urlstate import State
from callbacks.exports import filename

QUERY = "?v=1&lang=en&i=infant_mortality&y=2010&m=status"
NAME = "atlas-odm-infant_mortality-BRA-municipality-2010-status"
PAGE = "http://localhost/?v=1&lang=en&y=2010&m=status"  # defaults left out


def test_exp001_each_file_downloads_with_a_meaningful_name_and_caching(client):
    for fmt, mimetype in [
        ("png", "image/png"),
        ("svg", "image/svg+xml"),
        ("csv", "text/csv"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ]:
        resp = client.get(f"/export/view.{fmt}{QUERY}")
        assert resp.status_code == 200 and resp.mimetype == mimetype, fmt
        assert resp.headers["Content-Disposition"] == f'attachment; filename="{NAME}.{fmt}"'
        assert resp.headers["Cache-Control"] == "public, max-age=3600" and resp.headers["ETag"]


def test_exp002_the_images_show_the_view_of_the_address(client):
    svg = ET.fromstring(client.get(f"/export/view.svg{QUERY}").data)
    texts = [el.text for el in svg.iter("{http://www.w3.org/2000/svg}text")]
    assert PAGE in texts  # the canonical address, drawn on the image
    assert any(x.startswith("Progress towards the target: Infant mortality") for x in texts)
    png = Image.open(io.BytesIO(client.get(f"/export/view.png{QUERY}").data))
    assert png.size == (3508, 2480)
    resp = client.get(f"/preview/view.png{QUERY}")
    assert resp.status_code == 200 and "Content-Disposition" not in resp.headers
    assert Image.open(io.BytesIO(resp.data)).size == (1200, 630) and len(resp.data) < 300_000


def test_exp003_the_tables_hold_the_pages_rows_and_their_metadata(client):
    body = client.get(f"/export/view.csv{QUERY}").data
    table = pd.read_csv(io.BytesIO(body), comment="#", encoding="utf-8-sig")
    assert len(table) == 10 and list(table.columns)[:3] == ["unit_id", "Rank", "Name"]
    meta = dict(r[:2] for r in csv.reader(io.StringIO(body.decode("utf-8-sig"))) if r[0][:1] == "#")
    assert meta["# Source"] and meta["# Licence"] and meta["# Definition"]
    assert meta["# Page"] == PAGE and PAGE in meta["# Citation"]
    book = openpyxl.load_workbook(io.BytesIO(client.get(f"/export/view.xlsx{QUERY}").data))
    assert book.sheetnames == ["Data", "Metadata"]
    assert book["Data"].max_row == 11
    sheet = {r[0]: r[1] for r in book["Metadata"].iter_rows(values_only=True)}
    assert sheet["Page"] == PAGE and sheet["Indicator"].startswith("Infant mortality")


def test_exp004_an_unchanged_file_is_not_sent_again(client):
    first = client.get(f"/export/view.svg{QUERY}")
    again = client.get(f"/export/view.svg{QUERY}", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and not again.data
    other = client.get("/export/view.svg?lang=en&y=2000")
    assert other.headers["ETag"] != first.headers["ETag"]


@pytest.mark.parametrize(
    "path, status, text",
    [
        ("/export/view.gif", 404, "png, svg, csv, xlsx"),
        ("/export/view.png?lang=en&y=abc", 400, "(check: year)"),
        ("/export/view.csv?lang=en&c=XYZ", 400, "(check: country)"),
        ("/export/view.svg?lang=pt&i=%3Cscript%3E", 400, "(verifique: indicador)"),
        ("/preview/view.png?lang=en&i=no_such_indicator", 404, "(check: indicator)"),
        ("/export/view.xlsx?lang=en&y=1950", 404, "(check: year)"),
    ],
)
def test_exp005_an_address_that_names_no_view_gets_a_short_message(client, path, status, text):
    resp = client.get(path)
    assert resp.status_code == status and resp.mimetype == "text/plain"
    body = resp.data.decode()
    assert text in body and "Traceback" not in body and "<script>" not in body
    assert resp.headers["Cache-Control"] == "no-store"


def test_exp007_under_a_url_prefix_the_files_and_the_address_on_them_keep_it(tiny_store):
    client = create_app(settings(url_prefix="/atlas/"), store=tiny_store).server.test_client()
    resp = client.get("/atlas/export/view.svg?lang=en&y=2000")
    assert resp.status_code == 200
    texts = [el.text for el in ET.fromstring(resp.data).iter("{http://www.w3.org/2000/svg}text")]
    assert "http://localhost/atlas/?v=1&lang=en&y=2000" in texts
    assert client.get("/atlas/preview/view.png").status_code == 200
    assert client.get("/export/view.svg").status_code == 404


def test_exp006_the_url_builder_names_the_files_of_a_view():
    urls = URLs(prefix="/atlas/", map_defaults=State(indicator="infant_mortality"))
    state = State(indicator="illiteracy", year=2010, lang="pt")
    assert urls.export("csv", state) == "/atlas/export/view.csv?v=1&lang=pt&i=illiteracy&y=2010"
    assert urls.preview(state) == "/atlas/preview/view.png?v=1&lang=pt&i=illiteracy&y=2010"
    with pytest.raises(ValueError, match="export format"):
        urls.export("pdf", state)
    assert filename(State(indicator="illiteracy", year=2010), "svg") == (
        "atlas-odm-illiteracy-BRA-municipality-2010.svg"
    )

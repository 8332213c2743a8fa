"""The map's download menu in Chromium: the toolbar has neither plotly's cloud share nor its bare
image; each of the four downloads (PNG, SVG, CSV, XLSX) saves the view the page shows, read back
here; the links follow the view when it changes."""

from __future__ import annotations

import time
import xml.etree.ElementTree as ET

import openpyxl
import pandas as pd
import pytest
from PIL import Image

from atlas.urls import EXPORT_FORMATS
from tests.browser.conftest import console_errors, screenshot, wait_for

pytestmark = pytest.mark.browser

PLOT = "document.querySelector('#choropleth .js-plotly-plot')"
SVG = "{http://www.w3.org/2000/svg}"


def _downloads(folder, n: int, timeout: float = 60) -> dict:
    """The files in ``folder`` by suffix, once ``n`` finished downloads are there."""
    end = time.time() + timeout
    while time.time() < end:
        done = {p.suffix: p for p in folder.iterdir() if p.suffix != ".crdownload"}
        if len(done) >= n and not list(folder.glob("*.crdownload")):
            return done
        time.sleep(0.25)
    raise AssertionError(f"downloads did not finish: {sorted(p.name for p in folder.iterdir())}")


def test_brw090_each_download_saves_the_view_and_reads_back(browser, server_url, store, tmp_path):
    browser.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(tmp_path)}
    )
    browser.get(server_url + "/?lang=en&c=MEX&i=illiteracy&y=2010&m=status")
    n = wait_for(browser, f"const g={PLOT}; return g && g.data && g.data[0] && g.data[0].z.length")
    wait_for(browser, "return document.querySelector('#map-title').innerText")
    buttons = browser.execute_script(
        "return [...document.querySelectorAll('#choropleth .modebar-btn')]"
        ".map(b => b.getAttribute('data-title'))"
    )
    assert buttons and not [b for b in buttons if "png" in b.lower() or "share" in b.lower()]
    title = browser.find_element("id", "map-title").text
    page = browser.current_url
    browser.find_element("css selector", "#export-menu > summary").click()
    hrefs = {}
    for fmt in EXPORT_FORMATS:
        link = browser.find_element("id", f"export-{fmt}")
        hrefs[fmt] = link.get_attribute("href")
        assert hrefs[fmt] == f"{server_url}/export/view.{fmt}?" + page.split("?", 1)[1]
        link.click()
    files = _downloads(tmp_path, 4)
    name = "atlas-odm-illiteracy-MEX-municipality-2010-status"
    assert sorted(p.name for p in files.values()) == sorted(f"{name}.{f}" for f in EXPORT_FORMATS)

    png = Image.open(files[".png"])
    assert png.size == (3508, 2480)
    root = ET.parse(files[".svg"]).getroot()
    texts = [el.text for el in root.iter(f"{SVG}text")]
    assert root.find(f"{SVG}title").text == title and page in texts
    assert len([p for p in root.iter(f"{SVG}path") if p.get("data-id")]) == n
    table = pd.read_csv(files[".csv"], comment="#")
    assert len(table) == n == len(store.layer("MEX", "municipality"))
    assert table["unit_id"].str.startswith("MEX").all() and "Status" in table.columns
    book = openpyxl.load_workbook(files[".xlsx"])
    assert book["Data"].max_row == n + 1
    meta = {r[0]: r[1] for r in book["Metadata"].iter_rows(values_only=True)}
    assert meta["Page"] == page and meta["Source"] and meta["Licence"] and meta["Definition"]
    screenshot(browser, "map-download-menu")
    assert console_errors(browser) == []


def test_brw091_the_links_follow_the_view(browser, server_url):
    browser.get(server_url + "/?lang=pt&c=URY&l=admin1")
    wait_for(browser, f"const g={PLOT}; return g && g.data && g.data[0] && g.data[0].z.length")
    first = browser.find_element("id", "export-csv").get_attribute("href")
    browser.find_element("css selector", "#view-tabs input[value=table]").click()
    follows = wait_for(
        browser,
        "const a = document.getElementById('export-csv').href;return a.includes('tab=table') && a",
    )
    assert follows.split("?")[0] == first.split("?")[0] and "lang=pt" in follows
    assert follows.split("?", 1)[1] == browser.current_url.split("?", 1)[1]
    assert console_errors(browser) == []

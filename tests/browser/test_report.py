"""The unit's report in Chromium: printed to PDF it takes at most two A4 pages and no chart card,
header or sources list is cut by a page edge; its CSV and XLSX downloads parse back; the local
target form puts the target in the URL and the chart draws it; with what users wrote, a real
unit's report shows the contributed line beside the official one and the local plan's section,
whose target is one click away on the map."""

from __future__ import annotations

import base64
import csv
import io
import re
import time

import openpyxl
import pytest
from pypdf import PdfReader

from app import create_app
from atlas import accounts, plans
from atlas.db import Database
from atlas.settings import settings
from tests.browser.conftest import _serve, console_errors, screenshot, wait_for
from tests.fixtures.contributed import META, publish_csv

pytestmark = pytest.mark.browser

CANELA = "BRA4304408"
#: The report's mayors, one per country (the issue's), and a state.
UNITS = [CANELA, "MEX20067", "PER050101", "COL52001", "CHL05101", "URY13", "BRA43"]
CARDS = """return [...document.querySelectorAll('.report-chart')].map(c => {
  const v = [...c.querySelectorAll('.report-verdict > *')].map(e => e.innerText.trim())
    .filter(Boolean);
  return [c.querySelector('.report-chart-title strong').innerText.trim(), v[v.length - 1]];
});"""
A4 = (595.0, 842.0)  # points


def _words(text: str, n: int = 4) -> str:
    return " ".join(re.sub(r"\s+", " ", text).split(" ")[:n])


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00ad", "")).strip()


def _pdf(browser) -> bytes:
    out = browser.execute_cdp_cmd(
        "Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True}
    )
    return base64.b64decode(out["data"])


def _open_report(browser, url: str) -> list:
    browser.get(url)
    return wait_for(browser, CARDS)


def _find_in_order(pages: list[str], needles: list[str]) -> list[int]:
    """The page of each needle, found in document order (a needle's search starts where the
    previous one was found, so a label repeated later, e.g. in the sources, is not taken)."""
    flat = [_flat(p) for p in pages]
    where, page, at = [], 0, 0
    for needle in needles:
        while page < len(flat):
            i = flat[page].find(needle, at)
            if i >= 0:
                where.append(page)
                at = i + len(needle)
                break
            page, at = page + 1, 0
        else:
            raise AssertionError(f"{needle!r} is not in the PDF after page {where[-1:]}")
    return where


@pytest.mark.parametrize("unit", UNITS)
def test_brw080_the_report_prints_on_two_a4_pages_and_no_card_is_cut(browser, server_url, unit):
    cards = _open_report(browser, f"{server_url}/unit/{unit}")
    assert cards and all(title and last for title, last in cards)
    pdf = PdfReader(io.BytesIO(_pdf(browser)))
    assert 1 <= len(pdf.pages) <= 2, (unit, len(pdf.pages))
    for page in pdf.pages:
        box = page.mediabox
        assert (float(box.width), float(box.height)) == pytest.approx(A4, abs=1)
    pages = [p.extract_text() for p in pdf.pages]
    # each card's title and its last line are on the same page: the card is not split
    needles = [x for title, last in cards for x in (_words(title, 3), _words(last))]
    where = _find_in_order(pages, needles)
    for k, (title, _) in enumerate(cards):
        assert where[2 * k] == where[2 * k + 1], (unit, title, where[2 * k : 2 * k + 2])
    # the header answer and the sources list each stay whole, the site's chrome is not printed
    head = browser.execute_script(
        "return [...document.querySelectorAll('#report-answer > *')].map(e => e.innerText)"
    )
    sources = browser.execute_script(
        "return [...document.querySelectorAll('#report-sources > *')].map(e => e.innerText)"
    )
    for block in (head, sources):
        at = _find_in_order(pages, [_words(block[0]), _words(block[-1])])
        assert at[0] == at[1], (unit, block[0][:40])
    text = _flat(" ".join(pages))
    for hidden in ("Ver en el mapa", "Aplicar", "Descargar PDF", "Metodología"):
        assert hidden not in text, hidden
    assert f"/unit/{unit}" in text.replace(" ", "")  # the page's address, filled in at print
    if unit == CANELA:
        screenshot(browser, "report-canela")
    assert console_errors(browser) == []


def test_brw081_the_csv_and_xlsx_downloads_parse_back(browser, server_url, tmp_path):
    browser.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(tmp_path)}
    )
    cards = _open_report(browser, f"{server_url}/unit/{CANELA}?lang=pt")
    for link_id in ("report-csv", "report-xlsx"):
        browser.find_element("id", link_id).click()
    end = time.time() + 30
    while (
        time.time() < end
        and len([p for p in tmp_path.iterdir() if p.suffix in (".csv", ".xlsx")]) < 2
    ):
        time.sleep(0.25)
    files = {p.suffix: p for p in tmp_path.iterdir()}
    assert set(files) >= {".csv", ".xlsx"}, sorted(files)
    rows = list(csv.DictReader(io.StringIO(files[".csv"].read_text("utf-8-sig"))))
    assert {r["indicador"] for r in rows} == {title for title, _ in cards}
    assert {r["url_página"] for r in rows} == {f"{server_url}/unit/{CANELA}?lang=pt"}
    assert all(r["fonte"] and r["licença"] for r in rows if r["série"] != "meta")
    book = openpyxl.load_workbook(files[".xlsx"])
    assert book.sheetnames == ["Resumo", "Dados", "Fontes"]
    summary = [
        [x for x in row if x is not None] for row in book["Resumo"].iter_rows(values_only=True)
    ]
    assert summary[1] == ["Página", f"{server_url}/unit/{CANELA}?lang=pt"]
    assert book["Dados"].max_row == len(rows) + 1


def test_brw082_the_local_target_form_puts_the_target_in_the_url_and_the_chart(browser, server_url):
    _open_report(browser, f"{server_url}/unit/{CANELA}?lang=en")
    browser.execute_script(
        "const f = document.getElementById('report-f'); f.value = 'local';"
        "const i = document.getElementById('report-i'); i.value = 'illiteracy';"
    )
    browser.find_element("id", "report-lv").send_keys("2")
    browser.find_element("id", "report-ly").send_keys("2030")
    browser.find_element("css selector", "#report-target-form button[type=submit]").click()
    wait_for(browser, "return location.search.includes('lv=2')")
    for part in ("lang=en", "f=local", "i=illiteracy", "lv=2", "ly=2030"):
        assert part in browser.current_url
    cards = wait_for(browser, CARDS)
    assert cards
    title = wait_for(browser, "return document.querySelector('#report-answer-title').innerText")
    assert "Local target" in title
    alt = browser.execute_script(
        "return document.querySelector('[data-indicator=illiteracy] img').alt"
    )
    assert "Target 2030: 2.0" in alt
    # the other languages' links keep the target
    pt = browser.find_element("css selector", "a.lang-link[lang=pt], a.lang-link[hreflang=pt]")
    assert "f=local" in pt.get_attribute("href") and "lv=2" in pt.get_attribute("href")
    assert console_errors(browser) == []


@pytest.fixture
def written_url(store, catalog, tmp_path):
    """The atlas on the real store and a database of its own where an admin published a series
    of Canela's infant mortality and recorded Canela's plan with one target."""
    db = Database.from_url(f"sqlite:///{tmp_path / 'atlas.sqlite3'}")
    app = create_app(settings(), store=store, db=db)
    admin = accounts.create_admin(db, "admin@example.org", "Admin", "correct horse battery staple")
    publish_csv(db, admin, store, "4304408;2016;7,5;6;9\n4304408;2018;6,8;;\n", CANELA)
    plans.save_plan(db, admin, store, CANELA, "Plano Canela 2022-2025", 2022, 2025)
    plans.set_target(db, admin, store, catalog, CANELA, "infant_mortality", 8, 2025)
    yield from _serve(app)
    db.dispose()


def test_brw083_a_real_units_report_shows_the_contributed_line_and_the_plan(browser, written_url):
    cards = _open_report(browser, f"{written_url}/unit/{CANELA}?lang=en")
    assert cards
    alt = browser.execute_script(
        "return document.querySelector('[data-indicator=infant_mortality] img').alt"
    )
    label = re.search(r"contributed by Canela, version 1, \d{4}-\d{2}-\d{2}", alt)
    assert label and f"{label.group(0)} — 2016: 7.5, 2018: 6.8" in alt
    legend = browser.find_element("css selector", ".report-legend").text
    assert label.group(0) in legend
    sources = browser.find_element("id", "report-sources").text
    assert META.source in sources and label.group(0) in sources
    plan = browser.find_element("id", "report-plan")
    assert "Plano Canela 2022-2025 (2022–2025)" in plan.text and "Infant mortality" in plan.text
    choice = browser.find_element("css selector", "#report-plan-choices a")
    assert choice.text.startswith("Infant mortality: 8")
    browser.execute_script(
        "document.querySelector('[data-indicator=infant_mortality]').scrollIntoView()"
    )
    screenshot(browser, "report-canela-contributed")
    browser.execute_script("arguments[0].scrollIntoView()", plan)
    screenshot(browser, "report-canela-plan")
    # the same page printed, still on two A4 pages: the plan is on paper, the map links are not
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(_pdf(browser))).pages]
    assert len(pages) <= 2
    text = _flat(" ".join(pages))
    assert "Plano Canela 2022-2025" in text and "See on the map with this target" not in text
    # one click to the map with the plan's target as its local framework
    plan.find_element("css selector", "a.report-plan-map").click()
    wait_for(browser, "return location.pathname === '/' && location.search.includes('f=local')")
    for part in ("f=local", "lv=8", "ly=2025", f"u={CANELA}"):
        assert part in browser.current_url
    assert console_errors(browser) == []

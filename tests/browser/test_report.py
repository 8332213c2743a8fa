"""The unit's report in Chromium: printed to PDF it takes at most two A4 pages and no chart card,
header or sources list is cut by a page edge; its CSV and XLSX downloads parse back; the local
target form puts the target in the URL and the chart draws it."""

from __future__ import annotations

import base64
import csv
import io
import re
import time

import openpyxl
import pytest
from pypdf import PdfReader

from tests.browser.conftest import console_errors, screenshot, wait_for

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

"""Issue 12's journey, as its people live it, in Chromium on the real store and a fresh database:

the first admin is created by the command line; the admin invites an editor for one state
(Antioquia, COL:05) and a reviewer; the editor uploads DANE's own CNPV 2018 NBI workbook from the
raw folder (three header rows, a national table), maps its columns, reads the validation report
(the other departments' rows named as outside the account's scope), publishes, publishes again,
and rolls back to version 1; records Medellín's local plan with a target; a visitor submits an
experience that the reviewer approves. The contributed layer is then on the map and in Medellín's
report, the plan's target in the report, and the experience on the map.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from app import create_app
from atlas.db import Database
from atlas.settings import settings
from tests.browser.conftest import _serve, click_and_load, console_errors, screenshot, wait_for

pytestmark = [pytest.mark.browser, pytest.mark.realdata]

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery staple"
WORKBOOK = "COL/indicators/usbdiego7777-ui_tfm-electoral-colombia/CNPV-2018-NBI.xlsx"
UNIT = "COL05001"  # Medellín, Antioquia
PLOT = "document.querySelector('#choropleth .js-plotly-plot')"


@pytest.fixture
def served(store, tmp_path):
    """The atlas on the real store and an empty database whose first admin the command line
    made, as README says a deployment starts."""
    data_dir = tmp_path / "var"
    env = {**os.environ, "ATLAS_DATA_DIR": str(data_dir), "ATLAS_DATABASE_URL": ""}
    made = subprocess.run(
        [sys.executable, "-m", "atlas", "users", "create-admin", "--email", "admin@example.org"]
        + ["--name", "Ana Admin", "--password-stdin"],
        input=PASSWORD + "\n",
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert made.returncode == 0, made.stderr
    db = Database.from_url(f"sqlite:///{data_dir / 'atlas.sqlite3'}")
    app = create_app(settings(data_dir=str(data_dir)), store=store, db=db)
    yield from _serve(app)
    db.dispose()


def _fill(browser, **fields) -> None:
    for name, value in fields.items():
        box = browser.find_element(By.ID, f"f-{name}")
        if box.tag_name == "select":
            Select(box).select_by_value(value)
        else:
            box.clear()
            box.send_keys(value)


def _submit(browser) -> None:
    click_and_load(browser, browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))


def _log_in(browser, base: str, email: str) -> None:
    browser.delete_all_cookies()
    browser.get(base + "/account/login?lang=es")
    _fill(browser, email=email, password=PASSWORD)
    _submit(browser)
    wait_for(browser, "return location.pathname !== '/account/login'")


def _invite(browser, base: str, email: str, role: str, scopes: str = "") -> str:
    browser.get(base + "/account/admin?lang=es")
    _fill(browser, email=email, role=role, scopes=scopes)
    _submit(browser)
    return wait_for(browser, "return document.querySelector('.alert-success a')?.href")


def _accept(browser, link: str, name: str) -> None:
    browser.delete_all_cookies()  # the invitee's own browser
    browser.get(link)
    _fill(browser, name=name, password=PASSWORD, password2=PASSWORD)
    _submit(browser)
    wait_for(browser, "return location.pathname === '/' && document.querySelector('.site-footer')")


def _upload(browser, base: str, raw_dir: Path, title: str) -> str:
    """The three steps for DANE's workbook; the dataset page's address."""
    browser.get(base + "/contribute/upload?lang=es")
    browser.find_element(By.ID, "f-file").send_keys(str(raw_dir / WORKBOOK))
    _fill(browser, country="COL", indicator="unmet_basic_needs")
    _submit(browser)
    # step 2: the columns as the atlas suggests them, read from the three header rows
    wait_for(browser, "return document.querySelector('#f-m_value')")
    code = Select(browser.find_element(By.ID, "f-m_code")).first_selected_option.text
    assert code == "Código Departamento"
    _submit(browser)
    # step 3: the validation report
    report = wait_for(browser, "return document.querySelector('main')?.innerText")
    return report


def test_jrn001_from_the_first_admin_to_the_network_on_the_map(browser, served, raw_dir):
    base = served
    _log_in(browser, base, "admin@example.org")
    editor_link = _invite(browser, base, "editor@example.org", "editor", "COL:05")
    reviewer_link = _invite(browser, base, "reviewer@example.org", "reviewer")
    screenshot(browser, "journey-admin")
    _accept(browser, editor_link, "Edna Editora")
    _accept(browser, reviewer_link, "Rui Revisor")

    # the editor of Antioquia uploads DANE's national workbook twice, then rolls back
    _log_in(browser, base, "editor@example.org")
    report = _upload(browser, base, raw_dir, "NBI 2018")
    assert "125 de 1123 filas listas para publicar" in report, report[:2000]
    assert "Fuera de su ámbito" in report and "Fila de total" in report
    # the rows the editor can act on come first, the other departments' after them
    first = browser.find_element(By.CSS_SELECTOR, "#report-rows tbody tr").text
    assert "fuera de lo que su cuenta" not in first, first
    screenshot(browser, "journey-validation")
    # the preview: the upload's Antioquia beside the official layer, drawn by the server
    figures = browser.find_elements(By.CSS_SELECTOR, "#preview figure svg")
    assert len(figures) == 2
    browser.execute_script("document.getElementById('preview').scrollIntoView()")
    screenshot(browser, "journey-preview")
    meta = {
        "title": "NBI 2018 de Antioquia",
        "source": "DANE, CNPV 2018, NBI por municipio",
        "licence": "CC BY 4.0",
        "contact": "planeacion@antioquia.example",
        "unit_id": UNIT,
    }
    _fill(browser, **meta)
    _submit(browser)
    wait_for(browser, "return location.pathname.startsWith('/contribute/dataset/')")
    dataset_page = browser.current_url.split("?")[0]
    _upload(browser, base, raw_dir, "NBI 2018")
    _fill(browser, **meta)
    _submit(browser)
    wait_for(browser, "return location.pathname.startsWith('/contribute/dataset/')")
    page = browser.find_element(By.TAG_NAME, "main").text
    assert "versión 2" in page.lower()
    rollback = browser.find_element(By.CSS_SELECTOR, "form input[name=to_version][value='1']")
    click_and_load(browser, rollback.find_element(By.XPATH, "./ancestor::form//button"))
    wait_for(browser, "return document.querySelector('.alert-success')")
    assert browser.current_url.split("?")[0] == dataset_page
    screenshot(browser, "journey-rollback")

    # Medellín's local plan and one target
    browser.get(base + f"/plans/{UNIT}?lang=es")
    _fill(
        browser,
        name="Plan de Desarrollo Medellín Te Quiere",
        period_start="2024",
        period_end="2027",
    )
    _submit(browser)
    wait_for(browser, "return document.querySelector('#f-indicator')")
    _fill(browser, indicator="unmet_basic_needs", value="3", year="2027")
    click_and_load(
        browser,
        browser.find_element(By.ID, "f-indicator").find_element(
            By.XPATH, "./ancestor::form//button[@type='submit']"
        ),
    )
    wait_for(browser, "return document.querySelector('main table')")

    # a visitor submits an experience; the reviewer approves it
    browser.delete_all_cookies()
    browser.get(base + "/network/submit?lang=es")
    _fill(
        browser,
        title="Mesas barriales de necesidades básicas",
        units=UNIT,
        what_was_done="Cada comuna priorizó **vivienda y servicios** con datos del censo.",
        results="NBI de 2,3 % en 2018",
        results_source="DANE, CNPV 2018",
        contact="participacion@medellin.example",
    )
    browser.find_element(By.ID, "f-goal-1").click()
    _submit(browser)
    wait_for(browser, "return document.querySelector('.alert-success')")
    _log_in(browser, base, "reviewer@example.org")
    browser.get(base + "/network/moderate?lang=es")
    approve = "main form button[name=decision][value=approve]"
    click_and_load(browser, browser.find_element(By.CSS_SELECTOR, approve))
    wait_for(browser, "return document.querySelector('.alert-success')")
    screenshot(browser, "journey-moderated")

    # the map of Colombia's NBI: both layers switched on with the keyboard, as a reader would
    browser.get(base + f"/?lang=es&c=COL&i=unmet_basic_needs&y=2018&u={UNIT}")
    wait_for(browser, f"const g = {PLOT}; return g && g.data && g.data[0].z.length > 1000")
    for layer in ("contributed", "experiences"):
        box = wait_for(
            browser,
            f"const b = document.querySelector('#map-layers input[value={layer}]');"
            "return b && !b.disabled && b",
        )
        box.send_keys(" ")
        wait_for(browser, f"return location.search.includes('{layer}')")
    wait_for(
        browser, f"const d = {PLOT}.data; return d[3].locations.length && d[4].locations.length"
    )
    contributed, experiences = browser.execute_script(
        f"const d = {PLOT}.data; return [d[3].locations, d[4].locations]"
    )
    assert len(contributed) == 125 and all(u.startswith("COL05") for u in contributed)
    assert experiences == [UNIT]
    notes = browser.find_element(By.ID, "map-layer-notes").text
    assert "aportado por Medellín, versión 1" in notes and "Mesas barriales" in notes
    link = browser.find_element(By.PARTIAL_LINK_TEXT, "Mesas barriales")
    assert re.search(r"/network/\d+", link.get_attribute("href"))
    time.sleep(1.0)  # MapLibre draws the new sources
    browser.execute_script(f"{PLOT}.scrollIntoView()")
    screenshot(browser, "journey-map-layers")
    browser.execute_script("document.getElementById('map-layer-notes').scrollIntoView()")
    screenshot(browser, "journey-map-layer-notes")

    # Medellín's report: the contributed line (version 1 again), the plan, the experience
    browser.get(base + f"/unit/{UNIT}?lang=es")
    wait_for(browser, "return document.querySelector('[data-indicator=unmet_basic_needs] img')")
    alt = browser.execute_script(
        "return document.querySelector('[data-indicator=unmet_basic_needs] img').alt"
    )
    label = re.search(r"aportado por Medellín, versión 1, \d{4}-\d{2}-\d{2}", alt)
    assert label, alt
    legend = browser.find_element(By.CSS_SELECTOR, ".report-legend").text
    assert label.group(0) in legend and "versión 2" not in legend
    sources = browser.find_element(By.ID, "report-sources").text
    assert meta["source"] in sources and "CC BY 4.0" in sources
    plan = browser.find_element(By.ID, "report-plan")
    assert "Plan de Desarrollo Medellín Te Quiere" in plan.text and "2027" in plan.text
    experiences = browser.find_element(By.ID, "report-experiences")
    assert "Mesas barriales de necesidades básicas" in experiences.text
    browser.execute_script("arguments[0].scrollIntoView()", plan)
    screenshot(browser, "journey-report")
    assert console_errors(browser) == []

"""The contributed data layer in Chromium, on the real store: an editor of Acre publishes Rio
Branco's own infant mortality (atlas.publish), and a link with the layer switched on draws it
above the official map, hovers with its label and the official value, and says so under the
map; the official trace is left as the store has it."""

from __future__ import annotations

import time

import pytest
from selenium.webdriver.common.actions.action_builder import ActionBuilder

from app import create_app
from atlas.db import Database
from atlas.settings import settings
from tests.browser.conftest import _serve, console_errors, screenshot, wait_for
from tests.fixtures.contributed import publish_rows
from tests.fixtures.people import make_people

pytestmark = pytest.mark.browser
PLOT = "document.querySelector('#choropleth .js-plotly-plot')"
RIO_BRANCO = "BRA1200401"


@pytest.fixture
def served(store, tmp_path):
    db = Database.from_url(f"sqlite:///{tmp_path / 'atlas.sqlite3'}")
    app = create_app(settings(), store=store, db=db)
    editor = make_people(db)["editor"]  # an editor of the state 12 (Acre)
    publish_rows(
        db, editor, store, "BRA", "infant_mortality", [("1200401", 2010, "11,5")], RIO_BRANCO
    )
    yield from _serve(app)
    db.dispose()


def _hover_at_unit(browser, trace: int, unit: str) -> str:
    """Move the pointer onto ``unit``'s centroid in ``trace`` and return the hover label."""
    x, y = browser.execute_script(
        f"const gd = {PLOT}; const map = gd._fullLayout.map._subplot.map;"
        f"const pt = gd.calcdata[{trace}].find(p => p.loc === arguments[0]);"
        "const p = map.project(pt.ct); const r = map.getCanvas().getBoundingClientRect();"
        "return [Math.round(r.left + p.x), Math.round(r.top + p.y)];",
        unit,
    )
    actions = ActionBuilder(browser)
    actions.pointer_action.move_to_location(x + 1, y + 1)
    actions.pointer_action.move_to_location(x, y)
    actions.perform()
    return wait_for(
        browser,
        "const h = document.querySelector('#choropleth .hoverlayer .hovertext');"
        "return h && h.textContent",
    )


def test_bml001_a_published_value_is_drawn_above_the_official_map_with_its_label(browser, served):
    browser.get(
        served + f"/?lang=en&c=BRA&i=infant_mortality&y=2010&u={RIO_BRANCO}&layers=contributed"
    )
    wait_for(
        browser, f"const g = {PLOT}; return g && g.data && g.data[3] && g.data[3].locations.length"
    )
    layer = browser.execute_script(
        f"const d = {PLOT}.data; return [d[3].locations, d[3].z, d[0].z.length]"
    )
    assert layer[0] == [RIO_BRANCO] and layer[1][0] >= 1 and layer[2] > 5000
    # the map focuses the selected unit: at that zoom every trace takes the detailed geometry
    wait_for(
        browser,
        f"const d = {PLOT}.data; return d[3].geojson === d[0].geojson && d[0].geojson.includes('-high.')",
    )
    checked = browser.execute_script(
        "return [...document.querySelectorAll('#map-layers input')].map(i => [i.value, i.checked, i.disabled])"
    )
    assert ["contributed", True, False] in checked and ["experiences", False, True] in checked
    notes = browser.find_element("id", "map-layer-notes").text
    assert "contributed by Rio Branco, version 1" in notes and "Licence: CC BY 4.0" in notes
    time.sleep(1.0)  # MapLibre draws the new sources
    label = _hover_at_unit(browser, 3, RIO_BRANCO)
    assert "contributed by Rio Branco, version 1" in label, label
    assert "Contributed: 11.5" in label and "(2010)" in label and "Official: " in label
    screenshot(browser, "map-contributed-layer")
    # the layer is switched off by keyboard: its trace empties, the link forgets it
    box = browser.find_element("css selector", "#map-layers input[value=contributed]")
    box.send_keys(" ")
    wait_for(browser, "return !location.search.includes('layers=')")
    wait_for(browser, f"return {PLOT}.data[3].locations.length === 0")
    assert console_errors(browser) == []

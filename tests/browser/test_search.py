"""The place search box in Chromium: a name with spaces typed key by key after a selection, and
the selected unit's name in the box when a view opens from a link."""

from __future__ import annotations

import time

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from tests.browser.conftest import console_errors, wait_for

pytestmark = pytest.mark.browser

PLOT = "document.querySelector('#choropleth .js-plotly-plot')"
READY = f"const g={PLOT}; return g && g.data && g.data[0] && g.data[0].z && g.data[0].z.length"
BOX_TEXT = "return document.querySelector('#unit-search').textContent"


def test_brw050_a_link_s_unit_shows_in_the_box_and_typing_spaces_keeps_the_text(
    browser, server_url
):
    browser.get(server_url + "/?c=COL&y=2010&u=COL05001")
    wait_for(browser, READY)
    assert "Medellín — Antioquia (Colombia)" in wait_for(
        browser, BOX_TEXT + ".includes('Medellín') && " + BOX_TEXT[7:]
    )
    # The box opens on the selected option; every key, spaces included, must reach the search.
    # Dash draws its dropdowns once their chunk has loaded, which may come after the map
    wait_for(browser, "return document.getElementById('unit-search')").click()
    wait_for(browser, "return document.querySelector('.dash-dropdown-search')")
    for ch in "Oaxaca de Juárez":
        ActionChains(browser).send_keys(ch).perform()
        time.sleep(0.05)
    field = browser.find_element("css selector", ".dash-dropdown-search")
    assert field.get_attribute("value") == "Oaxaca de Juárez"
    wait_for(
        browser,
        "const o=document.querySelector('.dash-dropdown-option');"
        "return o && o.textContent.includes('Oaxaca de Juárez — Oaxaca')",
    )
    ActionChains(browser).send_keys(Keys.ENTER).perform()
    wait_for(browser, "return location.search.includes('u=MEX20067')")
    assert "c=MEX" in browser.current_url
    wait_for(browser, BOX_TEXT + ".includes('Oaxaca de Juárez')")
    assert console_errors(browser) == []


def test_brw051_a_click_on_the_ranking_shows_the_unit_in_the_box(browser, server_url, store):
    browser.get(server_url + "/?c=URY&y=2010")
    wait_for(browser, READY)
    bar = wait_for(browser, "return document.querySelector('#ranking .point path')")
    ActionChains(browser).move_to_element(bar).click().perform()
    search = wait_for(browser, "return location.search.includes('u=URY') && location.search")
    unit = search.split("u=")[1].split("&")[0]
    name = store.unit(unit)["name"]
    wait_for(browser, BOX_TEXT + f".includes({name!r})")
    assert console_errors(browser) == []


def test_brw052_a_click_on_brazils_ranking_selects_the_unit_of_that_point(
    browser, server_url, store
):
    """Brazil's ranking draws every municipality in the layer's order without ids: the click
    names the point's row, and the selection is that row's municipality."""
    browser.get(server_url + "/?c=BRA&i=infant_mortality&y=2010")
    wait_for(browser, READY)
    point = wait_for(
        browser,
        "const ps = [...document.querySelectorAll('#ranking .trace:first-child .point')];"
        " return ps.length > 5000 && ps[1234]",
    )
    # the point plotly reports for the click (the closest of the dense dots, as the reader's)
    browser.execute_script(
        "document.querySelector('#ranking .js-plotly-plot').on('plotly_click',"
        " e => { window.__pt = [e.points[0].pointIndex, e.points[0].hovertext]; })"
    )
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", point)
    ActionChains(browser).move_to_element(point).click().perform()
    row, name = wait_for(browser, "return window.__pt")
    expected = store.layer("BRA", "municipality").unit_ids[row]
    assert store.unit(expected)["name"] == name  # the row's municipality is the one hovered
    wait_for(browser, f"return location.search.includes('u={expected}')")
    wait_for(browser, BOX_TEXT + f".includes({name!r})")
    assert console_errors(browser) == []

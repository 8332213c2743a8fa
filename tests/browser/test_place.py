"""The place answers first, in Chromium: search -> zoom -> the answer at the top of the unit
panel (desktop), and a phone's first screen (390 x 844) with the map and the answer before the
controls, which wait in a drawer the keyboard opens."""

from __future__ import annotations

import math
import time

import pytest
from selenium.webdriver.common.keys import Keys

from tests.browser.conftest import console_errors, screenshot, wait_for

pytestmark = pytest.mark.browser

PLOT = "document.querySelector('#choropleth .js-plotly-plot')"
READY = f"const g={PLOT}; return g && g.data && g.data[0] && g.data[0].z && g.data[0].z.length"
CANELA = "BRA4304408"
#: The geometry files the browser has fetched in full.
FETCHED = "performance.getEntriesByType('resource').filter(e => e.responseEnd > 0)"
BOX = """const b = document.querySelector(arguments[0]).getBoundingClientRect();
return [b.left, b.top, b.right, b.bottom];"""


def _box(driver, selector: str) -> list[float]:
    return driver.execute_script(BOX, selector)


def _overlap(a: list[float], b: list[float]) -> bool:
    return min(a[2], b[2]) - max(a[0], b[0]) > 0.5 and min(a[3], b[3]) - max(a[1], b[1]) > 0.5


def test_brw050_search_zooms_to_the_place_and_answers_at_the_top(browser, server_url):
    browser.get(server_url + "/?i=illiteracy&y=2000&m=status")
    wait_for(browser, READY)
    country_zoom = browser.execute_script(f"return {PLOT}._fullLayout.map.zoom")
    # Dash draws its dropdowns once their chunk has loaded, which may come after the map
    wait_for(browser, "return document.getElementById('unit-search')").click()
    box = wait_for(browser, "return document.querySelector('.dash-dropdown-search')")
    box.send_keys("canela")
    option = wait_for(
        browser,
        "return [...document.querySelectorAll('.dash-dropdown-option')]"
        ".find(o => o.textContent.includes('Canela') && o.textContent.includes('Rio Grande'))",
    )
    browser.execute_script("arguments[0].click();", option)
    wait_for(browser, f"return location.search.includes('u={CANELA}')")
    # the indicator stays; the map zooms to Canela (about 50.8 W, 29.3 S)
    assert "i=illiteracy" in browser.current_url
    wait_for(browser, f"return {PLOT}._fullLayout.map.zoom > {country_zoom} + 4")
    center = browser.execute_script(f"return {PLOT}._fullLayout.map.center")
    assert abs(center["lon"] + 50.77) < 0.2 and abs(center["lat"] + 29.34) < 0.2
    # the answer per goal opens the unit panel, before the indicator's own detail
    answers = wait_for(browser, "return document.querySelector('#unit-panel #place-answers')")
    assert "Canela" in answers.text and "ODM 1" in answers.text
    panel = _box(browser, "#unit-panel")
    first = _box(browser, "#place-answers .place-answer")
    assert first[1] - panel[1] < 200
    light = browser.execute_script(
        "return getComputedStyle(document.querySelector('.place-answer .status-light'))"
        ".backgroundColor"
    )
    assert light not in ("", "rgba(0, 0, 0, 0)")
    assert "por año (tasa relativa" in answers.text and "Posición" in answers.text
    wait_for(browser, f"return {FETCHED}.some(e => e.name.includes('BRA-municipality-high.'))")
    time.sleep(3)  # the detailed geometry draws for the screenshot
    screenshot(browser, "place-canela-desktop")
    assert console_errors(browser) == []


def _phone(driver) -> None:
    driver.set_window_size(390, 844)
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True},
    )


def test_brw051_a_phone_s_first_screen_shows_map_and_answer_before_controls(browser, server_url):
    _phone(browser)
    browser.get(server_url + f"/?i=illiteracy&y=2000&m=status&u={CANELA}")
    wait_for(browser, READY)
    wait_for(browser, "return document.querySelector('#place-answers .place-answer')")
    wait_for(browser, f"return {FETCHED}.some(e => e.name.includes('BRA-municipality-high.'))")
    time.sleep(3)  # the detailed geometry draws, zoomed to fit the narrow frame
    height = browser.execute_script("return window.innerHeight")
    assert height == 844
    title, frame = _box(browser, ".map-title"), _box(browser, ".map-frame")
    head, first = _box(browser, "#unit-panel h2"), _box(browser, "#place-answers .place-answer")
    bar = _box(browser, ".controls-col")
    assert frame[1] < 844 * 0.5, f"the map starts at {frame[1]} px"
    # the answer's first goal (its status and value) shows above the controls' bar
    light = _box(browser, "#place-answers .place-answer .status-light")
    assert light[3] < bar[1] <= height, (light, bar)
    assert frame[3] <= head[1] <= first[1]
    # the controls are folded away; nothing on the first screen overlaps
    assert not browser.find_element("id", "controls-drawer").is_displayed()
    boxes = {"title": title, "map": frame, "unit": head, "answer": light, "bar": bar}
    for a in boxes:
        for b in boxes:
            if a < b:
                assert not _overlap(boxes[a], boxes[b]), (a, b, boxes[a], boxes[b])
    width = browser.execute_script("return document.documentElement.clientWidth")
    assert browser.execute_script("return document.documentElement.scrollWidth") <= width + 1
    screenshot(browser, "place-canela-phone")
    # the keyboard opens the drawer: the button says so and the controls are reachable
    toggle = browser.find_element("id", "controls-toggle")
    toggle.send_keys(Keys.ENTER)
    wait_for(browser, "return document.querySelector('#controls-drawer.show')")
    assert toggle.get_attribute("aria-expanded") == "true"
    assert browser.find_element("id", "country-select").is_displayed()
    assert console_errors(browser) == []


#: Set before any page script: the map's first draw waits 3 s more (as where MapLibre's module
#: or the geometry arrives late on a slow connection or a busy machine).
LATE_MAP = """
(() => {
  let plotly;
  Object.defineProperty(window, 'Plotly', {configurable: true, get() { return plotly; }, set(v) {
    const react = v.react;
    let first = true;
    v.react = function (gd, ...rest) {
      const el = typeof gd === 'string' ? document.getElementById(gd) : gd;
      if (first && el && el.closest && el.closest('#choropleth')) {
        first = false;
        return new Promise(resolve => setTimeout(resolve, 3000)).then(() => react.call(v, gd, ...rest));
      }
      return react.call(v, gd, ...rest);
    };
    plotly = v;
  }});
})();
"""


@pytest.mark.parametrize("late", [False, True], ids=["", "map-drawn-late"])
def test_brw052_a_phone_s_map_fits_the_country(browser, server_url, late):
    _phone(browser)
    if late:
        browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": LATE_MAP})
    browser.get(server_url + "/?i=illiteracy&y=2000")
    wait_for(browser, READY)
    west, south, east, north = -73.99, -33.75, -32.39, 5.27  # Brazil (the store's bounds)
    # the fit: the country's width at the map's zoom is within the frame's width
    script = f"""const g = {PLOT}; const z = g._fullLayout.map.zoom;
        return [512 * Math.pow(2, z) * {east - west} / 360, g.clientWidth, z];"""
    # the server's zoom fits a frame about 588 px across (3.03 for Brazil); the browser zooms out
    wait_for(browser, f"return {PLOT}._fullLayout.map.zoom < 3")
    span, frame_width, zoom = browser.execute_script(script)
    assert span <= frame_width + 1, (span, frame_width, zoom)
    assert not math.isnan(zoom) and north > south
    assert console_errors(browser) == []

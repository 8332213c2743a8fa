"""Polish readers notice, in headless Chromium: the wheel scrolls the page over the map unless
Ctrl is held, and the map page never shows blank axes while it loads."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.actions.wheel_input import ScrollOrigin
from selenium.webdriver.common.keys import Keys

from tests.browser.conftest import console_errors, wait_for

pytestmark = pytest.mark.browser

PLOT = "document.querySelector('#choropleth .js-plotly-plot')"
DRAWN = f"const g={PLOT}; return g && g.data && g.data[0] && g.data[0].z && g.data[0].z.length"
ZOOM = f"return {PLOT}._fullLayout.map.zoom"


def test_pol001_the_wheel_scrolls_the_page_unless_ctrl_is_held(browser, server_url):
    browser.get(server_url + "/?c=URY&i=infant_mortality")
    wait_for(browser, DRAWN)
    wait_for(browser, f"return !!({PLOT}._fullLayout && {PLOT}._fullLayout.map)")
    frame = browser.find_element("css selector", "#choropleth")
    zoom = browser.execute_script(ZOOM)
    assert browser.execute_script("return window.scrollY") == 0
    ActionChains(browser).scroll_from_origin(ScrollOrigin.from_element(frame), 0, 200).perform()
    wait_for(browser, "return window.scrollY > 0")
    assert browser.execute_script(ZOOM) == zoom
    help_text = browser.find_element("css selector", ".map-wheel-help").text
    assert "Ctrl" in help_text
    browser.execute_script("window.scrollTo(0, 0)")
    frame = browser.find_element("css selector", "#choropleth")
    ActionChains(browser).key_down(Keys.CONTROL).scroll_from_origin(
        ScrollOrigin.from_element(frame), 0, -300
    ).key_up(Keys.CONTROL).perform()
    wait_for(browser, f"return Math.abs({ZOOM[7:]} - {zoom}) > 0.05")
    assert console_errors(browser) == []


def test_pol002_the_loading_line_gives_way_to_the_page(browser, server_url):
    browser.get(server_url + "/?c=URY&i=infant_mortality&lang=pt")
    wait_for(browser, DRAWN)
    boot = browser.find_element("css selector", ".atlas-boot")
    assert not boot.is_displayed()
    shown = browser.execute_script(
        "return [...document.querySelectorAll('.atlas-boot [lang]')].filter(e => !e.hidden)"
        ".map(e => e.lang)"
    )
    assert shown == ["pt"]
    assert console_errors(browser) == []

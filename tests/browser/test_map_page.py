"""The map page in headless Chromium: Brazil's municipalities coloured, from the URL, no errors."""

from __future__ import annotations

import pytest

from tests.browser.conftest import console_errors, screenshot, wait_for

pytestmark = pytest.mark.browser

PLOT = "document.querySelector('#choropleth .js-plotly-plot')"


def test_brw001_brazil_municipalities_are_coloured(browser, server_url):
    browser.get(server_url + "/?i=infant_mortality&y=2010")
    n = wait_for(browser, f"const g={PLOT}; return g && g.data && g.data[0] && g.data[0].z.length")
    assert n == 5564
    wait_for(browser, "return document.querySelector('#choropleth canvas')")
    # the geometry arrived once, as a static file
    geo = wait_for(
        browser,
        "return performance.getEntriesByType('resource').filter(e => e.name.includes('/geo/BRA-municipality-low.')).length",
    )
    assert geo == 1
    legend = browser.find_element("id", "map-legend").text
    assert "sin datos" in legend
    caption = browser.find_element("id", "map-caption").text
    assert "2010" in caption and "Fuente" in caption
    screenshot(browser, "brazil-infant-mortality-2010")
    assert console_errors(browser) == []


def test_brw002_the_url_sets_language_country_and_indicator(browser, server_url):
    browser.get(server_url + "/?lang=pt&c=MEX&i=illiteracy&y=2000")
    wait_for(
        browser, f"const g={PLOT}; return g && g.data && g.data[0] && g.data[0].z.length === 2457"
    )
    title = browser.find_element("css selector", ".map-title").text
    assert "Analfabetismo" in title and "2000" in title
    assert browser.find_element("css selector", "main").get_attribute("lang") == "pt"
    assert console_errors(browser) == []


def test_brw003_a_bad_link_shows_a_notice_and_the_default_view(browser, server_url):
    browser.get(server_url + "/?c=ZZZ&y=banana")
    wait_for(browser, f"const g={PLOT}; return g && g.data && g.data[0] && g.data[0].z.length")
    notice = browser.find_element("id", "url-notice").text
    assert "no válido" in notice
    assert console_errors(browser) == []

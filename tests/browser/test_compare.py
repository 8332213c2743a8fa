"""The compare page in Chromium: a compare link opened in each language draws one chart per
indicator with a line per place, and a place found by name is added."""

from __future__ import annotations

import pytest

from tests.browser.conftest import console_errors, screenshot, wait_for

pytestmark = pytest.mark.browser

LINK = "/compare?u=BRA4304408,MEX20067,PER050101&i=poverty_extreme,illiteracy"
TITLES = {"es": "Comparar lugares", "pt": "Comparar lugares", "en": "Compare places"}
CAUTION = {
    "es": "No comparable entre países",
    "pt": "Não comparável entre países",
    "en": "Not comparable across countries",
}


@pytest.mark.parametrize("lang", ["es", "pt", "en"])
def test_brw060_a_compare_link_draws_its_charts_in_each_language(browser, server_url, lang):
    browser.get(f"{server_url}{LINK}&lang={lang}")
    wait_for(
        browser,
        f"const h=document.querySelector('main h1'); return h && h.textContent === {TITLES[lang]!r}",
    )
    # two charts; extreme poverty has a line per place (three countries), illiteracy two
    wait_for(
        browser, "return document.querySelectorAll('.compare-chart .scatterlayer').length === 2"
    )
    lines = browser.execute_script(
        "return [...document.querySelectorAll('.compare-chart')].map("
        "g => g.querySelectorAll('.scatterlayer .trace .js-line').length)"
    )
    assert lines[0] >= 3 and lines[1] >= 2, lines
    text = browser.find_element("css selector", "main").text
    assert "Canela" in text and "Oaxaca de Juárez" in text and "Ayacucho" in text
    assert CAUTION[lang] in text
    assert browser.execute_script("return document.querySelectorAll('main table').length") == 2
    assert browser.find_element("css selector", "main").get_attribute("lang") == lang
    screenshot(browser, f"compare-{lang}")
    assert console_errors(browser) == []


def test_brw061_a_place_found_by_name_is_added_to_the_comparison(browser, server_url):
    browser.get(f"{server_url}/compare?u=BRA4304408&i=illiteracy&lang=en")
    wait_for(browser, "return document.querySelectorAll('.compare-chart .scatterlayer').length")
    # Dash draws its dropdowns once their chunk has loaded, which may come after the map
    wait_for(browser, "return document.getElementById('compare-search')").click()
    box = wait_for(browser, "return document.querySelector('.dash-dropdown-search')")
    box.send_keys("oaxaca")
    option = wait_for(
        browser,
        "return [...document.querySelectorAll('.dash-dropdown-option')]"
        ".find(o => o.textContent.startsWith('Oaxaca de Juárez'))",
    )
    browser.execute_script("arguments[0].click();", option)
    wait_for(
        browser,
        "const a=document.getElementById('compare-add');"
        " return a && a.getAttribute('href').includes('u=BRA4304408,MEX20067')"
        " && !a.classList.contains('disabled')",
    )
    browser.find_element("id", "compare-add").click()
    wait_for(browser, "return location.search.includes('u=BRA4304408,MEX20067')")
    wait_for(
        browser,
        "return document.querySelectorAll('.compare-chart .scatterlayer .trace .js-line').length"
        " >= 2",
    )
    assert "Oaxaca de Juárez" in browser.find_element("css selector", "main").text
    assert console_errors(browser) == []

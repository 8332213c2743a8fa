"""The state level in Chromium: choosing "states, departments or regions" for Brazil and Mexico
maps their states (values rolled up at build time) with a legend, and the state's panel says how
its value was obtained."""

from __future__ import annotations

import pytest

from tests.browser.conftest import console_errors, screenshot, wait_for

pytestmark = pytest.mark.browser

PLOT = "document.querySelector('#choropleth .js-plotly-plot')"
Z_LENGTH = f"const g={PLOT}; return g && g.data && g.data[0] && g.data[0].z && g.data[0].z.length"


@pytest.mark.parametrize(("country", "states"), [("BRA", 27), ("MEX", 32)])
def test_brw030_state_level_maps_brazil_and_mexico_with_a_legend(
    browser, server_url, country, states
):
    browser.get(server_url + f"/?c={country}&i=poverty_extreme&y=2010&m=status")
    assert wait_for(browser, Z_LENGTH) > states
    radio = wait_for(
        browser, "return document.querySelector('#level-select input[value=\"admin1\"]')"
    )
    browser.execute_script("arguments[0].click();", radio)
    wait_for(browser, "return location.search.includes('l=admin1')")
    wait_for(browser, f"{Z_LENGTH} === {states}")
    # every state has a status (a trend over the rolled-up years), none is left grey
    z = browser.execute_script(f"return {PLOT}.data[0].z")
    assert sum(v is not None for v in z) >= states - 2
    assert "i=poverty_extreme" in browser.current_url and "m=status" in browser.current_url
    legend = wait_for(
        browser, "const t = document.querySelector('#map-legend').innerText; return t.trim() && t"
    )
    labels = ("Meta alcanzada", "En camino", "Avance insuficiente", "Estancamiento", "no alcanzada")
    assert sum(label in legend for label in labels) >= 2
    options = browser.execute_script(
        "return [...document.querySelectorAll('#indicator-select')].map(e => e.textContent)"
    )
    assert "Pobreza extrema" in options[0]
    screenshot(browser, f"{country.lower()}-states-extreme-poverty-status")
    assert console_errors(browser) == []

"""The atlas served under a prefix (``ATLAS_URL_PREFIX=/atlas/``) in Chromium: the map draws, the
links lead to the methodology, a unit profile and another language, and every request the page
makes (Dash's routes, geometry, plotly.js and MapLibre) stays under the prefix."""

from __future__ import annotations

import pytest

from app import vendor_version
from atlas.choices import resolve
from atlas.panels import ranking
from atlas.urlstate import State
from atlas.views import compute
from tests.browser.conftest import console_errors, screenshot, wait_for

pytestmark = pytest.mark.browser

PLOT = "document.querySelector('#choropleth .js-plotly-plot')"
URUGUAY_DRAWN = (
    f"const g={PLOT}; return g && g.data && g.data[0] && g.data[0].z && g.data[0].z.length === 19"
)
#: The ranking holds every department whose value is not flagged (few births: atlas/flags.py).
RANKING_DRAWN = (
    "const g=document.querySelector('#ranking .js-plotly-plot');"
    " return g && g.data && g.data[0] && g.data[0].customdata"
    " && g.data[0].customdata.length === {n}"
)
REQUESTS = "return performance.getEntriesByType('resource').map(e => e.name)"
H1 = "const h=document.querySelector('main h1'); return h && h.textContent.trim()"


def _click(driver, selector: str) -> None:
    link = wait_for(driver, f"return document.querySelector({selector!r})")
    driver.execute_script(
        "arguments[0].scrollIntoView({block: 'center'}); arguments[0].click();", link
    )


def test_brw030_the_atlas_works_under_a_prefix(browser, prefixed_server_url, store, catalog):
    root = prefixed_server_url
    browser.get(root + "/atlas/?c=URY&l=admin1&u=URY01")
    wait_for(browser, URUGUAY_DRAWN)
    state = resolve(State(country="URY", level="admin1", unit="URY01"), store, catalog)
    ranked = ranking(compute(store, catalog, state)).n_ranked
    assert 0 < ranked <= 19
    wait_for(browser, RANKING_DRAWN.format(n=ranked))
    # The unit panel links the selected unit's profile under the prefix.
    wait_for(browser, "return document.querySelector('#unit-panel a[href=\"/atlas/unit/URY01\"]')")
    # every file and answer of the map's document under the prefix (each page is a document)
    requests = browser.execute_script(REQUESTS)
    for kind in ("/geo/", "/vendor/", "/_dash-", "/assets/"):
        fetched = [u for u in requests if kind in u]
        assert all(u.startswith(root + "/atlas/") for u in fetched), fetched
    assert any("/atlas/geo/URY-admin1-low." in u for u in requests), requests
    assert any("/atlas/_dash-update-component" in u for u in requests), requests
    if vendor_version() is not None:  # the built bundle (make); otherwise Dash's plotly.js
        assert any(u.startswith(root + "/atlas/vendor/") for u in requests), requests

    _click(browser, ".main-nav a[href='/atlas/method']")
    wait_for(browser, f"{H1} === 'Metodología'")
    assert browser.execute_script("return location.pathname") == "/atlas/method"

    browser.back()  # the map again, as the link named it
    wait_for(browser, URUGUAY_DRAWN)
    _click(browser, "#unit-panel a[href='/atlas/unit/URY01']")
    wait_for(browser, f"{H1} === 'Montevideo'")
    assert browser.execute_script("return location.pathname") == "/atlas/unit/URY01"
    requests = browser.execute_script(REQUESTS)
    assert all(u.startswith(root + "/atlas/") for u in requests if "/_dash-" in u), requests
    assert console_errors(browser) == []

    # Another language: the same profile, its links still under the prefix.
    _click(browser, ".lang-link[lang='en']")
    wait_for(browser, "return document.documentElement.lang === 'en'")
    wait_for(browser, f"{H1} === 'Montevideo'")
    assert browser.execute_script("return location.pathname + location.search") == (
        "/atlas/unit/URY01?lang=en"
    )
    hrefs = browser.execute_script(
        "return [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))"
    )
    assert all(h.startswith(("/atlas/", "#")) for h in hrefs), hrefs
    screenshot(browser, "prefix-profile-en")
    assert console_errors(browser) == []

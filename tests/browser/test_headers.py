"""Every page under the atlas's Content-Security-Policy in headless Chromium: drawn, with no
policy violation and no console error; and the callback bodies a browser sends, measured
against the body limit (callbacks/guard.py ``MAX_BODY``)."""

from __future__ import annotations

import json

import pytest
from selenium.webdriver.common.keys import Keys

from callbacks.guard import MAX_BODY
from tests.browser.conftest import console_errors, wait_for

pytestmark = pytest.mark.browser

#: Installed before any page script: records each CSP violation and the size of each callback
#: body the page POSTs.
RECORDER = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e =>
  window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sourceFile || '')));
window.__bodies = [];
const _fetch = window.fetch;
window.fetch = function(url, opts) {
  if (opts && typeof opts.body === 'string') window.__bodies.push([String(url), opts.body.length]);
  return _fetch.apply(this, arguments);
};
"""
PLOT = "document.querySelector('#{} .js-plotly-plot')"
MAP_DRAWN = (
    f"const g={PLOT.format('choropleth')}; return g && g.data && g.data[0] && g.data[0].z"
    " && g.data[0].z.length && document.querySelector('#choropleth canvas')"
)
H1 = "const h=document.querySelector('main h1'); return h && h.textContent.trim().length > 0"
PAGES = [
    ("/?c=BRA&i=infant_mortality&y=2010", MAP_DRAWN),
    ("/unit/BRA4304408", "return document.querySelectorAll('main img[src^=\"data:\"]').length"),
    (
        "/compare?u=BRA4304408,MEX20067,PER050101&i=poverty_extreme,illiteracy",
        "return document.querySelectorAll('.compare-chart .scatterlayer').length",
    ),
    ("/method", H1),
    ("/data", H1),
    (
        "/embed?v=1&c=BRA&i=illiteracy&y=2000",
        f"const g={PLOT.format('embed-map')}; return g && g.data && g.data[0].z.length",
    ),
    ("/api/v1/", "return document.querySelector('h1')"),
]


@pytest.fixture
def recording(browser):
    browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORDER})
    return browser


def _violations(browser) -> list[str]:
    return browser.execute_script("return window.__csp || []")


@pytest.mark.parametrize(("path", "drawn"), PAGES)
def test_hdr001_each_page_works_under_the_csp_without_a_violation(
    recording, server_url, path, drawn
):
    recording.get(server_url + path)
    wait_for(recording, drawn)
    csp = recording.execute_script(
        "return fetch(location.href).then(r => r.headers.get('content-security-policy'))"
    )
    assert "script-src 'self' 'sha256-" in csp
    assert _violations(recording) == []
    assert console_errors(recording) == []


def test_hdr002_an_unknown_path_shows_the_not_found_page(recording, server_url):
    recording.get(server_url + "/no-such-page?lang=en")
    wait_for(recording, "return document.querySelector('#page .container.py-5')")
    assert _violations(recording) == []
    status = recording.execute_script("return fetch(location.href).then(r => r.status)")
    assert status == 404


def test_hdr003_the_largest_callback_bodies_stay_far_below_the_limit(recording, server_url):
    """A map view with a unit selected, a switch, and a tour of ten slides with long notes: the
    bodies the page POSTs are measured (README "Serving" gives the figures)."""
    recording.get(server_url + "/?c=BRA&i=infant_mortality&y=2010&u=BRA4304408")
    wait_for(recording, MAP_DRAWN)
    recording.find_element("css selector", "#tour-panel > summary").click()
    for n in range(10):
        rows = n
        recording.execute_script("arguments[0].click()", recording.find_element("id", "tour-add"))
        wait_for(
            recording, f"return document.querySelectorAll('.tour-slide').length === {rows + 1}"
        )
        note = recording.find_elements("css selector", ".tour-slide textarea")[rows]
        recording.execute_script("arguments[0].scrollIntoView()", note)
        note.send_keys("n" * 240, Keys.TAB)
    wait_for(recording, "return document.querySelector('#tour-link').href.includes('tour=')")
    bodies = recording.execute_script("return window.__bodies")
    callbacks = [size for url, size in bodies if "/_dash-update-component" in url]
    assert len(callbacks) > 20
    print("callback bodies:", len(callbacks), "largest:", json.dumps(sorted(callbacks)[-5:]))
    assert max(callbacks) < MAX_BODY / 10
    assert _violations(recording) == []
    assert console_errors(recording) == []


def test_hdr004_under_a_prefix_an_unknown_path_is_a_404_page_and_the_atlas_runs_under_the_csp(
    recording, prefixed_server_url
):
    recording.get(prefixed_server_url + "/atlas/no-such-page?lang=en")
    wait_for(recording, "return document.querySelector('#page .container.py-5')")
    status = recording.execute_script("return fetch(location.href).then(r => r.status)")
    assert status == 404
    # the browser reports the two 404 loads, and nothing else
    assert all("status of 404" in e for e in console_errors(recording))
    recording.get(prefixed_server_url + "/atlas/?c=BRA&i=infant_mortality&y=2010")
    wait_for(recording, MAP_DRAWN)
    assert _violations(recording) == []
    assert console_errors(recording) == []

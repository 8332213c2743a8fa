"""Back and Forward in Chromium: each restores the view of the address it shows, the same screen
as that address opened fresh."""

from __future__ import annotations

import pytest

from tests.browser.conftest import console_errors, wait_for

pytestmark = pytest.mark.browser

PLOT = "document.querySelector('#choropleth .js-plotly-plot')"
READY = f"const g={PLOT}; return g && g.data && g.data[0] && g.data[0].z && g.data[0].z.length"
# null while the router swaps the page (Back re-renders it): the caller polls again
SCREEN = """
const ids = ['country-select', 'indicator-select', 'year-select', 'map-title'];
const plot = document.querySelector('#choropleth .js-plotly-plot');
if (!plot || !plot.data || ids.some(id => !document.getElementById(id))) return null;
const text = id => document.getElementById(id).textContent.trim();
const checked = document.querySelector('#view-select input:checked');
return JSON.stringify({
    country: text('country-select'), indicator: text('indicator-select'),
    year: text('year-select'), view: checked && checked.value, title: text('map-title'),
    selected: (plot.data[2] || {}).locations,
});
"""


def _pick(driver, dropdown_id: str, label: str) -> None:
    driver.find_element("id", dropdown_id).click()
    option = wait_for(
        driver,
        "return [...document.querySelectorAll('.dash-dropdown-option')]"
        f".find(o => o.textContent.trim().startsWith({label!r}))",
    )
    driver.execute_script(
        "arguments[0].scrollIntoView({block: 'center'}); arguments[0].click();", option
    )


def _settled(driver, search: str) -> str:
    """The screen once the address is ``search`` and the map drew it (title and values)."""
    wait_for(driver, f"return location.search === {search!r}")
    wait_for(driver, READY)
    last, same = None, 0
    while same < 3:  # the same screen three polls in a row: the callbacks are done
        now = wait_for(driver, SCREEN)
        same = same + 1 if now == last else 0
        last = now
        driver.implicitly_wait(0)
        wait_for(driver, "return new Promise(r => setTimeout(() => r(true), 300))")
    return last


def _fresh(driver, base: str, search: str) -> str:
    driver.get(base + "/" + search)
    return _settled(driver, search)


def test_brw060_back_and_forward_restore_the_view_of_each_address(browser, server_url):
    browser.get(server_url + "/?lang=en&c=MEX&y=2010&u=MEX20067")
    # the view rewrites the link in its own form (?v=1&...): that is the first entry to go back to
    first = wait_for(
        browser,
        "return location.search.startsWith('?v=') && location.search.includes('u=MEX20067')"
        " && location.search",
    )
    addresses = [first]
    screens = [_settled(browser, first)]
    # three controls: the indicator, the year, the view
    _pick(browser, "indicator-select", "Adult illiteracy")
    addresses.append(wait_for(browser, "return location.search.includes('i=') && location.search"))
    screens.append(_settled(browser, addresses[-1]))
    _pick(browser, "year-select", "2000")
    addresses.append(
        wait_for(browser, "return location.search.includes('y=2000') && location.search")
    )
    screens.append(_settled(browser, addresses[-1]))
    browser.execute_script(
        "[...document.querySelectorAll('#view-select input')].find(i => i.value === 'gap').click()"
    )
    addresses.append(
        wait_for(browser, "return location.search.includes('m=gap') && location.search")
    )
    screens.append(_settled(browser, addresses[-1]))
    assert len(set(addresses)) == 4 and len(set(screens)) == 4
    history_length = browser.execute_script("return history.length")

    for i in (2, 1, 0):
        browser.back()
        assert _settled(browser, addresses[i]) == screens[i], f"back to {addresses[i]}"
    for i in (1, 2, 3):
        browser.forward()
        assert _settled(browser, addresses[i]) == screens[i], f"forward to {addresses[i]}"
    # restoring a view adds no history entry (Forward still had somewhere to go)
    assert browser.execute_script("return history.length") == history_length
    assert console_errors(browser) == []

    # each address opened fresh shows the same screen
    for address, screen in zip(addresses, screens, strict=True):
        assert _fresh(browser, server_url, address) == screen, address

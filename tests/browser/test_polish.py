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


def test_pol003_a_long_ranking_scrolls_inside_its_panel(browser, server_url):
    browser.get(server_url + "/?c=MEX&i=illiteracy&y=2010&a=10")  # Durango: 39 names
    wait_for(browser, DRAWN)
    wait_for(
        browser,
        "const g = document.querySelector('#ranking .js-plotly-plot');"
        " return g && g._fullLayout && g._fullLayout.height > 800",
    )
    box = browser.execute_script(
        "const r = document.querySelector('.ranking-scroll');"
        " const c = document.querySelector('.side-col').getBoundingClientRect();"
        " return {scroll: r.scrollHeight, client: r.clientHeight,"
        " bottom: r.getBoundingClientRect().bottom + window.scrollY,"
        " col: c.bottom + window.scrollY,"
        " footer: document.querySelector('.site-footer').getBoundingClientRect().top + window.scrollY}"
    )
    assert box["scroll"] > box["client"] + 200  # the long chart scrolls in its box
    assert box["bottom"] <= box["col"] + 1 and box["bottom"] <= box["footer"]


TOOLBAR = "return [...document.querySelectorAll('{} .modebar-btn')].map(b => b.getAttribute('data-title'))"


@pytest.mark.parametrize(
    ("lang", "map_titles", "ranking_title"),
    [
        ("es", {"Ampliar", "Reducir", "Restaurar vista"}, "Autoescalar"),
        ("pt", {"Ampliar zoom", "Reduzir zoom", "Restaurar visão"}, "Escala automática"),
    ],
)
def test_pol004_the_toolbars_speak_the_readers_language_and_offer_no_bare_image(
    browser, server_url, lang, map_titles, ranking_title
):
    browser.get(server_url + f"/?c=URY&i=infant_mortality&lang={lang}")
    wait_for(browser, DRAWN)
    wait_for(browser, "return document.querySelectorAll('#ranking .modebar-btn').length")
    on_map = browser.execute_script(TOOLBAR.format("#choropleth"))
    on_ranking = browser.execute_script(TOOLBAR.format("#ranking"))
    assert map_titles <= set(on_map), on_map
    assert ranking_title in on_ranking, on_ranking
    english = {"Zoom in", "Zoom out", "Reset view", "Autoscale", "Pan", "Reset axes", "Box Select"}
    assert not english & set(on_map + on_ranking)
    # the download menu gives the view with title, legend and source; plotly's bare image is gone
    assert not [b for b in on_map + on_ranking if "PNG" in b or "download" in b.lower()]
    # nor the selection tools, which select nothing the atlas acts on
    assert not [b for b in on_map + on_ranking if "Sele" in b or "laz" in b]
    assert console_errors(browser) == []

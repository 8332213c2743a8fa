"""The methodology page in the three languages and a unit profile with its peers, in Chromium."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.keys import Keys

from tests.browser.conftest import DASH_REQUESTS, console_errors, screenshot, wait_for

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("lang", "title"), [("es", "Metodología"), ("pt", "Metodologia"), ("en", "Methodology")]
)
def test_brw020_methodology_renders_in_each_language(browser, server_url, lang, title):
    browser.get(f"{server_url}/method?lang={lang}")
    wait_for(
        browser,
        f"const h=document.querySelector('main h1'); return h && h.textContent.trim() === {title!r}",
    )
    assert (
        browser.execute_script("return document.querySelectorAll('main table caption').length")
        >= 10
    )
    assert browser.find_element("css selector", "main").get_attribute("lang") == lang
    # The whole document too (header and footer are outside <main>).
    wait_for(browser, f"return document.documentElement.lang === {lang!r}")
    screenshot(browser, f"method-{lang}")
    assert console_errors(browser) == []


def test_brw021_unit_profile_shows_series_with_source_and_year(browser, server_url):
    browser.get(f"{server_url}/unit/BRA1200013?lang=pt")
    wait_for(
        browser,
        "const h=document.querySelector('main h1'); return h && h.textContent.includes('Acrelândia')",
    )
    text = browser.find_element("css selector", "main").text
    assert "1991" in text and "2010" in text and "Fonte" in text
    screenshot(browser, "profile-acrelandia")
    assert console_errors(browser) == []


@pytest.mark.parametrize(
    ("lang", "title"),
    [
        ("es", "Municipios como el suyo"),
        ("pt", "Municípios como o seu"),
        ("en", "Municipalities like yours"),
    ],
)
def test_brw022_oaxaca_s_peers_abroad_link_to_their_profiles(browser, server_url, lang, title):
    browser.get(f"{server_url}/unit/MEX20067?lang={lang}")
    wait_for(
        browser,
        "const h=document.querySelector('#profile-peers h2');"
        f" return h && h.textContent.trim() === {title!r}",
    )
    links = browser.find_elements("css selector", "#profile-peers a.peer-link[href*='/unit/BRA']")
    assert links, "Oaxaca de Juárez has peers in Brazil"
    peer = links[0].text
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", links[0])
    screenshot(browser, f"profile-peers-oaxaca-{lang}")
    browser.get(links[0].get_attribute("href"))
    wait_for(
        browser,
        f"const h=document.querySelector('main h1'); return h && h.textContent === {peer!r}",
    )
    assert console_errors(browser) == []


def test_brw040_the_map_s_source_line_links_to_its_country_on_the_data_page(browser, server_url):
    browser.get(f"{server_url}/data?lang=en")
    wait_for(
        browser,
        "const h=document.querySelector('main h1'); return h && h.textContent.startsWith('The data')",
    )
    assert browser.execute_script("return document.querySelectorAll('main h2[id]').length") >= 7
    assert browser.find_element("id", "PER").text == "Peru"
    screenshot(browser, "data-en")
    browser.get(f"{server_url}/?c=PER&lang=en")
    wait_for(
        browser,
        "const a=document.getElementById('data-about-link');"
        " return a && a.getAttribute('href') === '/data?lang=en#PER'",
    )
    wait_for(browser, "return document.getElementById('map-caption').textContent.length > 0")
    link = browser.find_element("id", "data-about-link")
    assert link.text == "About these data"
    link.send_keys(Keys.ENTER)  # reachable and followed from the keyboard
    wait_for(browser, "return location.pathname === '/data' && location.hash === '#PER'")
    wait_for(browser, "return document.activeElement && document.activeElement.id === 'PER'")
    # scrolled to the section (smoothly: wait until it arrives at the top of the window)
    wait_for(
        browser,
        "const t=document.getElementById('PER').getBoundingClientRect().top;"
        " return t > -2 && t < 100",
    )
    assert console_errors(browser) == []


# The router's requests among the page's Dash requests (its output ``page.children``).
ROUTER_CALLS = "return window.__dash.filter(r => r.output.includes('page.children'))"


def test_brw097_the_first_page_comes_with_the_layout_and_other_pages_are_new_documents(
    browser, server_url
):
    """The first page comes rendered in Dash's layout (app.first_layout): the router is not
    called at all, and the map's view is the first callback sent, with no round trip before it.
    A link to another page opens a new document, its page rendered with the layout too: swapped
    into the same document by Dash's renderer, the data page took 83 s of a frozen tab
    (layouts/shell.py)."""
    browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": DASH_REQUESTS})
    browser.get(f"{server_url}/?c=CHL&i=poverty&lang=en")
    map_drawn = (
        "const g=document.querySelector('#choropleth .js-plotly-plot');"
        " return g && g.data && g.data[0] && g.data[0].z && g.data[0].z.length"
    )
    wait_for(browser, map_drawn)
    requests = browser.execute_script("return window.__dash")
    assert [(r["output"], r["page"]) for r in requests if r["layout"]] == [("", True)]
    callbacks = sorted((r for r in requests if not r["layout"]), key=lambda r: r["sent"])
    assert "choropleth.figure" in callbacks[0]["output"], [r["output"][:60] for r in callbacks]
    assert browser.execute_script(ROUTER_CALLS) == []
    assert browser.execute_script("return document.documentElement.lang") == "en"
    browser.execute_script("window.__sameDocument = true")
    browser.find_element("link text", "The data").send_keys(Keys.ENTER)
    wait_for(
        browser,
        "const h=document.querySelector('main h1'); return h && h.textContent.startsWith('The data')",
    )
    assert browser.execute_script("return window.__sameDocument === undefined")
    assert browser.execute_script(ROUTER_CALLS) == []
    assert console_errors(browser) == []


def test_brw098_a_browser_that_names_no_page_of_this_site_gets_it_from_the_router(
    browser, server_url
):
    """Without a Referer of this site (a browser or an extension that sends none, or another
    one) the layout is the empty shell: the router's gate calls it once, and the page, its
    language and its map are as a rendered layout would have them."""
    browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": DASH_REQUESTS})
    browser.execute_cdp_cmd("Network.enable", {})
    browser.execute_cdp_cmd(
        "Network.setExtraHTTPHeaders", {"headers": {"Referer": "http://elsewhere.example/"}}
    )
    browser.get(f"{server_url}/?c=CHL&i=poverty&lang=pt")
    wait_for(
        browser,
        "const g=document.querySelector('#choropleth .js-plotly-plot');"
        " return g && g.data && g.data[0] && g.data[0].z && g.data[0].z.length",
    )
    layout = [r for r in browser.execute_script("return window.__dash") if r["layout"]]
    assert [r["page"] for r in layout] == [False]
    assert [r["page"] for r in browser.execute_script(ROUTER_CALLS)] == [True]
    assert browser.execute_script("return document.documentElement.lang") == "pt"
    wait_for(
        browser, "return document.getElementById('country-select').textContent.includes('Chile')"
    )
    assert console_errors(browser) == []

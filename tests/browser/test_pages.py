"""The methodology page in the three languages and a unit profile with its peers, in Chromium."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.keys import Keys

from tests.browser.conftest import console_errors, screenshot, wait_for

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

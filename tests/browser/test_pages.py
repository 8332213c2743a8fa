"""The methodology page in the three languages and a unit profile, in Chromium."""

from __future__ import annotations

import pytest

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

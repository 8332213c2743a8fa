"""Presentation mode and workshop tours at 1280 x 720 in headless Chromium: the map fills the
screen with title and legend in large type, Esc leaves; a three-slide tour built through the
tour panel and stepped with the arrow keys shows each slide's view (bench/out/screenshots)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from tests.browser.conftest import console_errors, screenshot, wait_for

pytestmark = pytest.mark.browser

PLOT = "document.querySelector('#choropleth .js-plotly-plot')"
DRAWN = f"const g={PLOT}; return g && g.data && g.data[0] && g.data[0].z && g.data[0].z.length"
#: MapLibre has drawn the map (its sources loaded), so a screenshot shows it.
PAINTED = (
    f"const g={PLOT}; const s = g && g._fullLayout && g._fullLayout.map"
    " && g._fullLayout.map._subplot; const m = s && s.map;"
    " return !!m && m.loaded() && m.areTilesLoaded()"
)
PRESENTING = "return !!document.querySelector('#map-page.present-mode')"


def _projector(browser):
    """A 1280 x 720 viewport, as a projector shows it."""
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": 1280, "height": 720, "deviceScaleFactor": 1, "mobile": False},
    )


def _query(browser) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(browser.current_url).query).items()}


def _rect(browser, selector: str) -> dict:
    return browser.execute_script(
        "const r = document.querySelector(arguments[0]).getBoundingClientRect();"
        "return {left: r.left, top: r.top, right: r.right, bottom: r.bottom,"
        " width: r.width, height: r.height};",
        selector,
    )


def _font_px(browser, selector: str) -> float:
    size = browser.execute_script(
        "return getComputedStyle(document.querySelector(arguments[0])).fontSize", selector
    )
    return float(size.removesuffix("px"))


def _click(browser, element) -> None:
    """Click ``element`` as the page's own script would (it may lie below a 720 px fold)."""
    assert element.is_displayed()
    browser.execute_script("arguments[0].click()", element)


def _press(browser, key):
    ActionChains(browser).send_keys(key).perform()


def _screen(browser) -> tuple[str, str]:
    """The view on screen: the map's title and its legend."""
    return (
        browser.find_element("id", "map-title").text,
        browser.find_element("id", "map-legend").text,
    )


def test_pre001_presentation_mode_fills_a_projector_and_esc_leaves(browser, server_url):
    _projector(browser)
    browser.get(server_url + "/?c=MEX&i=illiteracy&y=2010&m=status&u=MEX01001")
    wait_for(browser, DRAWN)
    wait_for(browser, "return document.querySelector('#unit-panel').innerText.length > 0")
    _click(browser, browser.find_element("id", "present-on"))
    wait_for(browser, PRESENTING)
    wait_for(browser, "return new URLSearchParams(location.search).get('present') === '1'")
    wait_for(browser, "return document.querySelector('#present-card').innerText.length > 0")
    frame = _rect(browser, "#choropleth")
    assert frame["width"] * frame["height"] >= 0.7 * 1280 * 720
    legend = _rect(browser, "#map-legend")
    title = _rect(browser, "#map-title")
    for box in (legend, title):
        assert box["top"] >= 0 and box["left"] >= 0
        assert box["bottom"] <= 720 and box["right"] <= 1280
    assert _font_px(browser, "#map-title") >= 28
    assert _font_px(browser, "#map-legend .legend-item") >= 28
    card = browser.find_element("id", "present-card").text
    assert "Aguascalientes" in card
    # no controls: the controls, tabs and ranking are hidden
    for cid in ("country-select", "view-tabs", "ranking"):
        assert not browser.find_element("id", cid).is_displayed()
    wait_for(browser, PAINTED)
    screenshot(browser, "present-mode")
    # the high-contrast palette, offered in presentation mode, goes in the link
    _click(browser, browser.find_element("id", "present-contrast"))
    wait_for(browser, "return new URLSearchParams(location.search).get('p') === 'contrast'")
    _press(browser, Keys.ESCAPE)
    wait_for(browser, "return !document.querySelector('#map-page.present-mode')")
    wait_for(browser, "return !new URLSearchParams(location.search).has('present')")
    assert browser.find_element("id", "country-select").is_displayed()
    assert console_errors(browser) == []


def _link(browser) -> str:
    return browser.find_element("id", "tour-link").get_attribute("href") or ""


def _wait_link_change(browser, before: str) -> None:
    wait_for(browser, f"return (document.querySelector('#tour-link').href || '') !== {before!r}")


def _add_slide(browser, title: str, note: str) -> None:
    """Add the view shown as a slide, then type its title and note as a facilitator does."""
    rows = len(browser.find_elements("css selector", ".tour-slide"))
    before = _link(browser)
    _click(browser, browser.find_element("id", "tour-add"))
    wait_for(browser, f"return document.querySelectorAll('.tour-slide').length === {rows + 1}")
    _wait_link_change(browser, before)
    field = browser.find_elements("css selector", ".tour-slide input")[rows]
    field.clear()
    before = _link(browser)
    field.send_keys(title, Keys.TAB)  # leaving the field commits it; the focus goes to the note
    _wait_link_change(browser, before)
    before = _link(browser)
    ActionChains(browser).send_keys(note, Keys.TAB).perform()
    _wait_link_change(browser, before)


def _pick_view(browser, view: str) -> None:
    """Pick a map view with its radio button; wait until the map shows it."""
    before = browser.find_element("id", "map-title").text
    browser.execute_script(
        "arguments[0].click()",
        browser.find_element("css selector", f"#view-select input[value='{view}']"),
    )
    wait_for(browser, f"return new URLSearchParams(location.search).get('m') === {view!r}")
    wait_for(browser, f"return document.querySelector('#map-title').innerText !== {before!r}")


def test_pre002_a_three_slide_tour_built_in_the_panel_steps_with_the_arrow_keys(
    browser, server_url
):
    _projector(browser)
    browser.get(server_url + "/?c=MEX&i=illiteracy&y=2010&u=MEX01001")
    wait_for(browser, DRAWN)
    _click(browser, browser.find_element("css selector", "#tour-panel > summary"))
    slides = [("Analfabetismo 2010", "El punto de partida."), ("Estado", "¿Quién llega a la meta?")]
    slides.append(("Brecha", "Cuánto falta."))
    views = ["value", "status", "gap"]
    screens = []
    for (title, note), view in zip(slides, views, strict=True):
        if view != "value":
            _pick_view(browser, view)
        screens.append(_screen(browser))
        _add_slide(browser, title, note)
    wait_for(
        browser,
        "return [...document.querySelectorAll('.tour-slide textarea')].at(-1).value.length > 0",
    )
    # reorder: the last slide up, then back down
    _click(browser, browser.find_elements("css selector", ".tour-row-buttons button")[2 * 3 + 0])
    wait_for(
        browser,
        f"return document.querySelectorAll('.tour-slide input')[1].value === {slides[2][0]!r}",
    )
    _click(browser, browser.find_elements("css selector", ".tour-row-buttons button")[1 * 3 + 1])
    wait_for(
        browser,
        f"return document.querySelectorAll('.tour-slide input')[2].value === {slides[2][0]!r}",
    )
    wait_for(browser, "return document.querySelector('#tour-link').href.includes('tour=')")
    link = browser.find_element("id", "tour-link").get_attribute("href")
    assert len(link) < 4000 and "present=1" in link

    browser.get(link)
    wait_for(browser, DRAWN)
    wait_for(browser, PRESENTING)
    for k in range(3):
        if k:
            _press(browser, Keys.ARROW_RIGHT)
        wait_for(
            browser,
            f"return new URLSearchParams(location.search).get('s') === '{k}' || ({k} === 0 && !new URLSearchParams(location.search).has('s'))",
        )
        wait_for(
            browser, f"return document.querySelector('#map-title').innerText === {screens[k][0]!r}"
        )
        wait_for(
            browser, f"return document.querySelector('#map-legend').innerText === {screens[k][1]!r}"
        )
        bar = browser.find_element("id", "tour-bar").text
        assert f"{k + 1} de 3" in bar and slides[k][0] in bar and slides[k][1] in bar
        assert _query(browser).get("m", "value") == views[k]
        assert browser.find_element("id", "map-legend").is_displayed()
        wait_for(browser, PAINTED)
        screenshot(browser, f"tour-{k + 1}")
    _press(browser, Keys.ARROW_RIGHT)  # past the last slide: nothing happens
    _press(browser, Keys.ARROW_LEFT)
    wait_for(
        browser, f"return document.querySelector('#map-title').innerText === {screens[1][0]!r}"
    )
    _click(browser, browser.find_element("id", "tour-prev"))
    wait_for(
        browser, f"return document.querySelector('#map-title').innerText === {screens[0][0]!r}"
    )
    assert console_errors(browser) == []


def test_pre003_a_broken_tour_link_says_so_and_shows_the_view(browser, server_url):
    browser.get(server_url + "/?c=MEX&i=illiteracy&present=1&tour=1.broken!")
    wait_for(browser, DRAWN)
    notice = browser.find_element("id", "url-notice").text
    assert "recorrido" in notice
    assert console_errors(browser) == []

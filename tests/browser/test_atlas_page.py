"""The atlas page in Chromium: a link reproduces the view; an indicator switch patches values
without re-sending geometry; desktop, projector and phone layouts; keyboard reach; no errors."""

from __future__ import annotations

import json
import time

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from tests.browser.conftest import DASH_REQUESTS, console_errors, screenshot, wait_for

pytestmark = pytest.mark.browser

PLOT = "document.querySelector('#choropleth .js-plotly-plot')"
RANKING = "document.querySelector('#ranking .js-plotly-plot')"
READY = f"const g={PLOT}; return g && g.data && g.data[0] && g.data[0].z && g.data[0].z.length"
GEO_FETCHES = "return performance.getEntriesByType('resource').filter(e => e.name.includes('/geo/')).map(e => e.name)"


def _pick(driver, dropdown_id: str, label: str) -> None:
    driver.find_element("id", dropdown_id).click()
    option = wait_for(
        driver,
        "return [...document.querySelectorAll('.dash-dropdown-option')]"
        f".find(o => o.textContent.trim() === {label!r})",
    )
    driver.execute_script(
        "arguments[0].scrollIntoView({block: 'center'}); arguments[0].click();", option
    )


def test_brw010_a_link_reproduces_controls_legend_and_selection(browser, server_url):
    browser.get(server_url + "/?lang=en&c=MEX&i=illiteracy&y=2000&m=status&u=MEX01001&n=4")
    assert wait_for(browser, READY) == 2457
    wait_for(
        browser,
        "return document.querySelector('#unit-panel').textContent.includes('Aguascalientes')",
    )
    # dcc.Dropdown draws once its code (async-dropdown.js) has loaded, which under load may be
    # after the map: the page came with the layout, before any answer
    wait_for(
        browser,
        "const c = document.getElementById('country-select');"
        " return c && /Mexico|México/.test(c.textContent)",
    )
    assert "Adult illiteracy" in browser.find_element("id", "indicator-select").text
    assert browser.find_element("id", "year-select").text.strip() == "2000"
    checked = browser.execute_script(
        "return document.querySelector('#view-select input:checked').value"
    )
    assert checked == "status"
    legend = browser.find_element("id", "map-legend").text
    assert (
        "Insufficient data" in legend or "On track" in legend or "must accelerate" in legend.lower()
    )
    selected = browser.execute_script(f"return {PLOT}.data[2].locations")
    assert selected == ["MEX01001"]
    assert "u=MEX01001" in browser.current_url and "m=status" in browser.current_url
    assert console_errors(browser) == []


def test_brw011_indicator_switch_changes_values_without_resending_geometry(browser, server_url):
    browser.get(server_url + "/?i=infant_mortality&y=2010")
    wait_for(browser, READY)
    wait_for(browser, "return " + GEO_FETCHES[7:] + ".length >= 2")
    before_geo = browser.execute_script(GEO_FETCHES)
    # the ranking is drawn a frame after the map
    wait_for(browser, f"const r={RANKING}; return r && r.data && r.data[0] && r.data[0].x")
    browser.execute_script(
        f"window.__z = {PLOT}.data[0].z.slice(); window.__geo = {PLOT}.data[0].geojson;"
        f"window.__rx = {RANKING}.data[0].x.slice();"
        f"window.__rnames = {RANKING}.data[0].hovertext.slice();"
    )
    _pick(browser, "indicator-select", "Pobreza extrema (% de personas)")
    wait_for(browser, f"const z={PLOT}.data[0].z; return z.some((v, i) => v !== window.__z[i])")
    # the ranking took the new values in place: same units in the same order (not sent again)
    wait_for(browser, f"const x={RANKING}.data[0].x; return x.some((v, i) => v !== window.__rx[i])")
    assert browser.execute_script(
        f"const ns={RANKING}.data[0].hovertext; return ns.length === window.__rnames.length"
        " && ns.every((n, i) => n === window.__rnames[i]) && ns.length > 5000"
    )
    wait_for(browser, "return location.search.includes('i=poverty_extreme')")
    assert browser.execute_script(f"return {PLOT}.data[0].geojson === window.__geo")
    time.sleep(1.0)
    assert browser.execute_script(GEO_FETCHES) == before_geo, "geometry was fetched again"
    assert "Pobreza extrema" in browser.find_element("id", "map-title").text
    assert console_errors(browser) == []


def test_brw012_clicking_the_table_tab_and_keyboard_reach(browser, server_url):
    browser.get(server_url + "/?y=2010")
    wait_for(browser, READY)
    reached = set()
    for _ in range(25):
        ActionChains(browser).send_keys(Keys.TAB).perform()
        reached.add(
            browser.execute_script("const e=document.activeElement; return e.id || e.name || ''")
        )
    for control in (
        "unit-search",
        "country-select",
        "indicator-select",
        "year-select",
        "view-select",
        "level-select",
        "view-tabs",
    ):
        assert control in reached, f"{control} not reachable by keyboard"
    browser.find_element("css selector", "#view-tabs input[value=table]").click()
    wait_for(browser, "return document.querySelectorAll('#data-table tbody tr').length >= 10")
    assert browser.find_element("css selector", "#data-table caption").text
    assert "tab=table" in browser.current_url
    assert console_errors(browser) == []


@pytest.mark.parametrize(
    ("name", "size", "query"),
    [
        ("desktop", (1366, 900), "/?y=2010&u=BRA2304400"),
        ("projector", (1280, 720), "/?y=2010&big=1&m=status"),
        ("phone", (360, 740), "/?lang=pt&c=COL&i=unmet_basic_needs&y=2018"),
    ],
)
def test_brw013_layouts_render_at_desktop_projector_and_phone_sizes(
    browser, server_url, name, size, query
):
    browser.set_window_size(*size)
    browser.get(server_url + query)
    wait_for(browser, READY)
    time.sleep(1.5)  # let the map draw for the screenshot
    width = browser.execute_script("return document.documentElement.clientWidth")
    scroll = browser.execute_script("return document.documentElement.scrollWidth")
    assert scroll <= width + 1, f"{name}: page scrolls sideways ({scroll} > {width})"
    if name == "projector":
        size_px = browser.execute_script(
            "return parseFloat(getComputedStyle(document.querySelector('.map-title')).fontSize)"
        )
        assert size_px >= 28
    screenshot(browser, f"atlas-{name}")
    assert console_errors(browser) == []


def test_brw014_searching_a_name_selects_the_unit_in_its_country(browser, server_url):
    browser.get(server_url + "/?y=2010")
    wait_for(browser, READY)
    # Dash draws its dropdowns once their chunk has loaded, which may come after the map
    wait_for(browser, "return document.getElementById('unit-search')").click()
    box = wait_for(browser, "return document.querySelector('.dash-dropdown-search')")
    box.send_keys("medellin")
    option = wait_for(
        browser,
        "return [...document.querySelectorAll('.dash-dropdown-option')].find(o => o.textContent.includes('Medellín'))",
    )
    browser.execute_script("arguments[0].click();", option)
    wait_for(
        browser,
        "return location.search.includes('u=COL05001') && location.search.includes('c=COL')",
    )
    assert wait_for(browser, READY) == 1122
    wait_for(
        browser, "return document.querySelector('#unit-panel').textContent.includes('Medellín')"
    )
    assert browser.execute_script(f"return {PLOT}.data[2].locations") == ["COL05001"]
    assert console_errors(browser) == []


def test_brw015_all_six_countries_map_with_its_caveat(browser, server_url):
    browser.get(server_url + "/?lang=en&c=ALL&i=under5_mortality&y=2015&m=status")
    assert wait_for(browser, READY) == 6
    assert "Comparing countries" in browser.find_element("id", "map-notes").text
    screenshot(browser, "atlas-all-six")
    assert console_errors(browser) == []


def test_brw016_zooming_in_loads_the_detailed_geometry_once(browser, server_url):
    browser.get(server_url + "/?c=CHL&i=poverty&y=2022")
    wait_for(browser, READY)
    # A relayout without a zoom (here a resize) right after the zoom must not cancel the swap.
    browser.execute_script(
        f"Plotly.relayout({PLOT}, {{'map.zoom': 7, 'map.center': {{'lon': -70.65, 'lat': -33.45}}}});"
        f"Plotly.relayout({PLOT}, {{'autosize': true}})"
    )
    wait_for(browser, f"return {PLOT}.data[0].geojson.includes('CHL-municipality-high.')")
    wait_for(
        browser,
        GEO_FETCHES[: -len(".map(e => e.name)")]
        + ".some(e => e.name.includes('CHL-municipality-high.'))",
    )
    zoom = browser.execute_script(f"return {PLOT}.layout.map.zoom")
    assert zoom >= 6.9  # the swap kept the reader's zoom
    # Out to the national detail and in again: the detailed file is not fetched a second time.
    browser.execute_script(f"Plotly.relayout({PLOT}, {{'map.zoom': 4}})")
    wait_for(browser, f"return {PLOT}.data[0].geojson.includes('CHL-municipality-low.')")
    browser.execute_script(f"Plotly.relayout({PLOT}, {{'map.zoom': 8}})")
    wait_for(browser, f"return {PLOT}.data[0].geojson.includes('CHL-municipality-high.')")
    fetched = browser.execute_script(GEO_FETCHES)
    assert sum("CHL-municipality-high." in f for f in fetched) == 1
    assert console_errors(browser) == []


#: What the page draws: the map's classes and hover texts, the colour MapLibre paints each
#: feature (its feature state when a switch recoloured it, else the colour it was sent with) and
#: the ranking's x, rows and colours.
DRAWN = f"""
const m = {PLOT}, r = {RANKING};
const map = m._fullLayout.map._subplot.map;
const source = 'source-' + m._fullData[0].uid;
const sent = m._fullData[0]._glTrace.sent;  // jsbundle/choropleth-paint.js
const painted = sent.map((fc, i) => map.getFeatureState({{source: source, id: i}}).fc || fc);
return JSON.stringify({{
  z: Array.from(m.data[0].z), customdata: m.data[0].customdata, painted: painted,
  x: r.data[0].x, y: r.data[0].y, colour: r.data[0].marker.color,
}});
"""


def _drawn(browser) -> dict:
    wait_for(browser, f"const r={RANKING}; return r && r.data && r.data[0] && r.data[0].x")
    return json.loads(browser.execute_script(DRAWN))


@pytest.mark.parametrize(
    "start, control, choice",
    [
        ("/?i=infant_mortality&y=2010", "indicator-select", "Pobreza extrema (% de personas)"),
        ("/?lang=pt&i=infant_mortality&y=2010", "view", "change"),
        ("/?c=MEX&i=infant_mortality", "indicator-select", "Pobreza extrema (% de personas)"),
        # the other countries, whatever their layers' sizes and sources
        ("/?c=CHL&i=poverty", "indicator-select", "Mortalidad infantil (por 1.000 nacidos vivos)"),
        (
            "/?c=COL&i=infant_mortality",
            "indicator-select",
            "Necesidades básicas insatisfechas (NBI, %)",
        ),
        ("/?c=PER&i=poverty", "indicator-select", "Necesidades básicas insatisfechas (NBI, %)"),
        (
            "/?lang=pt&c=URY&i=unemployment",
            "indicator-select",
            "Crianças em idade escolar fora da escola (%)",
        ),
    ],
)
def test_brw017_a_switch_sent_as_numbers_draws_what_a_first_load_draws(
    browser, server_url, start, control, choice
):
    """A switch within a large layer travels as numbers (layouts/paint.py) that the browser
    unpacks (assets/atlas.js atlas.paint) and MapLibre repaints through feature state, without
    the geometry going to its worker again (no setData, no layer removed and added, which would
    reload the source): the page then draws exactly what a first load of the same view draws."""
    browser.get(server_url + start)
    wait_for(browser, READY)
    _drawn(browser)
    browser.execute_script(
        f"const map = {PLOT}._fullLayout.map._subplot.map;"
        f"const src = map.getSource('source-' + {PLOT}._fullData[0].uid);"
        "window.__setData = 0; const orig = src.setData.bind(src);"
        "src.setData = (d) => { window.__setData += 1; return orig(d); };"
        # a layer removed and added again makes MapLibre reload (re-tile) its source
        "window.__relayered = 0;"
        "for (const k of ['addLayer', 'removeLayer']) { const f = map[k].bind(map);"
        " map[k] = (...a) => { window.__relayered += 1; return f(...a); }; }"
        # a layer moved where it already was changes MapLibre's style: it draws the map twice
        "window.__moved = 0; const move = map.moveLayer.bind(map);"
        "map.moveLayer = (...a) => { window.__moved += 1; return move(...a); };"
    )
    search = browser.execute_script("return location.search")
    if control == "view":
        browser.execute_script(
            "document.querySelector(`#view-select input[value='${arguments[0]}']`).click()", choice
        )
    else:
        _pick(browser, control, choice)
    wait_for(browser, f"return location.search !== {search!r}")
    wait_for(browser, "return !document.querySelector('[data-dash-is-loading=\"true\"]')")
    time.sleep(1.0)
    switched = _drawn(browser)
    assert browser.execute_script("return window.__setData") == 0, "the geometry went again"
    assert browser.execute_script("return window.__relayered") == 0, "the layers were re-added"
    assert browser.execute_script("return window.__moved") == 0, "layers moved where they were"
    url = browser.current_url
    browser.get(url)
    wait_for(browser, READY)
    time.sleep(1.0)
    loaded = _drawn(browser)
    for key in loaded:
        assert switched[key] == loaded[key], key
    assert console_errors(browser) == []


#: The order MapLibre stacks the map's trace layers in, as the traces' indices in the figure.
TRACE_STACK = (
    f"const g = {PLOT}; const map = g._fullLayout.map._subplot.map;"
    "const index = {}; g._fullData.forEach(t => { index[t.uid] = t.index; });"
    "return map.getLayersOrder().filter(id => id.startsWith('plotly-trace-layer-'))"
    ".map(id => index[id.split('-')[3]]);"
)


def test_brw094_a_switch_restacks_the_map_layers_only_when_they_are_out_of_order(
    browser, server_url
):
    """The map's traces share plotly.js's `below`, so each update asks for their layers to be
    stacked again in the traces' order (jsbundle/choropleth-paint.js _moveLayers); layers already
    in that order stay (test_brw017), and layers out of it are put back."""
    browser.get(server_url + "/?c=BRA&i=infant_mortality&y=2010")
    wait_for(browser, READY)
    _drawn(browser)
    stacked = browser.execute_script(TRACE_STACK)
    assert len(stacked) >= 4 and stacked == sorted(stacked), stacked
    # the first trace's layers put on top of the others, as if a layer had been added out of turn
    browser.execute_script(
        f"const g = {PLOT}; const map = g._fullLayout.map._subplot.map;"
        "const uid = g._fullData[0].uid;"
        "for (const kind of ['fill', 'line']) map.moveLayer('plotly-trace-layer-' + uid + '-' + kind);"
    )
    assert browser.execute_script(TRACE_STACK) != stacked
    _pick(browser, "indicator-select", "Pobreza extrema (% de personas)")
    wait_for(browser, "return location.search.includes('i=poverty_extreme')")
    wait_for(browser, "return !document.querySelector('[data-dash-is-loading=\"true\"]')")
    restacked = TRACE_STACK.replace("return map", "const s = map")
    expected = json.dumps(stacked, separators=(",", ":"))
    wait_for(browser, restacked + f" return JSON.stringify(s) === {expected!r};")
    assert browser.execute_script(TRACE_STACK) == stacked
    assert console_errors(browser) == []


#: Set before any page script: when the map first had its traces' sources loaded (its geometry
#: tiled; polled every animation frame) and when the ranking started to draw (its first SVG appears
#: in the same task).
RANKING_AFTER_MAP = """
window.__mapLoadedAt = null;
window.__rankingAt = null;
(function poll() {
  const g = document.querySelector('#choropleth .js-plotly-plot');
  const sub = g && g._fullLayout && g._fullLayout.map && g._fullLayout.map._subplot;
  if (sub && sub.map && Object.keys(sub.traceHash).length && sub.map.loaded()) {
    window.__mapLoadedAt = performance.now();
  } else {
    requestAnimationFrame(poll);
  }
})();
// the ranking's units drawn (its 'loading' text, a figure without traces, draws at once)
new MutationObserver((records, observer) => {
  if (!document.querySelector('#ranking .main-svg .trace')) return;
  observer.disconnect();
  window.__rankingAt = performance.now();
}).observe(document, {childList: true, subtree: true});
"""


def test_brw095_the_ranking_waits_for_the_map_to_paint_its_geometry(browser, server_url):
    """Brazil's ranking (5,564 SVG points, about a second of drawing in a slow browser) starts
    once MapLibre has tiled the map's geometry, not while its worker still does: drawn earlier,
    it held the map's first paint behind it (jsbundle/entry.js whenIdle)."""
    browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RANKING_AFTER_MAP})
    browser.get(server_url + "/?c=BRA&i=infant_mortality&y=2010")
    wait_for(browser, READY)
    _drawn(browser)
    loaded, ranking = browser.execute_script("return [window.__mapLoadedAt, window.__rankingAt]")
    assert loaded is not None and ranking is not None and loaded < ranking, (loaded, ranking)
    assert console_errors(browser) == []


# The view's answer held until the test releases it; when each graph's element appeared and when
# its 'loading' text was drawn.
HOLD_VIEW = """
window.__held = 0;
const released = new Promise(resolve => { window.__release = resolve; });
const fetch0 = window.fetch;
window.fetch = function (url, init) {
  const body = init && typeof init.body === 'string' ? init.body : '';
  if (String(url).includes('_dash-update-component') && body.includes('choropleth.figure')) {
    window.__held += 1;
    return released.then(() => fetch0.call(window, url, init));
  }
  return fetch0.apply(window, arguments);
};
window.__mounted = {};
window.__loading = {};
new MutationObserver(() => {
  for (const id of ['choropleth', 'ranking']) {
    if (!window.__mounted[id] && document.getElementById(id)) window.__mounted[id] = performance.now();
    if (!window.__loading[id] && document.querySelector('#' + id + ' .annotation-text')) {
      window.__loading[id] = performance.now();
    }
  }
}).observe(document, {childList: true, subtree: true});
"""


def test_brw096_the_loading_text_does_not_wait_for_the_map(browser, server_url):
    """Until the view answers, the map and the ranking say they are loading. The ranking's wait
    for the map (jsbundle/entry.js whenIdle) held these texts too, the map's one until no map
    came (10 s); and dcc.Graph draws a graph's figures in turn, so the map's real figure waited
    behind its own loading text: a first load whose page was drawn before the answer came showed
    Brazil about 10 s late."""
    script = HOLD_VIEW + RANKING_AFTER_MAP
    browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": script})
    browser.get(server_url + "/?c=BRA&i=infant_mortality&y=2010")
    wait_for(browser, "return window.__held")
    both = "return window.__loading.choropleth && window.__loading.ranking"
    wait_for(browser, both, timeout=60)
    mounted, loading = browser.execute_script("return [window.__mounted, window.__loading]")
    # drawn at once, not after the 10 s a page without a map waits
    for graph in ("choropleth", "ranking"):
        assert loading[graph] - mounted[graph] < 5000, (graph, mounted, loading)
    browser.execute_script("window.__release()")
    wait_for(browser, READY)
    _drawn(browser)
    loaded, ranking = browser.execute_script("return [window.__mapLoadedAt, window.__rankingAt]")
    assert loaded is not None and ranking is not None and loaded < ranking, (loaded, ranking)
    assert console_errors(browser) == []


def test_brw099_a_control_s_change_is_one_round_trip_with_the_controls_it_resolves(
    browser, server_url
):
    """Picking an indicator sends one callback request, which answers the map and the controls
    the choice resolves (here the year: Chile's school withdrawal has 2024 only). Split in two,
    Dash held the view until the controls' answer came back: two round trips per switch."""
    browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": DASH_REQUESTS})
    browser.get(server_url + "/?c=CHL&i=poverty&lang=en")
    wait_for(browser, READY)
    wait_for(browser, "return !document.querySelector('[data-dash-is-loading=\"true\"]')")
    time.sleep(1.0)
    browser.execute_script(f"window.__z = {PLOT}.data[0].z.slice(); window.__dash = [];")
    _pick(browser, "indicator-select", "School withdrawal (% of enrolled students)")
    wait_for(browser, f"const z={PLOT}.data[0].z; return z.some((v, i) => v !== window.__z[i])")
    wait_for(browser, "return document.getElementById('year-select').textContent.includes('2024')")
    requests = sorted(browser.execute_script("return window.__dash"), key=lambda r: r["sent"])
    first = requests[0]
    assert "choropleth.figure" in first["output"] and "year-select.value" in first["output"]
    before_answer = [r["output"][:60] for r in requests if r["sent"] < first["answered"]]
    assert len(before_answer) == 1, before_answer
    assert "School withdrawal" in browser.find_element("id", "map-title").text
    assert console_errors(browser) == []

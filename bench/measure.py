"""Bytes and server time of the atlas page for Brazil, side by side with the naive baseline.

    python -m bench.measure [--runs N]

* indicator switch: the requests the browser makes when the user picks another indicator
  (atlas: the view callback, which also sets the controls, answering with numbers; naive: the
  figure);
* first load: the page, its scripts and styles, layout, dependencies, the first callbacks and
  the geometry file, as gzip-compressed bytes on the wire (what a slow connection pays).
Writes bench/RESULTS.md (with the figures of bench/build_and_load.py, bench/timings.py and
bench/compare.py if present).
"""

from __future__ import annotations

import argparse
import gzip
import platform
import re
import statistics
import time
from pathlib import Path

import brotli

from app import app_urls, create_app
from atlas.geography import SUBNATIONAL_LEVELS
from atlas.i18n import DEFAULT_LANG, plotly_locale
from atlas.settings import settings
from atlas.store import Store
from atlas.urlstate import State as ViewState
from atlas.views import MEMO_SIZE
from bench import OUT
from bench.dashclient import DashClient
from bench.naive_app import create_naive_app
from callbacks.map import CONTROLS, PAGE_INPUTS, control_values, geometry_record

HERE = Path(__file__).parent


def page_state(indicator: str, year: int = 2010) -> dict:
    """The view callback's inputs (``"id.property": value``) for a Brazilian value map."""
    state = ViewState(country="BRA", indicator=indicator, year=year)
    values = control_values(state)
    inputs = {f"{CONTROLS[name]}.value": v for name, v in values.items()}
    page = dict(unit="", admin1="", top=0, tab="map", table_page=0, big=False)
    for name, v in page.items():
        dep = PAGE_INPUTS[name]
        inputs[f"{dep.component_id}.{dep.component_property}"] = v
    return inputs


#: What Chromium sends: the app compresses its answer (Flask-Compress), and that CPU counts.
BROWSER_ENCODING = "gzip, deflate, br"
ASYNC_CHUNKS = [  # loaded by the page after start-up (seen in Chromium's resource timing)
    "/_dash-component-suites/dash/dcc/async-graph.js",
    "/_dash-component-suites/dash/dcc/async-dropdown.js",
]
FULL_PLOTLY = "/_dash-component-suites/plotly/package_data/plotly.min.js"
MAPLIBRE_MODULES = ["maplibre-gl.mjs", "maplibre-gl-shared.mjs", "maplibre-gl-worker.mjs"]


def wire_bytes(client, url: str, encoding: str, method: str = "GET", json_body=None) -> int:
    """Bytes on the wire for one response with ``Accept-Encoding: encoding``; a response the
    app leaves uncompressed is compressed here, as any HTTPS front end would."""
    headers = {"Accept-Encoding": encoding}
    r = (
        client.post(url, json=json_body, headers=headers)
        if method == "POST"
        else client.get(url, headers=headers)
    )
    body = r.get_data()
    if r.headers.get("Content-Encoding") == encoding:
        return len(body)
    return len(gzip.compress(body, 6) if encoding == "gzip" else brotli.compress(body, quality=5))


def first_load(client, geometry: list[str], callbacks: list[dict], encoding: str) -> dict:
    """Bytes of a first visit, by part: the index page with every script and stylesheet it names
    and the chunks Dash loads lazily; plotly.js (the atlas's bundle with the MapLibre modules and
    the locale it imports, or Dash's full plotly.js); layout, dependencies and the first callbacks; geometry."""
    index = client.get("/", headers={"Accept-Encoding": "identity"}).get_data(as_text=True)
    urls = re.findall(r'(?:src|href)="(/[^"]+\.(?:js|css)[^"]*)"', index)
    vendor = [u for u in urls if u.startswith("/vendor/")]
    if vendor:  # MapLibre's worker imports maplibre-gl-shared.mjs from the browser cache
        base = vendor[0].rsplit("/", 1)[0]
        vendor += [f"{base}/maplibre/{name}" for name in MAPLIBRE_MODULES]
        # the toolbar's Spanish (the default language), which the graphs' config.locale loads
        vendor.append(f"{base}/locales/{plotly_locale(DEFAULT_LANG)}.mjs")
    else:
        vendor = [FULL_PLOTLY]
    page = ["/"] + [u for u in urls if not u.startswith("/vendor/")] + ASYNC_CHUNKS
    parts = {
        "page, Dash and Bootstrap": sum(wire_bytes(client, u, encoding) for u in page),
        "plotly.js and MapLibre": sum(wire_bytes(client, u, encoding) for u in vendor),
        "layout and callbacks": sum(
            wire_bytes(client, u, encoding) for u in ("/_dash-layout", "/_dash-dependencies")
        )
        + sum(
            wire_bytes(client, "/_dash-update-component", encoding, "POST", b) for b in callbacks
        ),
        "geometry": sum(wire_bytes(client, u, encoding) for u in geometry),
    }
    parts["total"] = sum(parts.values())
    return parts


def measure_atlas(store: Store, runs: int) -> dict:
    # served at /, as the naive app and Dash's routes below; no cache: each switch is computed
    conf = settings(url_prefix="/", cache_size="0")
    app = create_app(conf, store=store)
    urls = app_urls(conf)
    dc = DashClient(app)
    # The browser's record of the geometry it shows: an indicator switch keeps it.
    geo_record = geometry_record(store, "BRA", "municipality", urls)
    state = {
        "lang-store.data": "es",
        "map-geo.data": geo_record,
        "ranking-key.data": "BRA:municipality",
    }
    bodies = [
        dc.body(
            "page.children",
            {"page-route.data": urls.path()},
            {},
        ),
        dc.body(
            "choropleth.figure",
            page_state("infant_mortality"),
            {"lang-store.data": "es", "map-geo.data": None},
        ),
    ]
    geo = [urls.geo(store.geo_file("BRA", lvl, "low")) for lvl in SUBNATIONAL_LEVELS]
    index = dc.client.get("/").get_data(as_text=True)
    first = {enc: first_load(dc.client, geo, bodies, enc) for enc in ("gzip", "br")}
    # indicator switch (numbers path): the view callback, which also sets the controls; the
    # CPU as a browser asks (the answer compressed), to a view the worker has computed before
    # (another reader's, or this reader's earlier one)
    raw_b, gz_b, times, cpu, first_cpu = [], [], [], [], []
    for i in range(runs):
        ind = "poverty_extreme" if i % 2 == 0 else "infant_mortality"
        inputs = page_state(ind)
        r2, raw2, gz2, t2 = dc.call("choropleth.figure", inputs, state, ["indicator-select.value"])
        raw_b.append(raw2)
        gz_b.append(gz2)
        times.append(t2)
        dc.call("choropleth.figure", inputs, state, ["indicator-select.value"], BROWSER_ENCODING)
        cpu.append(dc.last_cpu)
        # a reader's first view of the same (no geometry in the browser yet)
        dc.call("choropleth.figure", inputs, {"lang-store.data": "es"}, (), BROWSER_ENCODING)
        first_cpu.append(dc.last_cpu)
    # a switch to a view nobody has asked this worker for: Brazil's indicators in turn, more of
    # them than the views a worker keeps (atlas.views.MEMO_SIZE), the second round measured
    # (the first also reads each indicator's data from the store, once per worker)
    cycle = store.indicators("BRA", "municipality")
    assert len(cycle) > MEMO_SIZE, "too few indicators to miss the views' memo"
    new_cpu = []
    for k in range(2 * len(cycle)):
        inputs = page_state(cycle[k % len(cycle)])
        dc.call("choropleth.figure", inputs, state, ["indicator-select.value"], BROWSER_ENCODING)
        if k >= len(cycle):
            new_cpu.append(dc.last_cpu)
    geometry_resent = "geojson" in str(r2["response"])
    # turning a page of the table tab: the table only (map, ranking and cards stay)
    flip_raw, flip_s = [], []
    for page in range(1, runs + 1):
        inputs = page_state("infant_mortality") | {
            "view-tabs.value": "table",
            "table-page.data": page,
        }
        _, raw, _, dt = dc.call("choropleth.figure", inputs, state, ["table-page.data"])
        flip_raw.append(raw)
        flip_s.append(dt)
    return {
        "flip_raw": statistics.median(flip_raw),
        "flip_s": statistics.median(flip_s),
        "switch_raw": statistics.median(raw_b),
        "switch_gz": statistics.median(gz_b),
        "switch_s": statistics.median(times),
        "switch_cpu": statistics.median(cpu),
        "switch_cpu_new": statistics.median(new_cpu),
        "first_view_cpu": statistics.median(first_cpu),
        "first": first,
        "geometry_resent": geometry_resent,
        "custom_plotly": "plotly-atlas" in index,
    }


def measure_naive(store: Store, runs: int) -> dict:
    app = create_naive_app(store.path)
    dc = DashClient(app)
    bodies = [dc.body("map.figure", {"indicator.value": "infant_mortality", "year.value": 2010})]
    first = {enc: first_load(dc.client, [], bodies, enc) for enc in ("gzip", "br")}
    raw_b, gz_b, times = [], [], []
    for i in range(runs):
        ind = "poverty_extreme" if i % 2 == 0 else "infant_mortality"
        _, raw, gz, dt = dc.call(
            "map.figure", {"indicator.value": ind, "year.value": 2010}, changed=["indicator.value"]
        )
        raw_b.append(raw)
        gz_b.append(gz)
        times.append(dt)
    return {
        "switch_raw": statistics.median(raw_b),
        "switch_gz": statistics.median(gz_b),
        "switch_s": statistics.median(times),
        "first": first,
    }


def mb(n: float) -> str:
    return f"{n / 1e6:.2f} MB" if n >= 1e5 else f"{n / 1e3:.1f} kB"


BEGIN, END = "<!-- bench.measure", "<!-- /bench.measure -->"


def update_results(old: str, block: str, sections: dict[str, str]) -> str:
    """RESULTS.md with this benchmark's ``block`` between its marks (at the top when there are
    none) and each of ``sections`` (heading -> body) replacing that heading's section, or added
    at the end: the notes written by hand around them stay as they are."""
    mark = f"{BEGIN}: written by `python -m bench.measure` down to its closing mark -->"
    if BEGIN + ":" in old and END in old:
        head, rest = old.split(BEGIN + ":", 1)
        tail = rest.split(END, 1)[1]
        text = f"{head}{mark}\n{block}\n{END}{tail}"
    else:
        text = f"{mark}\n{block}\n{END}\n\n{old}".rstrip() + "\n"
    for heading, body in sections.items():
        found = re.search(rf"^{re.escape(heading)}\n(.*?)(?=^## |\Z)", text, re.S | re.M)
        new = f"{heading}\n\n{body}\n\n"
        if found:
            text = text[: found.start()] + new + text[found.end() :]
        else:
            text = text.rstrip() + "\n\n" + new
    return text.rstrip() + "\n"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    store = Store(settings().store_dir)
    atlas = measure_atlas(store, args.runs)
    naive = measure_naive(store, max(3, args.runs // 2))
    rows = [
        "| Brazil, 5,564 municipalities | atlas | naive baseline | ratio | target |",
        "|---|---|---|---|---|",
        f"| indicator switch, bytes (JSON) | {mb(atlas['switch_raw'])} | {mb(naive['switch_raw'])} | 1/{naive['switch_raw'] / atlas['switch_raw']:.0f} | <= 1/50 |",
        f"| indicator switch, bytes (gzip on the wire) | {mb(atlas['switch_gz'])} | {mb(naive['switch_gz'])} | 1/{naive['switch_gz'] / atlas['switch_gz']:.0f} | |",
        f"| indicator switch, server time (median) | {atlas['switch_s'] * 1000:.0f} ms | {naive['switch_s'] * 1000:.0f} ms | 1/{naive['switch_s'] / atlas['switch_s']:.0f} | <= 1/10, < 50 ms |",
        f"| indicator switch, server CPU (median): a view computed before / a new view | {atlas['switch_cpu'] * 1000:.1f} / {atlas['switch_cpu_new'] * 1000:.1f} ms | | | <= 20 ms |",
        f"| first view callback, server CPU (median) | {atlas['first_view_cpu'] * 1000:.1f} ms | | | <= 40 ms |",
        f"| first load, gzip (plain HTTP) | {mb(atlas['first']['gzip']['total'])} | {mb(naive['first']['gzip']['total'])} | | <= 1.5 MB |",
        f"| first load, brotli (HTTPS) | {mb(atlas['first']['br']['total'])} | {mb(naive['first']['br']['total'])} | | <= 1.5 MB |",
        f"| geometry re-sent on switch | {'yes' if atlas['geometry_resent'] else 'no'} | yes | | no |",
        f"| table page turn, bytes (JSON) / server time | {mb(atlas['flip_raw'])} / {atlas['flip_s'] * 1000:.0f} ms | | | |",
    ]
    build = OUT / "build_and_load.md"
    text = [
        "# Benchmark results",
        "",
        "Measured with `python -m bench.measure` (callbacks driven over HTTP with Flask's test client,",
        "as the browser sends them; median of runs) and `python -m bench.build_and_load`.",
        f"Machine: {platform.machine()}, 2 cores, Python {platform.python_version()}, {time.strftime('%Y-%m-%d')}.",
        "",
        "## Atlas page vs naive baseline (bench/naive_app.py)",
        "",
        *rows,
        "",
        "First load of the atlas, by part (gzip / brotli): "
        + "; ".join(
            f"{k} {mb(atlas['first']['gzip'][k])} / {mb(atlas['first']['br'][k])}"
            for k in (
                "page, Dash and Bootstrap",
                "plotly.js and MapLibre",
                "layout and callbacks",
                "geometry",
            )
        )
        + (
            ". plotly.js is the atlas's own partial bundle (jsbundle/: choroplethmap, scatter, bar),"
            " MapLibre its ES modules, whose shared part the page and the map's worker fetch once."
            if atlas["custom_plotly"]
            else ". plotly.js is Dash's full bundle (npm was not available to build jsbundle/)."
        ),
        "The naive baseline's GeoJSON is inline in its figure (its layout and callbacks part).",
    ]
    sections = [
        ("## Build and start-up", build),
        ("## Server-side timings (bench/timings.py)", OUT / "timings.md"),
        ("## Compare page (bench/compare.py)", OUT / "compare.md"),
        ("## Map drawn on the server (bench/render.py)", OUT / "render.md"),
    ]
    path = HERE / "RESULTS.md"
    path.write_text(
        update_results(
            path.read_text() if path.exists() else "",
            "\n".join(text),
            {h: f.read_text().strip() for h, f in sections if f.exists()},
        )
    )
    print("\n".join(text))


if __name__ == "__main__":
    main()

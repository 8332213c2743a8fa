"""Bytes and server time of the atlas page for Brazil, side by side with the naive baseline.

    python -m bench.measure [--runs N]

* indicator switch: the requests the browser makes when the user picks another indicator
  (atlas: the controls callback + the view callback answering with a Patch; naive: the figure);
* first load: the page, its scripts and styles, layout, dependencies, the first callbacks and
  the geometry file, as gzip-compressed bytes on the wire (what a slow connection pays).
Writes bench/RESULTS.md (with the build/load figures of bench/build_and_load.py if present).
"""

from __future__ import annotations

import argparse
import gzip
import platform
import re
import statistics
import time
from pathlib import Path

from app import create_app
from atlas.settings import settings
from atlas.store import Store
from bench.dashclient import DashClient
from bench.naive_app import create_naive_app

HERE = Path(__file__).parent
CONTROLS = [
    "country-select",
    "level-select",
    "indicator-select",
    "year-select",
    "view-select",
    "base-year-select",
    "framework-select",
    "local-target-value",
    "local-target-year",
    "classification-select",
    "classes-select",
    "breaks-input",
    "palette-select",
]


def page_state(indicator: str, year: int = 2010) -> dict:
    values = dict(
        zip(
            CONTROLS,
            [
                "BRA",
                "municipality",
                indicator,
                year,
                "value",
                None,
                "mdg2015",
                None,
                None,
                "quantiles",
                5,
                "",
                "auto",
            ],
            strict=True,
        )
    )
    inputs = {f"{k}.value": v for k, v in values.items()}
    inputs.update(
        {
            "selected-unit.data": "",
            "admin1-filter.value": "",
            "top-select.value": 0,
            "view-tabs.active_tab": "map",
            "table-page.data": 0,
            "big-type.value": False,
        }
    )
    return inputs


def static_bytes(client, html: str) -> tuple[int, int]:
    """gzip bytes and count of the scripts and stylesheets the index page references."""
    total, n = 0, 0
    for url in re.findall(r'(?:src|href)="(/[^"]+\.(?:js|css)[^"]*)"', html):
        r = client.get(url, headers={"Accept-Encoding": "gzip"})
        body = r.get_data()
        total += (
            len(body)
            if r.headers.get("Content-Encoding") == "gzip"
            else len(gzip.compress(body, 6))
        )
        n += 1
    return total, n


def measure_atlas(store: Store, runs: int) -> dict:
    app = create_app(settings(), store=store)
    dc = DashClient(app)
    state = {"lang-store.data": "es", "map-geo-key.data": "BRA:municipality"}
    # first load
    index = dc.client.get("/", headers={"Accept-Encoding": "gzip"})
    html = (
        gzip.decompress(index.get_data()).decode()
        if index.headers.get("Content-Encoding") == "gzip"
        else index.get_data(as_text=True)
    )
    first = len(gzip.compress(html.encode(), 6))
    static, n_static = static_bytes(dc.client, html)
    for path in ("/_dash-layout", "/_dash-dependencies"):
        first += len(gzip.compress(dc.client.get(path).get_data(), 6))
    _, _, gz, _ = dc.call("page.children", {"url.pathname": "/"}, {"url.search": ""})
    first += gz
    _, _, gz, _ = dc.call(
        "choropleth.figure",
        page_state("infant_mortality"),
        {"lang-store.data": "es", "map-geo-key.data": None},
    )
    first += gz
    geo = store.manifest["countries"]["BRA"]["geo"]["municipality"]["low"]["gzip_bytes"]
    geo += store.manifest["countries"]["BRA"]["geo"]["admin1"]["low"]["gzip_bytes"]
    first += geo
    # indicator switch (Patch path): controls callback + view callback
    raw_b, gz_b, times = [], [], []
    for i in range(runs):
        ind = "poverty_extreme" if i % 2 == 0 else "infant_mortality"
        inputs = page_state(ind)
        r1, raw1, gz1, t1 = dc.call(
            "level-select.options", inputs, {"lang-store.data": "es"}, ["indicator-select.value"]
        )
        r2, raw2, gz2, t2 = dc.call("choropleth.figure", inputs, state, ["indicator-select.value"])
        assert "geojson" not in str(r2["response"]["choropleth"]["figure"])[:100000] or True
        raw_b.append(raw1 + raw2)
        gz_b.append(gz1 + gz2)
        times.append(t1 + t2)
    geometry_resent = "geojson" in str(r2["response"]["choropleth"]["figure"])
    return {
        "switch_raw": statistics.median(raw_b),
        "switch_gz": statistics.median(gz_b),
        "switch_s": statistics.median(times),
        "first_gz": first + static,
        "static_gz": static,
        "n_static": n_static,
        "geo_gz": geo,
        "geometry_resent": geometry_resent,
    }


def measure_naive(store: Store, runs: int) -> dict:
    app = create_naive_app(store.path)
    dc = DashClient(app)
    index = dc.client.get("/", headers={"Accept-Encoding": "gzip"})
    html = (
        gzip.decompress(index.get_data()).decode()
        if index.headers.get("Content-Encoding") == "gzip"
        else index.get_data(as_text=True)
    )
    first = len(gzip.compress(html.encode(), 6))
    static, _ = static_bytes(dc.client, html)
    for path in ("/_dash-layout", "/_dash-dependencies"):
        first += len(gzip.compress(dc.client.get(path).get_data(), 6))
    _, _, gz, _ = dc.call("map.figure", {"indicator.value": "infant_mortality", "year.value": 2010})
    first += gz
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
        "first_gz": first + static,
    }


def mb(n: float) -> str:
    return f"{n / 1e6:.2f} MB" if n >= 1e5 else f"{n / 1e3:.1f} kB"


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
        f"| first load, gzip bytes | {mb(atlas['first_gz'])} | {mb(naive['first_gz'])} | | <= 1.5 MB |",
        f"| geometry re-sent on switch | {'yes' if atlas['geometry_resent'] else 'no'} | yes | | no |",
    ]
    build = HERE / "out" / "build_and_load.md"
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
        f"First load of the atlas: {mb(atlas['static_gz'])} of scripts and styles ({atlas['n_static']} files; "
        f"plotly.js is most of it and is cached by the browser after the first visit), "
        f"{mb(atlas['geo_gz'])} of geometry (municipalities + state outlines), the rest layout and data.",
    ]
    if build.exists():
        text += ["", "## Build and start-up", "", build.read_text().strip()]
    (HERE / "RESULTS.md").write_text("\n".join(text) + "\n")
    print("\n".join(text))


if __name__ == "__main__":
    main()

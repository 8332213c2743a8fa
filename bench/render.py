"""CPU time of the map drawn on the server for Brazil's 5,570 municipalities (issue 10: well
under 2 s a request).

    python -m bench.render [--runs N]

For each format (SVG, print PNG 3508x2480, preview PNG 1200x630): the first request after
start-up (reads and projects the display geometry, fits it to the frame), then requests for views
not yet drawn (other indicators, years and views: the geometry is cached, the view is computed
and drawn), a view zoomed to a selected unit (only the units in sight are drawn), and a
request the cache answers (:class:`atlas.render.Renderer`). CPU time of this
process (``time.process_time``), best and median, and the bytes sent. Prints a Markdown table and
writes it to bench/out/render.md. Needs the built store (``ATLAS_STORE_DIR``).
"""

from __future__ import annotations

import argparse
import statistics
import time
from dataclasses import replace

from atlas import render
from atlas.catalog import catalog
from atlas.choices import resolve
from atlas.settings import settings
from atlas.store import Store
from atlas.urlstate import State
from bench import write_table

#: Views not yet drawn, one per request (indicator, year, view).
VIEWS = [
    ("infant_mortality", 2010, "value"),
    ("infant_mortality", 2000, "value"),
    ("infant_mortality", 2010, "status"),
    ("illiteracy", 2010, "value"),
    ("illiteracy", 2000, "gap"),
    ("infant_mortality", 1991, "value"),
]


URL = "https://atlas.example/?v=1&n={}&m={}"


def _cpu(renderer: render.Renderer, state: State, fmt: str, url: str) -> tuple[float, bytes]:
    t0 = time.process_time()
    body = renderer.render(state, fmt, url)
    return time.process_time() - t0, body


def _rows(store: Store, cat, states: list[State], fmt: str, label: str) -> list[str]:
    """The first request, views not yet drawn, a cached view and the sizes, for ``fmt``."""
    render.shapes.cache_clear()
    render._whole.cache_clear()
    renderer = render.Renderer(store, cat)
    first, body = _cpu(renderer, states[0], fmt, URL.format("first", fmt))
    times, sizes = [], [len(body)]
    for k, state in enumerate(states):
        cpu, body = _cpu(renderer, state, fmt, URL.format(k, fmt))
        times.append(cpu)
        sizes.append(len(body))
    hit, _ = _cpu(renderer, states[0], fmt, URL.format("first", fmt))
    canela = replace(states[0], unit="BRA4304408")
    zoomed, _ = _cpu(renderer, canela, fmt, URL.format("canela", fmt))
    ms = 1000
    return [
        f"| {label}: first request (geometry read and projected) | {first * ms:.0f} ms | |",
        f"| {label}: a view not yet drawn, best / median of {len(times)} |"
        f" {min(times) * ms:.0f} / {statistics.median(times) * ms:.0f} ms | < 2000 ms |",
        f"| {label}: a view in the cache | {hit * ms:.2f} ms | |",
        f"| {label}: a view zoomed to a selection (Canela RS) | {zoomed * ms:.0f} ms | < 2000 ms |",
        f"| {label}: size, smallest / largest | {min(sizes) / 1024:.0f} / "
        f"{max(sizes) / 1024:.0f} kB | {'< 300 kB' if fmt == 'preview' else ''} |",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=len(VIEWS))
    args = parser.parse_args()
    store, cat = Store(settings().store_dir), catalog()
    states = [
        resolve(State(country="BRA", indicator=i, year=y, view=v), store, cat)
        for i, y, v in (VIEWS * (1 + args.runs // len(VIEWS)))[: args.runs]
    ]
    rows = []
    for fmt, label in (
        ("svg", "SVG"),
        ("png", "print PNG 3508x2480"),
        ("preview", "preview PNG 1200x630"),
    ):
        rows += _rows(store, cat, states, fmt, label)
    header = "| measure (CPU time, BRA municipalities) | value | target |"
    print(write_table("render", rows, header=header))


if __name__ == "__main__":
    main()

"""Server-side timings that used to be asserted in tests (a loaded CI machine made them flaky and
a fast one made them prove nothing): the vectorised progress assessment and the ranking + summary
panels, both for Brazil; and what a link may ask that used to cost seconds (issue 11): natural
breaks on Brazil's municipalities, the API's unit search for one letter, a country's first
server-drawn map.

    python -m bench.timings [--runs N] [--mapclassify]

``--mapclassify`` also times mapclassify's Fisher-Jenks, the implementation natural breaks used
before, once (about a minute of CPU).

Prints a Markdown table and writes it to bench/out/timings.md (bench.measure adds it to
bench/RESULTS.md). The panels need the built store (``ATLAS_STORE_DIR``).
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np
import pandas as pd

from atlas import choices, classify, panels, render
from atlas.catalog import catalog
from atlas.method.progress import assess_many
from atlas.method.targets import target_for
from atlas.settings import settings
from atlas.store import Store
from atlas.urlstate import State, parse
from atlas.views import compute
from bench import write_table


def best_of(runs: int, fn) -> float:
    """The fastest of ``runs`` calls, in seconds (the least disturbed by other processes)."""
    best = float("inf")
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def cpu_best_of(runs: int, fn) -> float:
    """The least CPU (``process_time``) of ``runs`` calls, in seconds: the cost a request pays,
    whatever else the machine runs."""
    best = float("inf")
    for _ in range(runs):
        t0 = time.process_time()
        fn()
        best = min(best, time.process_time() - t0)
    return best


def link_costs(store: Store, cat, runs: int, with_mapclassify: bool) -> list[str]:
    """Rows for what links used to make expensive, in CPU seconds."""
    state = parse("?c=BRA&i=income_per_capita&y=2010", State())
    values = np.asarray(compute(store, cat, state).metric, dtype=float)
    values = values[np.isfinite(values)]
    k = 9
    ours = cpu_best_of(runs, lambda: classify.natural_breaks(values, k))
    rows = [
        f"| natural breaks, Brazil income per capita 2010 ({values.size:,} values, {k} classes), "
        f"jenkspy (atlas.classify) | {ours * 1000:.0f} ms CPU | < 2000 ms |"
    ]
    if with_mapclassify:
        import mapclassify

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "Numba not installed"
            before = cpu_best_of(1, lambda: mapclassify.FisherJenks(values, k=k))
        rows.append(
            f"| the same, mapclassify.FisherJenks (before; pure Python, once) | {before:.1f} s CPU "
            f"| |"
        )
    search = cpu_best_of(runs, lambda: store.search("a", limit=100_000))
    rows.append(
        f'| unit search for "a", every hit (/api/v1/units?q=a) | {search * 1000:.0f} ms CPU '
        "| < 2000 ms |"
    )
    chile = Store(store.path)  # a renderer with nothing read yet

    def first_map():
        render.shapes.cache_clear()
        render._whole.cache_clear()
        st = parse("?c=CHL&i=infant_mortality", State())
        render.draw(chile, cat, choices.resolve(st, chile, cat), "png", "https://atlas/")

    first = cpu_best_of(runs, first_map)
    rows.append(
        f"| first PNG of Chile's comunas (geometry read, projected, drawn) | {first * 1000:.0f} ms "
        "CPU | < 2000 ms |"
    )
    return rows


def progress_frame(units: int = 5_570) -> pd.DataFrame:
    """Three census years of a Brazil-sized set of units, 2 % of values missing."""
    rng = np.random.default_rng(7)
    vals = np.clip(rng.normal(30, 15, units * 3), 0, 100)
    vals[rng.random(vals.size) < 0.02] = np.nan
    return pd.DataFrame(
        {
            "unit_id": np.repeat(np.arange(units), 3),
            "year": np.tile([1991, 2000, 2010], units),
            "value": vals,
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--mapclassify", action="store_true", help="time the old natural breaks")
    args = parser.parse_args()
    frame = progress_frame()
    target = target_for("mdg2015", "poverty_extreme", direction="lower")
    assess = best_of(
        args.runs,
        lambda: assess_many(frame, target, direction="lower", valid_range=(0.0, 100.0)),
    )
    store, cat = Store(settings().store_dir), catalog()
    state = parse("?c=BRA&i=infant_mortality&y=2010&m=status&y0=1991", State())
    view = compute(store, cat, state)

    def ranking_and_summary() -> None:
        panels.ranking(view, selected="BRA1200013")
        panels.summary(store, cat, view)

    panel = best_of(args.runs, ranking_and_summary)
    table = write_table(
        "timings",
        [
            f"| progress status of 5,570 units x 3 years (assess_many) | {assess * 1000:.0f} ms | < 1000 ms |",
            f"| ranking + summary, Brazil status view | {panel * 1000:.1f} ms | < 50 ms |",
            *link_costs(store, cat, args.runs, args.mapclassify),
        ],
        header=f"| measure (best of {args.runs}) | value | target |",
    )
    print(table)


if __name__ == "__main__":
    main()

"""Server-side timings that used to be asserted in tests (a loaded CI machine made them flaky and
a fast one made them prove nothing): the vectorised progress assessment and the ranking + summary
panels, both for Brazil.

    python -m bench.timings [--runs N]

Prints a Markdown table and writes it to bench/out/timings.md (bench.measure adds it to
bench/RESULTS.md). The panels need the built store (``ATLAS_STORE_DIR``).
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from atlas import panels
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
        ],
        header=f"| measure (best of {args.runs}) | value | target |",
    )
    print(table)


if __name__ == "__main__":
    main()

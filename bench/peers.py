"""Peers across borders: what they cost at build time and what the profile costs per request.

    python -m bench.peers [--units N] [--runs N]

Measures, on the built store (``ATLAS_STORE_DIR``, built with peers): computing the peers table
from the store's units and observations (geodata/peers.py, the build's one call), reading it
(the first profile that asks), and the server time of the profile page (``/unit/<id>``, the
router callback over HTTP as the browser calls it) for ``N`` Brazilian and ``N`` Mexican
municipalities drawn with a fixed seed, plus Canela RS and Oaxaca de Juárez. Prints a Markdown
table and writes it to bench/out/peers.md.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from app import app_urls, create_app
from atlas.catalog import catalog
from atlas.settings import settings
from atlas.store import Store
from bench import write_table
from bench.dashclient import DashClient
from geodata.peers import peers

NAMED = ("BRA4304408", "MEX20067")  # Canela RS, Oaxaca de Juárez


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--units", type=int, default=50, help="units per country (default 50)")
    ap.add_argument("--runs", type=int, default=3, help="runs per unit, best kept (default 3)")
    args = ap.parse_args()
    conf = settings()
    t0 = time.perf_counter()
    store = Store(conf.store_dir)
    load = time.perf_counter() - t0

    units = pd.read_parquet(
        conf.store_dir / "units.parquet", columns=["unit_id", "country", "level"]
    )
    obs = pd.read_parquet(conf.store_dir / "observations.parquet")
    t0 = time.perf_counter()
    table = peers(units, obs, catalog())
    compute = time.perf_counter() - t0
    t0 = time.perf_counter()
    store.peers(NAMED[0])
    first_read = time.perf_counter() - t0
    assert store.has_peers, "this store has no peers.parquet: build it with this code"

    app = create_app(conf, store=store)
    urls = app_urls(conf)
    dc = DashClient(app)
    rng = np.random.default_rng(9)
    rows = []
    for country in ("BRA", "MEX"):
        muni = units[(units["country"] == country) & (units["level"] == "municipality")]
        sample = [*rng.choice(muni["unit_id"].to_numpy(), args.units, replace=False)]
        sample += [u for u in NAMED if u.startswith(country)]
        times = []
        for uid in sample:
            path = urls.unit(uid, "es").split("?")[0]
            best = min(
                dc.call(
                    "page.children",
                    {"page-route.data": path},
                    {},
                )[3]
                for _ in range(args.runs)
            )
            times.append(best)
        ms = np.array(times) * 1000
        rows.append(
            f"| profile page server time, {country} ({len(sample)} units, best of {args.runs}): "
            f"median / max | {np.median(ms):.0f} ms / {ms.max():.0f} ms | < 300 ms |"
        )
    rows = [
        f"| peers table at build (geodata/peers.py, {len(table):,} rows) | {compute:.1f} s | |",
        f"| peers table read by the first profile | {first_read * 1000:.0f} ms | |",
        f"| store load (without the peers table, read lazily) | {load:.2f} s | < 3 s |",
        *rows,
    ]
    print(write_table("peers", rows))


if __name__ == "__main__":
    main()

"""Build time for all six countries and store load time (targets: < 3 min and < 3 s).

    python -m bench.build_and_load [--raw DIR] [--runs N]

Builds into a temporary folder (the real store is not touched), then opens the store N times.
Prints a Markdown table and writes it to bench/out/build_and_load.md.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from atlas.settings import settings
from atlas.store import Store
from bench import write_table
from geodata.build import build


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--raw", type=Path, default=settings().raw_dir)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store_dir = Path(tmp) / "store"
        t0 = time.perf_counter()
        manifest = build(args.raw, store_dir, log=lambda m: None)
        build_s = time.perf_counter() - t0
        loads = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            Store(store_dir)
            loads.append(time.perf_counter() - t0)
        size = sum(p.stat().st_size for p in store_dir.rglob("*") if p.is_file())
    table = write_table(
        "build_and_load",
        [
            f"| build, six countries + national series | {build_s:.1f} s | < 180 s |",
            f"| store load (median of {args.runs}) | {statistics.median(loads):.2f} s | < 3 s |",
            f"| store size on disk | {size / 1e6:.1f} MB | |",
            f"| units / observations | {manifest['counts']['units']:,} / {manifest['counts']['observations']:,} | |",
        ],
    )
    print(table)


if __name__ == "__main__":
    main()

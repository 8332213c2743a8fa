"""Server time of the compare page for six Brazilian and Mexican units (issue 9: < 300 ms).

    python -m bench.compare [--runs N]

Times the whole request the browser makes to open a compare link (the router's callback POSTed
to ``/_dash-update-component``: parse, :func:`atlas.compare.compare`, the layout with its charts,
JSON) and the domain function alone, best of N and median. Prints a Markdown table and writes it
to bench/out/compare.md (bench.measure adds it to bench/RESULTS.md). Needs the built store
(``ATLAS_STORE_DIR``).
"""

from __future__ import annotations

import argparse
import statistics
import time

from app import create_app
from atlas.catalog import catalog
from atlas.compare import compare, parse_query
from atlas.settings import settings
from atlas.store import Store
from bench import write_table
from bench.dashclient import DashClient

#: Canela, São Paulo, Rio de Janeiro; Oaxaca de Juárez, Cuauhtémoc (CDMX), Guadalajara.
SIX = "BRA4304408,BRA3550308,BRA3304557,MEX20067,MEX09015,MEX14039"
SEARCH = f"?u={SIX}&i=infant_mortality,illiteracy,poverty_extreme&lang=pt"


def _times(runs: int, fn) -> list[float]:
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    store, cat = Store(settings().store_dir), catalog()
    client = DashClient(create_app(settings(), store=store))

    def request() -> None:
        client.call(
            "page.children",
            {"page-route.data": "/compare" + SEARCH},
            {},
            changed=["page-route.data"],
        )

    request()  # the first call warms Dash's and plotly's caches, as any served request had
    page = _times(args.runs, request)
    query = parse_query(SEARCH)
    domain = _times(args.runs, lambda: compare(store, cat, query))
    ms = 1000
    table = write_table(
        "compare",
        [
            f"| compare page request, 6 units x 3 indicators | {min(page) * ms:.0f} ms"
            f" (median {statistics.median(page) * ms:.0f} ms) | < 300 ms |",
            f"| atlas.compare.compare alone | {min(domain) * ms:.0f} ms"
            f" (median {statistics.median(domain) * ms:.0f} ms) | |",
        ],
        header=f"| measure (best of {args.runs}) | value | target |",
    )
    print(table)


if __name__ == "__main__":
    main()

"""What a reader's first layout costs the server (``/_dash-layout``: the page the browser opened,
rendered by ``app.first_layout`` and kept in the shared cache): process CPU and size per
request, the first computed and compressed, the rest served as kept.

    python -m bench.first_layout [--runs N] [PATH ...]

Prints a Markdown table. Needs the built store (``ATLAS_STORE_DIR``).
"""

from __future__ import annotations

import argparse
import time

from app import create_app
from atlas.settings import settings

PATHS = ("/", "/method?lang=es", "/data?lang=es")


def measure(paths=PATHS, runs: int = 5) -> list[tuple[str, int, float, list[float]]]:
    """(path, answer bytes, first ms, the other requests' ms) for each path."""
    client = create_app(settings()).server.test_client()
    rows = []
    for path in paths:
        times, size = [], 0
        for _ in range(runs):
            start = time.process_time()
            r = client.get(
                "/_dash-layout",
                headers={"Referer": "http://localhost" + path, "Accept-Encoding": "br"},
            )
            times.append((time.process_time() - start) * 1000)
            assert r.status_code == 200, (path, r.status_code)
            size = len(r.get_data())
        rows.append((path, size, times[0], times[1:]))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("paths", nargs="*", default=list(PATHS))
    args = parser.parse_args()
    print("| page in the layout | answer (br) | first | then |\n|---|---|---|---|")
    for path, size, first, rest in measure(args.paths, args.runs):
        then = f"{min(rest):.1f}-{max(rest):.1f} ms" if rest else "-"
        print(f"| `{path}` | {size / 1000:.1f} kB | {first:.0f} ms | {then} |")


if __name__ == "__main__":
    main()

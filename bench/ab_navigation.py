"""Navigation -> map drawn / painted for two running atlases, interleaved (A, B, then B, A...), at
an emulated network latency: how a change to the page's start-up is measured against the commit
before it, each served on its own port from the same store.

    python -m bench.ab_navigation --a http://127.0.0.1:8061 --b http://127.0.0.1:8062 \\
        --path "/?c=CHL&i=poverty&lang=en" --latency 150 --runs 6

"Drawn" and "painted" as in bench/browser.py (the same driver and probe, a fresh browser profile
per run, nothing cached); the latency is Chrome's ``Network.emulateNetworkConditions``, added to
every request. With ``--warm``, a returning reader: the browser's cache is on, the view is loaded
once, and the second visit is measured. With ``--switch ID=LABEL``, a change of a control once
the page has settled: click -> drawn / painted (bench/browser.py's switch). Prints each run and
the medians."""

from __future__ import annotations

import argparse
import statistics

from bench.browser import _driver, _maybe, _wait, one_run


def _drawn_and_painted(d) -> tuple[float, float | None]:
    drawn = _wait(d, "return window.__draws.length && window.__draws[0][0]")
    painted = _maybe(d, "return window.__painted.length && window.__painted[0][0]", 60)
    return drawn, painted


def one(url: str, latency: float, warm: bool = False) -> tuple[float, float | None]:
    d = _driver(1, latency, cache=warm)
    try:
        if warm:
            d.get(url)
            _drawn_and_painted(d)
            d.get("about:blank")
        d.get(url)
        drawn, painted = _drawn_and_painted(d)
        return round(drawn), painted and round(painted)
    finally:
        d.quit()


def switch(url: str, latency: float, control: str) -> tuple[float, float | None]:
    """A switch of ``control`` ("dropdown id=option label") once the page has settled, as
    bench/browser.py times it: click -> map drawn with the new values, and painted."""
    got = one_run(url, 1, tuple(control.split("=", 1)), latency)
    return got["switch_ms"], got["switch_painted_ms"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--a", required=True, help="the first atlas's root URL")
    parser.add_argument("--b", required=True, help="the second atlas's root URL")
    parser.add_argument("--path", default="/?c=CHL&i=poverty&lang=en")
    parser.add_argument("--latency", type=float, default=150.0, help="ms added per request")
    parser.add_argument("--runs", type=int, default=6)
    parser.add_argument("--warm", action="store_true", help="measure a second visit, cache on")
    parser.add_argument(
        "--switch",
        metavar="ID=LABEL",
        help="measure a switch of this control instead, e.g."
        " 'indicator-select=Pobreza extrema (%% de personas)' on Brazil's default view",
    )
    args = parser.parse_args()
    got: dict[str, list] = {"a": [], "b": []}
    for run in range(args.runs):
        for which in ("a", "b") if run % 2 == 0 else ("b", "a"):
            url = getattr(args, which) + args.path
            if args.switch:
                got[which].append(switch(url, args.latency, args.switch))
            else:
                got[which].append(one(url, args.latency, args.warm))
        print(run, {k: v[-1] for k, v in got.items()}, flush=True)
    for which, runs in got.items():
        drawn = statistics.median(d for d, _ in runs)
        painted = [p for _, p in runs if p is not None]
        shown = f"{statistics.median(painted):,.0f} ms" if painted else "never"
        visit = f", switch {args.switch}" if args.switch else ", warm" if args.warm else ""
        print(
            f"{which}: latency {args.latency:g} ms{visit}, drawn median {drawn:,.0f} ms,"
            f" painted median {shown}"
        )


if __name__ == "__main__":
    main()

"""What the reader waits for, measured in headless Chromium: navigation -> Brazil's map drawn, and
an indicator switch -> the map repainted, at full speed and with the CPU throttled 4x (Chrome's
Emulation.setCPUThrottlingRate, as Lighthouse does for a mid-range phone), for the atlas and the
naive baseline (bench/naive_app.py) in the same run.

    python -m bench.browser [--runs 3]

Both apps are served by werkzeug threads on loopback (network time is not what this measures).
"Drawn" is plotly's ``plotly_afterplot`` on the map once its trace holds the values; a switch is
timed from the option's click to the first ``plotly_afterplot`` after the values changed.
"Painted" is MapLibre's first ``idle`` with those values and the map's sources loaded: every
frame drawn and every tile built (on a first load, the geometry tiled in MapLibre's worker; plotly's
``afterplot`` comes before that), which may come before plotly's ``afterplot`` on a switch.
"Frames" counts the MapLibre frames a switch draws (up to a second after "painted"), "frame" is
one MapLibre frame of the map with nothing changed (:data:`FRAME`): what any repaint costs at
least in this browser. Median
of ``--runs``, each in a fresh browser profile (nothing cached). Results go to
bench/out/browser.json and are printed as table rows for bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from atlas.settings import settings
from atlas.store import Store
from bench import OUT, chromium
from tests.browser.conftest import _serve

#: Installed before any page script: records each plotly_afterplot of the map with the values
#: it drew, and the moment of the last click.
PROBE = """
window.__draws = [];
window.__painted = [];
window.__click = null;
window.__frames = [];
document.addEventListener('click', () => { window.__click = performance.now(); }, true);
const hook = () => {
  const g = document.querySelector('#choropleth .js-plotly-plot, #map .js-plotly-plot');
  if (g && !g.__probed && g.on) {
    g.__probed = true;
    g.on('plotly_afterplot', () => {
      // the values plotly drew (_fullData: a typed array the figure sent as base64 is decoded)
      const z = g._fullData && g._fullData[0] && g._fullData[0].z;
      if (z && z.length) {
        window.__draws.push([performance.now(), Array.from(z.slice(0, 50)).join(',')]);
      }
      // MapLibre idle: every frame drawn and every tile built, with the values plotly holds
      // (and the map's sources there and loaded: MapLibre is also idle before plotly.js has
      // added them, and while its worker tiles the geometry)
      const sub = g._fullLayout.map && g._fullLayout.map._subplot;
      if (sub && sub.map && !sub.map.__probed) {
        sub.map.__probed = true;
        sub.map.on('render', () => window.__frames.push(performance.now()));
        sub.map.on('idle', () => {
          const zz = g._fullData && g._fullData[0] && g._fullData[0].z;
          const loaded = Object.keys(sub.traceHash || {}).length && sub.map.loaded();
          if (zz && zz.length && loaded) {
            window.__painted.push([performance.now(), Array.from(zz.slice(0, 50)).join(',')]);
          }
        });
      }
    });
  }
};
new MutationObserver(hook).observe(document, {childList: true, subtree: true});
"""


def _driver(throttle: float, latency: float = 0.0, cache: bool = False):
    """A fresh Chromium with the probe, its CPU slowed ``throttle`` times, ``latency`` ms added
    to every request (Chrome's ``Network.emulateNetworkConditions``) and its cache off unless
    ``cache``."""
    d = chromium.driver()
    d.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": PROBE})
    d.execute_cdp_cmd("Network.enable", {})
    d.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": not cache})
    if throttle > 1:
        d.execute_cdp_cmd("Emulation.setCPUThrottlingRate", {"rate": throttle})
    if latency:
        conditions = {"latency": latency, "downloadThroughput": -1, "uploadThroughput": -1}
        d.execute_cdp_cmd("Network.emulateNetworkConditions", {"offline": False, **conditions})
    return d


def _wait(d, script: str, timeout: float = 400.0):
    end = time.time() + timeout
    while time.time() < end:
        value = d.execute_script(script)
        if value:
            return value
        time.sleep(0.05)
    raise RuntimeError(f"timed out: {script}")


def _maybe(d, script: str, timeout: float = 30.0):
    """:func:`_wait`, or None after ``timeout`` (MapLibre's idle, which a page may never reach
    while it keeps changing)."""
    try:
        return _wait(d, script, timeout)
    except RuntimeError:
        return None


def _pick(d, dropdown: str, label: str) -> None:
    d.find_element("css selector", f"#{dropdown}").click()
    option = _wait(
        d,
        "return [...document.querySelectorAll('.dash-dropdown-option, .Select-option,"
        " [role=option]')]"
        f".find(o => o.textContent.trim() === {label!r})",
        30,
    )
    d.execute_script("arguments[0].scrollIntoView({block: 'center'});", option)
    option.click()


#: One MapLibre frame of the map as it is, without any change of data: a repaint asked for, timed
#: to the animation frame after MapLibre's ``render`` (the frame handed to the compositor).
#: Median of 7, 300 ms apart. The floor under any repaint of the map in this browser.
FRAME = """
const done = arguments[arguments.length - 1];
const g = document.querySelector('#choropleth .js-plotly-plot');
const map = g && g._fullLayout.map && g._fullLayout.map._subplot.map;
if (!map) { done(null); return; }
const times = [];
const one = () => {
  const t0 = performance.now();
  map.once('render', () => requestAnimationFrame(() => {
    times.push(performance.now() - t0);
    if (times.length < 7) { setTimeout(one, 300); return; }
    times.sort((a, b) => a - b);
    done(times[3]);
  }));
  map.triggerRepaint();
};
one();
"""


def one_run(url: str, throttle: float, switch_to: tuple[str, str], latency: float = 0.0) -> dict:
    d = _driver(throttle, latency)
    try:
        d.get(url)
        drawn = _wait(d, "return window.__draws.length && window.__draws[0][0]")
        painted = _maybe(d, "return window.__painted.length && window.__painted[0][0]")
        time.sleep(1.0)  # the page settles (the ranking, the cards)
        before = d.execute_script("return window.__draws[window.__draws.length - 1][1]")
        n = d.execute_script("return window.__draws.length")
        m = d.execute_script("return window.__painted.length")
        _pick(d, *switch_to)
        since_click = (
            f" .filter(x => x[1] !== {before!r});"
            " return ds.length && window.__click !== null && ds[0][0] - window.__click"
        )
        repaint = _wait(d, f"const ds = window.__draws.slice({n})" + since_click)
        repainted = _maybe(d, f"const ds = window.__painted.slice({m})" + since_click)
        time.sleep(1.0)
        # MapLibre frames drawn for the switch (each one costs at least "frame")
        frames = d.execute_script("return window.__frames.filter(t => t > window.__click).length")
        d.set_script_timeout(120)
        frame = d.execute_async_script(FRAME)
        return {
            "navigation_ms": round(drawn),
            "navigation_painted_ms": painted and round(painted),
            "switch_ms": round(repaint),
            "switch_painted_ms": repainted and round(repainted),
            "frame_ms": frame and round(frame),
            "switch_frames": frames,
        }
    finally:
        d.quit()


def _median(values: list):
    seen = [v for v in values if v is not None]
    return statistics.median(seen) if seen else None


def measure(runs: int, which: tuple[str, ...] = ("atlas", "naive")) -> dict:
    from app import create_app
    from bench.naive_app import create_naive_app

    store = Store(settings().store_dir)
    atlas = create_app(settings(url_prefix="/", cache_size="0"), store=store)
    naive = create_naive_app(store.path)
    out = {}
    apps = {
        "atlas": (
            atlas,
            "/?c=BRA&i=infant_mortality&y=2010",
            ("indicator-select", "Pobreza extrema (% de personas)"),
        ),
        "naive": (naive, "/", ("indicator", "poverty_extreme")),
    }
    for name, (app, path, switch_to) in apps.items():
        if name not in which:
            continue
        served = _serve(app)
        base = next(served)
        try:
            for throttle in (1, 4):
                got = [one_run(base + path, throttle, switch_to) for _ in range(runs)]
                out[f"{name} x{throttle}"] = {k: _median([g[k] for g in got]) for k in got[0]} | {
                    "runs": got
                }
        finally:
            next(served, None)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", choices=("atlas", "naive"), help="measure one app only")
    args = parser.parse_args()
    result = measure(args.runs, (args.only,) if args.only else ("atlas", "naive"))
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "browser.json").write_text(json.dumps(result, indent=1))
    for key, r in result.items():
        print(
            f"| {key} | {r['navigation_ms']} ms | {r['navigation_painted_ms']} ms"
            f" | {r['switch_ms']} ms | {r['switch_painted_ms']} ms | {r['switch_frames']}"
            f" | {r['frame_ms']} ms |"
        )


if __name__ == "__main__":
    main()

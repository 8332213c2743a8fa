"""Record a reader's session as the browser sends it, for the load test (bench/load.py).

Headless Chromium opens the atlas at ``--url`` and does what a workshop participant does: the
default map (Brazil's municipalities), another indicator, another year, a municipality found by
name, the table tab. Chrome's network log gives every request the page made to the server (method,
path, body), in order, with the moment of the interaction each belongs to. Written as JSON; it
names this store's geometry and plotly.js files, so it is recorded anew for each run, never
committed.

    python -m bench.session --url http://127.0.0.1:8050 --out bench/out/session.json
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from urllib.parse import urlsplit

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from bench import chromium

DRAWN = (
    "const g=document.querySelector('#choropleth .js-plotly-plot');"
    "return !!(g && g.data && g.data[0] && g.data[0].z && g.data[0].z.length)"
    " && !document.querySelector('.dash-graph--pending')"
)


def _driver():
    return chromium.driver(logging={"performance": "ALL"})


def _wait(driver, script: str, timeout: float = 60.0) -> None:
    end = time.time() + timeout
    while time.time() < end:
        if driver.execute_script(script):
            return
        time.sleep(0.2)
    raise RuntimeError(f"timed out waiting for: {script}")


def _settle(driver, quiet: float = 1.5) -> None:
    """Wait until the map is drawn and no request has started for ``quiet`` seconds."""
    _wait(driver, DRAWN)
    last = -1
    while True:
        n = driver.execute_script("return performance.getEntriesByType('resource').length")
        if n == last:
            return
        last = n
        time.sleep(quiet)


def _pick(driver, dropdown_id: str, label: str) -> None:
    driver.find_element("id", dropdown_id).click()
    end = time.time() + 20
    while time.time() < end:
        option = driver.execute_script(
            "return [...document.querySelectorAll('.dash-dropdown-option')]"
            f".find(o => o.textContent.trim() === {label!r})"
        )
        if option:
            driver.execute_script("arguments[0].scrollIntoView({block:'center'});", option)
            driver.execute_script("arguments[0].click();", option)
            return
        time.sleep(0.2)
    raise RuntimeError(f"no option {label!r} in {dropdown_id}")


def _search(driver, text: str) -> None:
    driver.find_element("id", "unit-search").click()
    for ch in text:
        ActionChains(driver).send_keys(ch).perform()
    _wait(driver, "return !!document.querySelector('.dash-dropdown-option')")
    time.sleep(0.5)
    ActionChains(driver).send_keys(Keys.ENTER).perform()


def record(url: str) -> list[dict]:
    """The session's requests to ``url``'s server: ``{"step", "method", "path", "body"}``."""
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(url))
    driver = _driver()
    steps = []
    try:
        driver.get(url)
        _settle(driver)
        steps.append(("open", driver.get_log("performance")))
        _pick(driver, "indicator-select", "Pobreza extrema (% de personas)")
        _wait(driver, "return location.search.includes('i=poverty_extreme')")
        _settle(driver)
        steps.append(("indicator", driver.get_log("performance")))
        _pick(driver, "year-select", "2000")
        _wait(driver, "return location.search.includes('y=2000')")
        _settle(driver)
        steps.append(("year", driver.get_log("performance")))
        _search(driver, "Canela")
        _wait(driver, "return location.search.includes('u=BRA')")
        _settle(driver)
        steps.append(("unit", driver.get_log("performance")))
        driver.find_element("css selector", "#view-tabs input[value=table]").click()
        _wait(driver, "return document.querySelectorAll('#data-table tbody tr').length >= 10")
        time.sleep(1.5)
        steps.append(("table", driver.get_log("performance")))
    finally:
        driver.quit()
    out = []
    for step, entries in steps:
        for entry in entries:
            msg = json.loads(entry["message"])["message"]
            if msg["method"] != "Network.requestWillBeSent":
                continue
            req = msg["params"]["request"]
            if not req["url"].startswith(origin):
                continue
            body = req.get("postData")
            if req["method"] == "POST" and body is None:
                raise RuntimeError(f"a POST without its body in the log: {req['url']}")
            out.append(
                {
                    "step": step,
                    "method": req["method"],
                    "path": req["url"][len(origin) :],
                    "body": body,
                }
            )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    session = record(args.url)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(session, indent=1))
    steps = {}
    for r in session:
        steps[r["step"]] = steps.get(r["step"], 0) + 1
    print(f"{len(session)} requests: {steps}")


if __name__ == "__main__":
    main()

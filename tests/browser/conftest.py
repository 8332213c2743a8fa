"""Browser tests: the app served on a free loopback port, driven by Debian's headless Chromium."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from app import create_app
from atlas.settings import settings
from bench import chromium
from bench.chromium import CHROMEDRIVER, CHROMIUM

#: Installed before the page's scripts: every layout and callback request the page makes, with
#: its outputs, when it was sent and answered, and whether its answer holds a page.
DASH_REQUESTS = """
window.__dash = [];
const fetch0 = window.fetch;
window.fetch = function (url, init) {
  const body = init && typeof init.body === 'string' ? init.body : '';
  const output = body ? (JSON.parse(body).output || '') : '';
  const sent = performance.now();
  return fetch0.apply(window, arguments).then(resp => {
    const answered = performance.now();
    const u = String(url);
    if (u.includes('_dash-layout') || u.includes('_dash-update-component')) {
      resp.clone().text().then(text => {
        const json = text ? JSON.parse(text) : {};
        const page = u.includes('_dash-layout')
          ? JSON.stringify(json).includes('"id":"choropleth"')
          : Boolean(json.response && json.response.page);
        window.__dash.push({layout: u.includes('_dash-layout'), output, page, sent, answered});
      });
    }
    return resp;
  });
};
"""

SCREENSHOTS = Path(__file__).resolve().parents[2] / "bench" / "out" / "screenshots"


def _serve(app):
    """Serve ``app`` on a free loopback port in a thread; yields its root URL."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = make_server("127.0.0.1", port, app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    server.shutdown()


@pytest.fixture(scope="session")
def server_url(store):
    yield from _serve(create_app(settings(), store=store))


@pytest.fixture(scope="session")
def prefixed_server_url(store):
    """The atlas served under ``/atlas/`` (``ATLAS_URL_PREFIX``), as behind a reverse proxy; the
    URL is the server's root, so a test names the prefix it expects."""
    yield from _serve(create_app(settings(url_prefix="/atlas/"), store=store))


@pytest.fixture
def browser():
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        pytest.fail("Debian chromium and chromium-driver are needed (make test installs them).")
    driver = chromium.driver(logging={"browser": "ALL"})
    # Console errors are objects; keep their text so a failing test says what went wrong.
    driver.execute_cdp_cmd(
        "Page.addScriptToEvaluateOnNewDocument",
        {
            "source": "const _e=console.error;console.error=(...a)=>_e(...a.map(x=>{try{return x&&x.stack?x.stack:JSON.stringify(x).slice(0,500)}catch(e){return String(x)}}));"
        },
    )
    # Bootstrap scrolls smoothly: a click WebDriver scrolls to would land while the page still
    # moves. Readers who ask for reduced motion get instant scrolling; so do the tests.
    driver.execute_cdp_cmd(
        "Emulation.setEmulatedMedia",
        {"features": [{"name": "prefers-reduced-motion", "value": "reduce"}]},
    )
    yield driver
    driver.quit()


def wait_for(driver, script: str, timeout: float = 30.0):
    """Poll a JavaScript expression until it returns something truthy."""
    end = time.time() + timeout
    while time.time() < end:
        value = driver.execute_script(script)
        if value:
            return value
        time.sleep(0.25)
    raise AssertionError(f"timed out waiting for: {script}")


def click_and_load(driver, element, timeout: float = 30.0) -> None:
    """Click a control that submits a form, and wait for the page the server answers with.

    Waiting for something on the next page is not enough when the current page has it too (a
    success notice, the page's main text): the old document is marked, and the wait ends only
    once a new, fully loaded document has replaced it."""
    driver.execute_script("document.documentElement.dataset.leaving = '1'")
    element.click()
    wait_for(
        driver,
        "return !document.documentElement.dataset.leaving && document.readyState === 'complete'",
        timeout,
    )


def console_errors(driver) -> list[str]:
    return [
        e["message"]
        for e in driver.get_log("browser")
        if e["level"] == "SEVERE" and "favicon" not in e["message"]
    ]


def screenshot(driver, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    driver.save_screenshot(str(path))
    return path

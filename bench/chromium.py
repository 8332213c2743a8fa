"""Headless Chromium as the tests and the benchmarks start it (Debian's chromium and
chromium-driver): the same flags everywhere, so a measurement sees the browser the tests see."""

from __future__ import annotations

import shutil

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
#: Without the background-networking flags Chromium's own connections are refused by a closed
#: network, many at a time; swiftshader draws WebGL (MapLibre) without a GPU.
ARGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--enable-unsafe-swiftshader",
    "--window-size=1366,900",
)


def driver(logging: dict[str, str] | None = None):
    """A new headless Chromium (``logging``: the ``goog:loggingPrefs`` to keep)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    opts = Options()
    opts.binary_location = CHROMIUM
    for arg in ARGS:
        opts.add_argument(arg)
    if logging:
        opts.set_capability("goog:loggingPrefs", logging)
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)

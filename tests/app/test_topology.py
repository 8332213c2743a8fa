"""Beyond one machine (docs/deploy.md): two app processes on their own ports sharing one Redis,
behind nginx, which serves the geometry and plotly.js from disk. Both processes answer the same
view, an answer one computed is served by the other from the shared cache, and the static files
never reach the app."""

from __future__ import annotations

import json
import re
import runpy
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from atlas.store import Store
from bench.serving import free_port, start_gunicorn, stop
from tests.app.bodies import router_body
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "docs" / "deploy"))
from render import BROTLI_MODULE, render  # noqa: E402

BODY = router_body("/unit/URY02", "?lang=pt")


def _wait(url: str, timeout: float = 60.0) -> None:
    end = time.time() + timeout
    while time.time() < end:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"nothing answered at {url}")


def _get(url: str, headers=None, data: bytes | None = None):
    req = urllib.request.Request(url, data=data, headers=headers or {})
    with urllib.request.urlopen(req, timeout=10) as r:
        return r.status, dict(r.headers), r.read()


@pytest.fixture(scope="module")
def topology(tiny_store_dir, redis_url, tmp_path_factory):
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        pytest.fail("Debian's nginx is needed (make test installs it).")
    run = tmp_path_factory.mktemp("nginx")
    procs, apps = [], []
    try:
        for k in range(2):  # as the Procfile serves the atlas, one worker per process here
            proc, base = start_gunicorn(
                tiny_store_dir,
                run / f"app-{k}.log",
                "--workers 1",
                env={"ATLAS_CACHE_URL": redis_url},
            )
            procs.append(proc)
            apps.append(base.removeprefix("http://"))
        listen = f"127.0.0.1:{free_port()}"
        conf = run / "nginx.conf"
        conf.write_text(render(apps, listen, run, store_dir=tiny_store_dir))
        procs.append(
            subprocess.Popen(
                [
                    nginx,
                    "-c",
                    str(conf),
                    "-p",
                    str(run),
                    "-e",
                    str(run / "error.log"),
                    "-g",
                    "daemon off;",
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        _wait(f"http://{listen}/healthz")
        yield {"proxy": f"http://{listen}", "apps": apps}
    finally:
        for p in procs:
            stop(p)


def test_top001_both_processes_serve_the_same_view_and_share_one_cache(topology):
    proxy, apps = topology["proxy"], topology["apps"]
    data = json.dumps(BODY).encode()
    headers = {"Content-Type": "application/json"}
    answers = [_get(f"{proxy}/_dash-update-component", headers, data) for _ in range(4)]
    upstreams = {h["X-Atlas-Upstream"] for _, h, _ in answers}
    assert upstreams == set(apps)  # nginx spread the requests over both processes
    assert {status for status, _, _ in answers} == {200}
    assert len({body for _, _, body in answers}) == 1  # one answer, whoever gave it
    caches = [h["X-Atlas-Cache"] for _, h, _ in answers]
    assert caches == ["miss", "hit", "hit", "hit"]  # computed once, then shared through Redis
    for bind in apps:  # the page itself, from each process
        status, _, page = _get(f"http://{bind}/?c=URY&lang=pt")
        assert status == 200 and b'lang="pt"' in page


def test_top002_geometry_and_plotly_are_served_by_nginx_not_by_the_app(topology, tiny_store_dir):
    proxy = topology["proxy"]
    store = Store(tiny_store_dir)
    url = f"{proxy}/geo/{store.geo_file('URY', 'admin1', 'low')}"
    status, headers, body = _get(url, {"Accept-Encoding": "gzip"})
    assert status == 200 and "X-Atlas-Upstream" not in headers
    assert headers["Content-Encoding"] == "gzip" and "immutable" in headers["Cache-Control"]
    if BROTLI_MODULE.exists():  # Debian's libnginx-mod-http-brotli-static (make test installs it)
        _, headers, _ = _get(url, {"Accept-Encoding": "br, gzip"})
        assert headers["Content-Encoding"] == "br"
    status, _, page = _get(f"{proxy}/")
    vendor = [p for p in page.decode().split('"') if "/vendor/" in p]
    if vendor:  # the plotly.js bundle is built (make test builds it)
        status, headers, _ = _get(proxy + vendor[0], {"Accept-Encoding": "gzip"})
        assert status == 200 and "X-Atlas-Upstream" not in headers
    status, headers, _ = _get(f"{proxy}/api/v1/indicators")
    assert status == 200 and headers["X-Atlas-Upstream"] in topology["apps"]


def test_top003_nginx_drops_an_idle_connection_to_the_app_before_the_app_does(
    tiny_store_dir, tmp_path
):
    """A connection nginx keeps for reuse and the app closes at the same moment makes a POST
    fail with 502 (nginx resends no POST): nginx's idle timeout for the app's connections is
    shorter than gunicorn's keep-alive."""
    conf = render(["127.0.0.1:8051"], "127.0.0.1:8080", tmp_path, tiny_store_dir)
    upstream = re.search(r"upstream atlas \{(.*?)\}", conf, re.S).group(1)
    nginx_idle = float(re.search(r"keepalive_timeout (\d+)s;", upstream).group(1))
    gunicorn_idle = runpy.run_path(str(ROOT / "gunicorn.conf.py"))["keepalive"]
    assert nginx_idle < gunicorn_idle

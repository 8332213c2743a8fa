"""The callback endpoint's boundary (callbacks/guard.py), the security headers, real 404s and
log truncation, on the tiny store through Flask's test client."""

from __future__ import annotations

import json
import logging
import re

import pytest

from app import create_app
from atlas.settings import settings
from atlas.urls import ROUTES
from callbacks import guard

HOSTILE_VALUES = {
    "list": ["BRA", "x"],
    "object": {"a": 1},
    "huge": "x" * 100_000,
    "long": "?i=" + "x" * (guard.MAX_TEXT - 3),  # as long as a string may be: reaches the callback
    "unknown": "zzz",
    "int": 7,
    "negative": -1,
    "float": 1e308,
    "big int": 10**300,
    "bool": True,
}


@pytest.fixture(scope="module")
def deps(client):
    return [d for d in client.get("/_dash-dependencies").get_json() if not d["clientside_function"]]


#: Values a browser on the tiny store's default view sends.
DEFAULTS = {
    "url.pathname": "/",
    "url.search": "",
    "page-route.data": "/",
    "lang-store.data": "es",
    "country-select.value": "BRA",
    "level-select.value": "municipality",
    "indicator-select.value": "infant_mortality",
    "year-select.value": 2010,
    "view-select.value": "value",
    "framework-select.value": "mdg2015",
    "classification-select.value": "quantiles",
    "classes-select.value": 5,
    "palette-select.value": "auto",
    "selected-unit.data": "",
    "tour-store.data": "",
}


def _key(dep: dict) -> str:
    return f"{dep['id']}.{dep['property']}"


def body(dep: dict, override: dict | None = None) -> dict:
    """The body the browser POSTs for callback ``dep``, with ``override`` values."""
    values = {**DEFAULTS, **(override or {})}

    def item(i):
        if i["id"].startswith("{"):  # pattern-matching: no such component on the page
            return values.get(_key(i), [])
        return {"id": i["id"], "property": i["property"], "value": values.get(_key(i))}

    parts = guard._outputs(dep["output"])
    outputs = [{"id": p.split(".")[0], "property": p.split(".")[1]} for p in parts]
    return {
        "output": dep["output"],
        "outputs": outputs if dep["output"].startswith("..") else outputs[0],
        "inputs": [item(i) for i in dep["inputs"]],
        "state": [item(s) for s in dep["state"]],
        "changedPropIds": [_key(i) for i in dep["inputs"] if _key(i) in (override or {})],
    }


def _dep(deps, fragment: str) -> dict:
    return next(d for d in deps if fragment in d["output"])


def post(client, payload, raw: bool = False):
    data = payload if raw else json.dumps(payload)
    return client.post("/_dash-update-component", data=data, content_type="application/json")


def test_grd001_a_real_callback_body_still_gets_its_answer(client, deps):
    resp = post(client, body(_dep(deps, "choropleth.figure...map-geo")))
    assert resp.status_code == 200
    assert "choropleth" in resp.get_json()["response"]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("null", b"null"),
        ("not JSON", b"{x"),
        ("empty", b""),
        ("a list", b"[]"),
        ("a string", b'"x"'),
        ("1,000 deep", b"[" * 1000 + b"]" * 1000),
        ("100,000 deep", b"[" * 100_000 + b"]" * 100_000),
        ("unknown output", json.dumps({"output": "nope.x", "outputs": {}}).encode()),
        ("no inputs", json.dumps({"output": "data-about-link.href"}).encode()),
        ("bad outputs", json.dumps({"output": "data-about-link.href", "outputs": 3}).encode()),
    ],
)
def test_grd002_a_malformed_body_gets_400_and_no_traceback(client, caplog, name, data):
    with caplog.at_level(logging.INFO):
        resp = post(client, data, raw=True)
    assert resp.status_code == 400, name
    assert "error" in resp.get_json()
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]


@pytest.mark.parametrize(
    ("fragment", "key", "value"),
    [
        ("choropleth.figure...map-geo", "framework-select.value", "zzz"),
        ("choropleth.figure...map-geo", "palette-select.value", "rainbow"),
        ("choropleth.figure...map-geo", "selected-unit.data", ["BRA1100011"]),
        ("choropleth.figure...map-geo", "classes-select.value", 99),
        ("choropleth.figure...map-geo", "breaks-input.value", 3),
        ("page.children", "page-route.data", "/" + "x" * 100_000),
        ("page.children", "page-route.data", {"c": "BRA"}),
        ("data-about-link.href", "country-select.value", ["BRA"]),
        ("table-page.data", '{"dir":["ALL"],"type":"table-page"}.n_clicks', [{"id": 1}]),
    ],
)
def test_grd003_a_value_of_the_wrong_type_or_unknown_option_gets_400(
    client, deps, caplog, fragment, key, value
):
    with caplog.at_level(logging.INFO):
        resp = post(client, body(_dep(deps, fragment), {key: value}))
    assert resp.status_code == 400
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]


def test_grd004_no_hostile_value_in_any_input_of_any_callback_gets_a_500(client, deps, caplog):
    """Each input and state of each server callback, in turn, gets each hostile value."""
    seen = 0
    with caplog.at_level(logging.INFO):
        for dep in deps:
            for i in dep["inputs"] + dep["state"]:
                for value in HOSTILE_VALUES.values():
                    resp = post(client, body(dep, {_key(i): value}))
                    assert resp.status_code < 500, (_key(i), value)
                    seen += 1
    assert seen > 300
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]


def test_grd005_every_input_of_every_server_callback_has_a_rule(app, deps):
    rules = guard.Rules(app.callback_map, guard.components(app.validation_layout))
    for dep in deps:
        for i in dep["inputs"] + dep["state"]:
            assert (i["id"], i["property"]) in guard.DATA_KINDS or (
                i["property"] in guard.PROPERTY_KINDS
            ), _key(i)
    # the controls whose options never change are checked against them
    assert {"country-select", "framework-select", "palette-select"} <= set(rules.allowed)
    assert "indicator-select" not in rules.allowed  # its options follow the country


def test_grd006_depth_is_counted_without_recursion():
    assert guard.depth({"a": [1, {"b": []}]}) == 4
    deep: list = []
    for _ in range(100_000):
        deep = [deep]
    assert guard.depth(deep) == 100_001


def test_grd007_a_body_over_the_limit_gets_413(client):
    resp = post(client, b"[" + b" " * (guard.MAX_BODY + 10) + b"]", raw=True)
    assert resp.status_code == 413


@pytest.mark.parametrize("path", ["/", "/method", "/unit/BRA1100011", "/_dash-layout", "/api/v1/"])
def test_grd008_every_response_carries_the_security_headers(client, path):
    resp = client.get(path)
    h = resp.headers
    assert h["X-Content-Type-Options"] == "nosniff"
    assert h["Referrer-Policy"] == "strict-origin-when-cross-origin"
    csp = dict(d.strip().split(" ", 1) for d in h["Content-Security-Policy"].split(";"))
    assert csp["script-src"].startswith("'self' 'sha256-")
    assert "'unsafe-inline'" not in csp["script-src"] and "unsafe-eval" not in csp["script-src"]
    assert csp["object-src"] == "'none'" and csp["frame-ancestors"] == "'self'"


def test_grd009_the_script_hashes_are_those_of_the_page_s_inline_scripts(app, client):
    import base64
    import hashlib

    # Dash's Internet Explorer notice sits in a comment that browsers never run
    page = re.sub(r"<!--.*?-->", "", client.get("/").data.decode(), flags=re.S)
    scripts = r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>(.*?)</script>"
    inline = re.findall(scripts, page, re.S)
    assert inline
    csp = client.get("/").headers["Content-Security-Policy"]
    for script in inline:
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp


def test_grd010_the_api_keeps_its_cors_headers_beside_the_security_headers(client):
    resp = client.get("/api/v1/indicators")
    assert resp.status_code == 200
    assert resp.headers["Access-Control-Allow-Origin"] == "*"
    assert resp.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("prefix", ["/", "/atlas/"])
def test_grd011_an_unknown_path_gets_404_with_the_page_and_known_ones_200(tiny_store, prefix):
    client = create_app(settings(url_prefix=prefix), store=tiny_store).server.test_client()
    for path in ["nope", "unit", "method/x", "wp-login.php", "unit/A/B"]:
        resp = client.get(prefix + path)
        assert resp.status_code == 404, path
        assert 'id="react-entry-point"' in resp.data.decode()  # the router shows "not found"
    for route in ROUTES:
        path = route.path("BRA1100011") if route.takes_arg else route.path()
        assert client.get(prefix + path).status_code == 200, path
    assert client.get(prefix + "assets/atlas.js").status_code == 200
    assert client.get(prefix + "assets/nope.js").status_code == 404
    if prefix != "/":
        assert client.get("/method").status_code == 404  # outside the prefix


def test_grd012_log_records_cut_every_client_string(caplog):
    logger = logging.getLogger("grd012")
    guard.install_log_truncation("grd012")
    guard.install_log_truncation("grd012")  # once only
    assert len(logger.filters) == 1
    long = "A" * 5000
    with caplog.at_level(logging.INFO, logger="grd012"):
        logger.warning("Exception on /%s [GET]", long)
        logger.error(f"Exception on /{long} [POST]")
        logger.info('%(r)s "%(a)s"', {"r": long, "a": long})
        logger.warning("bytes %s and %d", long.encode(), 5)
    for record in caplog.records:
        message = record.getMessage()
        assert "A" * (guard.LOG_FIELD + 1) not in message
        assert re.search(r"\.\.\.\[50[0-9][0-9] chars\]", message)


def test_grd013_flask_s_own_error_log_is_cut(app, caplog):
    with caplog.at_level(logging.ERROR):
        app.server.logger.error(f"Exception on /{'B' * 3000} [GET]")
    assert caplog.records and "B" * (guard.LOG_FIELD + 1) not in caplog.records[-1].getMessage()


@pytest.mark.parametrize(
    "path",
    [
        "/_dash-component-suites/nope/x.js",
        "/_dash-component-suites/dash/nope.js",
        "/_dash-component-suites/" + "x" * 3000 + "/y.js",
    ],
)
def test_grd014_a_script_dash_does_not_serve_is_a_404_not_a_500(client, caplog, path):
    with caplog.at_level(logging.INFO):
        assert client.get(path).status_code == 404
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]

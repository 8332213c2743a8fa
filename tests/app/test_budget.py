"""The CPU budget of a request (atlas/budget.py, callbacks/budget.py): the warning it logs, the
hook that watches every request, and every registered callback and route under it on Brazil.

The times asserted are CPU seconds of the test's own thread against the two-second budget, the
rule itself (an over-budget answer is a bug whatever the machine); the speed targets proper are
benchmarks (bench/timings.py).
"""

from __future__ import annotations

import logging

import pytest

from app import create_app
from atlas import budget, tour
from atlas.settings import settings

BRA_VIEW = "c=BRA&i=income_per_capita&y=2010&k=natural_breaks&n=9"
SAO_PAULO = "BRA3550308"


def clock(*times: float):
    """A fake CPU clock reading ``times`` in turn."""
    ticks = iter(times)
    return lambda: next(ticks)


def cpu_records(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "atlas.budget" and r.levelno == logging.DEBUG]


def test_bud001_work_over_its_budget_is_logged_with_its_name_and_a_short_query(caplog):
    caplog.set_level(logging.DEBUG, logger="atlas.budget")
    query = "i=income_per_capita&k=natural_breaks\n" + "x" * 5_000
    with budget.Watch("callback ..choropleth.figure..", query, clock=clock(10.0, 12.5)) as w:
        pass
    assert w.spent.cpu == 2.5 and w.spent.over
    [warning] = [r for r in caplog.records if r.levelno == logging.WARNING]
    text = warning.getMessage()
    assert "callback ..choropleth.figure.." in text and "2.50 s" in text
    assert "\n" not in text  # a query cannot forge log lines
    assert len(w.spent.query) == budget.MAX_LOGGED and w.spent.query.endswith("…")
    assert len(text) < 400


def test_bud002_work_within_its_budget_logs_only_its_time_at_debug_level(caplog):
    caplog.set_level(logging.DEBUG, logger="atlas.budget")
    with budget.Watch("GET /", "c=BRA", clock=clock(1.0, 1.25)):
        pass
    assert [r.levelno for r in caplog.records] == [logging.DEBUG]
    assert "GET / 0.2500 s c=BRA" in caplog.records[0].getMessage()
    assert budget.shorten("a\x1b[31mb", 10) == "a\ufffd[31mb"


def test_bud003_the_app_watches_every_request_and_names_callbacks_by_their_outputs(
    tiny_store, caplog
):
    app = create_app(settings(), store=tiny_store)
    client = app.server.test_client()
    caplog.set_level(logging.DEBUG, logger="atlas.budget")
    client.get("/api/v1/units?q=" + "a" * 1_000)
    client.get("/healthz")
    body = {
        "output": "unit-search.options",
        "outputs": {"id": "unit-search", "property": "options"},
        "inputs": [{"id": "unit-search", "property": "search_value", "value": "x" * 10_000}],
        "state": [
            {"id": "unit-search", "property": "value", "value": None},
            {"id": "lang-store", "property": "data", "value": "es"},
        ],
        "changedPropIds": ["unit-search.search_value"],
    }
    client.post("/_dash-update-component", json=body)
    client.post("/_dash-update-component", data="[" * 100_000, content_type="application/json")
    names = [r.args[0] for r in cpu_records(caplog)]
    assert names == [
        "GET /api/v1/units",
        "GET /healthz",
        "callback unit-search.options",
        "callback ?",
    ]
    queries = [r.args[2] for r in cpu_records(caplog)]
    assert queries[0].startswith("q=aaa") and len(queries[0]) == budget.MAX_LOGGED
    assert queries[2].startswith("unit-search.search_value=" + "x" * 60 + " ")
    assert max(len(q) for q in queries) <= budget.MAX_LOGGED


# -- every callback and route on the largest country ---------------------------------------------


def _tour(slides: int) -> str:
    return tour.encode(
        [tour.Slide(f"v=1&{BRA_VIEW}&m=value&u={SAO_PAULO}", f"slide {i}") for i in range(slides)]
    )


FULL_TOUR = _tour(tour.MAX_SLIDES)
SHOWN = f"?v=1&{BRA_VIEW}&u={SAO_PAULO}&present=1&tour={FULL_TOUR}&s=3"
VIEW_CONTROLS = {
    "country-select.value": "BRA",
    "level-select.value": "municipality",
    "indicator-select.value": "income_per_capita",
    "year-select.value": 2010,
    "view-select.value": "value",
    "base-year-select.value": 1991,
    "framework-select.value": "mdg2015",
    "classification-select.value": "natural_breaks",
    "classes-select.value": 9,
    "palette-select.value": "auto",
    "lang-store.data": "es",
}


def _route(pathname: str, search: str) -> tuple[dict, list[str]]:
    """The router's request for an address, as its gate in the browser passes it on."""
    return {"page-route.data": pathname + search}, ["page-route.data"]


#: Values no control sends, but a crafted request can: long texts and absurd numbers.
LONG_BREAKS = "1," * 100_000
#: The costliest requests found for each server-side callback, by its first output (the Brazil
#: municipality map is the largest layer): (inputs and states by "id.property", changed ids).
CALLBACK_CASES: dict[str, list[tuple[dict, list[str]]]] = {
    "page.children": [
        _route("/", "?" + BRA_VIEW),
        _route(f"/unit/{SAO_PAULO}", "?m=target&" + BRA_VIEW),
        _route("/compare", "?u=BRA3550308,BRA3304557,CHL13101"),
        _route("/data", "?c=BRA"),
        _route("/method", ""),
        _route("/embed", "?" + BRA_VIEW),
    ],
    "data-about-link.href": [({"country-select.value": "BRA"}, ["country-select.value"])],
    # the view callback, which also sets the controls (the first two cases change one)
    "choropleth.figure": [
        (VIEW_CONTROLS, ["classification-select.value"]),
        (
            {
                **VIEW_CONTROLS,
                "breaks-input.value": LONG_BREAKS,
                "local-target-value.value": "9" * 10**5,
            },
            ["breaks-input.value"],
        ),
        ({**VIEW_CONTROLS, "top-select.value": 50, "view-tabs.value": "table"}, []),
        ({**VIEW_CONTROLS, "selected-unit.data": SAO_PAULO}, ["selected-unit.data"]),
        (
            {
                **VIEW_CONTROLS,
                "classification-select.value": "manual",
                "breaks-input.value": LONG_BREAKS,
            },
            [],
        ),
        ({**VIEW_CONTROLS, "classes-select.value": 10**9, "year-select.value": [2010] * 1000}, []),
        (
            {
                **VIEW_CONTROLS,
                "view-select.value": "status",
                "indicator-select.value": "illiteracy",
                "framework-select.value": "sdg2030",
                "present-store.data": True,
                "tour-store.data": FULL_TOUR,
                "slide-store.data": 19,
            },
            [],
        ),
        (
            {
                **VIEW_CONTROLS,
                "view-select.value": "change",
                "indicator-select.value": "illiteracy",
                "classification-select.value": "quantiles",
            },
            [],
        ),
        (
            {
                **VIEW_CONTROLS,
                "map-layers.value": ["contributed", "experiences"],
                "selected-unit.data": SAO_PAULO,
            },
            ["map-layers.value"],
        ),
    ],
    "plan-targets.children": [
        (
            {
                "selected-unit.data": SAO_PAULO,
                "indicator-select.value": "income_per_capita",
                "lang-store.data": "es",
            },
            ["selected-unit.data"],
        ),
    ],
    "framework-select.value": [({}, [])],
    "selected-unit.data": [
        (
            {
                "choropleth.clickData": {"points": [{"location": SAO_PAULO}]},
                "country-select.value": "BRA",
            },
            ["choropleth.clickData"],
        ),
    ],
    "table-page.data": [({}, [])],
    "unit-search.options": [
        ({"unit-search.search_value": q, "lang-store.data": "es"}, ["unit-search.search_value"])
        for q in ("sa", "ao", "sao", "canela rs", "sa " * 60_000, "a" * 200_000)
    ],
    "unit-search.value": [({"selected-unit.data": SAO_PAULO}, ["selected-unit.data"])],
    "compare-search.options": [
        ({"compare-search.search_value": "sa"}, ["compare-search.search_value"])
    ],
    "compare-add.href": [
        (
            {"compare-search.value": SAO_PAULO, "url.search": "?u=BRA3304557"},
            ["compare-search.value"],
        ),
    ],
    "level-select.options@history": [
        ({"url.search": "?" + BRA_VIEW, "url.pathname": "/"}, ["url.search"]),
    ],
    "url.search@tour": [
        ({"tour-next.n_clicks": 1, "shown-search.data": SHOWN}, ["tour-next.n_clicks"])
    ],
    "tour-store.data": [
        (
            {
                "tour-add.n_clicks": 1,
                "tour-store.data": _tour(tour.MAX_SLIDES - 1),
                "shown-search.data": SHOWN,
                "map-title.children": "Renda",
            },
            ["tour-add.n_clicks"],
        ),
    ],
    "tour-list.children": [({"tour-store.data": FULL_TOUR}, ["tour-store.data"])],
    "present-card.children": [({"shown-search.data": SHOWN}, ["shown-search.data"])],
}
#: The costliest requests of each Flask route (besides Dash's callback endpoint).
ROUTE_CASES: dict[str, list[str]] = {
    "/": ["/?" + BRA_VIEW],
    "/<path:path>": [f"/unit/{SAO_PAULO}?" + BRA_VIEW],
    "/_dash-layout": ["/_dash-layout"],
    "/_dash-dependencies": ["/_dash-dependencies"],
    "/_dash-update-component": [],  # the callbacks above
    "/_reload-hash": ["/_reload-hash"],
    "/_favicon.ico": ["/_favicon.ico"],
    "/static/<path:filename>": ["/static/none.js"],
    "/assets/<path:filename>": ["/assets/atlas.js"],
    "/_dash-component-suites/<string:package_name>/<path:fingerprinted_path>": [
        "/_dash-component-suites/dash/dcc/dash_core_components.js"
    ],
    "/unit/<unit_id>/report.<fmt>": [
        f"/unit/{SAO_PAULO}/report.{fmt}?m=target&{BRA_VIEW}" for fmt in ("csv", "xlsx")
    ],
    "/api/v1/<resource>": [
        "/api/v1/units?q=a&limit=5000",
        "/api/v1/units?q=a&limit=5000&offset=5000&format=csv",
        "/api/v1/observations?country=BRA&limit=5000",
        "/api/v1/observations?country=BRA&indicator=income_per_capita&limit=5000&offset=3000",
        "/api/v1/observations?country=BRA&limit=5000&offset=660000&format=csv",
        "/api/v1/progress?indicator=illiteracy&country=BRA&framework=sdg2030",
        "/api/v1/progress?indicator=illiteracy&country=BRA&format=csv",
        "/api/v1/indicators",
        "/api/v1/openapi.json?lang=pt",
    ],
    "/api/v1/units/<unit_id>": [f"/api/v1/units/{SAO_PAULO}"],
    "/api/v1/<path:rest>": ["/api/v1/a/b/c"],
    "/api/v1/docs": ["/api/v1/docs"],
    "/api/v1/": ["/api/v1/"],
    "/api/v1": ["/api/v1"],
    "/export/view.<fmt>": [
        f"/export/view.{fmt}?{BRA_VIEW}&top=50&u={SAO_PAULO}"
        for fmt in ("png", "svg", "csv", "xlsx")
    ],
    "/preview/view.png": [f"/preview/view.png?{BRA_VIEW}&u={SAO_PAULO}"],
    "/geo/<name>": [],  # filled in from the store: Brazil's municipalities in full detail
    "/vendor/<requested>/<path:name>": [],  # filled in from the page: plotly.js
    "/healthz": ["/healthz"],
    # the pages that write (their writes need an account: tests/app/writes/): what anyone asks
    "/account/login": [f"/account/login?next=/unit/{SAO_PAULO}"],
    "/account/logout": ["/account/logout"],
    "/account/admin": ["/account/admin"],
    "/account/invitation/<token>": ["/account/invitation/" + "x" * 64],
    "/contribute/upload": ["/contribute/upload"],
    "/contribute/dataset/<int:dataset_id>": ["/contribute/dataset/1"],
    "/api/v1/contributed/<country>/<indicator>": ["/api/v1/contributed/BRA/income_per_capita"],
    "/network": ["/network?q=agua&goal=7&country=BRA", "/network?q=a"],
    "/network/<int:experience_id>": ["/network/1"],
    "/network/<int:experience_id>/files/<int:file_id>": ["/network/1/files/1"],
    "/network/submit": ["/network/submit?lang=pt"],
    "/network/moderate": ["/network/moderate"],
    "/plans/<unit_id>": [f"/plans/{SAO_PAULO}?lang=en"],
}


def _key(output: str) -> str:
    """A callback's first output as ``id.property``, with the history and tour callbacks (whose
    outputs repeat others', Dash marks them ``@hash``) told apart."""
    first = output.strip(".").split("...")[0]
    if "@" in first:
        first = first.split("@")[0] + ("@tour" if first.startswith("url.") else "@history")
    return first


def _body(dep: dict, values: dict, changed: list[str]) -> dict:
    def entries(items):
        out = []
        for item in items:
            key = f"{item['id']}.{item['property']}"
            if item["id"].startswith("{"):  # a pattern (ALL): no such components on the page
                out.append([])
            else:
                out.append({**item, "value": values.get(key)})
        return out

    outputs = [
        {"id": o.split(".")[0], "property": o.split(".")[1].split("@")[0]}
        for o in dep["output"].strip(".").split("...")
    ]
    return {
        "output": dep["output"],
        "outputs": outputs if len(outputs) > 1 else outputs[0],
        "inputs": entries(dep["inputs"]),
        "state": entries(dep["state"]),
        "changedPropIds": changed,
    }


@pytest.fixture(scope="module")
def real_app(store):
    return create_app(settings(), store=store)


def test_bud004_every_callback_and_route_answers_brazils_costliest_requests_within_budget(
    real_app, store, caplog
):
    client = real_app.server.test_client()
    deps = [
        d for d in client.get("/_dash-dependencies").get_json() if not d.get("clientside_function")
    ]
    callbacks = {_key(d["output"]): d for d in deps}
    assert len(callbacks) == len(deps)
    assert set(callbacks) == set(CALLBACK_CASES), "a new callback needs its costliest cases here"
    rules = {r.rule for r in real_app.server.url_map.iter_rules()}
    assert rules == set(ROUTE_CASES), "a new route needs its costliest cases here"

    page = client.get("/").get_data(as_text=True)
    vendor = page[page.index("/vendor/") :].split('"')[0]
    geo = store.geo_file("BRA", "municipality", "high")
    requests = [(rule, "GET", path, None) for rule, paths in ROUTE_CASES.items() for path in paths]
    requests += [("/geo/<name>", "GET", f"/geo/{geo}", None)]
    requests += [("/vendor/<requested>/<path:name>", "GET", vendor, None)]
    for key, cases in CALLBACK_CASES.items():
        for values, changed in cases:
            requests.append(
                (key, "POST", "/_dash-update-component", _body(callbacks[key], values, changed))
            )

    caplog.set_level(logging.DEBUG, logger="atlas.budget")
    spent, failed = {}, []
    for what, method, path, body in requests:
        caplog.clear()
        resp = client.post(path, json=body) if method == "POST" else client.get(path)
        if resp.status_code >= 500:
            failed.append((what, path, resp.status_code))
        [record] = cpu_records(caplog)
        spent[f"{what} {path[:80]} {record.args[2][:60]}"] = record.args[1]
    assert not failed
    over = {k: round(v, 2) for k, v in spent.items() if v >= budget.BUDGET_S}
    assert not over, over
    assert len(spent) >= 50

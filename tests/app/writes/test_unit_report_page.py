"""The unit's report page with what users wrote, through the app (the router's Dash callback and
the report's CSV and XLSX routes) on both database backends: after a publish, a plan and an
approved experience the page shows the contributed line (legend, chart text, sources), the plan's
section with its link to the map with the target, the plan's targets as choices of the target
form and the experience; after a rollback it shows the previous version's line, or none."""

from __future__ import annotations

import csv
import io
import json
from urllib.parse import urlsplit

import openpyxl

from app import default_state
from atlas import network, plans, urlstate
from atlas.publish import rollback
from atlas.settings import settings
from tests.app.bodies import router_body
from tests.fixtures.contributed import META, publish_csv

HOME = "BRA1200032"


def _page(client, search: str = "?lang=en", unit: str = HOME):
    """The router's answer for ``/unit/<unit>``: (every component's props, every string)."""
    resp = client.post("/_dash-update-component", json=router_body(f"/unit/{unit}", search))
    assert resp.status_code == 200
    props, strings = [], []

    def walk(x):
        if isinstance(x, dict):
            if "props" in x and "type" in x:
                props.append(x["props"])
            for v in x.values():
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)
        elif isinstance(x, str):
            strings.append(x)

    walk(json.loads(resp.get_data())["response"]["page"]["children"])
    return props, " ".join(strings)


def _by_id(props, name):
    return next((p for p in props if p.get("id") == name), None)


def _write_all(db, people, tiny_store, catalog):
    ed = people["editor"]
    first = publish_csv(db, ed, tiny_store, "1200032;2012;18,5;17;20\n", HOME)
    publish_csv(db, ed, tiny_store, "1200032;2012;17;;\n1200032;2014;15;;\n", HOME)
    plans.save_plan(db, ed, tiny_store, HOME, "Plan Serra", 2024, 2027, "https://example.org/p.pdf")
    plans.set_target(db, ed, tiny_store, catalog, HOME, "infant_mortality", 12, 2027)
    data = network.ExperienceInput(
        title="Censo del agua", what_was_done="Un censo.", language="es", unit_ids=[HOME],
        goals=[7], period_start=2008, period_end=2010,
    )  # fmt: skip
    submitted = network.create(db, None, tiny_store, data)
    network.moderate(db, people["reviewer"], submitted.id, approve=True)
    return first, submitted


def test_urp001_the_page_shows_the_contributed_line_the_plan_and_the_experience(
    app, db, people, tiny_store, catalog
):
    client = app.server.test_client()
    props, text = _page(client)
    assert "contributed by" not in text and _by_id(props, "report-plan") is None
    # without any: the experiences' section offers the network's search and the submission
    assert "This place has no experience published in the network yet." in text
    hrefs = [p.get("href") for p in props if p.get("href")]
    assert "/network?country=BRA&lang=en" in hrefs and "/network/submit?lang=en" in hrefs

    _, experience = _write_all(db, people, tiny_store, catalog)
    props, text = _page(client)
    imgs = [p for p in props if str(p.get("className", "")) == "report-svg"]
    chart = next(p["alt"] for p in imgs if p["alt"].startswith("Infant mortality"))
    assert ", version 2, " in chart and "— 2012: 17.0, 2014: 15.0" in chart
    # the legend names it, the sources list gives its source and licence
    legend = next(p for p in props if "report-legend" in str(p.get("className", "")))
    assert "contributed by Serra Simulada, version 2" in str(legend["children"])
    sources = _by_id(props, "report-sources")
    assert sources is not None and META.source in text and f"Licence: {META.licence}" in text
    # the plan: name, period, document, the target's row and its link to the map
    plan = _by_id(props, "report-plan")
    assert plan is not None and "Plan Serra" in text and "(2024–2027)" in text
    assert "https://example.org/p.pdf" in [p.get("href") for p in props]
    assert "Target achieved" in text and "9.0 (2010; Source: PNUD Brasil" in text
    link = next(p["href"] for p in props if p.get("className") == "report-plan-map")
    assert urlsplit(link).path == "/"
    shown = urlstate.parse(urlsplit(link).query, default_state(settings()), {"BRA", "URY"})
    assert (shown.framework, shown.indicator, shown.local_value, shown.local_year) == (
        "local",
        "infant_mortality",
        12.0,
        2027,
    )
    assert (shown.country, shown.level, shown.unit) == ("BRA", "municipality", HOME)
    # the target form offers the plan's target in one click: this report with it as local target
    choices = _by_id(props, "report-plan-choices")
    assert choices is not None
    choice = next(
        p["href"] for p in props if str(p.get("children")).startswith("Infant mortality: 12.0")
    )
    assert choice.startswith(f"/unit/{HOME}?") and "f=local" in choice and "lv=12" in choice
    chosen, _ = _page(client, "?" + urlsplit(choice).query)
    current = [p for p in chosen if p.get("aria-current") == "true" and "btn" in p["className"]]
    assert _by_id(chosen, "report-f")["value"] == "local"
    assert len(current) == 1 and "Infant mortality: 12.0" in str(current[0]["children"])
    # the approved experience, linked
    assert _by_id(props, "report-experiences") is not None and "Censo del agua" in text
    assert f"/network/{experience.id}?lang=en" in [p.get("href") for p in props]


def test_urp002_after_a_rollback_the_page_shows_the_previous_version(
    app, db, people, tiny_store, catalog
):
    first, _ = _write_all(db, people, tiny_store, catalog)
    client = app.server.test_client()
    assert "version 2" in _page(client)[1]
    with db.session() as s:
        rollback(s, people["editor"], first.dataset_id, 1, store=tiny_store)
    _, text = _page(client)  # the cache is keyed by the users' writes: a new answer
    assert "version 2" not in text and "contributed by Serra Simulada, version 1" in text
    assert "2012: 18.5" in text


def test_urp003_the_report_files_carry_the_contributed_rows_and_the_plan(
    app, db, people, tiny_store, catalog
):
    _write_all(db, people, tiny_store, catalog)
    client = app.server.test_client()
    resp = client.get(f"/unit/{HOME}/report.csv?lang=en")
    assert resp.status_code == 200
    rows = list(csv.DictReader(io.StringIO(resp.get_data().decode("utf-8-sig"))))
    mine = [
        (r["year"], r["value"], r["licence"]) for r in rows if r["series"].startswith("contrib")
    ]
    assert mine == [("2012", "17.0", META.licence), ("2014", "15.0", META.licence)]
    book = openpyxl.load_workbook(io.BytesIO(client.get(f"/unit/{HOME}/report.xlsx?lang=en").data))
    sheet = book["Local development plan"]
    cells = [[c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]
    assert cells[0] == ["Plan Serra", "2024–2027", "https://example.org/p.pdf"]
    assert cells[2][:3] == ["Indicator", "Target", "Year"]
    assert cells[3][:5] == ["Infant mortality", 12, 2027, cells[3][3], "Target achieved"]

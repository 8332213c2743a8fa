"""The unit's report (atlas/unit_report.py), its charts (atlas/trend_svg.py) and its data files
(atlas/exports.py): the header agrees with the map panel's answers, the lines are the store's
state and country series or the summary cards' roll-up, the reader's local target, the SVG drawn
from those numbers, and CSV / XLSX files that parse back to the same values with source, year,
licence and the page's URL."""

from __future__ import annotations

import csv
import io
import math
import xml.etree.ElementTree as ET

import numpy as np
import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from atlas import exports, trend_svg
from atlas.catalog import catalog as load
from atlas.panels import population_weights, scope_value
from atlas.place import indicator_answers
from atlas.unit_report import chart_summary, unit_report
from atlas.urlstate import State

UNIT = "BRA1100011"
SVG = "{http://www.w3.org/2000/svg}"
CANELA = "BRA4304408"
URL = "https://atlas.example/unit/BRA1100011"


def _report(store, unit=UNIT, **kw):
    return unit_report(store, load(), State(**{"lang": "es", **kw}), unit)


def test_rep001_the_header_counts_the_answers_the_map_panel_gives(tiny_store):
    r = _report(tiny_store)
    answers = indicator_answers(tiny_store, load(), State(lang="es", country="BRA"), UNIT)
    statuses = [a.status for a in answers if not a.flag]
    assert r.counts and {c.status: c.count for c in r.counts} == {
        s: statuses.count(s) for s in set(statuses) if s in [c.status for c in r.counts]
    }
    assert r.assessed + r.insufficient + r.trends == len(statuses)
    assert all(c.colour.startswith("#") and c.label for c in r.counts)
    assert r.framework_label == "ODM 2015 (metas mundiales)"
    assert r.sources and all(years for _, years in r.sources)
    assert _report(tiny_store, unit="NOPE") is None


def test_rep002_each_chart_has_the_unit_its_state_and_its_country(tiny_store, catalog):
    r = _report(tiny_store)
    charts = {c.indicator: c for c in r.charts}
    assert "population" not in charts and "infant_mortality" in charts
    c = charts["infant_mortality"]
    assert [ln.role for ln in c.lines] == ["country", "admin1", "unit"]
    unit = c.line("unit")
    assert [(p.year, p.value) for p in unit.points] == [
        (o.year, o.value) for o in c.profile.observations
    ]
    state = tiny_store.series("BRA11", "infant_mortality")
    assert [p.value for p in c.line("admin1").points] == pytest.approx(state["value"].tolist())
    national = tiny_store.series("BRA", "infant_mortality")
    start = min(c.profile.years[0], c.baseline_year or 9999)  # earlier national years: cut
    national = national[national["year"] >= start]
    assert len(national) >= 2
    assert [p.value for p in c.line("country").points] == pytest.approx(national["value"].tolist())
    # illiteracy has no national series in the tiny store: the summary cards' roll-up
    lit = charts["illiteracy"].line("country")
    cube = tiny_store.cube("illiteracy", "BRA", "municipality")
    layer = tiny_store.layer("BRA", "municipality")
    w, _ = population_weights(tiny_store, layer, list(cube.years))
    for j, y in enumerate(cube.years):
        agg = scope_value(tiny_store, cube, layer, "illiteracy", "", y, cube.values[:, j], w[:, j])
        assert next(p.value for p in lit.points if p.year == y) == pytest.approx(agg[0])
        assert next(p.note for p in lit.points if p.year == y)  # how it was rolled up


def test_rep003_the_target_line_is_the_answers_target_and_a_local_target_replaces_it(tiny_store):
    c = next(c for c in _report(tiny_store).charts if c.indicator == "infant_mortality")
    assert c.answer is not None
    assert c.target_value == pytest.approx(c.answer.target_value) and c.target_year == 2015
    local = _report(tiny_store, framework="local", indicator="infant_mortality",
                    local_value=3.0, local_year=2030)  # fmt: skip
    assert local.framework_label == "Meta local" and not local.local_incomplete
    ch = {c.indicator: c for c in local.charts}
    assert (ch["infant_mortality"].target_value, ch["infant_mortality"].target_year) == (3.0, 2030)
    assert ch["illiteracy"].target_year == 2015  # the other indicators keep the MDG targets
    half = _report(tiny_store, framework="local", indicator="infant_mortality", local_value=3.0)
    assert half.local_incomplete and half.state.framework == "mdg2015"


def test_rep004_the_svg_draws_the_values_the_target_and_each_line_in_its_own_style(tiny_store):
    from tests.fixtures.tiny_store import INHERITED

    unit, year, _ = INHERITED
    r = _report(tiny_store, unit=unit)
    c = next(c for c in r.charts if c.indicator == "illiteracy")
    root = ET.fromstring(trend_svg.svg(c, "es"))
    lines = root.findall(f"{SVG}polyline")
    assert {ln.get("stroke") for ln in lines} <= {s[0] for s in trend_svg.STYLE.values()}
    blue = next(ln for ln in lines if ln.get("stroke") == trend_svg.STYLE["unit"][0])
    flagged = [p for p in c.line("unit").points if p.flagged]
    assert [p.year for p in flagged] == [year]
    assert len(blue.get("points").split()) == len(c.line("unit").points) - 1  # not joined
    hollow = [e for e in root.findall(f"{SVG}circle") if e.get("fill") == "#fff"]
    assert len(hollow) == 1 and hollow[0].get("stroke") == trend_svg.FLAGGED
    dashes = {ln.get("stroke-dasharray") for ln in lines}
    assert len(dashes) == len(lines)  # no two lines told apart by colour alone
    assert root.find(f"{SVG}path") is not None  # the target's diamond
    text = chart_summary(c, "es")
    for p in c.line("unit").points:
        assert f"{p.year}: " in text
    assert trend_svg.data_uri("<svg>#</svg>").endswith("%3Csvg%3E%23%3C/svg%3E")


@given(
    st.floats(-1e6, 1e6, allow_nan=False),
    st.floats(0, 1e6, allow_nan=False),
)
def test_rep005_ticks_are_round_and_cover_the_range(lo, span):
    hi = lo + span
    ticks = trend_svg.nice_ticks(lo, hi)
    assert 2 <= len(ticks) <= 6
    assert ticks[0] <= lo + 1e-9 * max(1, abs(lo)) and ticks[-1] >= hi - 1e-9 * max(1, abs(hi))
    steps = np.diff(ticks)
    assert np.allclose(steps, steps[0], rtol=1e-6)
    mantissa = steps[0] / 10 ** math.floor(math.log10(steps[0]))
    assert any(math.isclose(mantissa, m, rel_tol=1e-6) for m in (1, 2, 5, 10))


def test_rep006_csv_parses_back_to_every_value_with_source_licence_and_url(tiny_store):
    r = _report(tiny_store)
    rows = list(csv.DictReader(io.StringIO(exports.report_csv(r, URL).decode("utf-8-sig"))))
    assert list(rows[0]) == [exports.t(f"report.file.col.{c}", "es") for c in exports.DATA_COLUMNS]
    shown = {
        (c.indicator, ln.name, p.year): p.value
        for c in r.charts
        for ln in c.lines
        for p in ln.points
    }
    read = {
        (x["id_indicador"], x["nombre_serie"], int(x["año"])): float(x["valor"])
        for x in rows
        if x["serie"] != "meta"
    }
    assert read.keys() == shown.keys()
    assert all(read[k] == pytest.approx(v) for k, v in shown.items())
    assert {x["url_página"] for x in rows} == {URL}
    assert all(x["fuente"] and x["licencia"] for x in rows if x["serie"] != "meta")
    targets = [x for x in rows if x["serie"] == "meta"]
    assert targets and all(x["valor"] and x["año"] for x in targets)
    assert all(x["ic_inferior"] == "" or float(x["ic_inferior"]) <= float(x["valor"]) for x in rows)


def test_rep007_xlsx_has_summary_data_and_sources_sheets(tiny_store):
    r = _report(tiny_store, lang="pt")
    book = openpyxl.load_workbook(io.BytesIO(exports.report_xlsx(r, URL, "2026-12-02")))
    assert book.sheetnames == ["Resumo", "Dados", "Fontes"]
    summary = [
        tuple(x for x in row if x is not None) for row in book["Resumo"].iter_rows(values_only=True)
    ]
    assert summary[0][0].startswith("Relatório ODM de ") and summary[1] == ("Página", URL)
    assert ("Gerado", "2026-12-02") in [tuple(x[:2]) for x in summary]
    header_at = next(i for i, x in enumerate(summary) if x and x[0] == "id_indicador")
    assert len(summary) - header_at - 1 == len(r.charts)
    data = list(book["Dados"].iter_rows(values_only=True))
    assert len(data) - 1 == len(exports.data_rows(r, URL))
    assert all(isinstance(x[9], float | int) for x in data[1:])  # values stay numbers
    sources = list(book["Fontes"].iter_rows(values_only=True))
    assert {x[0] for x in sources[1:]} == {s.label for s in r.sources_used}
    assert all(x[2] for x in sources[1:])  # every source with its licence


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x")', "+1", "-1+2", "@SUM(A1)", "\tx"])
def test_rep008_text_a_spreadsheet_would_run_is_neutralised(text):
    assert exports.safe(text) == "'" + text
    assert exports.safe(-1.5) == -1.5 and exports.safe("Canela") == "Canela"
    assert exports.safe(float("nan")) is None


def test_rep009_canela_report_answers_from_the_atlas_brasil(store, catalog):
    """The issue's mayor: Canela RS. Four targets achieved, four must accelerate (MDG 2015); the
    state line is Rio Grande do Sul's and the national one Brazil's weighted roll-up."""
    r = unit_report(store, catalog, State(lang="es"), CANELA)
    assert {c.status: c.count for c in r.counts} == {"achieved": 4, "must_accelerate": 4}
    pov = next(c for c in r.charts if c.indicator == "poverty_extreme")
    assert pov.line("admin1").name == "Rio Grande do Sul"
    assert [p.year for p in pov.line("country").points] == [1991, 2000, 2010]
    assert pov.line("country").points[-1].value == pytest.approx(6.6, abs=0.05)
    assert pov.target_year == 2015 and pov.answer.status == "achieved"
    for lang in ("es", "pt", "en"):
        other = unit_report(store, catalog, State(lang=lang), CANELA)
        assert {c.indicator for c in other.charts} == {c.indicator for c in r.charts}
        assert {c.status: c.count for c in other.counts} == {c.status: c.count for c in r.counts}


@pytest.mark.parametrize(
    "unit", ["MEX20067", "PER050101", "COL52001", "CHL05101", "URY13", "BRA43", "MEX20"]
)
def test_rep010_every_country_gets_a_report_with_sources_and_licences(store, catalog, unit):
    r = unit_report(store, catalog, State(lang="es"), unit)
    assert r is not None and r.charts
    assert all(s.label and s.years for s in r.sources_used)
    for c in r.charts:
        ET.fromstring(trend_svg.svg(c, "es"))
        assert c.line("unit").points
    rows = list(csv.reader(io.StringIO(exports.report_csv(r, URL).decode("utf-8-sig"))))
    assert len(rows) > len(r.charts)


def test_rep011_without_any_verdict_the_report_offers_a_framework_that_gives_some(store, catalog):
    """Valparaíso's comunal series start after 2015: no MDG 2015 verdict, SDG 2030 ones. Ayacucho's
    districts have one year per MDG indicator: no framework helps, none is offered."""
    chl = unit_report(store, catalog, State(lang="es"), "CHL05101")
    assert not chl.counts and chl.alternative == "sdg2030"
    poverty = next(c for c in chl.charts if c.indicator == "poverty")
    # halving a 2017 value is no 2015 target: neither drawn nor written
    assert poverty.answer.status == "insufficient_data" and poverty.target_value is None
    assert poverty.answer.target_text == "" and poverty.answer.target_value is None
    sdg = unit_report(store, catalog, State(lang="es", framework="sdg2030"), "CHL05101")
    assert sdg.counts and sdg.alternative == ""
    per = unit_report(store, catalog, State(lang="es"), "PER050101")
    assert not per.counts and per.alternative == "" and per.insufficient >= 3

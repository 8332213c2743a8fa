"""The open data API's domain (atlas/api.py): parameters, rows, pages, progress, CSV, the OpenAPI
document and its page; on the tiny store, and on the real store for units with leading zeros and
for the reference cases (Canela RS, Oaxaca de Juárez)."""

from __future__ import annotations

import csv
import html
import io
import math
import time

import pytest

from atlas import api
from atlas.analysis import layer_progress
from atlas.i18n import LANGS
from atlas.method.targets import FRAMEWORKS
from atlas.place import pace
from atlas.urls import URLs
from tests.fixtures.tiny_store import INHERITED, MISSING


def _answer(store, catalog, resource, **raw):
    return api.answer(store, catalog, resource, {k: str(v) for k, v in raw.items()})


def _error(store, catalog, resource, **raw) -> api.ApiError:
    with pytest.raises(api.ApiError) as caught:
        _answer(store, catalog, resource, **raw)
    return caught.value


def test_api001_units_keep_codes_as_text_with_their_parent_and_population(tiny_store, catalog):
    r = _answer(tiny_store, catalog, "units", country="BRA", level="municipality")
    assert r.meta["total"] == 10
    row = next(u for u in r.rows if u["unit_id"] == "BRA1100021")
    assert row == {
        "unit_id": "BRA1100021",
        "country": "BRA",
        "level": "municipality",
        "code": "1100021",
        "name": "Vila Exemplo",
        "admin1_code": "11",
        "admin1_name": "Estado Exemplo",
        "population": row["population"],
        "population_year": 2010,
    }
    assert row["population"] > 0
    uruguay = _answer(tiny_store, catalog, "units", country="URY", level="admin1")
    assert [u["code"] for u in uruguay.rows] == ["01", "02", "03"]
    assert _answer(tiny_store, catalog, "units", country="URY", level="municipality").rows == []


def test_api002_the_name_search_ignores_accents_and_finds_other_names(tiny_store, catalog):
    assert [u["name"] for u in _answer(tiny_store, catalog, "units", q="agua ficticia").rows] == [
        "Água Fictícia"
    ]
    found = _answer(tiny_store, catalog, "units", q="vila velha do exemplo").rows
    assert [u["unit_id"] for u in found] == ["BRA1100021"]
    assert _answer(tiny_store, catalog, "units", q="teste", country="URY").rows == []


def test_api003_a_unit_alone_and_an_unknown_unit_is_a_404(tiny_store, catalog):
    one = api.answer_unit(tiny_store, catalog, "URY02", {})
    assert one.single and one.json_body()["name"] == "Centro de Prueba"
    with pytest.raises(api.ApiError) as caught:
        api.answer_unit(tiny_store, catalog, "URY99", {"lang": "pt"})
    assert caught.value.status == 404
    assert "URY99" in caught.value.message and caught.value.message.startswith("Não há")


def test_api004_observations_carry_interval_flag_source_and_licence_and_skip_missing(
    tiny_store, catalog
):
    unit, year, _ = INHERITED
    rows = _answer(tiny_store, catalog, "observations", unit=unit, indicator="illiteracy").rows
    assert [r["year"] for r in rows] == [1991, 2000, 2010]
    flagged = next(r for r in rows if r["year"] == year)
    assert flagged["flag"] == "inherited"
    assert flagged["ci_high"] - flagged["ci_low"] == pytest.approx(3.0)
    assert flagged["source_id"] == "bra_atlas2013"
    assert flagged["source"] and flagged["licence"]
    assert all(r["flag"] is None for r in rows if r["year"] != year)
    unit, year = MISSING
    years = [
        r["year"]
        for r in _answer(
            tiny_store, catalog, "observations", unit=unit, indicator="infant_mortality"
        ).rows
    ]
    assert year not in years and years  # missing is left out, never a 0


def test_api005_observations_filter_by_country_level_indicator_and_year(tiny_store, catalog):
    r = _answer(tiny_store, catalog, "observations", country="BRA", indicator="illiteracy")
    assert r.meta["total"] == 36  # 10 municipalities and their 2 states' roll-ups, 3 years
    assert {o["indicator"] for o in r.rows} == {"illiteracy"}
    municipal = _answer(
        tiny_store,
        catalog,
        "observations",
        country="BRA",
        level="municipality",
        indicator="illiteracy",
    )
    assert municipal.meta["total"] == 30
    one_year = _answer(
        tiny_store, catalog, "observations", country="BRA", indicator="illiteracy", year=2000
    )
    assert one_year.meta["total"] == 12 and {o["year"] for o in one_year.rows} == {2000}
    national = _answer(tiny_store, catalog, "observations", country="URY", level="country")
    assert {o["unit_id"] for o in national.rows} == {"URY"}
    elsewhere = _answer(tiny_store, catalog, "observations", country="URY", unit="BRA1100011")
    assert elsewhere.rows == []


def test_api006_pages_cover_every_row_once_with_the_next_query(tiny_store, catalog):
    everything = _answer(tiny_store, catalog, "observations", country="BRA").rows
    raw, seen = {"country": "BRA", "limit": "9"}, []
    while raw is not None:
        page = api.answer(tiny_store, catalog, "observations", raw)
        assert page.meta["limit"] == 9
        seen += page.rows
        raw = page.meta["next_query"]
    assert seen == everything
    last = _answer(tiny_store, catalog, "observations", country="BRA", offset=len(everything))
    assert last.rows == [] and last.meta["next_query"] is None


def test_api007_progress_rows_are_the_layers_assessment_and_its_pace(tiny_store, catalog):
    r = _answer(tiny_store, catalog, "progress", indicator="infant_mortality", country="BRA")
    assert r.meta["level"] == "municipality" and r.meta["framework"] == "mdg2015"
    assert r.meta["target"]["code"] == "4.A" and r.meta["target"]["factor"] == "1/3"
    expected = layer_progress(
        tiny_store, catalog, indicator="infant_mortality", country="BRA", level="municipality"
    )
    assert [row["unit_id"] for row in r.rows] == list(expected.index)
    for row, (_, e) in zip(r.rows, expected.iterrows(), strict=True):
        assert row["status"] == e["status"]
        assert row["target_value"] == pytest.approx(e["target_value"])
        assert row["deadline"] == 2015
        pc = pace(e.to_dict(), "lower")
        assert row["observed_pace"] == pytest.approx(pc.observed)
        assert row["pace_kind"] == pc.kind
        if row["status"] in ("on_track", "must_accelerate", "stagnation_regression"):
            assert row["fast_enough"] == (row["status"] == "on_track")


def test_api008_a_local_target_is_the_one_assessed(tiny_store, catalog):
    r = _answer(
        tiny_store,
        catalog,
        "progress",
        indicator="illiteracy",
        country="BRA",
        framework="local",
        local_value="3.5",
        local_year="2030",
    )
    assert r.meta["target"]["framework"] == "local"
    assert {row["target_value"] for row in r.rows if row["target_value"] is not None} == {3.5}
    assert {row["deadline"] for row in r.rows} == {2030}


@pytest.mark.parametrize(
    ("resource", "raw", "parameter"),
    [
        ("observations", {"country": "BRA", "indicator": "nope"}, "indicator"),
        ("observations", {"country": "PER"}, "country"),
        ("observations", {}, "country"),
        ("observations", {"country": "BRA", "year": "2010a"}, "year"),
        ("observations", {"country": "BRA", "limit": str(api.MAX_LIMIT + 1)}, "limit"),
        ("observations", {"country": "BRA", "indicator": ""}, "indicator"),
        ("units", {"levl": "admin1"}, "levl"),
        ("units", {"level": "district"}, "level"),
        ("units", {"q": "x" * (api.MAX_QUERY + 1)}, "q"),
        ("indicators", {"format": "xlsx"}, "format"),
        ("progress", {"indicator": "population", "country": "BRA"}, "indicator"),
        ("progress", {"indicator": "illiteracy"}, "country"),
        ("progress", {"indicator": "illiteracy", "country": "BRA", "framework": "x"}, "framework"),
        (
            "progress",
            {
                "indicator": "illiteracy",
                "country": "BRA",
                "framework": "local",
                "local_year": "2030",
            },
            "local_value",
        ),
        (
            "progress",
            {"indicator": "illiteracy", "country": "BRA", "local_year": "2030"},
            "local_year",
        ),
    ],
)
def test_api009_bad_parameters_are_named_with_what_they_allow(
    tiny_store, catalog, resource, raw, parameter
):
    err = _error(tiny_store, catalog, resource, **raw, lang="en")
    assert err.status == 400
    assert err.body()["error"]["parameter"] == parameter
    assert f"'{parameter}'" in err.message


def test_api010_allowed_values_come_from_the_store_and_the_catalog(tiny_store, catalog):
    err = _error(tiny_store, catalog, "progress", indicator="population", country="BRA")
    assert "illiteracy" in err.allowed and "population" not in err.allowed
    assert _error(tiny_store, catalog, "units", country="ARG").allowed == ["BRA", "URY"]
    assert _error(
        tiny_store, catalog, "progress", indicator="illiteracy", country="BRA", framework="x"
    ).allowed == list(FRAMEWORKS)


def test_api011_csv_neutralises_formulas_and_leaves_missing_cells_empty():
    rows = [{"name": '=HYPERLINK("x")', "value": None, "flag": "@SUM(A1)", "n": -2.5, "ok": True}]
    text = api.Result(rows, ("name", "value", "flag", "n", "ok")).csv_body()
    table = list(csv.reader(io.StringIO(text)))
    assert table[0] == ["name", "value", "flag", "n", "ok"]
    assert table[1] == ['\'=HYPERLINK("x")', "", "'@SUM(A1)", "-2.5", "true"]


def test_api012_indicators_list_labels_targets_and_what_the_store_holds(tiny_store, catalog):
    rows = {r["id"]: r for r in _answer(tiny_store, catalog, "indicators").rows}
    assert set(rows) == set(catalog.indicators)
    infant = rows["infant_mortality"]
    assert infant["goal"] == 4 and infant["mdg_target"] == "4.A" and infant["direction"] == "lower"
    assert all(infant[f"label_{lang}"] for lang in LANGS)
    mdg = next(t for t in infant["targets"] if t["framework"] == "mdg2015")
    assert (mdg["code"], mdg["kind"], mdg["factor"], mdg["deadline"]) == (
        "4.A",
        "ratio",
        "1/3",
        2015,
    )
    assert all(t["country"] for t in infant["targets"] if t["framework"] == "national")
    assert "sdg2030" in {t["framework"] for t in rows["poverty"]["targets"]}
    assert {"country": "URY", "level": "admin1", "years": [2000, 2005, 2010]} in infant["available"]
    assert rows["population"]["targets"] == []
    text = api.answer(tiny_store, catalog, "indicators", {"format": "csv"}).csv_body()
    table = {r["id"]: r for r in csv.DictReader(io.StringIO(text))}
    assert "mdg2015" in table["infant_mortality"]["targets"]
    assert "URY" in table["infant_mortality"]["available"]


def test_api013_the_etag_changes_with_the_query_not_its_order(tiny_store):
    a = api.etag(tiny_store, "units", {"country": "BRA", "level": "admin1"})
    assert a == api.etag(tiny_store, "units", {"level": "admin1", "country": "BRA"})
    assert a != api.etag(tiny_store, "units", {"country": "BRA"})
    assert a != api.etag(tiny_store, "observations", {"country": "BRA", "level": "admin1"})


def test_api014_the_document_describes_every_resource_and_parameter(tiny_store, catalog):
    doc = api.openapi(tiny_store, catalog)
    assert doc["openapi"].startswith("3.1")
    described = {
        "unit" if path == "/units/{unit_id}" else path.strip("/").split("/")[0]: {
            p["name"] for p in item["get"].get("parameters", []) if p["in"] == "query"
        }
        for path, item in doc["paths"].items()
        if path != "/openapi.json"
    }
    assert described == {k: set(v) for k, v in api.PARAMETERS.items()}
    columns = {
        "Indicator": api.INDICATOR_COLUMNS,
        "Unit": api.UNIT_COLUMNS,
        "Observation": api.OBSERVATION_COLUMNS,
        "ProgressRow": api.PROGRESS_COLUMNS,
        "ContributedValue": api.CONTRIBUTED_COLUMNS,
    }
    for name, cols in columns.items():
        assert list(doc["components"]["schemas"][name]["properties"]) == list(cols)


@pytest.mark.parametrize(
    ("lang", "title"),
    [("es", "API de datos abiertos"), ("pt", "API de dados abertos"), ("en", "open data API")],
)
def test_api015_the_docs_page_is_built_from_the_document(tiny_store, catalog, lang, title):
    doc = api.openapi(tiny_store, catalog, lang=lang)
    page = api.docs_html(
        doc, lang, {"openapi": "/api/v1/openapi.json"}, {c: f"?lang={c}" for c in LANGS}
    )
    assert title in page
    for path in doc["paths"]:
        assert f"GET /api/v1{path}" in page
    assert "local_year" in page and "BRA, URY" in page
    # every description of the document is in the page's language: none is left in English
    # (and the English page has none in Spanish)
    other = api.openapi(tiny_store, catalog, lang="es" if lang == "en" else "en")
    for path, item in doc["paths"].items():
        op, theirs = item["get"], other["paths"][path]["get"]
        assert html.escape(op["summary"]) in page and op["summary"] != theirs["summary"]
        for mine, their in zip(
            op.get("parameters", []), theirs.get("parameters", []), strict=False
        ):
            assert mine["description"] != their["description"], (path, mine["name"])


def test_api016_the_url_builder_makes_the_apis_paths(tiny_store):
    urls = URLs(prefix="/atlas/")
    assert urls.api() == "/atlas/api/v1"
    assert urls.api("units", country="BRA", q="", level=None) == "/atlas/api/v1/units?country=BRA"
    assert (
        urls.api("observations", offset=10, country="BRA")
        == "/atlas/api/v1/observations?country=BRA&offset=10"
    )
    assert urls.api("units/BRA 1") == "/atlas/api/v1/units/BRA%201"


# -- the real store ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("unit_id", "code", "admin1_code"),
    [("CHL05101", "05101", "05"), ("COL05001", "05001", "05"), ("BRA4304408", "4304408", "43")],
)
def test_api017_official_codes_keep_their_leading_zeros(store, catalog, unit_id, code, admin1_code):
    row = api.answer_unit(store, catalog, unit_id, {}).rows[0]
    assert row["code"] == code and row["admin1_code"] == admin1_code
    text = api.answer_unit(store, catalog, unit_id, {}).csv_body()
    assert f",{code}," in text


def test_api018_canela_illiteracy_against_the_mdg_target(store, catalog):
    r = _answer(store, catalog, "progress", indicator="illiteracy", country="BRA")
    canela = next(row for row in r.rows if row["unit_id"] == "BRA4304408")
    assert canela["name"] == "Canela" and canela["admin1_name"] == "Rio Grande do Sul"
    assert canela["status"] == "must_accelerate"
    assert (canela["baseline_year"], canela["latest_year"]) == (1991, 2010)
    assert canela["baseline_value"] == pytest.approx(11.84)
    assert canela["latest_value"] == pytest.approx(4.47)
    assert canela["pace_kind"] == "relative" and canela["fast_enough"] is False
    assert canela["observed_pace"] > canela["required_pace"]  # falls, but not fast enough


def test_api019_oaxaca_observations_name_their_source_and_licence(store, catalog):
    r = _answer(store, catalog, "observations", unit="MEX20067")
    assert r.meta["total"] > 10
    assert all(o["unit_id"] == "MEX20067" and o["source"] for o in r.rows)
    assert {o["licence"] for o in r.rows} != {None}
    assert all(o["value"] is None or math.isfinite(o["value"]) for o in r.rows)


def test_api020_no_progress_where_years_are_not_comparable(store, catalog):
    err = _error(
        store, catalog, "progress", indicator="income_per_capita", country="PER", lang="en"
    )
    assert err.status == 400 and err.parameter == "indicator"
    assert "not comparable in PER" in err.message


def test_api021_brazils_progress_stays_well_under_two_seconds(store, catalog):
    _answer(store, catalog, "progress", indicator="infant_mortality", country="BRA")
    start = time.process_time()
    r = _answer(store, catalog, "progress", indicator="infant_mortality", country="BRA")
    assert len(r.rows) == len(store.layer("BRA", "municipality")) > 5000
    assert time.process_time() - start < 1.0

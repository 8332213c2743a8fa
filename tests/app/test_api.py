"""The open data API over HTTP (Flask's test client, the tiny store): every route, JSON and CSV,
ETag and 304, each 400 and 404, pagination followed to the end, and every operation checked
against the OpenAPI document by schemathesis's property-based tests, in-process."""

from __future__ import annotations

import csv
import io

import pytest
import schemathesis
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis import checks

from app import create_app
from atlas.settings import settings
from tests.fixtures.tiny_store import INHERITED, MISSING

ROUTES = (
    "/api/v1/indicators",
    "/api/v1/units?country=BRA",
    "/api/v1/units/BRA1100021",
    "/api/v1/observations?country=BRA&indicator=illiteracy",
    "/api/v1/progress?indicator=infant_mortality&country=BRA",
)


@pytest.fixture
def api_schema(app):
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app.server)


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.mark.parametrize("path", ROUTES)
def test_apir001_every_route_answers_json_with_cache_headers(client, path):
    r = client.get(path)
    assert r.status_code == 200
    assert r.mimetype == "application/json"
    assert r.headers["Cache-Control"] == "public, max-age=3600"
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    assert r.headers["ETag"]
    assert r.get_json()


@pytest.mark.parametrize("path", [p for p in ROUTES if "/units/" not in p])
def test_apir002_csv_holds_the_same_rows_as_json(client, path):
    rows = client.get(path).get_json()["data"]
    r = client.get(path + ("&" if "?" in path else "?") + "format=csv")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    table = list(csv.DictReader(io.StringIO(r.get_data(as_text=True))))
    assert len(table) == len(rows)
    first = rows[0]
    assert set(table[0]) <= set(first) | {"targets", "available"}
    assert table[0][next(iter(first))] == str(next(iter(first.values())))


def test_apir003_missing_values_are_null_and_empty_never_zero(client):
    unit, year = MISSING
    path = "/api/v1/progress?indicator=infant_mortality&country=BRA&level=municipality"
    row = next(r for r in client.get(path).get_json()["data"] if r["unit_id"] == unit)
    assert row["latest_year"] != year
    obs = client.get(f"/api/v1/observations?unit={unit}&indicator=infant_mortality").get_json()
    assert year not in [o["year"] for o in obs["data"]]
    units = client.get("/api/v1/units?country=BRA&level=admin1&format=csv").get_data(as_text=True)
    table = list(csv.DictReader(io.StringIO(units)))
    assert {r["population_year"] for r in table} == {""}


def test_apir004_etag_gives_304_and_ignores_parameter_order(client):
    a = client.get("/api/v1/units?country=BRA&level=municipality")
    b = client.get("/api/v1/units?level=municipality&country=BRA")
    assert a.headers["ETag"] == b.headers["ETag"]
    c = client.get("/api/v1/units?country=URY")
    assert c.headers["ETag"] != a.headers["ETag"]
    again = client.get(
        "/api/v1/units?country=BRA&level=municipality",
        headers={"If-None-Match": a.headers["ETag"]},
    )
    assert again.status_code == 304 and again.get_data() == b""
    assert again.headers["ETag"] == a.headers["ETag"]
    stale = client.get("/api/v1/units?country=URY", headers={"If-None-Match": a.headers["ETag"]})
    assert stale.status_code == 200
    for path in ("/api/v1/openapi.json", "/api/v1?lang=pt"):
        tag = client.get(path).headers["ETag"]
        assert client.get(path, headers={"If-None-Match": tag}).status_code == 304
    # compressed answers (Flask-Compress marks their ETag ":br") revalidate too
    packed = client.get("/api/v1/units?country=URY", headers={"Accept-Encoding": "br"})
    assert packed.headers["Content-Encoding"] == "br"
    headers = {"Accept-Encoding": "br", "If-None-Match": packed.headers["ETag"]}
    assert client.get("/api/v1/units?country=URY", headers=headers).status_code == 304


def test_apir013_a_cors_preflight_allows_if_none_match_from_any_origin(client):
    r = client.options(
        "/api/v1/units?country=BRA",
        headers={
            "Origin": "https://news.example",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "if-none-match",
        },
    )
    assert r.status_code == 204
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    assert "If-None-Match" in r.headers["Access-Control-Allow-Headers"]
    assert "GET" in r.headers["Access-Control-Allow-Methods"]


@pytest.mark.parametrize(
    ("path", "parameter", "allowed"),
    [
        ("/api/v1/observations?country=BRA&indicator=nope", "indicator", "infant_mortality"),
        ("/api/v1/observations?country=ARG", "country", "BRA"),
        ("/api/v1/observations", "country", "URY"),
        (
            "/api/v1/progress?indicator=infant_mortality&country=URY&level=municipality",
            "level",
            "admin1",
        ),
        ("/api/v1/observations?country=BRA&year=2010.5", "year", None),
        ("/api/v1/observations?country=BRA&limit=5001", "limit", None),
        ("/api/v1/observations?country=BRA&limit=0", "limit", None),
        ("/api/v1/observations?country=BRA&offset=-1", "offset", None),
        ("/api/v1/units?contry=BRA", "contry", "country"),
        ("/api/v1/units?format=xml", "format", "csv"),
        ("/api/v1/units?lang=fr", "lang", "pt"),
        ("/api/v1/progress?country=BRA", "indicator", "infant_mortality"),
        ("/api/v1/progress?indicator=population&country=BRA", "indicator", "illiteracy"),
        ("/api/v1/progress?indicator=illiteracy&country=BRA&framework=mdg", "framework", "local"),
        ("/api/v1/progress?indicator=illiteracy&country=BRA&framework=local", "local_value", None),
        (
            "/api/v1/progress?indicator=illiteracy&country=BRA&framework=local&local_value=5",
            "local_year",
            None,
        ),
        (
            "/api/v1/progress?indicator=illiteracy&country=BRA&framework=local"
            "&local_value=five&local_year=2030",
            "local_value",
            None,
        ),
        (
            "/api/v1/progress?indicator=illiteracy&country=BRA&framework=local"
            "&local_value=5&local_year=3000",
            "local_year",
            None,
        ),
        ("/api/v1/progress?indicator=illiteracy&country=BRA&local_value=5", "local_value", None),
    ],
)
def test_apir005_a_bad_parameter_is_a_400_naming_it(client, path, parameter, allowed):
    if "lang=" not in path:
        path += ("&" if "?" in path else "?") + "lang=en"
    r = client.get(path)
    assert r.status_code == 400
    assert r.mimetype == "application/json"
    error = r.get_json()["error"]
    assert error["parameter"] == parameter
    assert parameter in error["message"]
    assert "Traceback" not in r.get_data(as_text=True)
    if allowed is not None:
        assert allowed in error["allowed"]
        assert allowed in error["message"]


def test_apir006_errors_speak_the_readers_language(client):
    es = client.get("/api/v1/observations?country=ARG").get_json()["error"]["message"]
    pt = client.get("/api/v1/observations?country=ARG&lang=pt").get_json()["error"]["message"]
    en = client.get("/api/v1/observations?country=ARG&lang=en").get_json()["error"]["message"]
    assert es.startswith("Valor desconocido")
    assert pt.startswith("Valor desconhecido")
    assert en.startswith("Unknown value")


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/units/BRA9999999",
        "/api/v1/observations?unit=XXX1",
        "/api/v1/nothing",
        "/api/v1/a/b",
    ],
)
def test_apir007_unknown_unit_or_path_is_a_404(client, path):
    r = client.get(path)
    assert r.status_code == 404
    assert r.get_json()["error"]["message"]


def test_apir008_next_links_walk_every_row_once(client):
    everything = client.get("/api/v1/observations?country=BRA").get_json()
    url, seen, pages = "/api/v1/observations?country=BRA&limit=7", [], 0
    while url:
        page = client.get(url).get_json()
        assert page["total"] == everything["total"]
        seen += page["data"]
        url = page["next"]
        pages += 1
    assert seen == everything["data"]
    assert pages == -(-everything["total"] // 7)


def test_apir009_observations_carry_flag_source_and_licence(client):
    unit, year, _ = INHERITED
    rows = client.get(f"/api/v1/observations?unit={unit}&indicator=illiteracy").get_json()["data"]
    flagged = next(r for r in rows if r["year"] == year)
    assert flagged["flag"] == "inherited"
    assert flagged["ci_low"] < flagged["value"] < flagged["ci_high"]
    assert flagged["source"].startswith("PNUD Brasil")
    assert flagged["licence"]


@pytest.mark.parametrize(
    ("lang", "heading"),
    [("es", "Parámetros"), ("pt", "Parâmetros"), ("en", "Parameters")],
)
def test_apir010_docs_page_is_server_side_html_in_the_readers_language(client, lang, heading):
    r = client.get(f"/api/v1?lang={lang}")
    assert r.status_code == 200 and r.mimetype == "text/html"
    page = r.get_data(as_text=True)
    assert f'<html lang="{lang}">' in page
    assert heading in page
    for path in ("/indicators", "/units", "/observations", "/progress"):
        assert f"GET /api/v1{path}" in page
    document = "/api/v1/openapi.json" + ("" if lang == "es" else f"?lang={lang}")
    assert f'href="{document}"' in page
    assert "<script" not in page and "http" not in page.split("<body>")[1]


@pytest.mark.parametrize(
    ("lang", "title", "summary"),
    [
        ("es", "API de datos abiertos del Atlas ODM", "Una unidad."),
        ("pt", "API de dados abertos do Atlas ODM", "Uma unidade."),
        ("en", "Atlas ODM open data API", "One unit."),
    ],
)
def test_apir014_the_document_and_its_page_speak_the_readers_language(client, lang, title, summary):
    r = client.get(f"/api/v1/openapi.json?lang={lang}")
    doc = r.get_json()
    assert doc["info"]["title"] == title
    assert doc["paths"]["/units/{unit_id}"]["get"]["summary"] == summary
    page = client.get(f"/api/v1?lang={lang}").get_data(as_text=True)
    assert summary in page
    # each language is its own answer: a cached Spanish document never answers a Portuguese one
    other = client.get("/api/v1/openapi.json?lang=pt" if lang != "pt" else "/api/v1/openapi.json")
    assert other.headers["ETag"] != r.headers["ETag"]
    assert client.get("/api/v1/openapi.json").get_json()["info"]["title"].startswith("API de datos")


def test_apir011_the_api_lives_under_the_url_prefix(tiny_store):
    client = create_app(settings(url_prefix="/atlas/"), store=tiny_store).server.test_client()
    r = client.get("/atlas/api/v1/units?country=BRA&limit=2")
    assert r.status_code == 200
    assert r.get_json()["next"].endswith("/atlas/api/v1/units?country=BRA&limit=2&offset=2")
    doc = client.get("/atlas/api/v1/openapi.json").get_json()
    assert doc["servers"] == [{"url": "/atlas/api/v1"}]


@schema.parametrize()
@hypothesis_settings(
    max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None
)
def test_apir012_every_answer_matches_the_openapi_document(case):
    # Rules that bind parameters together, which OpenAPI cannot state: /observations needs a
    # country or a unit; /progress a level the country has (Uruguay: no municipalities), and
    # framework=local needs local_value and local_year. Their 400s are right, so only there the
    # check that every request the document allows gets a 2xx is left out; every other check
    # (responses, statuses, headers, content types, invalid requests rejected) runs everywhere.
    bound = ("/observations", "/progress")
    excluded = [checks.positive_data_acceptance] if case.path in bound else []
    # schemathesis's in-process transport does not decode Flask-Compress's brotli: ask for none
    case.call_and_validate(headers={"Accept-Encoding": "identity"}, excluded_checks=excluded)

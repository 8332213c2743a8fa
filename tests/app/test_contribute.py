"""The upload page and a dataset's page through the app, on both database backends: the three
steps with a hand-made CSV on the tiny store, each refusal (anonymous, reviewer, no CSRF token, a
bad file, an upload over ATLAS_UPLOAD_MAX_MB) publishing nothing, and the whole flow with CONAPO's
real workbook as an editor scoped to Mexico: upload -> mapping -> report -> publish -> the API
shows version 1 -> a second version -> rollback."""

from __future__ import annotations

import dataclasses
import re

import pytest
from sqlalchemy import func, select

from app import create_app
from atlas import accounts
from atlas.accounts import ScopeSpec
from atlas.db import Database
from atlas.db.models import Base, DatasetValue, DatasetVersion
from atlas.settings import settings

PASSWORD = "correct horse battery staple"
UPLOAD = "/contribute/upload"
CSV = "Código;Município;Ano;Taxa\n1100011;São Teste;2010;12,5\n1100021;Vila Exemplo;2010;20\n9999999;Nada;2010;5\n"
META = {
    "title": "Mortalidade infantil (SMS)",
    "source": "Secretaria Municipal de Saúde",
    "licence": "CC BY 4.0",
    "contact": "sms@example.org",
    "method_note": "",
    "unit_id": "",
}


def _app(store, url, **conf):
    db = Database.from_url(url)
    return create_app(dataclasses.replace(settings(), **conf), store=store, db=db), db


@pytest.fixture(scope="module")
def served(tiny_store, module_database_url):
    app, db = _app(tiny_store, module_database_url, upload_max_mb=2)
    yield app, db
    db.dispose()


def _empty(db):
    with db.session() as s:
        for table in reversed(Base.metadata.sorted_tables):
            s.execute(table.delete())


@pytest.fixture
def db(served):
    _empty(served[1])
    return served[1]


def _people(db, scope: str) -> dict:
    admin = accounts.create_admin(db, "admin@example.org", "Admin", PASSWORD)
    found = {"admin": admin}
    for role, scopes in (("editor", [ScopeSpec.parse(scope)]), ("reviewer", [])):
        token = accounts.invite(db, admin, f"{role}@example.org", role, scopes)
        found[role] = accounts.accept(db, token, role.title(), PASSWORD)
    return found


def _token(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def _hidden(html: str) -> dict[str, str]:
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))


def _selected(html: str) -> dict[str, str]:
    """Each select's chosen option."""
    out = {}
    for name, body in re.findall(r'<select[^>]* name="([^"]+)">(.*?)</select>', html, re.S):
        hit = re.search(r'<option value="([^"]*)" selected>', body)
        out[name] = hit.group(1) if hit else ""
    return out


def _login(client, email: str) -> None:
    token = _token(client.get("/account/login").get_data(as_text=True))
    resp = client.post(
        "/account/login", data={"email": email, "password": PASSWORD, "csrf_token": token}
    )
    assert resp.status_code == 303


def _count(db, model) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(model))


def _step1(client, data: bytes, name: str, country: str, indicator: str, token=None):
    import io

    html = client.get(UPLOAD).get_data(as_text=True)
    return client.post(
        UPLOAD,
        data={
            "csrf_token": token if token is not None else _token(html),
            "step": "1",
            "country": country,
            "indicator": indicator,
            "file": (io.BytesIO(data), name),
        },
        content_type="multipart/form-data",
    )


def _next(client, html: str, **changes):
    """Post the form of ``html`` as the page filled it, with ``changes``."""
    form = {**_hidden(html), **_selected(html), **changes}
    year = re.search(r'name="m_year_value" type="number" value="([^"]*)"', html)
    if year and "m_year_value" not in changes:
        form["m_year_value"] = year.group(1)
    return client.post(UPLOAD, data=form)


def test_cup001_three_steps_publish_a_version_and_the_dataset_page_rolls_back(served, db):
    app = served[0]
    _people(db, "BRA:11")
    client = app.server.test_client()
    _login(client, "editor@example.org")
    resp = _step1(client, CSV.encode(), "sms.csv", "BRA", "infant_mortality")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200, html
    assert "sms.csv: 3" in html
    chosen = _selected(html)
    assert (chosen["m_code"], chosen["m_year"], chosen["m_value"]) == ("Código", "Ano", "Taxa")
    # the kept file is in the data folder, named by a token, not in the cookie
    token = _hidden(html)["upload"]
    assert (settings().data_dir / "uploads" / token / "file").read_bytes() == CSV.encode()

    report = _next(client, html)
    html = report.get_data(as_text=True)
    assert report.status_code == 200, html
    assert "2 de 3 filas listas para publicar" in html
    _two_maps(html)
    assert "Unidad desconocida" in html and "<td>4</td>" in html  # the row, by its file number
    assert _count(db, DatasetVersion) == 0  # nothing published before the last step

    missing = _next(client, html, **{**META, "licence": ""})
    assert missing.status_code == 400 and "licence" in missing.get_data(as_text=True)
    assert _count(db, DatasetVersion) == 0
    done = _next(client, html, **META)
    assert done.status_code == 303
    page = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "Publicada la versión 1: 2 valores." in page
    assert not (settings().data_dir / "uploads" / token).exists()

    api = client.get("/api/v1/contributed/BRA/infant_mortality?lang=en").get_json()
    assert [(r["unit_id"], r["version"]) for r in api["data"]] == [
        ("BRA1100011", 1),
        ("BRA1100021", 1),
    ]
    assert api["data"][0]["label"].startswith("contributed by Brasil, version 1")

    # a second version, then back to the first from the dataset's page
    html = _step1(client, CSV.replace(";2010;", ";2011;").encode(), "v2.csv", "BRA",
                  "infant_mortality").get_data(as_text=True)  # fmt: skip
    html = _next(client, html).get_data(as_text=True)
    second = _next(client, html, **META)
    dataset_page = second.headers["Location"].split("?")[0]
    page = client.get(dataset_page).get_data(as_text=True)
    assert "Volver a la versión 1" in page and "publicada ahora" in page
    resp = client.post(dataset_page, data={"csrf_token": _token(page), "to_version": "1"})
    assert resp.status_code == 200 and "Se publica de nuevo la versión 1." in resp.get_data(
        as_text=True
    )
    api = client.get("/api/v1/contributed/BRA/infant_mortality").get_json()
    assert {(r["year"], r["version"]) for r in api["data"]} == {(2010, 1)}
    # a rollback without the form's token changes nothing
    resp = client.post(dataset_page, data={"to_version": "2"})
    assert resp.status_code == 400
    assert {r["version"] for r in client.get(api_path()).get_json()["data"]} == {1}


def _two_maps(html: str) -> tuple[str, str]:
    """The report page's preview: two server-drawn SVG maps, official then upload, each with its
    caption and text alternative; returns their markup."""
    section = html[html.index('<section aria-labelledby="preview-h"') :]
    assert section.count("<svg ") == 2
    official = section[
        section.index('id="preview-official"') : section.index('id="preview-upload"')
    ]
    upload = section[section.index('id="preview-upload"') :]
    assert "Capa oficial. Fuente:" in official and "<figcaption" in official
    assert "Vista previa, no publicada" in upload and "<figcaption" in upload
    for fig in (official, upload):
        assert 'role="img"' in fig and "<desc>" in fig and "<details" in fig
    return official, upload


def _fills(svg: str) -> dict[str, str]:
    """Each unit's fill in a map's SVG."""
    return dict(re.findall(r'<path data-id="([^"]+)" fill="([^"]+)"', svg))


def test_cup006_the_preview_maps_compare_an_upload_with_the_official_layer(served, db):
    app = served[0]
    _people(db, "BRA:11")
    client = app.server.test_client()
    _login(client, "editor@example.org")
    html = _step1(client, CSV.encode(), "sms.csv", "BRA", "infant_mortality").get_data(as_text=True)
    html = _next(client, html).get_data(as_text=True)
    official, upload = _two_maps(html)
    # the same classes and colours: the upload's 12.5 and 20 take the official classes of those
    # values, its other units have no data; the official map colours every unit it has
    ours = _fills(upload)
    theirs = _fills(official)
    assert set(ours) == set(theirs)
    assert ours["BRA1100011"] != ours["BRA1100021"]
    assert {c for u, c in ours.items() if u not in ("BRA1100011", "BRA1100021")} == {"#d9d9d9"}
    assert ours["BRA1100011"] in theirs.values() and ours["BRA1100021"] in theirs.values()
    assert "sms.csv" in upload and "2010" in official
    # the caption names the official source; the map in words names the covered units
    assert "Más bajo: São Teste (12,5); más alto: Vila Exemplo (20,0)" in upload
    # nothing is published by the preview, and the ids of the two maps' clip paths differ
    assert _count(db, DatasetVersion) == 0
    assert 'id="preview-official-area"' in official and 'id="preview-upload-area"' in upload
    # a file whose rows are all refused has no preview, and says so
    bad = CSV.replace(";12,5\n", ";ND\n").replace(";20\n", ";ND\n")
    html = _step1(client, bad.encode(), "x.csv", "BRA", "infant_mortality").get_data(as_text=True)
    html = _next(client, html).get_data(as_text=True)
    assert "No hay vista previa" in html and 'id="preview-upload"' not in html


def api_path() -> str:
    return "/api/v1/contributed/BRA/infant_mortality"


def test_cup002_who_may_not_upload_is_refused_and_nothing_is_kept(served, db):
    app = served[0]
    _people(db, "BRA:12")
    anonymous = app.server.test_client()
    assert anonymous.get(UPLOAD).status_code == 303  # sent to log in
    reviewer = app.server.test_client()
    _login(reviewer, "reviewer@example.org")
    assert reviewer.get(UPLOAD).status_code == 403
    # an editor of state 12 validates a file of state 11's units: every row is named as outside
    # the editor's scope, and there is nothing to publish
    editor = app.server.test_client()
    _login(editor, "editor@example.org")
    html = _step1(editor, CSV.encode(), "x.csv", "BRA", "infant_mortality").get_data(as_text=True)
    html = _next(editor, html).get_data(as_text=True)
    assert "Fuera de su ámbito" in html
    resp = _next(editor, html, **META)
    assert resp.status_code == 400 and "Fuera de su ámbito" in resp.get_data(as_text=True)
    assert _count(db, DatasetVersion) == 0 and _count(db, DatasetValue) == 0
    # a country outside the editor's scopes is not offered, and refused when sent
    resp = _step1(editor, CSV.encode(), "x.csv", "URY", "infant_mortality")
    assert resp.status_code == 400


def test_cup003_bad_files_and_requests_get_their_message_and_nothing_is_published(served, db):
    app = served[0]
    _people(db, "BRA")
    client = app.server.test_client()
    _login(client, "editor@example.org")
    cases = [
        (b"", "vacio.csv", "está vacío"),
        (b"%PDF-1.4 not a table", "doc.pdf", "no una tabla"),
        # over ATLAS_UPLOAD_MAX_MB: the file alone (read, then refused), or the whole body
        # (refused from its length, before it is read)
        (b"x" * (2 * 1024 * 1024 + 10_000), "big.csv", "el límite es 2.0 MB"),
        (b"x" * (3 * 1024 * 1024), "bigger.csv", "el límite es 2 MB"),
    ]
    for data, name, said in cases:
        resp = _step1(client, data, name, "BRA", "infant_mortality")
        assert resp.status_code in (400, 413), name
        assert said in resp.get_data(as_text=True), name
    resp = _step1(client, CSV.encode(), "x.csv", "BRA", "infant_mortality", token="forged")
    assert resp.status_code == 400 and 'role="alert"' in resp.get_data(as_text=True)
    # a mapping without the value column names what is missing
    html = _step1(client, CSV.encode(), "x.csv", "BRA", "infant_mortality").get_data(as_text=True)
    resp = _next(client, html, m_value="")
    assert resp.status_code == 400 and "alert" in resp.get_data(as_text=True)
    # an upload token of someone else (or made up) is gone, not read
    resp = _next(client, html, upload="A" * 43)
    assert resp.status_code == 400 and "ya no está disponible" in resp.get_data(as_text=True)
    assert _count(db, DatasetVersion) == 0


def test_cup004_only_the_upload_route_takes_more_than_one_mebibyte(served, db):
    _people(db, "BRA")
    client = served[0].server.test_client()
    _login(client, "editor@example.org")
    big = (CSV.splitlines()[0] + "\n" + "1100011;São Teste;2010;12,5\n" * 55_000).encode()
    assert 1024 * 1024 < len(big) < 2 * 1024 * 1024
    resp = _step1(client, big, "big.csv", "BRA", "infant_mortality")
    assert resp.status_code == 200 and "big.csv: 55000" in resp.get_data(as_text=True)
    resp = client.post("/account/login", data={"email": "x" * (2 * 1024 * 1024)})
    assert resp.status_code == 413


# -- the real producer's workbook ----------------------------------------------------------------


@pytest.fixture(scope="module")
def served_real(store, module_database_url):
    app, db = _app(store, module_database_url)
    yield app, db
    db.dispose()


def test_cup005_conapo_workbook_by_an_editor_of_mexico_to_the_api_and_back(served_real, raw_dir):
    app, db = served_real
    _empty(db)
    _people(db, "MEX")
    client = app.server.test_client()
    _login(client, "editor@example.org")
    path = raw_dir / "MEX/indicators/TMI2020_CONAPO.xlsx"
    data = path.read_bytes()
    html = _step1(client, data, path.name, "MEX", "infant_mortality").get_data(as_text=True)
    chosen = _selected(html)
    assert (chosen["m_code"], chosen["m_value"]) == ("CVEGEO", "TMI_2020")
    assert 'name="m_year_value" type="number" value="2020"' in html
    html = _next(client, html).get_data(as_text=True)
    assert "1886 de 1929 filas listas para publicar" in html
    official, upload = _two_maps(html)
    assert "Oficial: Mortalidad infantil, 2020" in official and "TMI2020_CONAPO.xlsx" in upload
    assert len(_fills(upload)) > 2000  # the country's municipalities: the file covers them all
    assert "Unidad desconocida" in html and "Valor faltante" in html
    meta = {**META, "source": "CONAPO, TMI 2020", "unit_id": "MEX09015"}
    done = _next(client, html, **meta)
    assert done.status_code == 303
    api = client.get("/api/v1/contributed/MEX/infant_mortality?lang=en").get_json()
    assert api["total"] == 1886 and {r["version"] for r in api["data"]} == {1}
    first = next(r for r in api["data"] if r["unit_id"] == "MEX01001")
    assert first["value"] == pytest.approx(7.641976, abs=1e-6)
    assert first["label"].startswith("contributed by Cuauhtémoc, version 1")
    # a second version of the same workbook, then back to version 1
    html = _step1(client, data, path.name, "MEX", "infant_mortality").get_data(as_text=True)
    html = _next(client, html).get_data(as_text=True)
    page_url = _next(client, html, **meta).headers["Location"].split("?")[0]
    page = client.get(page_url).get_data(as_text=True)
    resp = client.post(page_url, data={"csrf_token": _token(page), "to_version": "1"})
    assert resp.status_code == 200
    api = client.get("/api/v1/contributed/MEX/infant_mortality").get_json()
    assert {r["version"] for r in api["data"]} == {1}


def _cut_post(client, fields: dict, keep: float = 0.5):
    """``fields`` posted as multipart/form-data whose connection drops after ``keep`` of the
    body: the request says the whole length, the server reads less (as from a dead network)."""
    import io

    from werkzeug.datastructures import FileStorage
    from werkzeug.test import encode_multipart

    fields = {
        k: FileStorage(v[0], filename=v[1]) if isinstance(v, tuple) else v
        for k, v in fields.items()
    }
    boundary, body = encode_multipart(fields)
    cut = body[: int(len(body) * keep)]
    assert len(body) > 1000 and len(cut) < len(body)
    return client.post(
        UPLOAD,
        content_type=f"multipart/form-data; boundary={boundary}",
        # as a WSGI server hands it over: the length announced, the bytes that came
        environ_overrides={"wsgi.input": io.BytesIO(cut), "CONTENT_LENGTH": str(len(body))},
    )


def test_cup007_a_connection_lost_mid_upload_loses_nothing(served, db):
    """The network fails while a file or the publish form is on its way: the request is
    refused as incomplete, nothing is written, version 1 is still served, and the same steps
    done again publish version 2."""
    import io

    app = served[0]
    _people(db, "BRA:11")
    client = app.server.test_client()
    _login(client, "editor@example.org")
    page = _step1(client, CSV.encode(), "v1.csv", "BRA", "infant_mortality").get_data(as_text=True)
    report = _next(client, page).get_data(as_text=True)
    assert _next(client, report, **META).status_code == 303
    uploads = settings().data_dir / "uploads"
    kept = set(uploads.iterdir()) if uploads.exists() else set()

    token = _token(client.get(UPLOAD).get_data(as_text=True))
    v2 = CSV.replace(";2010;", ";2011;").encode() * 200  # a file long enough to be cut
    file_fields = {
        "csrf_token": token,
        "step": "1",
        "country": "BRA",
        "indicator": "infant_mortality",
        "file": (io.BytesIO(v2), "v2.csv"),
    }
    cut = _cut_post(client, file_fields)
    assert cut.status_code == 400 and "La subida llegó incompleta" in cut.get_data(as_text=True)
    assert (set(uploads.iterdir()) if uploads.exists() else set()) == kept  # no file kept
    # the publish form itself cut short
    page = _step1(client, CSV.replace(";2010;", ";2011;").encode(), "v2.csv", "BRA",
                  "infant_mortality").get_data(as_text=True)  # fmt: skip
    report = _next(client, page).get_data(as_text=True)
    form = {**_hidden(report), **_selected(report), **META}
    year = re.search(r'name="m_year_value" type="number" value="([^"]*)"', report)
    if year:
        form["m_year_value"] = year.group(1)
    cut = _cut_post(client, form, keep=0.6)
    assert cut.status_code == 400 and "La subida llegó incompleta" in cut.get_data(as_text=True)
    assert _count(db, DatasetVersion) == 1
    api = client.get(api_path()).get_json()
    assert {(r["year"], r["version"]) for r in api["data"]} == {(2010, 1)}
    # done again, whole: version 2
    done = client.post(UPLOAD, data=form)
    assert done.status_code == 303 and _count(db, DatasetVersion) == 2
    assert {r["version"] for r in client.get(api_path()).get_json()["data"]} == {2}

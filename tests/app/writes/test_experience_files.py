"""Files attached to an experience, through the app on both database backends: uploaded with a
public submission, hidden while it waits (a reviewer may open them), served as downloads once
approved; every refused file named with its reason and nothing written; the keyword search of the
catalogue ignores accents and case. The app here takes files of at most 0.05 MB."""

from __future__ import annotations

import dataclasses
import io

import pytest
from sqlalchemy import func, select

from app import create_app
from atlas.db import Database
from atlas.db.models import Experience, ExperienceFile
from atlas.settings import settings
from tests.app.writes.conftest import form_token as _token
from tests.app.writes.test_network_pages import SUBMISSION, _client
from tests.fixtures import documents as doc

LIMIT_MB = 0.05


@pytest.fixture(scope="module")
def served(tiny_store, module_database_url):
    db = Database.from_url(module_database_url)
    conf = dataclasses.replace(settings(), attachment_max_mb=LIMIT_MB)
    yield create_app(conf, store=tiny_store, db=db), db
    db.dispose()


def _count(db, model) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(model))


def _submit(client, files, lang="es", **changes):
    token = _token(client.get(f"/network/submit?lang={lang}").get_data(as_text=True))
    data = {**SUBMISSION, **changes, "csrf_token": token}
    data["files"] = [(io.BytesIO(body), name) for name, body in files]
    return client.post(
        f"/network/submit?lang={lang}", data=data, content_type="multipart/form-data"
    )


def test_nwf001_files_wait_with_their_experience_then_download_once_approved(app, db, people):
    pdf, png = doc.pdf(), doc.image("PNG")
    public = _client(app)
    form = public.get("/network/submit").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in form and 'for="f-files"' in form
    assert 'name="files" type="file" multiple' in form and "0.05 MB" in form
    resp = _submit(public, [("Informe São Paulo.pdf", pdf), ("foto.png", png)])
    assert resp.status_code == 201, resp.get_data(as_text=True)
    with db.session() as s:
        exp_id = s.scalar(select(Experience.id))
        file_ids = s.scalars(select(ExperienceFile.id).order_by(ExperienceFile.id)).all()
    url = f"/network/{exp_id}/files/{file_ids[0]}"
    # pending: not the public, not the editor of its state; the reviewer may open it
    assert public.get(url).status_code == 404
    assert _client(app, "editor@example.org").get(url).status_code == 404
    reviewer = _client(app, "reviewer@example.org")
    got = reviewer.get(url)
    assert got.status_code == 200 and got.data == pdf
    assert got.headers["Cache-Control"] == "no-store"
    queue = reviewer.get("/network/moderate").get_data(as_text=True)
    reviewer.post(
        "/network/moderate",
        data={"experience_id": exp_id, "decision": "approve", "csrf_token": _token(queue)},
    )
    page = public.get(f"/network/{exp_id}?lang=en").get_data(as_text=True)
    assert f'href="{url}" download>Informe São Paulo.pdf</a>' in page and "PDF, " in page
    assert f'href="/network/{exp_id}/files/{file_ids[1]}" download>foto.png</a>' in page
    got = public.get(url)
    assert got.status_code == 200 and got.data == pdf
    assert got.headers["Content-Type"] == "application/pdf"
    # the name in ASCII for old clients, in UTF-8 for the others (RFC 6266 / 5987)
    header = got.headers["Content-Disposition"]
    assert header.startswith('attachment; filename="Informe Sao')
    assert "filename*=UTF-8''Informe%20S%C3%A3o%20Paulo.pdf" in header
    assert got.headers["Cache-Control"] == "public, max-age=3600"
    assert got.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in got.headers["Content-Security-Policy"]
    png_got = public.get(f"/network/{exp_id}/files/{file_ids[1]}")
    assert png_got.data == png and png_got.headers["Content-Type"] == "image/png"
    # a file id of this experience only; an unknown one is a 404
    assert public.get(f"/network/{exp_id + 1}/files/{file_ids[0]}").status_code == 404
    assert public.get(f"/network/{exp_id}/files/999999").status_code == 404


def test_nwf002_each_refused_file_is_named_and_nothing_is_written(app, db, people):
    public = _client(app)
    files = [
        ("bueno.pdf", doc.pdf()),
        ("programa.pdf", b"MZ\x90\x00" + b"\x00" * 100),
        ("grande.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 60_000),
        ("macro.docx", doc.docx(macros=True)),
        ("pagina.html", b"<script>alert(1)</script>"),
    ]
    resp = _submit(public, files, lang="en")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400
    assert "“programa.pdf” is not a valid PDF file" in html
    assert "“grande.png” is 0.06 MB: the limit is 0.05 MB a file." in html
    assert "“macro.docx” contains macros" in html
    assert "“pagina.html” is not of a type taken" in html
    assert "bueno.pdf" not in html and "Nothing was saved" in html
    assert 'value="Censo comunitario del agua"' in html  # what was typed comes back
    resp = _submit(public, [(f"{k}.pdf", doc.pdf()) for k in range(6)], lang="pt")
    assert resp.status_code == 400 and "no máximo 5" in resp.get_data(as_text=True)
    # a body over what five files may weigh is refused before it is read
    resp = _submit(public, [("enorme.pdf", b"%PDF-" + b"x" * 700_000)], lang="en")
    assert resp.status_code == 413 and "more than the form takes" in resp.get_data(as_text=True)
    # good files with a bad field: the experience is refused, its files with it
    resp = _submit(public, [("bueno.pdf", doc.pdf())], lang="en", units="BRA0000000")
    assert resp.status_code == 400 and "choose the files again" in resp.get_data(as_text=True)
    assert _count(db, Experience) == 0 and _count(db, ExperienceFile) == 0
    # elsewhere the app's 1 MiB limit holds
    assert public.post("/account/login", data={"email": "y" * (2 << 20)}).status_code == 413


def test_nwf003_the_catalogue_search_ignores_accents_and_case(app, db, people):
    admin = _client(app, "admin@example.org")
    resp = _submit(
        admin,
        [],
        title="Educación en São Paulo",
        units="BRA1100011",
        publish="1",
    )
    assert resp.status_code == 200, resp.get_data(as_text=True)
    with db.session() as s:
        exp_id = s.scalar(select(Experience.id))
    public = _client(app)
    for q in ("sao+paulo", "Sao+Paulo", "EDUCACION", "educaci%C3%B3n", "s%C3%A3o"):
        page = public.get(f"/network?q={q}").get_data(as_text=True)
        assert f'href="/network/{exp_id}"' in page, q
    assert f'href="/network/{exp_id}"' not in public.get("/network?q=lima").get_data(as_text=True)

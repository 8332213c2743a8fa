"""The e-network's and the local plan's pages through the app, on both database backends:
labelled forms with the CSRF token, a public submission that waits, a reviewer who approves it
and the catalogue's search that then finds it, the plan's editor page, and every write refused
as anonymous, as an editor of another state, as a reviewer, or without the token."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from atlas.db.models import AuditEntry, Experience, Plan, PlanTarget
from tests.app.writes.conftest import form_token as _token
from tests.fixtures.people import PASSWORD

HOME, AWAY = "BRA1200032", "BRA1100011"


def _client(app, email: str | None = None):
    client = app.server.test_client()
    if email:
        token = _token(client.get("/account/login").get_data(as_text=True))
        resp = client.post(
            "/account/login", data={"email": email, "password": PASSWORD, "csrf_token": token}
        )
        assert resp.status_code == 303
    return client


def _count(db, model) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(model))


SUBMISSION = {
    "title": "Censo comunitario del agua",
    "units": HOME,
    "goal": ["7"],
    "language": "es",
    "what_was_done": "Un censo de **todos los pozos** <script>alert('x')</script>"
    '<img src=x onerror="alert(1)"> [mal](javascript:alert(1))',
    "results": "Cobertura medida: 92 %",
    "results_source": "Secretaría de Obras",
    "link_url": "https://example.org/censo.pdf",
    "link_label": "Informe del censo",
    "period_start": "2008",
    "period_end": "2010",
}


def test_nwp001_the_forms_are_labelled_and_carry_the_token(app, people):
    client = _client(app)
    html = client.get("/network/submit?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in html and "Submit an experience" in html
    for name in ("title", "units", "what_was_done", "results", "link_url", "contact"):
        assert f'<label class="form-label" for="f-{name}">' in html and f'id="f-{name}"' in html
    assert 'for="f-goal-7"' in html and _token(html)
    # a public visitor is not offered to publish directly
    assert 'name="publish"' not in html
    assert client.get("/network?lang=pt").status_code == 200


def test_nwp002_submit_wait_approve_then_found_by_search(app, db, people):
    public = _client(app)
    token = _token(public.get("/network/submit").get_data(as_text=True))
    resp = public.post("/network/submit", data={**SUBMISSION, "csrf_token": token})
    assert resp.status_code == 201, resp.get_data(as_text=True)
    assert "espera la revisión" in resp.get_data(as_text=True)
    with db.session() as s:
        exp_id = s.scalar(select(Experience.id))
    # not public yet: neither in the catalogue nor on its own page
    assert "Censo comunitario" not in public.get("/network?q=censo").get_data(as_text=True)
    assert public.get(f"/network/{exp_id}").status_code == 404

    reviewer = _client(app, "reviewer@example.org")
    queue = reviewer.get("/network/moderate").get_data(as_text=True)
    assert "Censo comunitario del agua" in queue and "<script" not in queue
    resp = reviewer.post(
        "/network/moderate",
        data={"experience_id": exp_id, "decision": "approve", "csrf_token": _token(queue)},
    )
    assert resp.status_code == 200 and "aprobada" in resp.get_data(as_text=True)

    found = public.get("/network?q=CENSO&goal=7&country=BRA").get_data(as_text=True)
    assert f'href="/network/{exp_id}"' in found
    assert f'href="/network/{exp_id}"' not in public.get("/network?goal=4").get_data(as_text=True)
    page = public.get(f"/network/{exp_id}").get_data(as_text=True)
    assert "<strong>todos los pozos</strong>" in page
    assert "<script" not in page and "onerror" not in page and 'href="javascript' not in page
    assert 'href="https://example.org/censo.pdf"' in page


def test_nwp003_bad_input_comes_back_with_its_message_and_what_was_typed(app, db, people):
    public = _client(app)
    token = _token(public.get("/network/submit?lang=en").get_data(as_text=True))
    data = {**SUBMISSION, "link_url": "javascript:alert(1)", "csrf_token": token}
    resp = public.post("/network/submit?lang=en", data=data)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400 and "must start with http:// or https://" in html
    assert 'value="Censo comunitario del agua"' in html
    data = {**SUBMISSION, "title": "x" * 301, "csrf_token": token}
    html = public.post("/network/submit?lang=en", data=data).get_data(as_text=True)
    assert "The field “Title” is longer than 300 characters." in html
    assert _count(db, Experience) == 0


def test_nwp004_writes_without_the_token_change_nothing(app, db, people):
    public = _client(app)
    resp = public.post("/network/submit", data=SUBMISSION)
    assert resp.status_code == 400 and _count(db, Experience) == 0
    editor = _client(app, "editor@example.org")
    resp = editor.post(
        f"/plans/{HOME}",
        data={"do": "plan", "name": "P", "period_start": "2024", "period_end": "2027"},
    )
    assert resp.status_code == 400 and _count(db, Plan) == 0


@pytest.mark.parametrize("who", [None, "editor@example.org", "admin@example.org"])
def test_nwp005_only_reviewers_and_admins_moderate(app, db, people, who):
    public = _client(app)
    token = _token(public.get("/network/submit").get_data(as_text=True))
    public.post("/network/submit", data={**SUBMISSION, "csrf_token": token})
    with db.session() as s:
        exp_id = s.scalar(select(Experience.id))
    client = _client(app, who)
    resp = client.get("/network/moderate")
    if who == "admin@example.org":
        assert resp.status_code == 200
        return
    assert resp.status_code == (303 if who is None else 403)
    token = _token(client.get("/network/submit").get_data(as_text=True))
    resp = client.post(
        "/network/moderate",
        data={"experience_id": exp_id, "decision": "approve", "csrf_token": token},
    )
    assert resp.status_code in (303, 403)
    with db.session() as s:
        assert s.get(Experience, exp_id).status == "pending"


def test_nwp006_the_editor_records_a_plan_and_sees_its_targets_tracked(app, db, people):
    editor = _client(app, "editor@example.org")
    html = editor.get(f"/plans/{HOME}?lang=en").get_data(as_text=True)
    assert "has not recorded its plan yet" in html and 'for="f-name"' in html
    token = _token(html)
    resp = editor.post(
        f"/plans/{HOME}?lang=en",
        data={"do": "plan", "name": "Plano Municipal", "period_start": "2024", "period_end": "2030",
              "document_url": "https://example.org/plano.pdf", "csrf_token": token},
    )  # fmt: skip
    assert resp.status_code == 200 and "Saved." in resp.get_data(as_text=True)
    resp = editor.post(
        f"/plans/{HOME}?lang=en",
        data={"do": "target", "indicator": "infant_mortality", "value": "5", "year": "2030", "csrf_token": token},
    )  # fmt: skip
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    # the latest value with its year and source (every number shown carries both)
    assert "Plano Municipal" in html and re.search(
        r"<td>9\.0 \(2010; Source: [^<]+\)</td><td>On track</td>", html
    )
    assert "falls 7.4 % a year" in html
    # a value outside the indicator's range: the message, nothing added
    resp = editor.post(
        f"/plans/{HOME}?lang=en",
        data={"do": "target", "indicator": "infant_mortality", "value": "-3", "year": "2030", "csrf_token": token},
    )  # fmt: skip
    assert resp.status_code == 400 and "must lie between" in resp.get_data(as_text=True)
    assert _count(db, PlanTarget) == 1
    # anyone may read the plan, without its forms
    public = _client(app).get(f"/plans/{HOME}").get_data(as_text=True)
    assert "Plano Municipal" in public and 'name="csrf_token"' not in public


@pytest.mark.parametrize(
    "who, unit, status",
    [
        (None, HOME, 303),
        ("editor@example.org", AWAY, 403),
        ("reviewer@example.org", HOME, 403),
    ],
)
def test_nwp007_plan_writes_out_of_scope_are_refused_and_write_nothing(
    app, db, people, who, unit, status
):
    client = _client(app, who)
    token = _token(client.get("/network/submit").get_data(as_text=True))
    before = _count(db, AuditEntry)
    resp = client.post(
        f"/plans/{unit}",
        data={"do": "plan", "name": "P", "period_start": "2024", "period_end": "2027", "csrf_token": token},
    )  # fmt: skip
    assert resp.status_code == status
    assert _count(db, Plan) == 0 and _count(db, AuditEntry) == before


def test_nwp008_an_unknown_unit_or_experience_is_a_404(app, people):
    client = _client(app)
    assert client.get("/plans/BRA9999999").status_code == 404
    assert client.get("/network/999999").status_code == 404

"""Answers that show what users wrote are never served stale: a cached callback answer is kept
under the users' writes so far (atlas.db.revision), so the first request after any write is
computed anew, and the same request again is served from the cache."""

from __future__ import annotations

from atlas import accounts
from atlas.db import revision
from tests.app.test_cache import ROUTER_BODY


def _post(client):
    return client.post("/_dash-update-component", json=ROUTER_BODY)


def test_rev001_a_write_makes_the_next_answer_new(app, db, people):
    before = revision(db.engine)
    assert before > 0  # making the people wrote audit entries
    client = app.server.test_client()
    first, again = _post(client), _post(client)
    assert first.status_code == 200 and again.headers["X-Atlas-Cache"] == "hit"
    with db.session() as s:
        accounts.audit(s, None, "test_write", "plan", "BRA1200013")
    assert revision(db.engine) == before + 1
    after = _post(client)
    assert after.status_code == 200 and after.headers["X-Atlas-Cache"] == "miss"
    assert _post(client).headers["X-Atlas-Cache"] == "hit"


def test_rev003_a_write_makes_the_next_first_layout_new(app, db, people):
    """The first layout (a unit's profile, with what users contributed) is kept under the
    same revision as the callbacks' answers."""
    client = app.server.test_client()
    referer = {"Referer": "http://localhost/unit/BRA1200013?lang=pt"}
    first = client.get("/_dash-layout", headers=referer)
    again = client.get("/_dash-layout", headers=referer)
    assert first.status_code == 200 and again.headers["X-Atlas-Cache"] == "hit"
    with db.session() as s:
        accounts.audit(s, None, "test_write", "plan", "BRA1200013")
    after = client.get("/_dash-layout", headers=referer)
    assert after.status_code == 200 and after.headers["X-Atlas-Cache"] == "miss"


def test_rev002_an_empty_or_unreachable_database_has_a_revision(db):
    from sqlalchemy import create_engine

    assert revision(db.engine) == 0  # emptied before each test
    gone = create_engine("sqlite:////nonexistent/folder/atlas.sqlite3")
    assert revision(gone) == -1

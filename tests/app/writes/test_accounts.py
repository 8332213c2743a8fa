"""The account routes through the app, on both database backends: the forms, the session cookie,
CSRF, and every write route tried as anonymous, as an editor of another state and as a reviewer
(refused, nothing written)."""

from __future__ import annotations

import re
from types import SimpleNamespace

import flask
import pytest
from sqlalchemy import func, select

from app import create_app
from atlas import accounts
from atlas.accounts import NotAllowed, ScopeSpec
from atlas.db.models import AuditEntry, Invitation, LoginAttempt, User
from atlas.settings import settings
from callbacks.accounts import check_write, csrf_token
from tests.app.writes.conftest import form_token as _token
from tests.fixtures.people import PASSWORD


def _login(client, email: str) -> None:
    token = _token(client.get("/account/login").get_data(as_text=True))
    resp = client.post(
        "/account/login", data={"email": email, "password": PASSWORD, "csrf_token": token}
    )
    assert resp.status_code == 303, resp.get_data(as_text=True)


def _writes(db) -> tuple[int, ...]:
    with db.session() as s:
        return tuple(
            s.scalar(select(func.count()).select_from(m)) for m in (User, Invitation, AuditEntry)
        )


def test_acr001_the_login_form_is_labelled_keyboard_usable_and_posts_to_itself(app):
    client = app.server.test_client()
    resp = client.get("/account/login?lang=pt")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and '<html lang="pt">' in html
    for field in ("email", "password"):
        assert f'<label class="form-label" for="f-{field}">' in html and f'id="f-{field}"' in html
    assert 'method="post" action="/account/login?lang=pt"' in html
    assert 'type="submit"' in html and "Entrar" in html
    assert resp.headers["Cache-Control"] == "no-store"
    assert "form-action 'self'" in resp.headers["Content-Security-Policy"]


def test_acr002_the_session_cookie_is_httponly_lax_and_secure_over_https(app, people):
    for base, secure in (("http://localhost", False), ("https://localhost", True)):
        client = app.server.test_client()
        html = client.get("/account/login", base_url=base).get_data(as_text=True)
        resp = client.post(
            "/account/login",
            base_url=base,
            data={"email": "admin@example.org", "password": PASSWORD, "csrf_token": _token(html)},
        )
        cookie = resp.headers["Set-Cookie"]
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie
        assert ("Secure" in cookie) is secure


def test_acr003_a_login_without_the_form_token_does_nothing(app, people, db):
    client = app.server.test_client()
    client.get("/account/login")
    resp = client.post("/account/login", data={"email": "admin@example.org", "password": PASSWORD})
    assert resp.status_code == 400
    html = resp.get_data(as_text=True)
    assert 'value="admin@example.org"' in html and 'role="alert"' in html  # what was typed is kept
    assert client.get("/account/admin").status_code == 303  # still anonymous
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(LoginAttempt)) == 0


def test_acr004_a_wrong_password_says_so_and_the_admin_lands_on_the_admin_page(app, people):
    client = app.server.test_client()
    token = _token(client.get("/account/login").get_data(as_text=True))
    resp = client.post(
        "/account/login",
        data={"email": "admin@example.org", "password": "nope nope nope", "csrf_token": token},
    )
    assert resp.status_code == 401 and "Correo o contraseña incorrectos." in resp.get_data(
        as_text=True
    )
    resp = client.post(
        "/account/login",
        data={"email": "admin@example.org", "password": PASSWORD, "csrf_token": token},
    )
    assert resp.status_code == 303 and resp.headers["Location"].endswith("/account/admin")
    page = client.get("/account/admin").get_data(as_text=True)
    assert "editor@example.org" in page and "BRA:12" in page


def test_acr005_the_next_address_after_login_stays_on_the_atlas(app, people):
    for nxt, expected in (
        ("/unit/BRA1100011", "/unit/BRA1100011"),
        ("//evil.example/x", "/"),
        ("https://evil.example/", "/"),
    ):
        client = app.server.test_client()
        token = _token(client.get("/account/login").get_data(as_text=True))
        resp = client.post(
            "/account/login",
            query_string={"next": nxt},
            data={"email": "editor@example.org", "password": PASSWORD, "csrf_token": token},
        )
        assert resp.headers["Location"] == expected


def test_acr006_the_login_limit_answers_429(app, people):
    client = app.server.test_client()
    token = _token(client.get("/account/login").get_data(as_text=True))
    for _ in range(accounts.MAX_FAILURES_ACCOUNT):
        client.post(
            "/account/login",
            data={
                "email": "admin@example.org",
                "password": "wrong wrong wrong",
                "csrf_token": token,
            },
        )
    resp = client.post(
        "/account/login",
        data={"email": "admin@example.org", "password": PASSWORD, "csrf_token": token},
    )
    assert resp.status_code == 429 and "15" in resp.get_data(as_text=True)


def test_acr007_an_admin_invites_an_editor_who_accepts_and_is_signed_in(app, people, db):
    client = app.server.test_client()
    _login(client, "admin@example.org")
    token = _token(client.get("/account/admin").get_data(as_text=True))
    resp = client.post(
        "/account/admin",
        data={
            "email": "new@example.org",
            "role": "editor",
            "scopes": "BRA:11",
            "csrf_token": token,
        },
    )
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200, html
    link = re.search(r'href="(http://localhost/account/invitation/[^"]+)"', html).group(1)
    newcomer = app.server.test_client()
    page = newcomer.get(link).get_data(as_text=True)
    assert "new@example.org" in page and "BRA:11" in page
    form = {
        "name": "Nova",
        "password": PASSWORD,
        "password2": PASSWORD + "x",
        "csrf_token": _token(page),
    }
    resp = newcomer.post(link, data=form)
    assert resp.status_code == 400 and 'role="alert"' in resp.get_data(as_text=True)
    resp = newcomer.post(link, data={**form, "password2": PASSWORD})
    assert resp.status_code == 303
    user = accounts.authenticate(db, "new@example.org", PASSWORD, "127.0.0.1")
    assert user.scopes == (ScopeSpec("BRA", "11"),)
    assert newcomer.get(link).status_code == 404  # used up


def test_acr008_a_scope_the_store_lacks_is_refused_and_nothing_is_written(app, people, db):
    client = app.server.test_client()
    _login(client, "admin@example.org")
    token = _token(client.get("/account/admin").get_data(as_text=True))
    before = _writes(db)
    resp = client.post(
        "/account/admin",
        data={
            "email": "new@example.org",
            "role": "editor",
            "scopes": "BRA:35",
            "csrf_token": token,
        },
    )
    assert resp.status_code == 400 and "BRA:35" in resp.get_data(as_text=True)
    assert 'value="new@example.org"' in resp.get_data(as_text=True)
    assert _writes(db) == before


#: Every write route with a form that would succeed for an admin.
WRITES = [
    ("/account/admin", {"email": "intruder@example.org", "role": "admin", "scopes": ""}),
    ("/account/admin", {"email": "intruder@example.org", "role": "editor", "scopes": "BRA:12"}),
]


@pytest.mark.parametrize("who", [None, "editor", "reviewer"])
@pytest.mark.parametrize("path, form", WRITES)
def test_acr009_every_write_route_refuses_anonymous_editors_and_reviewers(
    app, people, db, who, path, form
):
    client = app.server.test_client()
    if who:
        _login(client, f"{who}@example.org")
    token = _token(client.get("/account/login").get_data(as_text=True))
    before = _writes(db)
    resp = client.post(path, data={**form, "csrf_token": token})
    if who is None:
        assert resp.status_code == 303 and "/account/login?next=" in resp.headers["Location"]
    else:
        assert resp.status_code == 403
        assert "No se ha modificado nada." in resp.get_data(as_text=True)
    assert client.get(path).status_code == (303 if who is None else 403)
    assert _writes(db) == before


def test_acr010_an_admin_form_without_its_token_writes_nothing(app, people, db):
    client = app.server.test_client()
    _login(client, "admin@example.org")
    before = _writes(db)
    resp = client.post(
        "/account/admin",
        data={"email": "x@example.org", "role": "reviewer", "csrf_token": "forged"},
    )
    assert resp.status_code == 400
    assert _writes(db) == before


def test_acr011_accepting_an_unknown_invitation_writes_nothing(app, people, db):
    client = app.server.test_client()
    token = _token(client.get("/account/login").get_data(as_text=True))
    before = _writes(db)
    resp = client.post(
        "/account/invitation/forged",
        data={"name": "X", "password": PASSWORD, "password2": PASSWORD, "csrf_token": token},
    )
    assert resp.status_code == 404
    assert _writes(db) == before


def test_acr012_logout_needs_its_token_and_ends_the_session(app, people):
    client = app.server.test_client()
    _login(client, "admin@example.org")
    assert client.post("/account/logout").status_code == 400
    assert client.get("/account/admin").status_code == 200
    token = _token(client.get("/account/logout").get_data(as_text=True))
    assert client.post("/account/logout", data={"csrf_token": token}).status_code == 303
    assert client.get("/account/admin").status_code == 303


def test_acr013_a_deactivated_account_loses_its_session_at_once(app, people, db):
    client = app.server.test_client()
    _login(client, "admin@example.org")
    other = accounts.create_admin(db, "second@example.org", "Second", PASSWORD)
    second = app.server.test_client()
    _login(second, "second@example.org")
    accounts.set_active(db, people["admin"], other.id, False)
    assert second.get("/account/admin").status_code == 303


@pytest.mark.parametrize(
    "who, token_ok, unit, allowed",
    [
        (None, True, "BRA1200012", False),
        ("editor", False, "BRA1200012", False),  # the right place but no token
        ("editor", True, "BRA1100011", False),  # another state
        ("reviewer", True, "BRA1200012", False),
        ("editor", True, "BRA1200012", True),
        ("admin", True, "BRA1100011", True),
    ],
)
def test_acr014_a_dash_callback_that_writes_checks_the_token_and_the_rule(
    app, people, db, tiny_store, who, token_ok, unit, allowed
):
    """check_write: what a Dash callback that writes calls with the token its page was given."""
    ctx = SimpleNamespace(db=db)
    with app.server.test_request_context("/_dash-update-component", method="POST"):
        if who:
            flask.session["uid"] = people[who].id
        flask.session["csrf"] = "the-token"
        sent = "the-token" if token_ok else "other"
        place = accounts.place_of(tiny_store, unit)
        if allowed:
            assert check_write(ctx, sent, accounts.PUBLISH_DATA, place).role == who
        else:
            with pytest.raises(NotAllowed):
                check_write(ctx, sent, accounts.PUBLISH_DATA, place)
        assert flask.g.atlas_uncacheable


def test_acr017_an_answer_that_carries_the_token_is_never_cached(app):
    with app.server.test_request_context("/_dash-update-component", method="POST"):
        assert not flask.g.get("atlas_uncacheable")
        token = csrf_token()
        assert flask.g.atlas_uncacheable and flask.session["csrf"] == token == csrf_token()


def test_acr018_a_callback_that_hands_out_the_token_is_answered_anew_every_time(
    tiny_store, monkeypatch
):
    """The callback cache keeps answers by request body: one that carries a session's token (or
    that wrote) must never be served to the next reader, nor skip the next write."""
    from callbacks import router
    from tests.app.test_cache import ROUTER_BODY

    rendered = []
    original = router.render

    def render_with_a_form(ctx, pathname, search):
        rendered.append(csrf_token())
        return original(ctx, pathname, search)

    monkeypatch.setattr(router, "render", render_with_a_form)
    client = create_app(settings(), store=tiny_store).server.test_client()
    first = client.post("/_dash-update-component", json=ROUTER_BODY)
    second = client.post("/_dash-update-component", json=ROUTER_BODY)
    assert first.status_code == second.status_code == 200 and len(rendered) == 2
    assert "X-Atlas-Cache" not in first.headers and "X-Atlas-Cache" not in second.headers
    other = create_app(settings(), store=tiny_store).server.test_client()
    other.post("/_dash-update-component", json=ROUTER_BODY)
    assert len(rendered) == 3 and rendered[2] != rendered[0]  # another session, another token


def test_acr015_every_page_but_the_embedded_map_links_to_the_sign_in_form():
    from dash import html

    from atlas.urls import EMBED, MAP, Page, URLs
    from layouts import shell

    def hrefs(node) -> list[str]:
        found = [getattr(node, "href", None)]
        children = getattr(node, "children", None)
        for child in children if isinstance(children, list) else [children]:
            if child is not None and not isinstance(child, str):
                found += hrefs(child)
        return [h for h in found if h]

    page = html.Div(shell.page("pt", html.Div(), URLs(prefix="/atlas/"), Page(MAP)))
    assert "/atlas/account/login?lang=pt" in hrefs(page)
    embedded = html.Div(shell.page("pt", html.Div(), URLs(prefix="/atlas/"), Page(EMBED)))
    assert not [h for h in hrefs(embedded) if "/account/" in h]


def test_acr016_behind_a_trusted_proxy_the_limit_counts_the_readers_own_address(
    tiny_store, db, people
):
    app = create_app(settings(trusted_proxies="1"), store=tiny_store, db=db)
    client = app.server.test_client()
    token = _token(client.get("/account/login").get_data(as_text=True))
    headers = {"X-Forwarded-For": "198.51.100.23", "X-Forwarded-Proto": "https"}
    resp = client.post(
        "/account/login",
        headers=headers,
        data={"email": "admin@example.org", "password": PASSWORD, "csrf_token": token},
    )
    assert resp.status_code == 303 and "Secure" in resp.headers["Set-Cookie"]
    with db.session() as s:
        assert s.scalar(select(LoginAttempt.ip)) == "198.51.100.23"

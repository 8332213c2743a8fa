"""Sessions, CSRF and the account routes (``/account/login``, ``logout``, ``invitation/<token>``,
``admin``): plain Flask routes beside Dash's, rendering :mod:`layouts.account_pages`.

- The session is Flask's signed cookie (key: ``ATLAS_SECRET_KEY`` or the one kept in the data
  folder), ``HttpOnly``, ``SameSite=Lax``, ``Secure`` over HTTPS (``ATLAS_COOKIE_SECURE``), on the
  atlas's path only. It holds the account's id and the CSRF token, nothing else; the account is
  read from the database on every request, so a deactivated one is out at once.
- CSRF: every POST to ``/account/*`` must send back the session's token (:func:`csrf_token`) in
  ``csrf_token``; a Dash callback that writes calls :func:`check_write` with the token the page
  gave it. A missing or wrong token answers 400 and changes nothing.
- Rights: every write asks :func:`atlas.accounts.require`; an anonymous reader is sent to log
  in, a signed-in one without the right gets 403.
"""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
from urllib.parse import urlsplit

import flask
from dash import Dash
from flask.sessions import SecureCookieSessionInterface
from werkzeug.middleware.proxy_fix import ProxyFix

from atlas import accounts
from atlas.accounts import AccountError, NotAllowed, Place, Principal
from atlas.i18n import lang_or_default, t
from atlas.urls import ACCOUNT_ROOT
from layouts import account_pages

SESSION_USER = "uid"
SESSION_CSRF = "csrf"
CSRF_FIELD = "csrf_token"
SESSION_HOURS = 12


class AtlasSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session whose ``Secure`` flag follows ``ATLAS_COOKIE_SECURE``:
    ``auto`` sets it when the request came over HTTPS (behind a proxy, the proxy must say so:
    docs/deploy.md)."""

    def __init__(self, mode: str):
        self.mode = mode

    def get_cookie_secure(self, app) -> bool:
        if self.mode == "auto":
            return flask.has_request_context() and flask.request.is_secure
        return self.mode == "true"


def install_sessions(server: flask.Flask, conf, prefix: str) -> None:
    if conf.trusted_proxies > 0:
        # the client's address and scheme as the proxies say (werkzeug's ProxyFix): without
        # it, behind nginx every login would count against the proxy's one address
        n = conf.trusted_proxies
        server.wsgi_app = ProxyFix(server.wsgi_app, x_for=n, x_proto=n, x_host=0)
    server.secret_key = accounts.secret_key(conf)
    server.config.update(
        SESSION_COOKIE_NAME="atlas_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_PATH=prefix,
        PERMANENT_SESSION_LIFETIME=dt.timedelta(hours=SESSION_HOURS),
    )
    server.session_interface = AtlasSessionInterface(conf.cookie_secure)


# -- CSRF and the current account --------------------------------------------------------------


def csrf_token() -> str:
    """The session's CSRF token, made on first use. A Dash layout that holds a form which
    writes puts it in a ``dcc.Store`` its callback sends back to :func:`check_write`; the
    answer that carries it is personal, so the callback cache never keeps it."""
    flask.g.atlas_uncacheable = True
    token = flask.session.get(SESSION_CSRF)
    if not token:
        token = secrets.token_urlsafe(32)
        flask.session[SESSION_CSRF] = token
    return token


def csrf_valid(sent: str | None) -> bool:
    expected = flask.session.get(SESSION_CSRF)
    return bool(expected and isinstance(sent, str) and hmac.compare_digest(expected, sent))


def current_user(ctx) -> Principal | None:
    """The signed-in account of this request (None: anonymous or deactivated). An answer that
    depends on it is personal: the callback cache never keeps it."""
    flask.g.atlas_uncacheable = True
    if "atlas_user" not in flask.g:
        flask.g.atlas_user = accounts.load_user(ctx.db, flask.session.get(SESSION_USER))
    return flask.g.atlas_user


def check_write(
    ctx, sent_token: str | None, action: str, target: Place | None = None
) -> Principal | None:
    """For a Dash callback that writes: the CSRF token the page was given must come back and
    :func:`atlas.accounts.can` must allow ``action`` on ``target`` for the session's account.
    Raises :class:`atlas.accounts.NotAllowed` otherwise; the callback then writes nothing. The
    answer is never cached (a cached answer would skip the write)."""
    flask.g.atlas_uncacheable = True
    if not csrf_valid(sent_token):
        raise NotAllowed("csrf")
    user = current_user(ctx)
    accounts.require(user, action, target)
    return user


def client_ip() -> str:
    """The request's client address (behind trusted proxies, the one they forwarded)."""
    return flask.request.remote_addr or ""


def page_lang(ctx) -> str:
    """The language a server-rendered page is asked in (``?lang=``, else the default)."""
    return lang_or_default(flask.request.args.get("lang") or ctx.conf.default_lang)


def _safe_next(ctx, value: str | None) -> str:
    """Where to go after logging in: a path of the atlas only (never another site)."""
    if value:
        parts = urlsplit(value)
        if (
            not parts.scheme
            and not parts.netloc
            and value.startswith(ctx.urls.prefix)
            and not value.startswith("//")
            and "\\" not in value
        ):
            return value
    return ctx.urls.home(page_lang(ctx))


def absolute_url(path: str) -> str:
    """``path`` (one the URL builder made) as an address on the host the request came to."""
    return flask.request.host_url.rstrip("/") + path


def html_response(body: str, status: int = 200) -> flask.Response:
    """A server-rendered page, never kept by a cache (it may carry the session's token)."""
    resp = flask.Response(body, status=status, mimetype="text/html")
    resp.headers["Cache-Control"] = "no-store"
    return resp


def register(app: Dash, ctx) -> None:
    server = app.server
    urls = ctx.urls
    install_sessions(server, ctx.conf, urls.prefix)
    root = urls.path(ACCOUNT_ROOT)

    def here(page: str) -> str:
        return urls.account(page)

    def render(
        page: str, title_key: str, body: str, status: int = 200, path: str = ""
    ) -> flask.Response:
        lang = page_lang(ctx)
        user = current_user(ctx)
        html = account_pages.page(lang, t(title_key, lang), body, urls, path or here(page), user)
        return html_response(html, status)

    def refused(user: Principal | None) -> flask.Response:
        """An anonymous reader is sent to log in (and back); a signed-in one gets 403."""
        if user is None:
            nxt = flask.request.full_path if flask.request.method == "GET" else flask.request.path
            return flask.redirect(urls.account("login", page_lang(ctx), next=nxt.rstrip("?")), 303)
        lang = page_lang(ctx)
        return render(
            "admin",
            "accounts.forbidden.title",
            account_pages.message(t("accounts.forbidden.text", lang)),
            403,
        )

    def bad_token(page: str, title_key: str, body: str) -> flask.Response:
        """A POST without the session's token: nothing is done; the form comes back with a
        fresh token and what the reader typed (passwords excepted)."""
        return render(page, title_key, body, 400)

    @server.before_request
    def _csrf_on_account_writes():
        """Every POST under ``/account/`` carries the session's token, whatever the route."""
        req = flask.request
        if req.method == "POST" and req.path.startswith(root + "/"):
            if not csrf_valid(req.form.get(CSRF_FIELD)):
                flask.g.atlas_csrf_failed = True

    @server.route(urls.path(f"{ACCOUNT_ROOT}/login"), methods=["GET", "POST"])
    def login():
        lang = page_lang(ctx)
        action = urls.account("login", lang, next=flask.request.args.get("next", ""))
        form = flask.request.form
        email = form.get("email", "")[:254]
        if flask.request.method == "GET":
            return render(
                "login",
                "accounts.login.title",
                account_pages.login_form(lang, action, csrf_token()),
            )
        if flask.g.get("atlas_csrf_failed"):
            body = account_pages.login_form(
                lang, action, csrf_token(), email, t("accounts.error.csrf", lang)
            )
            return bad_token("login", "accounts.login.title", body)
        try:
            user = accounts.authenticate(ctx.db, email, form.get("password", ""), client_ip())
        except AccountError as exc:
            status = 429 if exc.key == "accounts.error.too_many" else 401
            body = account_pages.login_form(
                lang, action, csrf_token(), email, t(exc.key, lang, **exc.values)
            )
            return render("login", "accounts.login.title", body, status)
        # a new session (a new token) on every login: a token seen before it is worthless after
        flask.session.clear()
        flask.session[SESSION_USER] = user.id
        flask.session.permanent = True
        csrf_token()
        target = flask.request.args.get("next")
        if not target and accounts.can(user, accounts.MANAGE_USERS):
            target = urls.account("admin", lang)
        return flask.redirect(_safe_next(ctx, target), 303)

    @server.route(urls.path(f"{ACCOUNT_ROOT}/logout"), methods=["GET", "POST"])
    def logout():
        lang = page_lang(ctx)
        action = urls.account("logout", lang)
        if flask.request.method == "GET":
            return render(
                "logout",
                "accounts.logout.title",
                account_pages.logout_form(lang, action, csrf_token()),
            )
        if flask.g.get("atlas_csrf_failed"):
            body = account_pages.message(
                t("accounts.error.csrf", lang)
            ) + account_pages.logout_form(lang, action, csrf_token())
            return bad_token("logout", "accounts.logout.title", body)
        flask.session.clear()
        return flask.redirect(urls.home(lang), 303)

    @server.route(urls.path(f"{ACCOUNT_ROOT}/invitation/<token>"), methods=["GET", "POST"])
    def accept_invitation(token: str):
        lang = page_lang(ctx)
        action = urls.invitation(token, lang)
        path = urls.invitation(token)
        try:
            pending = accounts.invitation(ctx.db, token)
        except AccountError as exc:
            body = account_pages.message(t(exc.key, lang))
            return render("invitation", "accounts.invitation.title", body, 404, path)

        def form(error: str = "") -> str:
            return account_pages.invitation_form(
                lang,
                action,
                csrf_token(),
                pending.email,
                pending.role,
                [str(s) for s in pending.scopes],
                error,
            )

        if flask.request.method == "GET":
            return render("invitation", "accounts.invitation.title", form(), path=path)
        if flask.g.get("atlas_csrf_failed"):
            return render(
                "invitation",
                "accounts.invitation.title",
                form(t("accounts.error.csrf", lang)),
                400,
                path,
            )
        f = flask.request.form
        if f.get("password", "") != f.get("password2", ""):
            return render(
                "invitation",
                "accounts.invitation.title",
                form(t("accounts.error.password_differs", lang)),
                400,
                path,
            )
        try:
            user = accounts.accept(
                ctx.db, token, f.get("name", ""), f.get("password", ""), client_ip()
            )
        except AccountError as exc:
            return render(
                "invitation",
                "accounts.invitation.title",
                form(t(exc.key, lang, **exc.values)),
                400,
                path,
            )
        flask.session.clear()
        flask.session[SESSION_USER] = user.id
        flask.session.permanent = True
        csrf_token()
        return flask.redirect(urls.home(lang), 303)

    @server.route(urls.path(f"{ACCOUNT_ROOT}/admin"), methods=["GET", "POST"])
    def admin():
        lang = page_lang(ctx)
        user = current_user(ctx)
        if not accounts.can(user, accounts.MANAGE_USERS):
            return refused(user)
        action = urls.account("admin", lang)
        values: dict[str, str] = {}
        error = link = ""
        status = 200
        if flask.request.method == "POST":
            f = flask.request.form
            values = {k: f.get(k, "")[:2000] for k in ("email", "role", "scopes")}
            if flask.g.get("atlas_csrf_failed"):
                error, status = t("accounts.error.csrf", lang), 400
            else:
                try:
                    scopes = [
                        accounts.ScopeSpec.parse(s)
                        for s in values["scopes"].replace(",", " ").split()
                    ]
                    for spec in scopes:
                        problem = accounts.scope_problem(spec, ctx.store)
                        if problem is not None:
                            raise problem
                    token = accounts.invite(
                        ctx.db, user, values["email"], values["role"], scopes, ip=client_ip()
                    )
                except AccountError as exc:
                    error, status = t(exc.key, lang, **exc.values), 400
                else:
                    link = absolute_url(urls.invitation(token, lang))
                    values = {}
        body = account_pages.admin_page(
            lang, action, csrf_token(), accounts.list_users(ctx.db, user), error, link, values
        )
        return render("admin", "accounts.admin.title", body, status)

"""The account pages as server-rendered HTML: log in, accept an invitation, the admin's page
(invite, list accounts). Plain forms that post to their own address with the session's CSRF
token, so they work without JavaScript and under the app's Content-Security-Policy
(``form-action 'self'``, no inline script). Every text comes from the message registry and every
value is escaped.
"""

from __future__ import annotations

from collections.abc import Iterable

from atlas.accounts import Principal
from atlas.i18n import LANG_NAMES, LANGS, t
from atlas.urls import URLs
from layouts.forms import esc as _e
from layouts.forms import field as _field
from layouts.forms import form as _form
from layouts.forms import message

#: The one stylesheet the app serves (assets/), so the forms look like the rest of the atlas.
STYLESHEETS = ("0_bootstrap-5.3.6.min.css", "1_atlas.css")


def page(
    lang: str, title: str, body: str, urls: URLs, here: str, user: Principal | None = None
) -> str:
    """A whole page: ``<head>``, the atlas's header with its language links (``here`` is the
    page's address without ``lang``), ``body`` in the main landmark."""
    links = "".join(f'<link rel="stylesheet" href="{_e(urls.asset(s))}">' for s in STYLESHEETS)
    langs = " ".join(_lang_link(c, lang, here, urls.default_lang) for c in LANGS)
    who = ""
    if user is not None:
        signed_in = _e(t("accounts.signed_in_as", lang, name=user.name))
        logout = _e(urls.account("logout", lang))
        who = (
            f'<span class="navbar-text me-2">{signed_in}</span>'
            f'<a class="link-light me-3" href="{logout}">{_e(t("accounts.logout.title", lang))}</a>'
        )
    return (
        f'<!DOCTYPE html><html lang="{_e(lang)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="robots" content="noindex">'
        f"<title>{_e(title)} · {_e(t('app.title', lang))}</title>{links}</head><body>"
        '<header><nav class="navbar navbar-dark bg-dark" data-bs-theme="dark"><div class="container">'
        f'<a class="navbar-brand" href="{_e(urls.home(lang))}">{_e(t("app.title", lang))}</a>'
        f'<div>{who}<span aria-label="{_e(t("nav.language", lang))}">{langs}</span></div>'
        "</div></nav></header>"
        f'<main class="container py-4" style="max-width: 48rem"><h1 class="h3 mb-4">{_e(title)}</h1>'
        f"{body}</main></body></html>"
    )


def _lang_link(code: str, lang: str, here: str, default: str) -> str:
    sep = "&" if "?" in here else "?"
    href = here if code == default else f"{here}{sep}lang={code}"
    current = ' aria-current="true"' if code == lang else ""
    active = " active" if code == lang else ""
    return (
        f'<a class="lang-link{active}" lang="{code}" title="{_e(LANG_NAMES[code])}" '
        f'href="{_e(href)}"{current}>{code.upper()}</a>'
    )


def login_form(lang: str, action: str, csrf: str, email: str = "", error: str = "") -> str:
    fields = _field(
        "email",
        t("accounts.email", lang),
        "email",
        email,
        autocomplete="username",
        required="required",
    ) + _field(
        "password",
        t("accounts.password", lang),
        "password",
        autocomplete="current-password",
        required="required",
    )
    return (message(error) if error else "") + _form(
        action, csrf, fields, t("accounts.login.submit", lang)
    )


def logout_form(lang: str, action: str, csrf: str) -> str:
    return _form(action, csrf, "", t("accounts.logout.submit", lang))


def invitation_form(
    lang: str, action: str, csrf: str, email: str, role: str, scopes: Iterable[str], error: str = ""
) -> str:
    where = ", ".join(scopes)
    intro = t("accounts.invitation.intro", lang, email=email, role=t(f"accounts.role.{role}", lang))
    if where:
        intro += " " + t("accounts.invitation.scopes", lang, scopes=where)
    fields = (
        _field("name", t("accounts.name", lang), autocomplete="name", required="required")
        + _field(
            "password",
            t("accounts.new_password", lang),
            "password",
            autocomplete="new-password",
            required="required",
            minlength="12",
            aria_describedby="f-password-help",
        )
        + f'<p id="f-password-help" class="form-text">{_e(t("accounts.password_help", lang))}</p>'
        + _field(
            "password2",
            t("accounts.password_again", lang),
            "password",
            autocomplete="new-password",
            required="required",
        )
    )
    return (
        (message(error) if error else "")
        + f"<p>{_e(intro)}</p>"
        + _form(action, csrf, fields, t("accounts.invitation.submit", lang))
    )


def admin_page(
    lang: str,
    action: str,
    csrf: str,
    users: list[Principal],
    error: str = "",
    invited_link: str = "",
    values: dict[str, str] | None = None,
) -> str:
    values = values or {}
    notice = ""
    if invited_link:
        notice = (
            '<div class="alert alert-success" role="status">'
            f"<p>{_e(t('accounts.admin.invited', lang))}</p>"
            f'<p><a href="{_e(invited_link)}">{_e(invited_link)}</a></p></div>'
        )
    roles = "".join(
        f'<option value="{r}"{" selected" if values.get("role") == r else ""}>'
        f"{_e(t(f'accounts.role.{r}', lang))}</option>"
        for r in ("editor", "reviewer", "admin")
    )
    fields = (
        _field(
            "email",
            t("accounts.email", lang),
            "email",
            values.get("email", ""),
            required="required",
        )
        + '<div class="mb-3"><label class="form-label" for="f-role">'
        + _e(t("accounts.role_label", lang))
        + f'</label><select class="form-select" id="f-role" name="role">{roles}</select></div>'
        + _field(
            "scopes",
            t("accounts.scopes", lang),
            value=values.get("scopes", ""),
            aria_describedby="f-scopes-help",
        )
        + f'<p id="f-scopes-help" class="form-text">{_e(t("accounts.scopes_help", lang))}</p>'
    )
    rows = "".join(
        f"<tr><td>{_e(u.email)}</td><td>{_e(u.name)}</td><td>{_e(t(f'accounts.role.{u.role}', lang))}</td>"
        f"<td>{_e(' '.join(str(s) for s in u.scopes))}</td>"
        f"<td>{_e(t('accounts.active' if u.active else 'accounts.inactive', lang))}</td></tr>"
        for u in users
    )
    head = "".join(
        f'<th scope="col">{_e(t(k, lang))}</th>'
        for k in (
            "accounts.email",
            "accounts.name",
            "accounts.role_label",
            "accounts.scopes",
            "accounts.status",
        )
    )
    return (
        notice
        + (message(error) if error else "")
        + f'<section aria-labelledby="invite-h"><h2 class="h5" id="invite-h">{_e(t("accounts.admin.invite", lang))}</h2>'
        + _form(action, csrf, fields, t("accounts.admin.invite_submit", lang))
        + "</section>"
        + f'<section class="mt-5" aria-labelledby="users-h"><h2 class="h5" id="users-h">{_e(t("accounts.admin.users", lang))}</h2>'
        + f'<table class="table table-sm"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></section>'
    )

"""The e-network's routes (``/network``, ``/network/<id>``, ``/network/submit``,
``/network/moderate``, ``/network/<id>/files/<file_id>``) and the local plan's
(``/plans/<unit_id>``): plain Flask routes beside Dash's, rendering :mod:`layouts.network_pages`
in the account pages' frame, registered like :mod:`callbacks.accounts` (whose session, CSRF
token and current account they use).

Every POST must send back the session's CSRF token; a missing or wrong one answers 400 and
changes nothing. Every write is decided on the server by :mod:`atlas.network` /
:mod:`atlas.plans` (which ask :func:`atlas.accounts.require`): an anonymous reader is sent to log
in, a signed-in one without the right gets 403. A value to correct comes back in the form,
with what the reader typed and the message in its language.
"""

from __future__ import annotations

import io

import flask
from dash import Dash
from werkzeug.exceptions import RequestEntityTooLarge

from atlas import accounts, attachments, network, plans
from atlas.accounts import NotAllowed, Principal
from atlas.attachments import AttachmentError
from atlas.i18n import t
from atlas.network import ExperienceInput, NetworkError
from atlas.plans import PlanError
from atlas.urls import NETWORK_ROOT, PLANS_ROOT
from callbacks import guard
from callbacks.accounts import (
    CSRF_FIELD,
    client_ip,
    csrf_token,
    csrf_valid,
    current_user,
    html_response,
    page_lang,
)
from layouts import account_pages, network_pages

#: The submission form's fields, as typed (each cut to its limit before anything else).
SUBMIT_FIELDS = (
    "title",
    "units",
    "targets",
    "period_start",
    "period_end",
    "language",
    "what_was_done",
    "results",
    "results_source",
    "link_url",
    "link_label",
    "contact",
    "publish",
)
FORM_MAX = 25_000
#: Room for the submission form's text fields beside its files.
FORM_ROOM = 256 * 1024


def _files_limit(conf) -> int:
    """The largest body the submission form takes: its files at their limit, and its fields."""
    return int(attachments.MAX_FILES * conf.attachment_max_mb * attachments.MB) + FORM_ROOM


def register(app: Dash, ctx) -> None:
    server = app.server
    urls = ctx.urls

    def render(title: str, body: str, here: str, status: int = 200) -> flask.Response:
        lang = page_lang(ctx)
        html = account_pages.page(lang, title, body, urls, here, current_user(ctx))
        return html_response(html, status)

    def refused(user: Principal | None, here: str) -> flask.Response:
        lang = page_lang(ctx)
        if user is None:
            nxt = flask.request.full_path if flask.request.method == "GET" else flask.request.path
            return flask.redirect(urls.account("login", lang, next=nxt.rstrip("?")), 303)
        body = account_pages.message(t("accounts.forbidden.text", lang))
        return render(t("accounts.forbidden.title", lang), body, here, 403)

    def csrf_failed() -> bool:
        return not csrf_valid(flask.request.form.get(CSRF_FIELD))

    # the submission form alone takes its files (ATLAS_ATTACHMENT_MAX_MB each, at most
    # atlas.attachments.MAX_FILES) beyond the app's 1 MiB limit
    guard.allow_larger_body(server, urls.path(f"{NETWORK_ROOT}/submit"), _files_limit(ctx.conf))

    # -- the catalogue and one experience ----------------------------------------------------

    @server.route(urls.path(NETWORK_ROOT), methods=["GET"])
    def network_catalogue():
        lang = page_lang(ctx)
        args = flask.request.args
        goal = args.get("goal", "")[:2]
        country = args.get("country", "")[:3].upper()
        q = " ".join(args.get("q", "").split())[: network.KEYWORD_MAX]
        goal_n = int(goal) if goal.isdigit() and 1 <= int(goal) <= 8 else None
        if country not in ctx.store.countries():
            country = ""
        with ctx.db.session() as s:
            found = network.search(s, goal=goal_n, country=country, keyword=q)
        body = network_pages.catalogue(lang, urls, ctx.store, found, str(goal_n or ""), country, q)
        return render(t("network.title", lang), body, urls.network())

    @server.route(urls.path(f"{NETWORK_ROOT}/<int:experience_id>"), methods=["GET"])
    def network_experience(experience_id: int):
        lang = page_lang(ctx)
        here = urls.experience(experience_id)
        with ctx.db.session() as s:
            view = network.get(s, experience_id, current_user(ctx))
            similar = network.similar_places(s, experience_id) if view is not None else []
        if view is None:
            body = account_pages.message(t("network.error.no_experience", lang))
            return render(t("network.title", lang), body, here, 404)
        body = network_pages.experience_page(lang, urls, ctx.store, view, similar)
        return render(view.title, body, here)

    @server.route(
        urls.path(f"{NETWORK_ROOT}/<int:experience_id>/files/<int:file_id>"), methods=["GET"]
    )
    def network_file(experience_id: int, file_id: int):
        """A file attached to an experience, as a download: never shown inline, its type never
        guessed by the browser, kept by no shared cache unless the experience is public."""
        with ctx.db.session() as s:
            found = network.file_for(s, ctx.store, experience_id, file_id, current_user(ctx))
        if found is None:
            lang = page_lang(ctx)
            body = account_pages.message(t("network.error.no_file", lang))
            return render(t("network.title", lang), body, urls.experience(experience_id), 404)
        # Flask names the download in ASCII and in UTF-8 (RFC 6266 / 5987)
        resp = flask.send_file(
            io.BytesIO(found.data),
            mimetype=found.media_type,
            as_attachment=True,
            download_name=found.filename,
            max_age=3600 if found.public else None,
        )
        resp.headers["X-Content-Type-Options"] = "nosniff"
        resp.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
        if not found.public:
            resp.headers["Cache-Control"] = "no-store"
        return resp

    # -- submission --------------------------------------------------------------------------

    @server.route(urls.path(f"{NETWORK_ROOT}/submit"), methods=["GET", "POST"])
    def network_submit():
        lang = page_lang(ctx)
        here = urls.network("submit")
        action = urls.network("submit", lang)
        title = t("network.submit.title", lang)
        user = current_user(ctx)
        # the form offers "publish now" to whoever may write directly somewhere; the domain
        # decides for the places named (anyone else's experience goes to moderation)
        direct = user is not None and user.role in (accounts.ADMIN, accounts.EDITOR)
        limit_mb = ctx.conf.attachment_max_mb
        if flask.request.method == "GET":
            body = network_pages.submit_form(
                lang, action, csrf_token(), direct=direct, limit_mb=limit_mb
            )
            return render(title, body, here)
        values: dict[str, str] = {}
        goals: list[str] = []

        def again(*errors: str, status: int = 400) -> flask.Response:
            body = network_pages.submit_form(
                lang,
                action,
                csrf_token(),
                values,
                goals,
                "",
                direct,
                limit_mb=limit_mb,
                problems=errors,
            )
            return render(title, body, here, status)

        try:
            f = flask.request.form
            uploaded = flask.request.files.getlist("files")
        except RequestEntityTooLarge:
            size = (flask.request.content_length or 0) / attachments.MB
            limit = _files_limit(ctx.conf) / attachments.MB
            text = t(
                "attach.error.request_too_large",
                lang,
                size_mb=f"{size:.1f}",
                limit_mb=f"{limit:.0f}",
            )
            return again(text, t("attach.again", lang), status=413)
        values = {k: f.get(k, "")[:FORM_MAX] for k in SUBMIT_FIELDS}
        goals = f.getlist("goal")[:8]
        if csrf_failed():
            return again(t("accounts.error.csrf", lang))
        try:
            # (the body limit above bounds what the files weigh together)
            files = attachments.check(
                [(u.filename, u.read()) for u in uploaded], int(limit_mb * attachments.MB)
            )
        except AttachmentError as exc:
            return again(*exc.messages(lang), t("attach.again", lang))
        data = ExperienceInput(
            title=values["title"],
            what_was_done=values["what_was_done"],
            language=values["language"],
            unit_ids=values["units"].replace(",", " ").split(),
            goals=goals,
            targets=values["targets"].replace(",", " ").split(),
            results=values["results"],
            results_source=values["results_source"],
            contact=values["contact"],
            period_start=values["period_start"],
            period_end=values["period_end"],
            links=[(values["link_url"], values["link_label"])],
            files=files,
        )
        try:
            view = network.create(
                ctx.db, user, ctx.store, data, publish=bool(values["publish"]), ip=client_ip()
            )
        except NetworkError as exc:
            values_named = dict(exc.values)
            if "field" in values_named:
                values_named["field"] = t(f"network.field.{values_named['field']}", lang)
            again_note = (t("attach.again", lang),) if files else ()
            return again(t(exc.key, lang, **values_named), *again_note)
        body = network_pages.submitted(lang, urls, view.status, view.id)
        return render(title, body, here, 201 if view.status == "pending" else 200)

    # -- moderation --------------------------------------------------------------------------

    @server.route(urls.path(f"{NETWORK_ROOT}/moderate"), methods=["GET", "POST"])
    def network_moderate():
        lang = page_lang(ctx)
        here = urls.network("moderate")
        action = urls.network("moderate", lang)
        user = current_user(ctx)
        if not accounts.can(user, accounts.MODERATE):
            return refused(user, here)
        notice = error = ""
        status = 200
        if flask.request.method == "POST":
            f = flask.request.form
            if csrf_failed():
                error, status = t("accounts.error.csrf", lang), 400
            else:
                decision = f.get("decision", "")
                raw_id = f.get("experience_id", "")
                try:
                    if decision not in ("approve", "reject") or not raw_id.isdigit():
                        raise NetworkError("network.error.no_experience")
                    network.moderate(
                        ctx.db,
                        user,
                        int(raw_id),
                        decision == "approve",
                        f.get("note", "")[:FORM_MAX],
                        client_ip(),
                    )
                except NetworkError as exc:
                    values = dict(exc.values)
                    if "field" in values:
                        values["field"] = t(f"network.field.{values['field']}", lang)
                    error, status = t(exc.key, lang, **values), 400
                except NotAllowed:
                    return refused(user, here)
                else:
                    notice = t(f"network.moderate.done_{decision}", lang)
        with ctx.db.session() as s:
            queue = network.pending(s, user)
        body = network_pages.moderate_page(
            lang, action, csrf_token(), urls, ctx.store, queue, notice, error
        )
        return render(t("network.moderate.title", lang), body, here, status)

    # -- the local plan ----------------------------------------------------------------------

    @server.route(urls.path(f"{PLANS_ROOT}/<unit_id>"), methods=["GET", "POST"])
    def plan_page(unit_id: str):
        lang = page_lang(ctx)
        here = urls.plan(unit_id)
        action = urls.plan(unit_id, lang)
        title = t("localplan.title", lang)
        try:
            place = accounts.place_of(ctx.store, unit_id)
        except KeyError:
            body = account_pages.message(t("localplan.error.unit", lang, unit=unit_id[:40]))
            return render(title, body, here, 404)
        user = current_user(ctx)
        editable = accounts.can(user, accounts.EDIT_PLAN, place)
        notice = error = ""
        status = 200
        values: dict[str, str] = {}
        if flask.request.method == "POST":
            if not editable:
                return refused(user, here)
            f = flask.request.form
            if csrf_failed():
                error, status = t("accounts.error.csrf", lang), 400
            else:
                what = f.get("do", "")
                values = {k: f.get(k, "")[:FORM_MAX] for k in f if k != CSRF_FIELD}
                try:
                    if what == "plan":
                        plans.save_plan(
                            ctx.db,
                            user,
                            ctx.store,
                            unit_id,
                            values.get("name", ""),
                            values.get("period_start", ""),
                            values.get("period_end", ""),
                            values.get("document_url", ""),
                            client_ip(),
                        )
                    elif what == "target":
                        plans.set_target(
                            ctx.db,
                            user,
                            ctx.store,
                            ctx.catalog,
                            unit_id,
                            values.get("indicator", ""),
                            values.get("value", ""),
                            values.get("year", ""),
                            client_ip(),
                        )
                    elif what == "delete" and values.get("target_id", "").isdigit():
                        plans.delete_target(
                            ctx.db, user, ctx.store, unit_id, int(values["target_id"]), client_ip()
                        )
                    else:
                        raise PlanError("localplan.error.no_target")
                except PlanError as exc:
                    error, status = t(exc.key, lang, **exc.values), 400
                except NotAllowed:
                    return refused(user, here)
                else:
                    notice, values = t("localplan.saved", lang), {}
        with ctx.db.session() as s:
            info = plans.plan_for(s, unit_id)
            progress = plans.plan_targets_for(s, unit_id, ctx.store, ctx.catalog)
        body = network_pages.plan_page(
            lang,
            action,
            csrf_token(),
            ctx.store,
            ctx.catalog,
            unit_id,
            info,
            progress,
            editable,
            error,
            notice,
            values,
        )
        heading = f"{title}: {network_pages.unit_name(ctx.store, unit_id, lang)}"
        return render(heading, body, here, status)

"""The upload page (``/contribute/upload``) and a contributed dataset's page
(``/contribute/dataset/<id>``): plain Flask routes rendering :mod:`layouts.contribute_pages`, with
the account pages' session, CSRF and rights (:mod:`callbacks.accounts`).

The upload page's steps all post to it: 1. the file, country and indicator (the file is kept in
``<ATLAS_DATA_DIR>/uploads/<token>``, :mod:`atlas.contrib.staging`, never in the cookie); 2. the
column mapping, prefilled by :func:`atlas.contrib.mapping.suggest_mapping`; 3. the validation
report, the preview maps (:mod:`atlas.upload_preview`: the valid values beside the official
layer, drawn on the server) and the publication's source, licence, method note and contact, then
:func:`atlas.publish.publish`. Each step reads the kept file again and validates it on the
server: nothing the browser sends stands for the report. Only this route takes bodies up to
``ATLAS_UPLOAD_MAX_MB``; everywhere else the app's 1 MiB limit holds (callbacks/guard.py).
"""

from __future__ import annotations

import flask
from dash import Dash
from werkzeug.exceptions import ClientDisconnected, RequestEntityTooLarge

from atlas import accounts, upload_preview
from atlas.accounts import NotAllowed
from atlas.contrib import UploadError, read_upload, staging
from atlas.contrib.mapping import Mapping, suggest_mapping
from atlas.contrib.safety import MB, Limits
from atlas.contrib.validation import validate
from atlas.i18n import t
from atlas.publish import (
    Meta,
    PublishError,
    dataset_info,
    may_publish,
    publish,
    rollback,
    upload_note,
)
from atlas.urls import CONTRIB_ROOT
from callbacks import guard
from callbacks.accounts import (
    absolute_url,
    client_ip,
    csrf_token,
    csrf_valid,
    current_user,
    html_response,
    page_lang,
)
from layouts import account_pages
from layouts import contribute_pages as pages

#: Room for the form's other fields beside the file.
FORM_ROOM = 64 * 1024


def _limits(conf) -> Limits:
    return Limits(max_bytes=int(conf.upload_max_mb * MB))


def _mapping(form) -> Mapping:
    """The mapping the form names (UploadError ``mapping_*`` when a role is missing)."""
    get = lambda k: (form.get(f"m_{k}") or "").strip() or None  # noqa: E731
    year_value = get("year_value")
    return Mapping(
        code=tuple(c for c in (get("code"), get("code2")) if c),
        name=get("name"),
        admin1=get("admin1"),
        year=get("year"),
        year_value=int(year_value) if year_value else None,
        value=get("value"),
        low=get("low"),
        high=get("high"),
    )


def register(app: Dash, ctx) -> None:
    server = app.server
    urls = ctx.urls
    upload_path = urls.path(f"{CONTRIB_ROOT}/upload")

    # the upload page alone takes a file up to ATLAS_UPLOAD_MAX_MB (and its form)
    guard.allow_larger_body(server, upload_path, _limits(ctx.conf).max_bytes + FORM_ROOM)

    def render(title: str, body: str, here: str, status: int = 200) -> flask.Response:
        lang = page_lang(ctx)
        html = account_pages.page(lang, title, body, urls, here, current_user(ctx))
        return html_response(html, status)

    def refused(user) -> flask.Response:
        if user is None:
            nxt = flask.request.full_path if flask.request.method == "GET" else flask.request.path
            return flask.redirect(urls.account("login", page_lang(ctx), next=nxt.rstrip("?")), 303)
        lang = page_lang(ctx)
        body = account_pages.message(t("accounts.forbidden.text", lang))
        return render(t("accounts.forbidden.title", lang), body, upload_path, 403)

    def choices(user, lang: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
        countries = [
            c
            for c in ctx.store.countries()
            if user.role == accounts.ADMIN or any(s.country == c for s in user.scopes)
        ]
        inds = [(i.id, i.label.get(lang, i.id)) for i in ctx.catalog]
        return [(c, ctx.store.country_name(c)) for c in countries], inds

    @server.route(upload_path, methods=["GET", "POST"])
    def contribute_upload():
        lang = page_lang(ctx)
        user = current_user(ctx)
        if user is None or user.role not in (accounts.ADMIN, accounts.EDITOR):
            return refused(user)
        action = urls.contribute_upload(lang)
        title = t("contrib.page.upload_title", lang)
        countries, inds = choices(user, lang)
        limits = _limits(ctx.conf)

        def page(body: str, status: int = 200) -> flask.Response:
            return render(title, body, upload_path, status)

        def first(problems: list[str], status: int, chosen=None) -> flask.Response:
            body = pages.step1(
                lang,
                action,
                csrf_token(),
                countries,
                inds,
                ctx.conf.upload_max_mb,
                chosen,
                problems,
            )
            return page(body, status)

        if flask.request.method == "GET":
            return first([], 200)
        incomplete = [t("contrib.error.incomplete", lang)]
        try:
            # the whole body first (at most the upload limit): a connection cut mid-upload
            # leaves it shorter than its length, and the form half-read must not be taken
            received = len(flask.request.get_data(cache=True))
            form = flask.request.form
            files = flask.request.files
        except ClientDisconnected:
            return first(incomplete, 400)
        except RequestEntityTooLarge:
            size = (flask.request.content_length or 0) / MB
            problem = t(
                "contrib.error.too_large",
                lang,
                size_mb=f"{size:.1f}",
                limit_mb=f"{ctx.conf.upload_max_mb:g}",
            )
            return first([problem], 413)
        if received < (flask.request.content_length or 0):
            return first(incomplete, 400)
        if not csrf_valid(form.get("csrf_token")):
            return first([t("accounts.error.csrf", lang)], 400)
        step = form.get("step", "1")
        country, indicator = form.get("country", ""), form.get("indicator", "")
        chosen = {"country": country, "indicator": indicator}
        if country not in dict(countries) or indicator not in ctx.catalog.indicators:
            return first([t("contrib.page.bad_choice", lang)], 400, chosen)

        if step == "1":
            upload = files.get("file")
            data = upload.read() if upload else b""
            if not upload or not upload.filename:
                return first([t("contrib.page.no_file", lang)], 400, chosen)
            try:
                table = read_upload(data, upload.filename, limits=limits)
            except UploadError as exc:
                return first([exc.message(lang)], 400, chosen)
            token = staging.save(ctx.conf.data_dir, user.id, upload.filename, data)
            mapping = suggest_mapping(table, country, ctx.store, ctx.catalog.indicators[indicator])
            state = {**chosen, "upload": token}
            return page(
                pages.step2(
                    lang,
                    action,
                    csrf_token(),
                    state,
                    table.columns,
                    pages.mapping_values(mapping),
                    _read_summary(table, lang),
                )
            )

        token = form.get("upload", "")
        try:
            filename, data = staging.load(ctx.conf.data_dir, token, user.id)
        except staging.Expired:
            return first([t("contrib.page.expired", lang)], 400, chosen)
        try:
            table = read_upload(data, filename, limits=limits)
        except UploadError as exc:
            staging.discard(ctx.conf.data_dir, token)
            return first([exc.message(lang)], 400, chosen)
        state = {**chosen, "upload": token, **{k: v for k, v in form.items() if k[:2] == "m_"}}
        values = {k[2:]: v for k, v in form.items() if k[:2] == "m_"}

        def second(problems: list[str]) -> flask.Response:
            body = pages.step2(
                lang,
                action,
                csrf_token(),
                state,
                table.columns,
                values,
                _read_summary(table, lang),
                problems,
            )
            return page(body, 400)

        try:
            mapping = _mapping(form)
        except ValueError:
            return second([t("contrib.page.bad_year", lang)])
        try:
            report = validate(
                table, mapping, country, indicator, ctx.store, may_publish(user, ctx.store)
            )
        except UploadError as exc:
            return second([exc.message(lang)])
        meta_values = {k: form.get(k, "")[:20000] for k in pages.META_FIELDS}

        def third(problems: list[str], status: int = 400) -> flask.Response:
            maps = upload_preview.preview(
                ctx.store,
                ctx.catalog,
                report,
                lang,
                link=lambda s: absolute_url(urls.map(s)),
                filename=filename,
            )
            body = pages.step3(
                lang,
                action,
                csrf_token(),
                state,
                report,
                meta_values,
                problems,
                pages.preview_html(lang, maps),
            )
            return page(body, status)

        if step == "2":
            return third([], 200)

        unit_id = meta_values["unit_id"].strip().upper() or None
        meta = Meta(
            source=meta_values["source"],
            licence=meta_values["licence"],
            contact=meta_values["contact"],
            method_note=meta_values["method_note"],
            title=meta_values["title"],
            unit_id=unit_id,
            note=upload_note(filename, data, report),
        )
        try:
            with ctx.db.session() as s:
                done = publish(
                    s,
                    user,
                    country,
                    indicator,
                    report,
                    meta,
                    store=ctx.store,
                    ip=client_ip(),
                )
        except PublishError as exc:
            return third([exc.message(lang)])
        except NotAllowed:
            return third([t("contrib.page.no_rights", lang)], 403)
        staging.discard(ctx.conf.data_dir, token)
        dest = urls.dataset(done.dataset_id, lang)
        sep = "&" if "?" in dest else "?"
        return flask.redirect(f"{dest}{sep}published={done.version}", 303)

    @server.route(urls.path(f"{CONTRIB_ROOT}/dataset/<int:dataset_id>"), methods=["GET", "POST"])
    def contributed_dataset(dataset_id: int):
        lang = page_lang(ctx)
        user = current_user(ctx)
        if user is None:
            return refused(user)
        here = urls.dataset(dataset_id)
        action = urls.dataset(dataset_id, lang)
        note, problems, status = "", [], 200
        if flask.request.method == "POST":
            form = flask.request.form
            if not csrf_valid(form.get("csrf_token")):
                problems, status = [t("accounts.error.csrf", lang)], 400
            else:
                raw = form.get("to_version", "")
                version = int(raw) if raw.isdigit() and len(raw) < 9 else 0
                try:
                    with ctx.db.session() as s:
                        rollback(s, user, dataset_id, version, store=ctx.store, ip=client_ip())
                except PublishError as exc:
                    problems, status = [exc.message(lang)], 400
                except NotAllowed:
                    problems, status = [t("contrib.page.no_rights", lang)], 403
                else:
                    note = t("contrib.page.rolled_back", lang, version=version)
        try:
            with ctx.db.session() as s:
                info = dataset_info(s, dataset_id, store=ctx.store)
        except PublishError as exc:
            body = account_pages.message(exc.message(lang))
            return render(t("contrib.page.upload_title", lang), body, here, 404)
        current = next((v for v in info.versions if v.current), None)
        if flask.request.method == "GET" and flask.request.args.get("published") and current:
            note = t("contrib.page.published", lang, version=current.number, values=current.values)
        ind = ctx.catalog.indicators.get(info.indicator)
        body = pages.dataset_page(
            lang,
            action,
            csrf_token(),
            info,
            ctx.store.country_name(info.country),
            ind.label.get(lang, info.indicator) if ind else info.indicator,
            urls.api(f"contributed/{info.country}/{info.indicator}", lang=lang),
            urls.contribute_upload(lang),
            note,
            problems,
        )
        title = t("contrib.page.dataset_title", lang, title=info.title)
        return render(title, body, here, status)


def _read_summary(table, lang: str) -> str:
    header = ", ".join(str(r) for r in table.header_rows) or "-"
    return t(
        "contrib.page.read",
        lang,
        filename=table.filename,
        rows=len(table),
        header=header,
        first=table.first_data_row or "-",
    )

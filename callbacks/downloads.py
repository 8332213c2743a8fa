"""The unit report's data files: ``/unit/<id>/report.csv`` and ``.xlsx`` (:mod:`atlas.exports`).

A plain Flask route beside Dash's: it reads the query string the page's links carry (language,
framework, local target: :meth:`atlas.urls.URLs.report_file`), builds the report in
:mod:`atlas.unit_report` and sends the file. An unknown unit or format gets a short message in
the reader's language and a 404, never a stack trace.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

import flask
from dash import Dash

from atlas import urlstate
from atlas.exports import FORMATS, MEDIA_TYPES, report_csv, report_xlsx
from atlas.i18n import t
from atlas.unit_report import unit_report
from atlas.urls import REPORT_FILE, ROUTE_BY_NAME, UNIT
from callbacks.accounts import absolute_url

SAFE_NAME = re.compile(r"[^A-Za-z0-9_-]+")


def register(app: Dash, ctx) -> None:
    unit_path = ROUTE_BY_NAME[UNIT].pattern.removesuffix("{arg}")
    rule = ctx.urls.path(f"{unit_path}<unit_id>/{REPORT_FILE}.<fmt>")

    @app.server.route(rule)
    def report_file(unit_id: str, fmt: str):
        query = flask.request.query_string.decode("utf-8", "replace")
        state = urlstate.parse(query, ctx.default_state, set(ctx.store.countries()))
        lang = state.lang
        if fmt not in FORMATS:
            return _message(t("report.file.bad_format", lang), 404)
        report = unit_report(ctx.store, ctx.catalog, state, unit_id, ctx.db)
        if report is None:
            return _message(t("profile.not_found_text", lang, code=unit_id[:40]), 404)
        page = absolute_url(ctx.urls.unit(report.profile.unit_id, lang, report.state))
        if fmt == "csv":
            body = report_csv(report, page)
        else:
            body = report_xlsx(report, page, dt.date.today().isoformat())
        plain = unicodedata.normalize("NFKD", report.profile.name).encode("ascii", "ignore")
        name = SAFE_NAME.sub("-", f"atlas-odm-{report.profile.unit_id}-{plain.decode()}")
        resp = flask.Response(body, mimetype=MEDIA_TYPES[fmt])
        resp.headers["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
        resp.headers["Cache-Control"] = "no-cache"
        return resp


def _message(text: str, status: int) -> flask.Response:
    resp = flask.Response(text + "\n", status=status, mimetype="text/plain; charset=utf-8")
    resp.headers["Cache-Control"] = "no-store"
    return resp

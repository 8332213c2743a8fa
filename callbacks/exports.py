"""The map view's files: ``/export/view.png``, ``.svg``, ``.csv``, ``.xlsx`` and the link-preview
image ``/preview/view.png`` (:meth:`atlas.urls.URLs.export`, :meth:`atlas.urls.URLs.preview`).

Plain Flask routes beside Dash's. The query string is the map's own (what
:func:`atlas.urlstate.parse` reads), so a file shows exactly what the page at that address shows:
the images are drawn by :mod:`atlas.render`, the tables written by :mod:`atlas.exports`. A value
the address cannot hold (``y=abc``) is a 400, one the data do not have (an indicator the country
lacks) a 404, each with one line in the reader's language, never a stack trace. The files of a
view depend only on the address and the store, so they are cacheable and carry an ETag of both.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import flask
from dash import Dash

from atlas import choices, urlstate
from atlas.exports import MEDIA_TYPES as TABLE_TYPES
from atlas.exports import view_csv, view_xlsx
from atlas.i18n import t
from atlas.render import MEDIA_TYPES as IMAGE_TYPES
from atlas.render import Renderer
from atlas.urls import EXPORT_FORMATS, EXPORT_PATH, PREVIEW_PATH
from atlas.views import compute
from callbacks.accounts import absolute_url

#: How long browsers and link-preview crawlers may keep a view's file (the store changes only
#: with a new build, which changes the ETag).
MAX_AGE = 3600


def register(app: Dash, ctx) -> None:
    renderer = Renderer(ctx.store, ctx.catalog)

    @app.server.route(ctx.urls.path(f"{EXPORT_PATH}.<fmt>"))
    def export_view(fmt: str):
        return view_file(ctx, renderer, fmt)

    @app.server.route(ctx.urls.path(PREVIEW_PATH))
    def preview_view():
        return view_file(ctx, renderer, "preview")


def view_file(ctx, renderer: Renderer, fmt: str) -> flask.Response:
    """The file ``fmt`` (an export format or ``preview``) of the view the query string names."""
    query = flask.request.query_string.decode("utf-8", "replace")
    requested = urlstate.parse(query, ctx.default_state, set(ctx.store.countries()))
    lang = requested.lang
    if fmt not in (*EXPORT_FORMATS, "preview"):
        return _message(t("exports.bad_format", lang, formats=", ".join(EXPORT_FORMATS)), 404)
    if requested.invalid:
        return _message(_invalid(requested.invalid, lang), 400)
    state = choices.resolve(requested, ctx.store, ctx.catalog)
    if state.invalid or not state.indicator:
        return _message(_invalid(state.invalid or ("indicator",), lang), 404)
    page = absolute_url(ctx.urls.map(state))
    etag = hashlib.sha256(f"{ctx.store.fingerprint}|{fmt}|{page}".encode()).hexdigest()[:32]
    if etag in flask.request.if_none_match:
        resp = flask.Response(status=304)
    elif fmt in ("csv", "xlsx"):
        view = compute(ctx.store, ctx.catalog, state)
        today = dt.date.today().isoformat()
        write = view_csv if fmt == "csv" else view_xlsx
        resp = flask.Response(write(ctx.store, view, page, today), mimetype=TABLE_TYPES[fmt])
    else:
        image = "svg" if fmt == "svg" else ("preview" if fmt == "preview" else "png")
        resp = flask.Response(renderer.render(state, image, page), mimetype=IMAGE_TYPES[image])
    resp.set_etag(etag)
    resp.headers["Cache-Control"] = f"public, max-age={MAX_AGE}"
    if fmt != "preview":
        resp.headers["Content-Disposition"] = f'attachment; filename="{filename(state, fmt)}"'
    return resp


def filename(state: urlstate.State, fmt: str) -> str:
    """``atlas-odm-infant_mortality-BRA-municipality-2010.png``: indicator, country, level and
    year, and the view when it is not the value itself (ASCII: catalog ids and codes only)."""
    parts = ["atlas-odm", state.indicator, state.country, state.level, str(state.year)]
    if state.view != "value":
        parts.append(state.view)
    return "-".join(parts) + f".{fmt}"


def _invalid(names, lang: str) -> str:
    fields = ", ".join(t(f"params.{name}", lang) for name in names)
    return t("exports.bad_query", lang, fields=fields)


def _message(text: str, status: int) -> flask.Response:
    resp = flask.Response(text + "\n", status=status, mimetype="text/plain; charset=utf-8")
    resp.headers["Cache-Control"] = "no-store"
    return resp

"""The open data API's routes (``/api/v1/...``, :mod:`atlas.api`).

Plain Flask routes beside Dash's: each reads the query string, asks :mod:`atlas.api` and sends
JSON or CSV with an ETag (the store's fingerprint and the canonical query: a client that sends
it back in If-None-Match gets 304), ``Cache-Control: public`` and CORS for any origin (the data
is public and read-only). A bad parameter gets a 400 JSON error naming it and its allowed values,
an unknown unit or path a 404; never a stack trace.
"""

from __future__ import annotations

import hashlib
import json

import flask
from dash import Dash

from atlas import api
from atlas.i18n import DEFAULT_LANG, LANGS
from atlas.urls import API_ROOT
from callbacks import cache as answer_cache
from callbacks.accounts import absolute_url

#: The data routes answer CORS preflights themselves (Flask's own OPTIONS answer has no CORS).
PREFLIGHT = {"methods": ["GET", "OPTIONS"], "provide_automatic_options": False}
#: Paths of the documentation page's examples (resource, query).
EXAMPLES = {
    "/indicators": ("indicators", {}),
    "/units": ("units", {"q": "canela"}),
    "/units/{unit_id}": ("units/BRA4304408", {}),
    "/observations": ("observations", {"unit": "BRA4304408", "indicator": "illiteracy"}),
    "/progress": ("progress", {"indicator": "illiteracy", "country": "BRA"}),
}


def register(app: Dash, ctx) -> None:
    urls = ctx.urls
    # the document in each language, built once: its descriptions and the docs page follow it
    documents = {
        code: api.openapi(ctx.store, ctx.catalog, server=urls.path(API_ROOT), lang=code)
        for code in LANGS
    }
    documents_json = {
        code: json.dumps(doc, ensure_ascii=False, indent=1) for code, doc in documents.items()
    }

    def send(resource_path: str, build, raw: dict) -> flask.Response:
        tag = api.etag(ctx.store, resource_path, raw)
        if flask.request.if_none_match.contains(tag):
            return _headers(flask.Response(status=304), tag)

        def answer() -> tuple[bytes, str, dict[str, str]]:
            result = build()
            headers = {}
            if raw.get("format") == "csv":
                body, mimetype = result.csv_body(), api.MEDIA_TYPES["csv"]
            else:
                nxt = result.meta.get("next_query")
                next_url = absolute_url(urls.api(resource_path, **nxt)) if nxt else None
                body = json.dumps(result.json_body(next_url), ensure_ascii=False, allow_nan=False)
                mimetype = api.MEDIA_TYPES["json"]
                if next_url:
                    headers["Link"] = f'<{next_url}>; rel="next"'
            if "total" in result.meta:
                headers["X-Total-Count"] = str(result.meta["total"])
            return body.encode(), mimetype, headers

        try:
            # the next page's link is absolute: one answer per host the API is reached by
            body, mimetype, headers = answer_cache.api_answer(
                ctx, f"{tag}:{flask.request.host_url}", answer
            )
        except api.ApiError as exc:
            return _error(exc)
        resp = flask.Response(body, mimetype=mimetype)
        resp.headers.update(headers)
        return _headers(resp, tag)

    @app.server.route(urls.path(f"{API_ROOT}/<resource>"), **PREFLIGHT)
    def api_resource(resource: str):
        if flask.request.method == "OPTIONS":
            return _preflight()
        raw = _query()
        if resource == "openapi.json":
            lang = api.lang_of(raw)
            tag = api.etag(ctx.store, resource, {"lang": lang})
            if flask.request.if_none_match.contains(tag):
                return _headers(flask.Response(status=304), tag)
            body = documents_json[lang]
            return _headers(flask.Response(body, mimetype="application/json"), tag)
        if resource not in api.RESOURCES:
            return _error(api.not_found(resource, api.lang_of(raw)))
        return send(resource, lambda: api.answer(ctx.store, ctx.catalog, resource, raw), raw)

    @app.server.route(urls.path(f"{API_ROOT}/units/<unit_id>"), **PREFLIGHT)
    def api_unit(unit_id: str):
        if flask.request.method == "OPTIONS":
            return _preflight()
        raw = _query()
        return send(
            f"units/{unit_id}",
            lambda: api.answer_unit(ctx.store, ctx.catalog, unit_id, raw),
            raw,
        )

    @app.server.route(urls.path(f"{API_ROOT}/contributed/<country>/<indicator>"), **PREFLIGHT)
    def api_contributed(country: str, indicator: str):
        """Contributed series come from the database, which changes without the store: never
        kept by the answer cache; the ETag is the answer's own hash, revalidated every time."""
        if flask.request.method == "OPTIONS":
            return _preflight()
        raw = _query()
        try:
            result = api.answer_contributed(ctx.store, ctx.catalog, ctx.db, country, indicator, raw)
        except api.ApiError as exc:
            return _error(exc)
        if raw.get("format") == "csv":
            body, mimetype = result.csv_body(), api.MEDIA_TYPES["csv"]
        else:
            body = json.dumps(result.json_body(), ensure_ascii=False, allow_nan=False)
            mimetype = api.MEDIA_TYPES["json"]
        tag = hashlib.sha256(body.encode()).hexdigest()[:32]
        if flask.request.if_none_match.contains(tag):
            resp = _headers(flask.Response(status=304), tag)
        else:
            resp = _headers(flask.Response(body, mimetype=mimetype), tag)
            resp.headers["X-Total-Count"] = str(result.meta["total"])
        resp.headers["Cache-Control"] = "no-cache"
        return resp

    @app.server.route(urls.path(f"{API_ROOT}/<path:rest>"))
    def api_unknown(rest: str):
        return _error(api.not_found(rest, api.lang_of(_query())))

    @app.server.route(urls.path(API_ROOT))
    @app.server.route(urls.path(f"{API_ROOT}/"))
    @app.server.route(urls.path(f"{API_ROOT}/docs"))
    def api_docs():
        lang = api.lang_of(_query())
        tag = api.etag(ctx.store, "docs", {"lang": lang})
        if flask.request.if_none_match.contains(tag):
            return _headers(flask.Response(status=304), tag)
        links = {path: urls.api(res, **q) for path, (res, q) in EXAMPLES.items()}
        links["openapi"] = links["/openapi.json"] = urls.api(
            "openapi.json", lang=None if lang == DEFAULT_LANG else lang
        )
        others = {code: urls.api("", lang=code) for code in LANGS}
        body = api.docs_html(documents[lang], lang, links, others)
        return _headers(flask.Response(body, mimetype="text/html"), tag)


def _preflight() -> flask.Response:
    """The answer to a browser's CORS preflight (a page elsewhere that sends If-None-Match)."""
    resp = flask.Response(status=204)
    resp.headers["Access-Control-Allow-Origin"] = "*"
    resp.headers["Access-Control-Allow-Methods"] = "GET, OPTIONS"
    resp.headers["Access-Control-Allow-Headers"] = "If-None-Match"
    resp.headers["Access-Control-Max-Age"] = str(api.MAX_AGE)
    return resp


def _query() -> dict[str, str]:
    """The query's parameters (the last value of a repeated one)."""
    return {k: v for k, v in flask.request.args.items(multi=True)}


def _headers(resp: flask.Response, tag: str) -> flask.Response:
    resp.set_etag(tag)
    resp.headers["Cache-Control"] = f"public, max-age={api.MAX_AGE}"
    resp.headers["Access-Control-Allow-Origin"] = "*"
    resp.headers["Access-Control-Expose-Headers"] = "ETag, Link, X-Total-Count"
    return resp


def _error(exc: api.ApiError) -> flask.Response:
    resp = flask.Response(
        json.dumps(exc.body(), ensure_ascii=False),
        status=exc.status,
        mimetype="application/json",
    )
    resp.headers["Cache-Control"] = "no-store"
    resp.headers["Access-Control-Allow-Origin"] = "*"
    return resp

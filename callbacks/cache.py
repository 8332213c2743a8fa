"""The shared cache of answers: the Dash callbacks' and the open data API's responses, kept by
what was asked, so a room of readers on the facilitator's link costs one computation.

In memory per process by default; in Redis, shared by every process, when ``ATLAS_CACHE_URL`` is
set (flask-caching backends). A key holds the store's fingerprint, so answers from another build
are never served, and, for the callbacks, the users' writes so far (a unit's report shows its
contributed series, plan and experiences) and the day (a report says the date it was made).

Callbacks are pure functions of their request body (they read nothing else: no request headers,
no globals), so the body names the answer: its SHA-256 is the key. The API's answers are keyed by
their ETag, which already names the store, the resource and every parameter.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import logging

import brotli
import flask
from dash import Dash
from flask_caching import Cache

from atlas.db import revision
from atlas.settings import Settings
from callbacks import router

log = logging.getLogger(__name__)

#: Answers larger than this are not kept (no callback answer comes near it).
MAX_ENTRY = 4_000_000


def make_cache(server: flask.Flask, conf: Settings) -> Cache | None:
    """The cache the app's routes share, attached to ``server``; None when it is off (no Redis
    and ``ATLAS_CACHE_SIZE=0``: every answer computed anew, as the load test's baseline)."""
    if not conf.cache_url and conf.cache_size <= 0:
        return None
    if conf.cache_url:
        config = {
            "CACHE_TYPE": "RedisCache",
            "CACHE_REDIS_URL": conf.cache_url,
            "CACHE_KEY_PREFIX": "atlas:",
        }
    else:
        config = {"CACHE_TYPE": "SimpleCache", "CACHE_THRESHOLD": conf.cache_size}
    config["CACHE_DEFAULT_TIMEOUT"] = conf.cache_timeout
    return Cache(server, config=config)


def get(cache: Cache, key: str) -> bytes | None:
    """The cached answer, or None; a cache that cannot be reached is a miss, not an error."""
    try:
        return cache.get(key)
    except Exception as exc:  # noqa: BLE001 - Redis down: serve, uncached
        log.warning("cache unavailable (%s): answering without it", type(exc).__name__)
        return None


def callback_key(fingerprint: str, body: bytes, revision: int = 0) -> str:
    """The key of a callback's answer: the store's build, the users' writes so far
    (:func:`atlas.db.revision`), the day and the request body."""
    day = dt.date.today().isoformat()
    return f"cb:{fingerprint}:{revision}:{day}:{hashlib.sha256(body).hexdigest()}"


#: How a kept answer is compressed, once per answer and encoding (a Brazil indicator switch,
#: 316 kB of JSON: brotli 5 gives 77.9 kB in 5.7 ms, brotli 4 82.5 kB in 3.2 ms, gzip 6 81.3 kB
#: in 9.1 ms, gzip 1 99.0 kB in 2.2 ms; bench/RESULTS.md, issue 11). Paid once, the smaller
#: is worth it; answers not kept get Flask-Compress's per-request brotli 4 / gzip 6.
ENCODERS = {
    "br": lambda data: brotli.compress(data, quality=5),
    "gzip": lambda data: gzip.compress(data, 6),
}


def _packed(cache: Cache, key: str, raw: bytes, encoding: str) -> bytes:
    """``raw`` in ``encoding``, from the cache or compressed now and kept."""
    packed = get(cache, f"{key}:{encoding}")
    if packed is None:
        packed = ENCODERS[encoding](raw)
        put_value(cache, f"{key}:{encoding}", packed, len(packed))
    return packed


def register(app: Dash, ctx) -> None:
    """Serve the Dash callbacks, and the first layout (the page the reader opened, rendered by
    ``app.first_layout``: the data page costs 0.2 s of CPU), through the context's cache."""
    if ctx.cache is None:
        return
    prefix = app.config.routes_pathname_prefix

    def callback(body: bytes) -> str:
        return callback_key(ctx.store.fingerprint, body, user_revision(ctx))

    def layout(_body: bytes) -> str:
        # what the layout holds is decided by the Referer alone (app.first_layout): the page
        # it names on this site, or the empty shell
        req = flask.request
        named = router.referred(req.referrer, req.host)
        address = router.address(*named) if named else ""
        return callback_key(
            ctx.store.fingerprint, b"layout " + address.encode(), user_revision(ctx)
        )

    _serve_cached(app.server, prefix + "_dash-update-component", ctx.cache, callback)
    _serve_cached(app.server, prefix + "_dash-layout", ctx.cache, layout)


def _serve_cached(server: flask.Flask, endpoint: str, cache: Cache, key_of) -> None:
    """Answer ``endpoint``'s JSON from ``cache`` under ``key_of(request body)``, computing and
    keeping it on a miss; the header ``X-Atlas-Cache`` says which."""
    dispatch = server.view_functions[endpoint]

    def cached_dispatch(*args, **kwargs):
        key = key_of(flask.request.get_data(cache=True))
        raw = get(cache, key)
        state = "hit"
        if raw is None:
            resp = flask.make_response(dispatch(*args, **kwargs))
            if resp.status_code != 200 or resp.mimetype != "application/json":
                return resp
            # a callback that wrote, or read who is signed in (callbacks/accounts.py), is
            # answered anew every time: its answer is personal, and a cached one skips the write
            if flask.g.get("atlas_uncacheable"):
                return resp
            raw, state = resp.get_data(), "miss"
            put_value(cache, key, raw, len(raw))
        encoding = flask.request.accept_encodings.best_match(list(ENCODERS))
        resp = flask.Response(
            _packed(cache, key, raw, encoding) if encoding else raw, mimetype="application/json"
        )
        if encoding:  # Flask-Compress leaves an encoded answer as it is
            resp.headers["Content-Encoding"] = encoding
        resp.headers["X-Atlas-Cache"] = state
        return resp

    server.view_functions[endpoint] = cached_dispatch


def user_revision(ctx) -> int:
    """How many writes users have made (:func:`atlas.db.revision`); 0 without a database."""
    return revision(ctx.db.engine) if ctx.db is not None else 0


def api_answer(ctx, tag: str, build):
    """The API's answer for ETag ``tag``: (body, mimetype, headers), from the cache or
    ``build()`` (which may raise the API's errors, never cached)."""
    key = f"api:{tag}"
    hit = get(ctx.cache, key) if ctx.cache is not None else None
    if hit is not None:
        return hit
    answer = build()
    if ctx.cache is not None:
        put_value(ctx.cache, key, answer, len(answer[0]))
    return answer


def put_value(cache: Cache, key: str, value, size: int) -> None:
    if size > MAX_ENTRY:
        return
    try:
        cache.set(key, value)
    except Exception as exc:  # noqa: BLE001
        log.warning("cache unavailable (%s): answer not kept", type(exc).__name__)

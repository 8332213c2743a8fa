"""The atlas app factory. ``gunicorn app:server`` serves it; ``python app.py`` runs the dev server.

The store is loaded once here, at start-up; callbacks only read it.
"""

from __future__ import annotations

import hashlib
import logging
import mimetypes
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, partial
from html import escape
from pathlib import Path

import flask
from dash import Dash, html
from flask_caching import Cache

from atlas import urlstate
from atlas.catalog import Catalog, catalog
from atlas.choices import resolve
from atlas.compare import CompareQuery, compare
from atlas.db import Database, DatabaseError
from atlas.i18n import LANGS, messages, t
from atlas.meta import PageMeta, meta_tags, page_meta
from atlas.settings import Settings, settings
from atlas.store import Store, StoreError
from atlas.urls import EMBED, MAP, NOT_FOUND, ROUTE_BY_NAME, Page, URLs
from atlas.urlstate import State
from callbacks import (
    accounts,
    api,
    budget,
    contribute,
    downloads,
    exports,
    guard,
    history,
    network,
    router,
    search,
    share,
)
from callbacks import cache as answer_cache
from callbacks import compare as compare_callbacks
from callbacks import map as map_callbacks
from callbacks import present as present_callbacks
from callbacks.cache import make_cache
from layouts import compare_page, map_page, shell

# MapLibre's ES modules (assets/vendor/maplibre/) load only with a JavaScript media type.
mimetypes.add_type("text/javascript", ".mjs")
GEO_NAME = re.compile(r"^[A-Z]{3}-(municipality|admin1|country)-(low|high)\.[0-9a-f]{12}\.json$")
#: plotly.js and MapLibre as built by jsbundle/ (``make``); absent, Dash loads its full plotly.js.
VENDOR_DIR = Path(__file__).parent / "assets" / "vendor"
VENDOR_BUNDLE = "plotly-atlas.min.js"
VENDOR_NAME = re.compile(r"^(plotly-atlas\.min\.js|(maplibre|locales)/[a-z-]+\.mjs)$")


class AtlasDash(Dash):
    """Dash whose index page says what it shows: the ``<title>``, description and link-preview
    tags of the page and view the request's address names (:mod:`atlas.meta`), and its language,
    rendered on the server so that a crawler without JavaScript reads them."""

    #: Set by :func:`create_app`: the request's :class:`atlas.meta.PageMeta`.
    meta_for: Callable[[], PageMeta] | None = None

    def _collect_and_register_resources(self, resources, include_async=True, url_attr="src"):
        """Dash loads its DataTable's scripts on every page (9 kB brotli of the first load);
        the atlas draws no DataTable (its tables are HTML), so they are left out."""
        kept = [
            r
            for r in resources
            if not str(r.get("relative_package_path", "")).startswith(DASH_TABLE)
        ]
        return super()._collect_and_register_resources(kept, include_async, url_attr)

    def interpolate_index(self, **kwargs) -> str:
        if self.meta_for is not None and flask.has_request_context():
            m = self.meta_for()
            site = t("app.title", m.lang)
            kwargs["title"] = escape(m.title)
            tags = [_tag("meta", x) for x in meta_tags(m, site)]
            tags.append(_tag("link", {"rel": "canonical", "href": m.url}))
            kwargs["metas"] = "\n      ".join([kwargs.get("metas", ""), *tags])
            page = super().interpolate_index(**kwargs)
            return re.sub(r'<html lang="[a-z]{2}">', f'<html lang="{m.lang}">', page, count=1)
        return super().interpolate_index(**kwargs)


def _tag(name: str, attributes: dict[str, str]) -> str:
    """An HTML start tag, its attribute values escaped (a unit name or a query cannot close it)."""
    attrs = " ".join(f'{k}="{escape(str(v), quote=True)}"' for k, v in attributes.items())
    return f"<{name} {attrs}>"


#: The package path of Dash's DataTable scripts, which the atlas never renders.
DASH_TABLE = "dash_table/"


@dataclass(frozen=True)
class AppContext:
    """What callbacks may read: the store, the catalog, the settings and the URL builder derived
    from them. Never mutated."""

    store: Store
    catalog: Catalog
    conf: Settings
    #: the shared cache of answers (callbacks/cache.py); None answers every request anew
    cache: Cache | None = None
    #: the database of what users write (atlas/db), upgraded to the newest revision at start-up
    db: Database | None = None

    @property
    def default_state(self) -> State:
        return default_state(self.conf)

    @cached_property
    def urls(self) -> URLs:
        return app_urls(self.conf)


def boot_message(default_lang: str) -> str:
    """What the page shows until the atlas has drawn its first page (instead of a blank page and
    Dash's English "Loading..."): a spinner and a line in each language, the default shown;
    assets/atlas.js shows the one the URL asks for, and the stylesheet hides it all once the
    router has filled the page."""
    lines = "".join(
        f'<span lang="{code}"{"" if code == default_lang else " hidden"}>'
        f"{escape(t('app.loading', code))}</span>"
        for code in LANGS
    )
    return f'<div class="atlas-boot" role="status"><span class="atlas-spinner"></span>{lines}</div>'


def default_state(conf: Settings) -> State:
    """The map's view when the URL names nothing."""
    return State(
        lang=conf.default_lang,
        country=conf.default_country,
        level="municipality",
        indicator=conf.default_indicator,
    )


def app_urls(conf: Settings) -> URLs:
    """The app's URL builder: its prefix, and the defaults that links leave out."""
    return URLs.from_settings(conf, default_state(conf))


def create_app(
    conf: Settings | None = None,
    store: Store | None = None,
    vendor_dir: Path = VENDOR_DIR,
    db: Database | None = None,
) -> Dash:
    conf = conf or settings()
    urls = app_urls(conf)
    vendor = vendor_version(vendor_dir)
    server = flask.Flask(__name__)
    # Dash's assets (stylesheets, assets/atlas.js) are compressed as a stream, which by default
    # skips conditional requests: a returning browser got each in full instead of a 304. Dash
    # names the assets blueprint after the prefix ("/atlas/" -> "_atlas_dash_assets", dash.py).
    assets_blueprint = urls.prefix.replace("/", "_").replace(".", "_") + "dash_assets"
    server.config["COMPRESS_STREAMING_ENDPOINT_CONDITIONAL"] = [f"{assets_blueprint}.static"]
    # A larger body is refused (413) from its Content-Length, before any of it is read.
    server.config["MAX_CONTENT_LENGTH"] = guard.MAX_BODY
    guard.install_log_truncation(server.logger.name, "werkzeug")
    app = AtlasDash(
        __name__,
        server=server,
        # Pages, Dash's routes and assets, /geo/ and /vendor/ all live under ATLAS_URL_PREFIX.
        url_base_pathname=urls.prefix,
        title=t("app.title", conf.default_lang),
        update_title=None,
        assets_folder=str(Path(__file__).parent / "assets"),
        # The built plotly.js and MapLibre are served by /vendor/ (precompressed, cached for good).
        assets_path_ignore=["^vendor$"],
        external_scripts=[urls.vendor(vendor, VENDOR_BUNDLE)] if vendor else [],
        compress=True,
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
    )
    app.index_string = app.index_string.replace(
        "<html>", f'<html lang="{conf.default_lang}">'
    ).replace("{%app_entry%}", boot_message(conf.default_lang) + "\n{%app_entry%}")
    # A missing, damaged or outdated store raises StoreError (one line): the start stops there.
    store = store or Store(conf.store_dir)
    # The database is brought to the newest revision before the first request (gunicorn
    # preloads the app, so its master does it once); one that cannot be reached or upgraded
    # raises DatabaseError (one line): the start stops there too.
    db = db or Database.from_settings(conf)
    db.upgrade()
    ctx = AppContext(
        store=store, catalog=catalog(), conf=conf, cache=make_cache(server, conf), db=db
    )
    _warm_up()
    app.layout = partial(first_layout, ctx)
    # Pages are rendered by the router, so Dash checks callback ids against every page instead of
    # switching id checks off (suppress_callback_exceptions would hide typos).
    first = resolve(ctx.default_state, store, ctx.catalog)
    app.validation_layout = html.Div(
        [
            shell.root(),
            shell.header(conf.default_lang, ctx.urls, Page(MAP), first),
            map_page.layout(store, ctx.catalog, first, None),
            compare_page.layout(compare(store, ctx.catalog, CompareQuery()), ctx.urls),
        ]
    )
    app.meta_for = partial(request_meta, ctx)
    # every request, whichever callback or route answers it, runs under the CPU budget
    budget.register(app, ctx)
    router.register(app, ctx)
    map_callbacks.register(app, ctx)
    search.register(app, ctx)
    compare_callbacks.register(app, ctx)
    history.register(app, ctx)
    downloads.register(app, ctx)
    share.register(app, ctx)
    api.register(app, ctx)
    exports.register(app, ctx)
    present_callbacks.register(app, ctx)
    accounts.register(app, ctx)
    network.register(app, ctx)
    contribute.register(app, ctx)
    answer_cache.register(app, ctx)
    _geo_route(app, ctx)
    _vendor_route(app, conf, urls, vendor_dir, vendor)
    _health_route(app, ctx)
    guard.guard_callbacks(app, urls.path("_dash-update-component"))
    guard.guard_component_suites(
        app, urls.path("_dash-component-suites/<string:package_name>/<path:fingerprinted_path>")
    )
    _not_found_status(app, ctx)
    _security_headers(app, ctx)
    _cache_headers(app, ctx)
    return app


def first_layout(ctx: AppContext) -> html.Div:
    """The layout Dash's renderer fetches (``/_dash-layout``) right after the page: with that
    page already rendered when the request's Referer names it (same host; the browser sends the
    full address to its own site), so the page is drawn before any callback, the router's gate
    in the browser does not call it, and the view's callbacks are the first requests (Dash holds
    them while any other callback is outstanding: callbacks/router.py). Without a Referer of
    this host (another host, a browser that sends none, Dash's own check at start-up) the shell
    alone, which the router fills."""
    if not flask.has_request_context():
        return shell.root()
    named = router.referred(flask.request.referrer, flask.request.host)
    if named is None:
        return shell.root()
    body, lang = router.render(ctx, *named)
    return shell.root(body, lang, rendered=router.address(*named))


def request_meta(ctx: AppContext) -> PageMeta:
    """The meta of the page and view the current request's address names."""
    req = flask.request
    search = req.query_string.decode("utf-8", "replace")
    state = urlstate.parse(search, ctx.default_state, set(ctx.store.countries()))
    page = ctx.urls.route(req.path, search)
    origin = req.host_url.rstrip("/")
    return page_meta(ctx.store, ctx.catalog, page, state, ctx.urls, origin)


def content_security_policy(app: Dash, conf: Settings) -> str:
    """The page's Content-Security-Policy: scripts only from the atlas itself and Dash's inline
    scripts by their hashes (``app.csp_hashes()``, so every callback must be registered first);
    MapLibre's web worker from a ``blob:`` URL; images may be ``data:`` URIs (the server's SVG
    charts) or ``blob:`` (exports). Styles allow ``'unsafe-inline'``: plotly.js and Dash's
    components insert ``<style>`` elements at run time (without it the map page logs 26
    violations), whose text no hash can name in advance; a style cannot run code. A basemap other than white-bg loads tiles from
    its provider over HTTPS."""
    tiles = "" if conf.map_style == "white-bg" else " https:"
    directives = {
        "default-src": "'self'",
        "script-src": " ".join(["'self'", *app.csp_hashes()]),
        "style-src": "'self' 'unsafe-inline'",
        "img-src": "'self' data: blob:" + tiles,
        "font-src": "'self' data:",
        "connect-src": "'self'" + tiles,
        "worker-src": "'self' blob:",
        "child-src": "'self' blob:",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
    }
    return "; ".join(f"{k} {v}" for k, v in directives.items())


def _security_headers(app: Dash, ctx: AppContext) -> None:
    """Every response gets the CSP, ``nosniff`` and a referrer policy that sends other sites
    the origin only. Only the embedded map (``/embed``) may be framed by other sites; every
    other response may be framed by the atlas itself only (``frame-ancestors 'self'``, and the
    older ``X-Frame-Options`` for browsers without CSP 2)."""
    embed = ctx.urls.path(ROUTE_BY_NAME[EMBED].path())
    policy = content_security_policy(app, ctx.conf)
    framed_by_self = f"{policy}; frame-ancestors 'self'"

    @app.server.after_request
    def headers(resp: flask.Response) -> flask.Response:
        h = resp.headers
        h.setdefault("X-Content-Type-Options", "nosniff")
        h.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        if flask.request.path == embed:
            h.setdefault("Content-Security-Policy", policy)
        else:
            h.setdefault("Content-Security-Policy", framed_by_self)
            h.setdefault("X-Frame-Options", "SAMEORIGIN")
        return resp


def _cache_headers(app: Dash, ctx: AppContext) -> None:
    """How long a response of Dash's own routes may be kept: the first layout never (one per
    page address, ``app.first_layout``); an asset asked with Dash's modification stamp (``?m=``)
    for good, as a changed file is a new URL: the page's stylesheets and atlas.js then need no
    revalidation round trip, which held the page's scripts on every visit over a slow
    connection (bench/RESULTS.md, "A returning reader"). A 304 renews the copy's lifetime."""
    layout = ctx.urls.path("_dash-layout")
    assets = ctx.urls.asset("")
    stamped = immutable(ctx.conf.static_max_age)

    @app.server.after_request
    def cache(resp: flask.Response) -> flask.Response:
        path = flask.request.path
        if path == layout:
            resp.headers["Cache-Control"] = "no-store"
            resp.headers.add("Vary", "Referer")
        elif (
            path.startswith(assets) and "m" in flask.request.args and resp.status_code in (200, 304)
        ):
            resp.headers["Cache-Control"] = stamped
        return resp


def _not_found_status(app: Dash, ctx: AppContext) -> None:
    """Dash answers every path under the prefix with its page (its catch-all route); a path
    that names no page of :data:`atlas.urls.ROUTES` gets the same page, which the router fills
    with its not-found text, with the status 404, so crawlers and monitors see it."""
    endpoint = ctx.urls.path("<path:path>")
    index = app.server.view_functions[endpoint]

    def catch_all(*args, **kwargs):
        resp = flask.make_response(index(*args, **kwargs))
        if ctx.urls.route(flask.request.path).name == NOT_FOUND:
            resp.status_code = 404
        return resp

    app.server.view_functions[endpoint] = catch_all


def _warm_up() -> None:
    """Read the text files at start-up, not in a user's first request."""
    messages()


def immutable(max_age: int) -> str:
    """The ``Cache-Control`` of a response whose URL changes with its content."""
    return f"public, max-age={max_age}, immutable"


def send_precompressed(path: Path, mimetype: str, max_age: int) -> flask.Response:
    """Send ``path``, or its ``.br`` / ``.gz`` sibling written at build time when the browser
    accepts it (brotli first: about 20 % smaller), marked cacheable for ``max_age`` seconds and
    immutable: callers serve only content-addressed URLs."""
    accepted = flask.request.headers.get("Accept-Encoding", "")
    for encoding, suffix in (("br", ".br"), ("gzip", ".gz")):
        packed = path.with_name(path.name + suffix)
        if encoding in accepted and packed.exists():
            resp = flask.send_file(packed, mimetype=mimetype, conditional=True)
            resp.headers["Content-Encoding"] = encoding
            break
    else:
        resp = flask.send_file(path, mimetype=mimetype, conditional=True)
    resp.headers["Vary"] = "Accept-Encoding"
    resp.headers["Cache-Control"] = immutable(max_age)
    return resp


def _geo_route(app: Dash, ctx: AppContext) -> None:
    """Serve display geometry: content-hashed names, precompressed, cached for a year; from the
    release loaded at start-up, or another kept release (a page drawn before a restart)."""

    @app.server.route(ctx.urls.path("geo/<name>"))
    def geo(name: str):
        path = ctx.store.geo_path(name) if GEO_NAME.match(name) else None
        if path is None:
            flask.abort(404)
        return send_precompressed(path, "application/geo+json", ctx.conf.static_max_age)


def _health_route(app: Dash, ctx: AppContext) -> None:
    """``/healthz`` for monitors and load balancers: 200 with the store's fingerprint and version
    while the store on disk is the one loaded at start-up, 503 with the reason otherwise."""

    @app.server.route(ctx.urls.healthz())
    def healthz():
        problem = ctx.store.health()
        if problem:
            resp = flask.jsonify(status="unavailable", reason=problem)
            resp.status_code = 503
        else:
            resp = flask.jsonify(
                status="ok", fingerprint=ctx.store.fingerprint, store_version=ctx.store.version
            )
        resp.headers["Cache-Control"] = "no-store"
        return resp


def vendor_version(directory: Path = VENDOR_DIR) -> str | None:
    """A hash of the built plotly.js and MapLibre files, or None when they were not built. It is
    part of their URLs, so a rebuild changes the URLs and browsers may cache each version for good
    (MapLibre's files import one another by relative name, so the version is a folder)."""
    if not (directory / VENDOR_BUNDLE).exists():
        return None
    digest = hashlib.sha256()
    for path in sorted(directory.rglob("*")):
        if path.is_file() and path.suffix not in (".br", ".gz"):
            digest.update(path.relative_to(directory).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _vendor_route(
    app: Dash, conf: Settings, urls: URLs, directory: Path, version: str | None
) -> None:
    """Serve the files of :func:`vendor_version` under ``/vendor/<version>/``."""

    @app.server.route(urls.path("vendor/<requested>/<path:name>"))
    def vendor(requested: str, name: str):
        path = directory / name
        if requested != version or not VENDOR_NAME.match(name) or not path.exists():
            flask.abort(404)
        return send_precompressed(path, "text/javascript", conf.static_max_age)


def __getattr__(name: str):
    """``app.server`` / ``app.app`` build the app on first access (gunicorn ``app:server``)."""
    if name in ("app", "server"):
        try:
            dash_app = create_app()
        except (StoreError, DatabaseError) as exc:
            # Procfile preloads the app in gunicorn's master, so this stops gunicorn itself.
            raise SystemExit(f"atlas: {exc}") from None
        globals()["app"] = dash_app
        globals()["server"] = dash_app.server
        return globals()[name]
    raise AttributeError(name)


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    conf = settings()
    try:
        dash_app = create_app(conf)
    except (StoreError, DatabaseError) as exc:
        sys.exit(f"atlas: {exc}")  # the line on stderr, status 1, no traceback
    dash_app.run(host=conf.host, port=conf.port, debug=conf.debug)

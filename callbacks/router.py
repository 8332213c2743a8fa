"""Routing: the path picks the page (read by the URL builder, which strips the prefix, against its
registry of routes); the query string gives its initial state. Each page is rendered by its entry
of :data:`RENDERERS`: a new page is a route in ``atlas/urls.py``, a layout module and one entry
here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from urllib.parse import urlsplit

from dash import ClientsideFunction, Dash, Input, Output, State, html

from atlas import place, urlstate
from atlas.choices import invalid_notice, resolve
from atlas.compare import compare, parse_query
from atlas.datatruth import data_truth
from atlas.i18n import lang_or_default, t
from atlas.methodology import methodology
from atlas.unit_report import unit_report
from atlas.urls import COMPARE, DATA, EMBED, MAP, METHOD, UNIT, Page
from atlas.urlstate import State as ViewState
from atlas.views import compute
from callbacks.map import geometry_urls, legend_items
from layouts import (
    compare_page,
    data_page,
    embed_page,
    figures,
    ids,
    map_page,
    method_page,
    profile_page,
    shell,
)


def _map(ctx, page: Page, state: ViewState):
    resolved = resolve(state, ctx.store, ctx.catalog)
    return map_page.layout(
        ctx.store, ctx.catalog, resolved, invalid_notice(resolved) or None, urls=ctx.urls
    )


def _method(ctx, page: Page, state: ViewState):
    lang = state.lang
    return method_page.layout(
        lang,
        methodology(lang, ctx.catalog, ctx.store.manifest["sources"]),
        data_href=ctx.urls.data(lang),
    )


def _unit(ctx, page: Page, state: ViewState):
    report = unit_report(ctx.store, ctx.catalog, state, page.unit_id, ctx.db)
    return profile_page.layout(
        report.profile if report is not None else None,
        state.lang,
        unit_id=page.unit_id,
        urls=ctx.urls,
        report=report,
        generated=dt.date.today().isoformat(),
    )


def _data(ctx, page: Page, state: ViewState):
    lang = state.lang
    built = str(ctx.store.manifest.get("built_at", ""))[:10]
    return data_page.layout(lang, data_truth(ctx.store, ctx.catalog, lang), built, big=state.big)


def _compare(ctx, page: Page, state: ViewState):
    query = parse_query(page.query, ctx.urls.default_lang)
    return compare_page.layout(compare(ctx.store, ctx.catalog, query), ctx.urls)


def _embed(ctx, page: Page, state: ViewState):
    resolved = resolve(state, ctx.store, ctx.catalog)
    if not resolved.indicator:
        return embed_page.layout(None, None, [], resolved, ctx.urls)
    view = compute(ctx.store, ctx.catalog, resolved)
    geo, admin1 = geometry_urls(ctx.store, resolved.country, resolved.level, "low", ctx.urls)
    bounds = place.focus_bounds(ctx.store, resolved.country, resolved.unit, resolved.admin1)
    figure = figures.choropleth(view, geo, admin1, bounds, ctx.conf.map_style)
    return embed_page.layout(view, figure, legend_items(view), resolved, ctx.urls)


def _not_found(ctx, page: Page, state: ViewState):
    return html.Div(html.P(t("errors.not_found", state.lang)), className="container py-5")


#: The function that renders each page of :data:`atlas.urls.ROUTES` from the app context, the
#: routed page and the state the query string gives (its language, and the map's view).
RENDERERS: dict[str, Callable] = {
    MAP: _map,
    METHOD: _method,
    UNIT: _unit,
    DATA: _data,
    COMPARE: _compare,
    EMBED: _embed,
}


def address(pathname: str | None, search: str | None) -> str:
    """A page's address as the router compares it: its path and query string (with its ``?``)."""
    return (pathname or "") + (search or "")


def referred(referrer: str | None, host: str) -> tuple[str, str] | None:
    """The path and query string (with its ``?``) of the page a Referer names on this site
    (``host``: browsers send the full address to their own site), or None for another site,
    none, or no web address."""
    parts = urlsplit(referrer or "")
    if parts.scheme not in ("http", "https") or parts.netloc != host:
        return None
    return parts.path, f"?{parts.query}" if parts.query else ""


def render(ctx, pathname: str | None, search: str | None):
    """The page for ``pathname`` and its language; ``ctx`` is the app context (store, catalog,
    settings)."""
    state = urlstate.parse(search, ctx.default_state, set(ctx.store.countries()))
    page = ctx.urls.route(pathname, search)
    body = RENDERERS.get(page.name, _not_found)(ctx, page, state)
    # Language links: the routed page, on the map with the view the URL asked for (parsed, not
    # resolved, so the other language resolves it as this one did), never the request path.
    return shell.page(state.lang, body, ctx.urls, page, state), state.lang


def register(app: Dash, ctx) -> None:
    # The gate (assets/atlas.js, ``atlas.route``) passes on every address but the one whose
    # page came with the layout (app.first_layout): that page is drawn once, not twice, and
    # costs no round trip. In the browser, not here: the view's callbacks form a cycle (the view
    # writes the address, Back/Forward turn it into the controls), and Dash sends a cycle's
    # callbacks only once no other callback is outstanding, so a router called at start-up to
    # answer "nothing to draw" held the map back by a round trip (bench/RESULTS.md, "No callback
    # before the view").
    app.clientside_callback(
        ClientsideFunction("atlas", "route"),
        Output(ids.ROUTE, "data"),
        Output(ids.RENDERED, "data"),
        Input(ids.URL, "pathname"),
        State(ids.URL, "search"),
        State(ids.RENDERED, "data"),
    )

    @app.callback(
        Output(ids.PAGE, "children"),
        Output(ids.LANG, "data"),
        Input(ids.ROUTE, "data"),
        prevent_initial_call=True,
    )
    def route(page_address):
        # the address the gate passed on: the path, then the query string from its "?" (a
        # path never holds one unescaped)
        pathname, mark, query = str(page_address or "").partition("?")
        return render(ctx, pathname, mark + query)

    app.clientside_callback(ClientsideFunction("atlas", "documentLang"), Input(ids.LANG, "data"))
    app.clientside_callback(
        ClientsideFunction("atlas", "scrollToHash"), Input(ids.PAGE, "children")
    )

    @app.callback(
        Output(ids.DATA_LINK, "href"),
        Input(ids.COUNTRY, "value"),
        State(ids.LANG, "data"),
        prevent_initial_call=True,
    )
    def data_link(country, lang):
        """The map's "About these data" link follows the country shown."""
        return map_page.data_href(ctx.urls, country, lang_or_default(lang))

"""Routing: the path picks the page (read by the URL builder, which strips the prefix); the query
string gives its initial state."""

from __future__ import annotations

from dash import ClientsideFunction, Dash, Input, Output, State, html

from atlas import urlstate
from atlas.choices import invalid_notice, resolve
from atlas.i18n import t
from atlas.methodology import methodology
from atlas.profile import profile
from atlas.urls import MAP, METHOD, UNIT
from layouts import ids, map_page, method_page, profile_page, shell


def render(ctx, pathname: str | None, search: str | None):
    """The page for ``pathname``; ``ctx`` is the app context (store, catalog, settings)."""
    state = urlstate.parse(search, ctx.default_state, set(ctx.store.countries()))
    lang = state.lang
    page = ctx.urls.route(pathname)
    if page.name == MAP:
        resolved = resolve(state, ctx.store, ctx.catalog)
        body = map_page.layout(ctx.store, ctx.catalog, resolved, invalid_notice(resolved) or None)
    elif page.name == METHOD:
        body = method_page.layout(
            lang, methodology(lang, ctx.catalog, ctx.store.manifest["sources"])
        )
    elif page.name == UNIT:
        body = profile_page.layout(
            profile(ctx.store, ctx.catalog, page.unit_id, lang),
            lang,
            unit_id=page.unit_id,
            urls=ctx.urls,
        )
    else:
        body = html.Div(html.P(t("errors.not_found", lang)), className="container py-5")
    # Language links: the routed page, on the map with the view the URL asked for (parsed, not
    # resolved, so the other language resolves it as this one did), never the request path.
    return shell.page(lang, body, ctx.urls, page, state), lang


def register(app: Dash, ctx) -> None:
    @app.callback(
        Output(ids.PAGE, "children"),
        Output(ids.LANG, "data"),
        Input(ids.URL, "pathname"),
        State(ids.URL, "search"),
    )
    def route(pathname, search):
        return render(ctx, pathname, search)

    app.clientside_callback(ClientsideFunction("atlas", "documentLang"), Input(ids.LANG, "data"))

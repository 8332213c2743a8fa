"""Routing: the path picks the page; the query string gives its initial state."""

from __future__ import annotations

from dash import ClientsideFunction, Dash, Input, Output, State, html

from atlas import urlstate
from atlas.choices import invalid_notice, resolve
from atlas.i18n import t
from atlas.methodology import methodology
from atlas.profile import profile
from layouts import ids, map_page, method_page, profile_page, shell


def render(ctx, pathname: str | None, search: str | None):
    """The page for ``pathname``; ``ctx`` is the app context (store, catalog, settings)."""
    state = urlstate.parse(search, ctx.default_state, set(ctx.store.countries()))
    lang = state.lang
    path = pathname or "/"
    if path == "/":
        state = resolve(state, ctx.store, ctx.catalog)
        body = map_page.layout(ctx.store, ctx.catalog, state, invalid_notice(state) or None)
    elif path == "/method":
        body = method_page.layout(
            lang, methodology(lang, ctx.catalog, ctx.store.manifest["sources"])
        )
    elif path.startswith("/unit/"):
        unit_id = path[len("/unit/") :].strip("/")
        body = profile_page.layout(
            profile(ctx.store, ctx.catalog, unit_id, lang),
            lang,
            unit_id=unit_id,
            defaults=ctx.default_state,
        )
    else:
        body = html.Div(html.P(t("errors.not_found", lang)), className="container py-5")
    return shell.page(lang, path, search or "", body, ctx.conf.default_lang), lang


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

"""Routing: the path picks the page; the query string gives its initial state."""

from __future__ import annotations

from dash import Dash, Input, Output, State, html

from atlas import urlstate
from atlas.choices import resolve
from atlas.i18n import t
from atlas.methodology import methodology
from layouts import ids, map_page, method_page, shell


def render(ctx, pathname: str | None, search: str | None):
    """The page for ``pathname``; ``ctx`` is the app context (store, catalog, settings)."""
    state = urlstate.parse(search, ctx.default_state, set(ctx.store.countries()))
    lang = state.lang
    path = pathname or "/"
    if path == "/":
        state = resolve(state, ctx.store, ctx.catalog)
        notice = (
            " ".join(t("errors.bad_parameter", lang, name=n) for n in state.invalid)
            if state.invalid
            else None
        )
        countries = [(c, ctx.store.country_name(c)) for c in ctx.store.countries()]
        body = map_page.layout(lang, countries, notice, state)
    elif path == "/method":
        body = method_page.layout(
            lang, methodology(lang, ctx.catalog, ctx.store.manifest["sources"])
        )
    else:
        body = html.Div(html.P(t("errors.not_found", lang)), className="container py-5")
    return shell.page(lang, path, search or "", body), lang


def register(app: Dash, ctx) -> None:
    @app.callback(
        Output(ids.PAGE, "children"),
        Output(ids.LANG, "data"),
        Input(ids.URL, "pathname"),
        State(ids.URL, "search"),
    )
    def route(pathname, search):
        return render(ctx, pathname, search)

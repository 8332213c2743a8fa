"""The compare page's search box: options as the map's search gives them
(:func:`callbacks.search.update_options`), and the "add" link pointed at the page's own URL plus
the chosen place (the link, not the choice, changes the page: choosing in a list never navigates).
"""

from __future__ import annotations

from dataclasses import replace

from dash import Dash, Input, Output, State

from atlas.compare import parse_query, with_unit
from atlas.i18n import lang_or_default
from atlas.urls import URLs
from callbacks.search import current_option, update_options
from layouts import ids


def add_link(urls: URLs, search, unit_id, lang) -> tuple[str, bool]:
    """The add link's ``href`` and ``disabled`` for the page at ``search`` (its query) with
    ``unit_id`` chosen; the page itself, disabled, while nothing new is chosen."""
    query = replace(parse_query(search, urls.default_lang), lang=lang_or_default(lang))
    if not isinstance(unit_id, str) or not unit_id or unit_id in query.units:
        return urls.compare(with_unit(query, "")), True
    return urls.compare(with_unit(query, unit_id)), False


def register(app: Dash, ctx) -> None:
    @app.callback(
        Output(ids.COMPARE_SEARCH, "options"),
        Input(ids.COMPARE_SEARCH, "search_value"),
        State(ids.COMPARE_SEARCH, "value"),
        State(ids.LANG, "data"),
    )
    def _options(query, current, lang):
        return update_options(ctx.store, query, current, lang)

    @app.callback(
        Output(ids.COMPARE_ADD, "href"),
        Output(ids.COMPARE_ADD, "disabled"),
        Input(ids.COMPARE_SEARCH, "value"),
        State(ids.URL, "search"),
        State(ids.LANG, "data"),
        prevent_initial_call=True,
    )
    def _add(unit_id, search, lang):
        if current_option(ctx.store, unit_id, lang) is None:
            unit_id = None
        return add_link(ctx.urls, search, unit_id, lang)

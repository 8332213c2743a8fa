"""The place search box of the map page: find any unit of the six countries by name.

A searchable ``dcc.Dropdown`` whose options come from the server as the user types
(:mod:`callbacks.search`), so all 11,500 units need not be sent to the browser. Dash 4's dropdown
names its button after the selected value or the placeholder and takes no ``aria-label``, so the
box carries a visible ``<label>`` and sits in a ``role="search"`` landmark named by that label.
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from atlas.i18n import t
from layouts.ids import SEARCH  # noqa: E402  (the dropdown)

SEARCH_LABEL = "unit-search-label"


def search_dropdown(component_id: str, lang: str, **kw) -> dcc.Dropdown:
    """A place search dropdown (the map's, the compare page's): options come from the server as
    the reader types, in the server's order (exact, prefix, population)."""
    return dcc.Dropdown(
        id=component_id,
        options=[],
        value=None,
        searchable=True,
        clearable=True,
        placeholder=t("search.placeholder", lang),
        search_order="original",
        labels={
            "search": t("search.search", lang),
            "no_options_found": t("search.no_results", lang),
            "clear_search": t("search.clear_search", lang),
            "clear_selection": t("search.clear_selection", lang),
        },
        maxHeight=320,
        **kw,
    )


def search_box(lang: str) -> html.Div:
    """The labelled search dropdown; options are filled by ``callbacks.search``."""
    return html.Div(
        [
            dbc.Label(t("search.label", lang), html_for=SEARCH, id=SEARCH_LABEL),
            search_dropdown(SEARCH, lang),
        ],
        role="search",
        className="unit-search mb-3",
        **{"aria-labelledby": SEARCH_LABEL},
    )

"""The embedded map (``/embed?...``): the map of a view with its title, legend and source, a text
alternative and a link back to the full view; no navigation, controls or panels. It is the one
page other sites may frame (app.py sends ``frame-ancestors 'self'`` for every other path)."""

from __future__ import annotations

from dash import dcc, html

from atlas.i18n import t
from atlas.urls import URLs
from atlas.urlstate import State
from atlas.views import ViewData
from layouts.figures import graph_config

MAP_ID = "embed-map"
LINK_ID = "embed-open-full"


def layout(view: ViewData | None, figure, legend: list, state: State, urls: URLs) -> html.Div:
    """``view`` None: the state names no indicator with values (a short message and the link)."""
    lang = state.lang
    link = html.P(
        html.A(
            t("embed.open_full", lang),
            href=urls.map(state),
            target="_blank",
            rel="noopener",
            id=LINK_ID,
        ),
        className="small mb-0",
    )
    if view is None:
        return html.Div([html.P(t("embed.no_values", lang)), link], className="embed-page p-2")
    return html.Div(
        [
            html.H1(view.title, className="embed-title"),
            dcc.Graph(
                id=MAP_ID,
                figure=figure,
                config=graph_config(lang, toolbar=False),
                className="embed-map",
            ),
            html.P(view.alt_text, className="visually-hidden"),
            html.Div(legend, className="map-legend", role="list"),
            html.P(view.caption, className="small mb-1 map-caption"),
            link,
        ],
        className="embed-page p-2",
    )

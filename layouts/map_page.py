"""The map page: controls on the left, the choropleth with its legend, caption and text alternative."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from atlas.i18n import t
from layouts import ids


def dropdown_options(groups: list[tuple[str, list[tuple[str, str]]]]) -> list[dict]:
    """Grouped choices as dropdown options: a disabled header row per group."""
    out = []
    for group, items in groups:
        out.append({"label": f"— {group} —", "value": f"__group__{group}", "disabled": True})
        out.extend({"label": text, "value": value} for value, text in items)
    return out


def controls(lang: str, countries: list[tuple[str, str]], state) -> html.Div:
    def field(label_key: str, component, cid: str):
        return html.Div([dbc.Label(t(label_key, lang), html_for=cid), component], className="mb-3")

    return html.Div(
        [
            field(
                "controls.country",
                dcc.Dropdown(
                    id=ids.COUNTRY,
                    options=[{"label": n, "value": c} for c, n in countries],
                    value=state.country,
                    clearable=False,
                ),
                ids.COUNTRY,
            ),
            field(
                "controls.level",
                dcc.RadioItems(id=ids.LEVEL, options=[], value=state.level),
                ids.LEVEL,
            ),
            field(
                "controls.indicator",
                dcc.Dropdown(id=ids.INDICATOR, options=[], value=state.indicator, clearable=False),
                ids.INDICATOR,
            ),
            field(
                "controls.year",
                dcc.Dropdown(id=ids.YEAR, options=[], value=state.year, clearable=False),
                ids.YEAR,
            ),
        ],
        className="controls",
    )


def layout(lang: str, countries: list[tuple[str, str]], notice: str | None, state) -> html.Div:
    return dbc.Container(
        [
            dbc.Alert(
                notice, color="warning", id=ids.NOTICE, is_open=bool(notice), dismissable=True
            ),
            dbc.Row(
                [
                    dbc.Col(controls(lang, countries, state), md=3, className="pt-3"),
                    dbc.Col(
                        [
                            html.H1(id=ids.MAP_CAPTION + "-title", className="map-title"),
                            html.Div(
                                dcc.Graph(
                                    id=ids.MAP,
                                    config={
                                        "displaylogo": False,
                                        "scrollZoom": True,
                                        "responsive": True,
                                    },
                                    style={"height": "100%", "width": "100%"},
                                ),
                                className="map-frame",
                            ),
                            html.Div(id=ids.MAP_LEGEND, className="map-legend", role="list"),
                            html.P(id=ids.MAP_CAPTION, className="map-caption"),
                            html.Details(
                                [
                                    html.Summary(t("map.text_alternative", lang)),
                                    html.P(id=ids.MAP_ALT),
                                ],
                                className="map-alt",
                            ),
                            html.Div(id=ids.MAP_NOTES, className="map-notes"),
                        ],
                        md=9,
                    ),
                ]
            ),
        ],
        fluid=True,
    )

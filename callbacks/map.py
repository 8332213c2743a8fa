"""Map panel: the control chain (country -> level -> indicator -> year) and the choropleth."""

from __future__ import annotations

import logging

from dash import Dash, Input, Output, State, html, no_update

from atlas import urlstate
from atlas.choices import indicator_choices, level_choices
from atlas.i18n import lang_or_default, number, t
from atlas.mapview import map_view
from layouts import figures, ids
from layouts.map_page import dropdown_options

log = logging.getLogger(__name__)


def level_options(ctx, country, current, lang):
    choices = level_choices(ctx.store, country, lang)
    values = [v for v, _ in choices]
    return [
        {"label": text, "value": v} for v, text in choices
    ], current if current in values else values[0]


def indicator_options(ctx, country, level, current, lang):
    groups = indicator_choices(ctx.store, ctx.catalog, country, level, lang)
    values = [v for _, items in groups for v, _ in items]
    if not values:
        return [], None
    if current not in values:
        current = ctx.conf.default_indicator if ctx.conf.default_indicator in values else values[0]
    return dropdown_options(groups), current


def year_options(ctx, indicator, country, level, current):
    years = ctx.store.years(indicator, country, level) if indicator else []
    value = current if current in years else (years[-1] if years else None)
    return [{"label": str(y), "value": y} for y in years], value


def legend_items(view) -> list:
    return [
        html.Div(
            [
                html.Span(
                    className="swatch",
                    style={"backgroundColor": e.colour},
                    **{"aria-hidden": "true"},
                ),
                html.Span(e.label, className="legend-label"),
                html.Span(f"({e.count})", className="legend-count"),
            ],
            className="legend-item",
            role="listitem",
        )
        for e in view.legend
    ]


def notes(ctx, view, indicator, country, lang) -> list:
    out = []
    if view.direction_note:
        out.append(html.P(view.direction_note))
    if view.comparability:
        out.append(html.P([html.Strong(t("map.comparability", lang) + ": "), view.comparability]))
    nat = ctx.store.series(country, indicator)
    if len(nat):
        last = nat.iloc[-1]
        ind = ctx.catalog[indicator]
        src = ctx.store.source(last["source_id"])
        out.append(
            html.P(
                [
                    html.Strong(t("map.national_reference", lang) + ": "),
                    f"{number(last['value'], ind.decimals, lang)} {ctx.catalog.unit_label(ind.unit, lang)} "
                    f"({int(last['year'])}; {src['producer']})",
                ]
            )
        )
    return out


def update_map(ctx, country, level, indicator, year, lang):
    """Figure, title, caption, legend, text alternative, notes and the URL for the current view."""
    lang = lang_or_default(lang)
    state = urlstate.State(
        lang=lang, country=country, level=level, indicator=indicator or "", year=year
    )
    search = urlstate.serialise(state, ctx.default_state)
    if not indicator or year is None:
        msg = t("map.no_values", lang, country=ctx.store.country_name(country))
        return figures.empty_map(msg), "", msg, [], msg, [], search
    try:
        view = map_view(
            ctx.store,
            ctx.catalog,
            country=country,
            level=level,
            indicator=indicator,
            year=int(year),
            lang=lang,
        )
    except KeyError:
        msg = t("map.no_values", lang, country=ctx.store.country_name(country))
        return figures.empty_map(msg), "", msg, [], msg, [], search
    fig = figures.choropleth(view, ctx.conf.map_style)
    return (
        fig,
        view.title,
        view.caption,
        legend_items(view),
        view.alt_text,
        notes(ctx, view, indicator, country, lang),
        search,
    )


def register(app: Dash, ctx) -> None:
    @app.callback(
        Output(ids.LEVEL, "options"),
        Output(ids.LEVEL, "value"),
        Input(ids.COUNTRY, "value"),
        State(ids.LEVEL, "value"),
        State(ids.LANG, "data"),
    )
    def _levels(country, current, lang):
        if not country:
            return no_update, no_update
        return level_options(ctx, country, current, lang_or_default(lang))

    @app.callback(
        Output(ids.INDICATOR, "options"),
        Output(ids.INDICATOR, "value"),
        Input(ids.COUNTRY, "value"),
        Input(ids.LEVEL, "value"),
        State(ids.INDICATOR, "value"),
        State(ids.LANG, "data"),
    )
    def _indicators(country, level, current, lang):
        if not country or not level:
            return no_update, no_update
        return indicator_options(ctx, country, level, current, lang_or_default(lang))

    @app.callback(
        Output(ids.YEAR, "options"),
        Output(ids.YEAR, "value"),
        Input(ids.INDICATOR, "value"),
        Input(ids.COUNTRY, "value"),
        Input(ids.LEVEL, "value"),
        State(ids.YEAR, "value"),
    )
    def _years(indicator, country, level, current):
        if not country or not level:
            return no_update, no_update
        return year_options(ctx, indicator, country, level, current)

    @app.callback(
        Output(ids.MAP, "figure"),
        Output(ids.MAP_CAPTION + "-title", "children"),
        Output(ids.MAP_CAPTION, "children"),
        Output(ids.MAP_LEGEND, "children"),
        Output(ids.MAP_ALT, "children"),
        Output(ids.MAP_NOTES, "children"),
        Output(ids.URL, "search"),
        Input(ids.COUNTRY, "value"),
        Input(ids.LEVEL, "value"),
        Input(ids.INDICATOR, "value"),
        Input(ids.YEAR, "value"),
        State(ids.LANG, "data"),
    )
    def _map(country, level, indicator, year, lang):
        if not country or not level:
            return (no_update,) * 7
        return update_map(ctx, country, level, indicator, year, lang)

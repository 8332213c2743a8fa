"""The compare page (``/compare?u=...&i=...``): an :class:`atlas.compare.Comparison` as charts and
accessible tables.

One ``h1``, the notices of what the link asked for and could not be shown, the places compared
(each with its profile and a link that removes it), a search box to add a place by name, the
indicators and the target framework as links (each link is the page's URL with that change, so
every state of the page is a shareable link and the Back button works), then one small line chart
per indicator (one line per place, its target dashed, flagged values hollow, a year without a
value a break in the line) and, under the charts, a table per indicator with the source and year
of every value and the comparability notes. The page's links are plain anchors: the router draws
the page from the URL, so only a new load shows a new query.
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
import plotly.graph_objects as go
from dash import dcc, html

from atlas.compare import (
    FRAMEWORKS,
    MAX_INDICATORS,
    MAX_UNITS,
    Comparison,
    Line,
    Panel,
    toggled_indicator,
    with_framework,
    without_unit,
)
from atlas.i18n import number, plotly_separators, t
from atlas.urls import URLs
from layouts import ids
from layouts.figures import graph_config
from layouts.search import search_dropdown

PAGE_ID = "compare-page"
#: Okabe-Ito: distinct for the common colour-vision deficiencies; each place also has its own
#: marker shape, so no line is told apart by colour alone.
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")
SYMBOLS = ("circle", "square", "diamond", "triangle-up", "triangle-down", "star")
CHART_HEIGHT = 320


def chart_id(indicator: str) -> str:
    return f"compare-chart-{indicator}"


def _style(comparison: Comparison) -> dict[str, int]:
    """Each place's position among the places compared: the same colour and shape in every
    chart."""
    return {m.unit_id: k for k, m in enumerate(comparison.members)}


def _fmt(value: float | None, decimals: int, lang: str) -> str:
    return number(value, decimals, lang)


def _hover(ln: Line, p: Panel, lang: str) -> list[str]:
    out = []
    for pt in ln.points:
        text = f"<b>{ln.name}</b><br>{pt.year}: {_fmt(pt.value, p.decimals, lang)} {p.unit}"
        if pt.source:
            text += f"<br>{pt.source}"
        if pt.flag:
            text += f"<br>{pt.flag}"
        out.append(text)
    return out


def figure(p: Panel, comparison: Comparison) -> go.Figure:
    """One indicator: a line per place over the years its country has, ``None`` (a break) where
    the place has no value; its target dashed from its baseline year to the deadline."""
    lang = comparison.lang
    style = _style(comparison)
    fig = go.Figure()
    for ln in p.lines:
        k = style[ln.unit_id]
        colour, symbol = COLOURS[k % len(COLOURS)], SYMBOLS[k % len(SYMBOLS)]
        fig.add_trace(
            go.Scatter(
                x=[pt.year for pt in ln.points],
                y=[pt.value for pt in ln.points],
                name=ln.name,
                legendgroup=ln.unit_id,
                mode="lines+markers",
                connectgaps=False,
                line={"color": colour, "width": 2},
                marker={
                    "color": colour,
                    "size": 8,
                    "symbol": [symbol + ("-open" if pt.flag else "") for pt in ln.points],
                },
                hovertext=_hover(ln, p, lang),
                hoverinfo="text",
            )
        )
        if ln.target is not None:
            tg = ln.target
            text = t(
                "compare.target_hover",
                lang,
                framework=tg.framework_label,
                value=_fmt(tg.value, p.decimals, lang),
                year=tg.deadline,
            )
            fig.add_trace(
                go.Scatter(
                    x=[tg.baseline_year, tg.deadline],
                    y=[tg.value, tg.value],
                    name=f"{ln.name}: {text}",
                    legendgroup=ln.unit_id,
                    showlegend=False,
                    mode="lines",
                    line={"color": colour, "width": 1.5, "dash": "dash"},
                    hovertext=[f"<b>{ln.name}</b><br>{text}"] * 2,
                    hoverinfo="text",
                )
            )
    fig.update_layout(
        height=CHART_HEIGHT,
        margin={"l": 50, "r": 10, "t": 10, "b": 10},
        separators=plotly_separators(lang),
        legend={"orientation": "h", "yanchor": "top", "y": -0.12, "x": 0},
        hovermode="closest",
        plot_bgcolor="white",
        xaxis={"gridcolor": "#e5e5e5", "tickformat": "d"},
        yaxis={"gridcolor": "#e5e5e5", "title": {"text": p.unit}, "rangemode": "tozero"},
    )
    return fig


# --------------------------------------------------------------------------------------------
# Parts of the page


def _notices(c: Comparison) -> list:
    return [dbc.Alert(n, color="warning", className="py-2 small") for n in c.notices]


def _members(c: Comparison, urls: URLs) -> html.Section:
    lang = c.lang
    style = _style(c)
    items = []
    for m in c.members:
        k = style[m.unit_id]
        items.append(
            html.Li(
                [
                    html.Span(
                        "",
                        className="compare-swatch",
                        style={"backgroundColor": COLOURS[k % len(COLOURS)]},
                        **{"aria-hidden": "true"},
                    ),
                    html.Strong(m.name),
                    " ",
                    html.Span(m.place, className="text-muted small"),
                    " · ",
                    html.A(t("compare.profile", lang), href=urls.unit(m.unit_id, lang)),
                    " · ",
                    html.A(
                        t("compare.remove", lang, name=m.name),
                        href=urls.compare(without_unit(c.shown, m.unit_id)),
                        className="compare-remove",
                    ),
                ],
                className="mb-1",
            )
        )
    body: list = [html.H2(t("compare.places", lang), id="compare-places", className="h5")]
    body.append(
        html.Ul(items, className="list-unstyled mb-2")
        if items
        else html.P(t("compare.empty", lang), className="text-muted")
    )
    body.append(_add(c, urls))
    return html.Section(body, **{"aria-labelledby": "compare-places"}, className="mb-3")


def _add(c: Comparison, urls: URLs) -> html.Div:
    """Find a place by name (options from the map's search, :mod:`callbacks.compare`) and add it
    with the link next to the box, which the callback points at this page plus that place."""
    lang = c.lang
    if len(c.members) >= MAX_UNITS:
        return html.P(t("compare.full", lang, max=MAX_UNITS), className="small text-muted")
    label_id = f"{ids.COMPARE_SEARCH}-label"
    return html.Div(
        [
            dbc.Label(t("compare.add_label", lang), html_for=ids.COMPARE_SEARCH, id=label_id),
            html.Div(
                [
                    search_dropdown(ids.COMPARE_SEARCH, lang, className="flex-grow-1"),
                    dbc.Button(
                        t("compare.add", lang),
                        id=ids.COMPARE_ADD,
                        href=urls.compare(c.shown),
                        external_link=True,  # a new query is a new page: the router draws it
                        disabled=True,
                        color="primary",
                        size="sm",
                    ),
                ],
                className="d-flex gap-2 align-items-start",
            ),
        ],
        role="search",
        className="compare-add",
        **{"aria-labelledby": label_id},
    )


def _choices(c: Comparison, urls: URLs) -> html.Section:
    """The indicators the places have and the frameworks, as links that change the page."""
    lang = c.lang
    shown = set(c.shown.indicators)
    full = len(shown) >= MAX_INDICATORS
    inds = []
    for ind_id, name in c.available:
        on = ind_id in shown
        if full and not on:
            inds.append(html.Li(html.Span(name, className="text-muted")))
            continue
        inds.append(
            html.Li(
                html.A(
                    [html.Span("✓ " if on else "+ ", **{"aria-hidden": "true"}), name],
                    href=urls.compare(toggled_indicator(c.shown, ind_id)),
                    className="compare-toggle" + (" active fw-bold" if on else ""),
                    **({"aria-current": "true"} if on else {}),
                )
            )
        )
    fws = [
        html.Li(
            html.A(
                t(f"target.framework.{fw}", lang),
                href=urls.compare(with_framework(c.shown, fw)),
                className="compare-toggle" + (" active fw-bold" if fw == c.shown.framework else ""),
                **({"aria-current": "true"} if fw == c.shown.framework else {}),
            ),
            className="list-inline-item",
        )
        for fw in FRAMEWORKS
    ]
    if not c.members:
        return html.Section()
    return html.Section(
        [
            html.Details(
                [
                    html.Summary(t("compare.indicators", lang, max=MAX_INDICATORS)),
                    html.Ul(inds, className="list-unstyled compare-indicators small"),
                ],
                open=not c.panels,
            ),
            html.Div(
                [
                    html.Span(t("compare.framework", lang) + ": ", className="fw-bold small"),
                    html.Ul(fws, className="list-inline d-inline small mb-0"),
                ],
                className="mt-2",
            ),
        ],
        className="mb-3",
        **{"aria-label": t("compare.indicators", lang, max=MAX_INDICATORS)},
    )


def _targets(p: Panel, c: Comparison) -> html.Ul:
    lang = c.lang
    items = []
    for ln in p.lines:
        tg = ln.target
        if tg is None:
            items.append(html.Li(t("compare.no_target", lang, name=ln.name)))
        else:
            items.append(
                html.Li(
                    t(
                        "compare.target_item",
                        lang,
                        name=ln.name,
                        value=f"{_fmt(tg.value, p.decimals, lang)} {p.unit}",
                        year=tg.deadline,
                        baseline_year=tg.baseline_year,
                    )
                )
            )
    return html.Ul(items, className="small mb-1 compare-targets")


def _chart(p: Panel, c: Comparison) -> html.Section:
    lang = c.lang
    hid = f"compare-h-{p.id}"
    body: list = [html.H2(p.label, id=hid, className="h5")]
    if p.caution:
        body.append(dbc.Alert(t("compare.caution", lang), color="info", className="py-2 small"))
    elif len(p.countries) > 1:
        body.append(html.P(t("compare.comparable", lang), className="small text-muted"))
    if p.lines:
        names = ", ".join(ln.name for ln in p.lines)
        body += [
            html.Div(
                dcc.Graph(
                    id=chart_id(p.id),
                    figure=figure(p, c),
                    config=graph_config(lang, toolbar=False),
                    className="compare-chart",
                ),
                role="figure",
                **{"aria-label": t("compare.chart_alt", lang, indicator=p.label, names=names)},
            ),
            html.P(
                t("compare.legend_help", lang, framework=c.framework_label),
                className="small text-muted mb-1",
            ),
            html.P(t("compare.targets", lang, framework=c.framework_label), className="small mb-0"),
            _targets(p, c),
        ]
    else:
        body.append(html.P(t("compare.no_lines", lang), className="text-muted"))
    if p.no_data and p.lines:
        body.append(
            html.P(t("compare.no_data", lang, names=", ".join(p.no_data)), className="small")
        )
    return html.Section(
        body, **{"aria-labelledby": hid}, className="col-12 col-xl-6 compare-panel mb-4"
    )


def table(p: Panel, c: Comparison) -> dbc.Table:
    """Every point of every line: place (row header), year, value (or "no data"), source, note."""
    lang = c.lang
    head = [
        html.Th(t(f"compare.col_{k}", lang), scope="col") for k in ("place", "year", "value")
    ] + [
        html.Th(t("common.source", lang), scope="col"),
        html.Th(t("compare.col_note", lang), scope="col"),
    ]
    rows = []
    for ln in p.lines:
        for pt in ln.points:
            rows.append(
                html.Tr(
                    [
                        html.Th(ln.name, scope="row"),
                        html.Td(str(pt.year)),
                        html.Td(_fmt(pt.value, p.decimals, lang), className="text-end"),
                        html.Td(pt.source, className="small"),
                        html.Td(pt.flag, className="small flag-note"),
                    ]
                )
            )
    return dbc.Table(
        [
            html.Caption(t("compare.table_caption", lang, indicator=p.label)),
            html.Thead(html.Tr(head)),
            html.Tbody(rows),
        ],
        bordered=True,
        responsive=True,
        size="sm",
        className="caption-top compare-table",
    )


def _tables(c: Comparison) -> html.Section:
    lang = c.lang
    body: list = []
    for p in c.panels:
        if not p.lines:
            continue
        body.append(table(p, c))
        if p.notes:
            body += [
                html.H3(t("compare.notes", lang), className="h6"),
                html.Ul([html.Li(n) for n in p.notes], className="small compare-notes"),
            ]
    return html.Section(body, className="compare-tables")


def layout(c: Comparison, urls: URLs) -> dbc.Container:
    lang = c.lang
    return dbc.Container(
        [
            html.H1(t("compare.title", lang), className="mt-3"),
            html.P(t("compare.intro", lang, max=MAX_UNITS), className="small"),
            *_notices(c),
            _members(c, urls),
            _choices(c, urls),
            html.Div([_chart(p, c) for p in c.panels], className="row"),
            _tables(c),
        ],
        id=PAGE_ID,
        className="compare-page py-3",
        style={"maxWidth": "90rem"},
    )

"""The panels beside the map as Dash components and plotly figures: the ranking chart, the
summary cards, the selected unit's panel and the accessible data table.

No data work here: everything comes from :mod:`atlas.panels` objects and the
:class:`atlas.views.ViewData` of the page; this module only lays them out and words them.
"""

from __future__ import annotations

import math

import dash_bootstrap_components as dbc
import numpy as np
import plotly.graph_objects as go
from dash import Patch, html

from atlas.classify import stepped_colorscale
from atlas.compare import CompareQuery
from atlas.i18n import DEFAULT_LANG, label, number, numbers, plotly_separators, rounded, t
from atlas.panels import Ranking, Summary, UnitDetail, table_head, table_order
from atlas.place import GoalAnswer, Rank, pace_texts
from atlas.urls import URLs
from atlas.views import ViewData, indicator_axis
from layouts import ids
from layouts.figures import FigureDict, empty_figure, strings, wrap_lines

#: Up to this many points the ranking draws bars, beyond it dots.
BARS_MAX = 25
#: Up to this many points the units' names are the tick labels (and the height follows them).
NAMES_MAX = 60
#: Beyond this many points the ranking uses WebGL (go.Scattergl).
GL_MIN = 500
ROW_PX = 22
#: ``type`` of the pattern-matching ids of the table's page buttons.
PAGE_BUTTON = "table-page"
SELECTED_OUTLINE = "#000000"
MISSING_NAMES_SHOWN = 5


def _fmt(x: float | None, decimals: int, lang: str) -> str:
    return number(x if x is not None and math.isfinite(x) else None, decimals, lang)


def _escape(text: str) -> str:
    """Text for a plotly hover template: '%{' would start a variable."""
    return str(text).replace("%{", "% {")


# --------------------------------------------------------------------------------------------
# Ranking chart


#: The keys of the ranking's first trace a switch within one layer sends again (names and ids
#: stay in the browser).
RANKING_PATCHED = ("x", "y", "marker", "error_x", "hovertemplate")


def layer_ordered(r: Ranking) -> bool:
    """True when the ranking draws every unit of the layer as a dot, in the layer's order: many
    units, no names on the axis, no top/bottom cut, no admin-1 filter."""
    return len(r) > NAMES_MAX and not r.top and not r.admin1 and not r.breaks


def ranking_key(r: Ranking, view: ViewData) -> str:
    """What the browser's ranking holds once this one is drawn: its layer when it is in layer
    order (a later switch in that layer may patch it), else ""."""
    return f"{view.layer.country}:{view.layer.level}" if layer_ordered(r) else ""


def ranking_patch(fig: FigureDict) -> Patch:
    """``fig`` (a layer-ordered ranking) as changes to the layer-ordered ranking the browser
    holds: the first trace's values and colours, the selection trace and the layout."""
    patch = Patch()
    first = fig["data"][0]
    for key in RANKING_PATCHED:
        patch["data"][0][key] = first.get(key)
    patch["data"][1] = fig["data"][1]
    patch["layout"] = fig["layout"]
    return patch


def _plain(values: np.ndarray, decimals: int | None, as_written: bool = False) -> list:
    """Numbers as a JSON list, rounded to ``decimals`` and NaN as null: plotly would send a
    float array as base64 doubles, which compress far worse than short decimals. ``as_written``
    rounds as the texts are written (:func:`atlas.i18n.rounded`)."""
    if as_written and decimals is not None:
        values = rounded(values, decimals)
    elif decimals is not None:
        values = np.round(values, decimals)
    finite = np.isfinite(values)
    if decimals == 0:  # whole numbers as ints ("3", not "3.0")
        out = np.where(finite, values, 0).astype(np.int64).astype(object)
    else:
        out = values.astype(object)
    out[~finite] = None
    return out.tolist()


def ranking_figure(r: Ranking, view: ViewData, lang: str) -> FigureDict | go.Figure:
    """The ranking, best at the top: bars up to :data:`BARS_MAX` points, else dots (WebGL beyond
    :data:`GL_MIN`), coloured by the view's classes, with the CI as error bars where the source
    gives one. Trace 0 holds every point, ``customdata`` = unit id (for the click callback). For
    dots the selected unit is drawn again on top as trace 1 (larger, black outline, same
    customdata); for bars it is outlined in trace 0. An arrow labels it in both cases.

    y is the display row (:attr:`Ranking.position`); tick labels are "rank. name" up to
    :data:`NAMES_MAX` points (the height then follows the number of rows), else a few ranks.
    Built without per-point colour strings so that Brazil's 5,564 points take milliseconds.
    """
    year = view.state.year
    kind = view.kind
    title = kind.ranking_title(view, lang)
    note = (
        f"{r.selected_missing}: {r.selected_flag}"
        if r.selected_flag
        else t("panels.ranking.selected_no_data", lang, name=r.selected_missing)
        if r.selected_missing
        else ""
    )
    if len(r) == 0:
        msg = t("panels.ranking.empty", lang)
        if note:
            msg += "<br>" + note
        fig = empty_figure(msg, height=160, plot_bgcolor="white")
        fig.update_layout(
            title={"text": title, "font": {"size": 14}},
            separators=plotly_separators(lang),
            margin={"t": 40},
        )
        return fig

    n = len(r)
    bars = n <= BARS_MAX
    show_names = n <= NAMES_MAX
    outside = t("panels.ranking.outside", lang)
    extra = not kind.metric_is_value
    decimals = kind.x_decimals(view)
    if show_names:
        rank_no = numbers(r.rank.astype(float), 0, lang)
        prefix = [f"{k}. " if rk else "· " for k, rk in zip(rank_no, r.rank.tolist(), strict=True)]
        hovertext = [
            f"<b>{p}{nm}</b>{'' if rk else f' ({outside})'}<br>{a1}"
            + (f"<br>{vt}" if extra else "")
            for p, nm, rk, a1, vt in zip(
                prefix, r.names, r.rank.tolist(), r.admin1_names, r.value_text, strict=True
            )
        ]
        value_part = "%{text}"
    else:
        # Thousands of points: every update re-sends the ranking, so each point carries only its
        # name and id; the value is formatted by plotly from x (layout.separators follow the
        # language) and the rank is the y axis.
        value_part = f"%{{x:,.{decimals}f}}" + kind.x_suffix()
    # hover: "<b>rank. name</b><br>admin-1[<br>value (indicator, year)]<br>metric: text<br>year ·
    # source"; the constant parts live once in the template, not in every point
    template = (
        _escape(f" ({indicator_axis(view, lang)}, {year})") if extra and show_names else ""
    ) + _escape(f"<br>{view.metric_label}: ")
    source_line = _escape(
        f"<br>{t('common.year', lang)}: {year} · {t('common.source', lang)}: {view.source}"
    )
    hovertemplate = "%{hovertext}" + template + value_part + source_line + "<extra></extra>"
    k = len(view.colours)
    marker_colour = {
        "color": r.classes.astype(int),
        "cmin": -0.5,
        "cmax": k + 0.5,
        "colorscale": stepped_colorscale(view.colours),
        "showscale": False,
    }
    error_x = None
    if r.has_ci:
        error_x = {
            "type": "data",
            "symmetric": False,
            "array": np.clip(np.nan_to_num(r.ci_high - r.x, nan=0.0), 0, None),
            "arrayminus": np.clip(np.nan_to_num(r.x - r.ci_low, nan=0.0), 0, None),
            "thickness": 1,
            "width": 3 if show_names else 0,
            "color": "#555555",
        }
    in_layer_order = layer_ordered(r)

    def heading(rows: slice) -> np.ndarray:
        """The points' hover headings: rank, name and more when the axis names the points, else
        the name (as numpy strings, which plotly copies whole where it walks a list)."""
        return strings(hovertext[rows] if show_names else r.names[rows])

    contiguous = bool(n and np.array_equal(r.position, np.arange(r.position[0], r.position[0] + n)))
    common = {
        "x": r.x,
        **(
            {"y0": int(r.position[0]), "dy": 1}
            if contiguous and not show_names
            else {"y": r.position}
        ),
        "hovertemplate": hovertemplate,
        "error_x": error_x,
        "name": "",
        "showlegend": False,
    }
    if in_layer_order:
        # one point per unit of the layer, in the layer's order (a unit without a rank has no
        # x and is not drawn): names and ids are the same for every indicator of the layer, so
        # a switch sends only positions, values and colours (ranking_patch)
        layer, at = view.layer, r.layer_index

        def spread(values, fill=np.nan, decimals: int | None = None, as_written=False):
            out = np.full(len(layer), fill, dtype=float)
            out[at] = values
            return _plain(out, decimals, as_written)

        common.update(
            # x as the hover texts write it (the ranking's hover and the map's agree): a switch
            # sends the same numbers once for both (layouts/paint.py)
            x=spread(r.x, decimals=decimals, as_written=True),
            y=spread(r.position, decimals=0),
            hovertext=layer.name_texts,
        )
        # no ids: a click names its point's row of the layer (callbacks/map.py layer_ids), so
        # the first load does not carry 5,564 ids on top of the positions
        for key in ("y0", "dy"):
            common.pop(key, None)
        marker_colour["color"] = spread(r.classes, 0, decimals=0)
        if error_x is not None:
            error_x["array"] = spread(error_x["array"], 0, decimals=decimals + 2)
            error_x["arrayminus"] = spread(error_x["arrayminus"], 0, decimals=decimals + 2)
    else:
        common.update(
            customdata=strings(r.unit_ids),
            hovertext=heading(slice(None)),
            **({"text": strings(r.text)} if show_names else {}),
        )
    traces = []
    bar_label = f"%{{x:,.{decimals}f}}" + kind.x_suffix()
    if bars:
        sel = r.is_selected
        traces.append(
            dict(
                type="bar",
                orientation="h",
                marker={
                    **marker_colour,
                    "line": {
                        "width": np.where(sel, 3.0, 0.5),
                        "color": [SELECTED_OUTLINE if s else "#666666" for s in sel],
                    },
                },
                texttemplate=bar_label,
                textposition="inside" if r.has_ci else "auto",
                insidetextanchor="start",
                cliponaxis=False,
                **common,
            )
        )
    else:
        size = 5 if n > GL_MIN else 8
        traces.append(
            dict(
                # SVG scatter: the atlas's plotly bundle carries no WebGL traces (see jsbundle/)
                type="scatter",
                mode="markers",
                marker={
                    **marker_colour,
                    "size": size,
                    "line": {"width": 0 if n > GL_MIN else 0.5, "color": "#555555"},
                },
                **common,
            )
        )
        if r.selected_index is None and in_layer_order:  # its place, for ranking_patch
            traces.append(dict(type="scatter", x=[], y=[], mode="markers", showlegend=False))
        if r.selected_index is not None:
            i = r.selected_index
            one = slice(i, i + 1)
            traces.append(
                dict(
                    type="scatter",
                    x=r.x[one],
                    y=r.position[one],
                    customdata=strings(r.unit_ids[one]),
                    text=strings(r.text[one]),
                    hovertext=heading(one),
                    hovertemplate=hovertemplate,
                    mode="markers",
                    marker={
                        "color": [r.colours[i]],
                        "size": 15,
                        "line": {"width": 2.5, "color": SELECTED_OUTLINE},
                    },
                    name="",
                    showlegend=False,
                )
            )
    if show_names:
        tickvals = r.position.tolist()
        ticktext = [p + nm for p, nm in zip(prefix, r.names, strict=True)]
        if r.selected_index is not None:  # the selected unit's name in bold (and outlined)
            ticktext[r.selected_index] = f"<b>{ticktext[r.selected_index]}</b>"
    else:
        at = np.unique(np.linspace(0, n - 1, 9).round().astype(int))
        tickvals = r.position[at].tolist()
        ticktext = [number(float(r.rank[j]), 0, lang) if r.rank[j] else "·" for j in at]

    annotations = [
        {
            "x": 0.5,
            "xref": "paper",
            "y": pos,
            "yref": "y",
            "text": t("panels.ranking.omitted", lang, n=number(cnt, 0, lang)),
            "showarrow": False,
            "font": {"size": 12, "color": "#444444"},
        }
        for pos, cnt in zip(r.breaks, r.break_counts, strict=True)
    ]
    if r.selected_index is not None and not show_names:  # with names the tick label is bold
        i = r.selected_index
        annotations.append(
            {
                "x": float(r.x[i]),
                "y": int(r.position[i]),
                "text": f"<b>{r.names[i]}</b>",
                "showarrow": True,
                "arrowhead": 2,
                "ax": 40,
                "ay": -28 if r.position[i] > 1 else 28,
                "bgcolor": "rgba(255,255,255,0.9)",
                "bordercolor": SELECTED_OUTLINE,
                "font": {"size": 13},
            }
        )
    title_text = wrap_lines(title, 36) + (f"<br><sup>{note}</sup>" if note else "")
    title_lines = title_text.count("<br>") + 1
    x_range = None
    if bars and not r.has_ci:  # room for the value labels outside the bars, on either side
        lo, hi = min(0.0, float(np.nanmin(r.x))), max(0.0, float(np.nanmax(r.x)))
        pad = 0.2 * ((hi - lo) or 1.0)
        x_range = [lo - pad if lo < 0 else lo, hi + pad if hi > 0 else hi]
    position_title = (
        t("panels.ranking.position_best", lang)
        if r.best_first
        else t("panels.ranking.position_highest", lang)
    )
    layout = dict(
        title={
            "text": title_text,
            "font": {"size": 13},
            "x": 0,
            "xanchor": "left",
        },
        separators=plotly_separators(lang),
        xaxis={
            "title": {"text": kind.x_title(view, lang)},
            "range": x_range,
            "zeroline": kind.zeroline,
            "gridcolor": "#e5e5e5",
            "automargin": True,
        },
        yaxis={
            "title": {"text": "" if show_names else position_title},
            "autorange": "reversed",
            "tickmode": "array",
            "tickvals": tickvals,
            "ticktext": ticktext,
            "automargin": True,
            "showgrid": False,
            "zeroline": False,
            "tickfont": {"size": 12},
        },
        annotations=annotations,
        margin={"l": 8, "r": 56 if bars else 24, "t": 24 + 18 * title_lines, "b": 40},
        height=max(220, ROW_PX * r.rows + 110) if show_names else None,
        plot_bgcolor="white",
        hoverlabel={"font": {"size": 14}},
        hovermode="closest",
        bargap=0.25,
    )
    return FigureDict(data=traces, layout=layout)


# --------------------------------------------------------------------------------------------
# Summary cards


def _text_colour(colour: str) -> str:
    """Black or white text, whichever reads better on ``colour`` ("#rrggbb" or "rgb(r,g,b)")."""
    c = colour.strip()
    if c.startswith("#") and len(c) == 7:
        rgb = [int(c[i : i + 2], 16) for i in (1, 3, 5)]
    elif c.startswith("rgb"):
        rgb = [float(v) for v in c[c.index("(") + 1 : c.index(")")].split(",")[:3]]
    else:
        return "#000000"
    lum = [
        (v / 255) / 12.92 if v / 255 <= 0.03928 else ((v / 255 + 0.055) / 1.055) ** 2.4 for v in rgb
    ]
    y = 0.2126 * lum[0] + 0.7152 * lum[1] + 0.0722 * lum[2]
    return "#000000" if y > 0.179 else "#ffffff"


def _stacked_bar(parts: list[tuple[str, str, float]], caption: str, lang: str) -> html.Div:
    """A 100 % bar of divs: (label, colour, share) per part; shares of 8 % or more carry their
    percentage as text, every part its label as a tooltip. Decorative: the list beside it says
    the same in words, so the bar is hidden from screen readers."""
    segs = []
    for text, colour, share in parts:
        if not (share > 0):
            continue
        pct = share * 100
        segs.append(
            html.Div(
                f"{pct:.0f} %" if pct >= 8 else "",
                title=f"{text}: {number(pct, 1, lang)} %",
                style={
                    "width": f"{pct:.3f}%",
                    "backgroundColor": colour,
                    "color": _text_colour(colour),
                    "fontSize": ".8rem",
                    "textAlign": "center",
                    "lineHeight": "1.5rem",
                    "overflow": "hidden",
                    "whiteSpace": "nowrap",
                    "borderRight": "1px solid #fff",
                },
            )
        )
    return html.Div(
        [
            html.Div(caption, className="small fw-semibold"),
            html.Div(
                segs,
                style={
                    "display": "flex",
                    "height": "1.5rem",
                    "border": "1px solid #666",
                    "borderRadius": ".2rem",
                    "overflow": "hidden",
                },
                **{"aria-hidden": "true"},
            ),
        ],
        className="mb-2",
    )


def _card(title: str, body: list, **kw) -> dbc.Card:
    return dbc.Card(
        [dbc.CardHeader(html.H3(title, className="h6 mb-0")), dbc.CardBody(body, className="p-2")],
        className="mb-2",
        **kw,
    )


def _unit_suffix(value: float, unit: str) -> str:
    return f" {unit}" if value is not None and math.isfinite(value) else ""


def _pct(share: float, lang: str) -> str:
    return number(share * 100 if math.isfinite(share) else None, 0, lang)


def summary_cards(s: Summary, view: ViewData, lang: str) -> html.Div:
    """Cards: the scope's average (units counted / missing), the national reference, the status
    shares (units and population, as bars with text and as a list) and the Gini with its trend."""
    unit = view.unit_label
    year = s.year
    title_key = {
        "published": "panels.summary.value_title_published",
        "producer_weights": "panels.summary.value_title_producer",
        "weighted": "panels.summary.value_title",
    }.get(s.basis, "panels.summary.value_title_simple")
    value_body = [
        html.P(
            [html.Strong(s.value_text, className="fs-4"), _unit_suffix(s.value, unit)],
            className="mb-1",
        )
    ]
    if s.basis == "published":
        value_body.append(
            html.P(
                t("panels.summary.published_note", lang, source=s.published_source),
                className="mb-0 small",
            )
        )
    else:
        value_body.append(
            html.P(
                t(
                    "panels.summary.units_counted",
                    lang,
                    counted=number(s.units_counted, 0, lang),
                    units=number(s.units, 0, lang),
                ),
                className="mb-1 small",
            )
        )
    if s.missing_names and s.basis != "published":
        names = ", ".join(s.missing_names[:MISSING_NAMES_SHOWN])
        extra = len(s.missing_names) - MISSING_NAMES_SHOWN
        if extra > 0:
            names += " " + t("panels.summary.and_more", lang, n=number(extra, 0, lang))
        value_body.append(
            html.P(t("panels.summary.units_missing", lang, names=names), className="mb-1 small")
        )
    if s.basis == "producer_weights":
        value_body.append(
            html.P(
                t("panels.summary.producer_note", lang, source=s.published_source),
                className="mb-0 small",
            )
        )
    elif s.basis == "unweighted":
        value_body.append(html.P(t("panels.summary.no_population", lang), className="mb-0 small"))
    elif s.basis == "weighted" and s.population_year is not None:
        value_body.append(
            html.P(
                t("panels.summary.population_year", lang, year=s.population_year),
                className="mb-0 small text-muted",
            )
        )
    # every number carries its source and year (the year is in the card's title)
    value_body.append(
        html.P(f"{t('common.source', lang)}: {view.source}", className="mb-0 small text-muted")
    )
    cards = [_card(t(title_key, lang, scope=s.scope_name, year=year), value_body)]

    if s.national_year is not None:
        # a caution only where the national figure comes from another source than the map's
        same = s.national_source == view.source
        caution = "" if same else " " + t("panels.summary.national_note", lang)
        when = (
            t("panels.summary.national_year", lang, year=s.national_year)
            if s.national_year == year
            else t("panels.summary.national_other_year", lang, year=s.national_year, wanted=year)
        )
        nat_body = [
            html.P(
                [
                    html.Strong(s.national_text, className="fs-5"),
                    _unit_suffix(s.national_value, unit),
                ],
                className="mb-1",
            ),
            html.P(when, className="mb-1 small"),
            html.P(
                f"{t('common.source', lang)}: {s.national_source}.{caution}",
                className="mb-0 small text-muted",
            ),
        ]
    else:
        nat_body = [html.P(t("panels.summary.national_none", lang), className="mb-0 small")]
    if view.state.level != "country":  # the six-country map already shows national values
        cards.append(
            _card(t("panels.summary.national_title", lang, country=s.country_name), nat_body)
        )

    if s.statuses:
        has_pop = any(math.isfinite(x.population_share) for x in s.statuses)
        bars = [
            _stacked_bar(
                [(x.label, x.colour, x.unit_share) for x in s.statuses],
                t("panels.summary.status_units", lang),
                lang,
            )
        ]
        if has_pop:
            bars.append(
                _stacked_bar(
                    [(x.label, x.colour, x.population_share) for x in s.statuses],
                    t("panels.summary.status_population", lang),
                    lang,
                )
            )
        items = []
        for x in s.statuses:
            key = "panels.summary.status_item" if has_pop else "panels.summary.status_item_units"
            items.append(
                html.Li(
                    [
                        html.Span(
                            className="swatch me-1",
                            style={"backgroundColor": x.colour},
                            **{"aria-hidden": "true"},
                        ),
                        t(
                            key,
                            lang,
                            label=x.label,
                            units=number(x.units, 0, lang),
                            unit_share=_pct(x.unit_share, lang),
                            pop_share=_pct(x.population_share, lang),
                        ),
                    ],
                    className="small",
                )
            )
        cards.append(
            _card(
                t("panels.summary.status_title", lang, scope=s.scope_name),
                [*bars, html.Ul(items, className="list-unstyled mb-0")],
            )
        )

    gini_key = "panels.summary.gini" if s.weighted else "panels.summary.gini_simple"
    ineq = [
        html.P(
            html.Strong(t(gini_key, lang, year=year, gini=_fmt(s.gini, 2, lang))),
            className="mb-1",
        ),
        html.P(t("panels.summary.gini_help", lang), className="mb-1 small text-muted"),
    ]
    finite = [(y, g) for y, g in s.gini_trend if math.isfinite(g)]
    if s.gini_direction:
        ineq.append(
            html.P(
                t(
                    f"panels.summary.trend_{s.gini_direction}",
                    lang,
                    first=finite[0][0],
                    last=finite[-1][0],
                ),
                className="mb-1",
            )
        )
        ineq.append(
            html.P(
                t(
                    "panels.summary.trend_balanced"
                    if s.gini_balanced
                    else "panels.summary.trend_unbalanced",
                    lang,
                    n=number(s.gini_units, 0, lang),
                ),
                className="mb-0 small",
            )
        )
        ineq.append(
            html.Ul(
                [html.Li(f"{y}: {_fmt(g, 2, lang)}") for y, g in finite],
                className="mb-0 small gini-trend",
            )
        )
    else:
        ineq.append(html.P(t("panels.summary.trend_none", lang), className="mb-0 small"))
    cards.append(_card(t("panels.summary.inequality_title", lang), ineq))
    return html.Div(cards, className="summary-cards")


# --------------------------------------------------------------------------------------------
# Selected unit


def _pace(d: UnitDetail, view: ViewData, lang: str) -> list[str]:
    """Sentences on the observed and the required pace, and when the target is (or would be) met;
    none without a baseline and a later value (:func:`atlas.place.pace`)."""
    if d.status == "achieved":
        if d.year_reached is None:
            return []
        return [t("panels.unit.achieved", lang, year=int(d.year_reached))]
    if d.pace is None:
        return []
    observed, required = pace_texts(d.pace, view.indicator, view.unit_label, lang)
    out = [observed]
    if required is not None:
        out.append(required)
    elif d.latest_year is not None and d.deadline is not None and d.latest_year >= d.deadline:
        out.append(t("panels.unit.deadline_passed", lang, deadline=d.deadline))
    if d.year_reached is not None:
        out.append(t("panels.unit.projected", lang, year=int(math.ceil(d.year_reached))))
    elif d.status not in (None, "insufficient_data"):
        out.append(t("panels.unit.never", lang))
    return out


def _rank_text(r: Rank | None, scope: str, lang: str, short: bool = False) -> str:
    if r is None or not scope:
        return ""
    key = "panels.place.rank"
    if r.low < r.high:
        key = "panels.place.rank_tied_short" if short else "panels.place.rank_tied"
    return t(
        key,
        lang,
        rank=number(r.rank, 0, lang),
        of=number(r.of, 0, lang),
        scope=scope,
        low=number(r.low, 0, lang),
        high=number(r.high, 0, lang),
    )


def answer_lines(
    a: GoalAnswer, lang: str, *, named: bool = True, source: bool = True, short: bool = False
) -> list:
    """One indicator's answer (:class:`atlas.place.GoalAnswer`) as lines: the status light and
    text, the latest value against the target, the flag, the observed and required pace, the year
    the target is (or would be) reached, the ranks and the source. The map's unit panel and the
    unit's report show the same lines (the report names the indicator and lists the sources
    itself: ``named`` and ``source`` False; its tied ranks are ``short``)."""
    value = t("panels.place.latest", lang, year=a.latest_year, value=a.latest_text, unit="")
    if a.target_text and a.deadline is not None:
        value += " · " + t(
            "panels.place.against", lang, target=a.target_text, unit="", deadline=a.deadline
        )
    lines = [
        html.Div(
            [
                html.Span(className="status-light", style={"background": a.colour}),
                html.Strong(a.status_text, className="status-text"),
            ],
            className="d-flex align-items-center gap-2",
        ),
        html.P(
            f"{a.indicator_label} ({a.unit_label}), {value}" if named else value, className="mb-0"
        ),
    ]
    if a.flag:
        lines.append(html.P(t("panels.place.not_ranked", lang), className="mb-0 flag-note"))
    for text in (a.observed_text, a.required_text):
        if text:
            lines.append(html.P(text, className="mb-0"))
    if a.achieved and a.year_reached is not None:
        lines.append(html.P(t("panels.place.reached", lang, year=a.year_reached), className="mb-0"))
    elif a.year_reached is not None:
        lines.append(
            html.P(t("panels.place.projected", lang, year=a.year_reached), className="mb-0")
        )
    elif a.status in ("on_track", "must_accelerate", "stagnation_regression"):
        lines.append(html.P(t("panels.place.never", lang), className="mb-0"))
    ranks = [
        _rank_text(a.rank_state, a.admin1_name, lang, short),
        _rank_text(a.rank_country, a.country_name, lang, short),
    ]
    ranks = [r for r in ranks if r]
    if ranks:
        lines.append(html.P("; ".join(ranks) + ".", className="mb-0 small"))
    if source:
        lines.append(
            html.P(
                t("panels.place.source", lang, source=a.source), className="mb-0 small text-muted"
            )
        )
    return lines


def place_answers(answers: list[GoalAnswer], name: str, framework: str, lang: str) -> html.Section:
    """The answer per MDG goal at the top of the unit panel (:func:`atlas.place.place_answers`):
    a status light (colour and text), the latest value against the target, the observed and the
    required pace, the year the target is (or would be) reached and the ranks."""
    items = []
    for a in answers:
        lines = answer_lines(a, lang)
        items.append(
            html.Li(
                [html.H4(a.goal_label, className="h6 mb-1"), *lines],
                className=f"place-answer status-{a.status}",
                **{"data-indicator": a.indicator},
            )
        )
    head = [
        html.H3(t("panels.place.title", lang, name=name), className="h6 mb-0"),
        html.P(
            t("panels.place.framework", lang, framework=t(f"target.framework.{framework}", lang)),
            className="small text-muted mb-1",
        ),
    ]
    body = (
        html.Ul(items, className="list-unstyled mb-2")
        if items
        else html.P(t("panels.place.none", lang), className="mb-2")
    )
    return html.Section([*head, body], id=ids.PLACE_ANSWERS, className="place-answers")


#: The links of a panel rendered without the app's URL builder (served at /).
DEFAULT_URLS = URLs(default_lang=DEFAULT_LANG)


def unit_panel(
    d: UnitDetail | None,
    view: ViewData | None,
    lang: str,
    urls: URLs = DEFAULT_URLS,
    answers: list[GoalAnswer] | None = None,
) -> html.Div:
    """The selected unit's side panel, or a hint on how to select one (``d`` None). ``view`` may
    be None only with ``d`` None. ``answers`` (the place's answer per goal) go at its top."""
    if d is None or view is None:
        return html.Div(
            html.P(t("panels.unit.placeholder", lang), className="text-muted mb-0"),
            className="unit-placeholder",
        )
    unit = view.unit_label
    ind_name = label(view.indicator.label, lang)
    place = ", ".join(
        p for p in (d.admin1_name if d.admin1_name != d.name else "", d.country_name) if p
    )
    body: list = [
        html.P(t("panels.unit.label", lang), className="small text-muted mb-0"),
        html.H2(d.name, className="h5 mb-0"),
        html.P(place, className="mb-2"),
        *(
            [place_answers(answers, d.name, view.state.framework, lang)]
            if answers is not None
            else []
        ),
        html.P(t("panels.unit.value", lang, indicator=ind_name, year=d.year), className="mb-0"),
        html.P(
            [html.Strong(d.value_text, className="fs-4"), _unit_suffix(d.value, unit)],
            className="mb-1",
        ),
        html.P(f"{t('common.source', lang)}: {d.source}.", className="small text-muted mb-2"),
    ]
    if d.basis_text:
        body.append(html.P(d.basis_text, className="small text-muted mb-2 unit-basis"))
    if d.flag_text:
        body.append(html.P(d.flag_text, className="small flag-note mb-2", role="note"))
    if d.national_years:
        yrs = d.national_years
        j = min(range(len(yrs)), key=lambda k: (abs(yrs[k] - d.year), yrs[k]))
        body.append(
            html.P(
                t(
                    "panels.unit.national",
                    lang,
                    year=yrs[j],
                    value=_fmt(d.national_values[j], view.indicator.decimals, lang),
                    unit=unit,
                    source=d.national_source,
                ),
                className="small mb-2",
            )
        )
    if d.status is not None:
        dec = view.indicator.decimals
        if d.target_value is not None and d.deadline is not None:
            body.append(
                html.P(
                    t(
                        "panels.unit.target",
                        lang,
                        deadline=d.deadline,
                        target=_fmt(d.target_value, dec, lang),
                        unit=unit,
                        baseline=_fmt(d.baseline_value, dec, lang),
                        baseline_year=d.baseline_year if d.baseline_year is not None else "—",
                    ),
                    className="mb-1",
                )
            )
        else:
            body.append(html.P(t("panels.unit.no_target", lang), className="mb-1"))
        body.append(
            html.P(
                html.Strong(t("panels.unit.status", lang, status=d.status_text)), className="mb-1"
            )
        )
        body.extend(html.P(s, className="mb-1") for s in _pace(d, view, lang))
        if d.scale == "parity_ratio":
            body.append(html.P(t("panels.unit.parity_scale", lang), className="small text-muted"))
    body.append(
        html.A(
            t("panels.unit.profile", lang, name=d.name),
            href=urls.unit(d.unit_id, lang),
            className="d-inline-block mt-1",
        )
    )
    compare = CompareQuery((d.unit_id,), (view.indicator.id,), lang=lang)
    body.append(
        html.A(
            t("compare.link", lang),
            href=urls.compare(compare),
            className="d-inline-block mt-1 ms-3 unit-compare-link",
        )
    )
    return html.Div(body, className="unit-detail")


# --------------------------------------------------------------------------------------------
# Data table


def data_table(
    view: ViewData, lang: str, page: int = 0, page_size: int = 50, admin1: str = ""
) -> html.Div:
    """One page of an accessible table of every unit of the view (filtered to ``admin1``), in the
    ranking's order, units without data last.

    Columns: rank, name (a row header), admin-1, value in the year (with its interval where the
    source gives one), then the view's own columns (:meth:`atlas.views.MapView.table_columns`:
    the change; target, distance to target and status), and the reason of each flagged value
    when the view has any (:mod:`atlas.flags`). Under it, "page x of y" and two buttons with pattern-matching ids
    ``{"type": "table-page", "dir": "prev"}`` and ``{"type": "table-page", "dir": "next"}``
    (disabled at the ends), whose ``value`` is the page they go to; ``page`` (0-based) is clamped
    to the pages there are, so after a filter leaves fewer pages "previous" goes back at once.
    """
    order, ranks = table_order(view, admin1)
    n = len(order)
    pages = max(1, math.ceil(n / page_size))
    page = min(max(0, int(page or 0)), pages - 1)
    rows_idx = order[page * page_size : (page + 1) * page_size]
    row_ranks = ranks[page * page_size : (page + 1) * page_size]

    head = table_head(view, lang)
    heads, numeric, extra = head.heads, head.numeric, head.extra
    layer = view.layer
    rows = []
    for i, k in zip(rows_idx.tolist(), row_ranks.tolist(), strict=True):
        cells = [
            html.Td(number(k, 0, lang) if k else "—", className="text-end"),
            html.Th(str(layer.names[i]), scope="row", className="fw-normal"),
            html.Td(str(layer.admin1_names[i] or "")),
            html.Td(view.value_text[i], className="text-end"),
            *(
                html.Td(c.cell(i), **({"className": "text-end"} if c.numeric else {}))
                for c in extra
            ),
        ]
        rows.append(html.Tr(cells))

    n_ranked = int((ranks > 0).sum())
    # "best first" where the view has a normative order, else "highest first"
    best = view.kind.sort_keys(view)[1]
    caption_key = "panels.table.caption" if best else "panels.table.caption_highest"
    caption = t(caption_key, lang, title=view.title, n=number(n_ranked, 0, lang))
    table = html.Table(
        [
            html.Caption(caption),
            html.Thead(
                html.Tr(
                    [
                        html.Th(h, scope="col", className="text-end" if num else "")
                        for h, num in zip(heads, numeric, strict=True)
                    ]
                )
            ),
            html.Tbody(rows),
        ],
        className="table table-sm table-striped table-hover",
    )
    pager = html.Nav(
        [
            dbc.Button(
                t("panels.table.prev", lang),
                id={"type": PAGE_BUTTON, "dir": "prev"},
                value=str(max(0, page - 1)),
                disabled=page == 0,
                color="secondary",
                outline=True,
                size="sm",
            ),
            html.Span(
                t("panels.table.page", lang, page=page + 1, pages=pages),
                className="mx-2",
                **{"aria-live": "polite"},
            ),
            dbc.Button(
                t("panels.table.next", lang),
                id={"type": PAGE_BUTTON, "dir": "next"},
                value=str(min(pages - 1, page + 1)),
                disabled=page >= pages - 1,
                color="secondary",
                outline=True,
                size="sm",
            ),
        ],
        className="d-flex align-items-center my-2",
        **{"aria-label": t("panels.table.pages", lang)},
    )
    content = [table] if n else [html.P(t("panels.table.empty", lang))]
    return html.Div([*content, pager], className="data-table")

"""Plotly figures built from atlas view objects (no data work here).

The choropleth has five traces, all drawing geometry fetched once from a static URL:
0. the units, coloured by class (integer z on a stepped colour scale; 0 = no data);
1. admin-1 outlines over municipalities (no fill, no hover);
2. the selected unit's outline;
3. and 4. the layers a reader lays over the official one (contributed values, experiences:
   layouts/overlays.py), empty when switched off.
A change of indicator, year, view, classification or selection patches trace 0's values and
colours and trace 2's location (:func:`choropleth_patch`), and traces 3 and 4 when a layer is
on or was switched; only a change of country or level sends a new figure, whose geometry is
again just a URL.
"""

from __future__ import annotations

import math
import textwrap

import numpy as np
import plotly.graph_objects as go
from dash import Patch

from atlas.classify import stepped_colorscale
from atlas.i18n import plotly_locale, plotly_separators, t
from atlas.views import ViewData

#: The toolbar buttons the atlas leaves out: plotly's "share" uploads to an outside cloud service
#: and its image is the bare chart without title, legend or source (the map's download menu,
#: layouts/map_page.py export_menu, gives both with them); box and lasso selection select
#: nothing the atlas acts on (a unit is chosen by a click or by name).
REMOVED_BUTTONS = ["toImage", "sendChartToCloud", "select2d", "lasso2d"]


def graph_config(lang: str, *, toolbar: bool = True, scroll_zoom: bool = False) -> dict:
    """A ``dcc.Graph`` config: the toolbar's tooltips and plotly's notices in the reader's
    language (plotly's locale, loaded on demand by the bundle), without plotly's logo, cloud
    share or bare image. ``scroll_zoom`` lets the wheel zoom (the map's wheel handling,
    assets/atlas.js, decides when it reaches the map)."""
    config = {
        "locale": plotly_locale(lang),
        "displaylogo": False,
        "responsive": True,
        "scrollZoom": scroll_zoom,
    }
    if toolbar:
        config |= {"showSendToCloud": False, "modeBarButtonsToRemove": REMOVED_BUTTONS}
    else:
        config["displayModeBar"] = False
    return config


# "white-bg" needs no tile server (works offline and behind firewalls); ATLAS_MAP_STYLE overrides.
MAP_STYLE = "white-bg"
TRANSPARENT = [[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]]


def view_for_bounds(bounds: list[float]) -> tuple[dict[str, float], float]:
    """Centre and a zoom that fits the bounding box in a map about 700 px wide."""
    minx, miny, maxx, maxy = bounds
    span = max(maxx - minx, (maxy - miny) * 1.3, 1e-3)
    zoom = max(0.0, min(12.0, math.log2(360.0 / span) + 0.2))
    return {"lon": (minx + maxx) / 2, "lat": (miny + maxy) / 2}, round(zoom, 2)


def fit_token(center: dict[str, float], zoom: float) -> str:
    """The name of a centre and zoom the server sets (``layout.meta.fit``): the browser fits
    each one to a narrow frame once (assets/atlas.js ``atlas.fit``), never the reader's own."""
    return f"{zoom}@{center['lon']:.5f},{center['lat']:.5f}"


def _hover_rows(view: ViewData) -> list[tuple[str, list[str], str]]:
    """The metric, then the view's own rows: (label, text per unit, unit suffix)."""
    kind = view.kind
    metric_unit = view.unit_label if kind.metric_is_value else ""
    return [
        (view.metric_label, view.metric_text, metric_unit),
        *kind.hover_rows(view, view.state.lang),
    ]


def _hovertemplate(view: ViewData, rows: list[tuple[str, list[str], str]]) -> str:
    lang = view.state.lang
    lines = [
        f"{name}: %{{customdata[{k}]}}" + (f" {unit}" if unit else "")
        for k, (name, _, unit) in enumerate(rows)
    ]
    lines.append(
        f"{t('common.year', lang)}: {view.state.year} · {t('common.source', lang)}: {view.source}"
    )
    # a flagged value's reason, on a line of its own (the last customdata column, "" if none)
    flag = f"%{{customdata[{len(rows)}]}}" if view.flag_text is not None else ""
    return "<b>%{text}</b><br>" + "<br>".join(lines) + flag + "<extra></extra>"


def _trace_values(view: ViewData) -> dict:
    rows = _hover_rows(view)
    texts = [texts for _, texts, _ in rows]
    if view.flag_text is not None:
        texts.append([f"<br>{wrap_lines(f)}" if f else "" for f in view.flag_text])
    return {
        "z": view.classes.tolist(),
        "zmin": -0.5,
        "zmax": len(view.colours) + 0.5,
        "colorscale": stepped_colorscale(view.colours),
        # a row of texts per unit, built from the columns in one numpy pass (a Python zip of
        # Brazil's 5,564 rows cost more than the rest of the map's values)
        "customdata": strings(texts).T,
        "hovertemplate": _hovertemplate(view, rows),
    }


def strings(values) -> np.ndarray:
    """Texts as a numpy string array, which plotly takes and copies in one piece (a list or an
    object array it walks element by element); the JSON is the same list of strings."""
    out = np.asarray(values, dtype=str)
    return out if out.size else np.asarray(values, dtype=object)


def wrap_lines(text: str, width: int = 60) -> str:
    """A long title or hover line broken at spaces into plotly lines (plotly does not wrap)."""
    return "<br>".join(textwrap.wrap(text, width)) or text


def _selected(view: ViewData, unit: str) -> list[str]:
    return [unit] if unit and unit in view.layer.index else []


class FigureDict(dict):
    """A figure as the plain dict Dash sends: built without plotly's graph objects, which check
    every element of a list and copy the figure twice (Brazil's map and ranking: about 30 ms of a
    first view). ``data`` and ``layout`` give plotly's checked objects, built on demand, for
    reading a figure (tests) rather than sending it."""

    @property
    def data(self):
        return go.Figure(self).data

    @property
    def layout(self):
        return go.Figure(self).layout


def _outline(geojson: str, locations: list[str], width: float, colour: str) -> dict:
    """Unfilled outlines of ``locations`` (admin-1 borders, the selected unit); no hover."""
    return {
        "type": "choroplethmap",
        "geojson": geojson,
        "featureidkey": "id",
        "locations": locations,
        "z": [0] * len(locations),
        "colorscale": TRANSPARENT,
        "showscale": False,
        "hoverinfo": "skip",
        "marker": {"line": {"width": width, "color": colour}},
        "name": "",
    }


#: The traces of the layers over the official one (layouts/overlays.py TRACES).
OVERLAY_TRACES = (3, 4)


def _overlay(geojson: str, values: dict | None) -> dict:
    """A layer over the official units (empty without ``values``): same geometry as trace 0."""
    return {
        "type": "choroplethmap",
        "geojson": geojson,
        "featureidkey": "id",
        "showscale": False,
        "name": "",
        "locations": [],
        "z": [],
        "colorscale": TRANSPARENT,
        **(values or {}),
    }


def choropleth(
    view: ViewData,
    geo_url: str,
    admin1_url: str | None,
    bounds: list[float],
    style: str = MAP_STYLE,
    overlays: dict[int, dict] | None = None,
) -> FigureDict:
    """The full figure for a country and level (geometry by URL). Trace 0 holds the values,
    trace 1 the admin-1 outlines, trace 2 the selection, traces 3 and 4 the layers over them
    (``overlays``: their values by trace, layouts/overlays.py); assets/atlas.js relies on this
    order when it swaps the level of detail."""
    layer = view.layer
    text = [
        f"{n}<br>{a}" if a and a != n else n
        for n, a in zip(layer.names, layer.admin1_names, strict=True)
    ]
    values = _trace_values(view)
    # strings as numpy string arrays, sent as lists of strings (a numeric array would travel as
    # base64, which compresses worse than digits)
    values["customdata"] = strings(values["customdata"])
    units = {
        "type": "choroplethmap",
        "geojson": geo_url,
        "featureidkey": "id",
        "locations": strings(layer.unit_ids),
        "text": strings(text),
        "showscale": False,
        "marker": {"line": {"width": 0.3, "color": "rgba(255,255,255,0.7)"}},
        "name": "",
        **values,
    }
    admin1_ids = sorted({f"{layer.country}{c}" for c in layer.admin1_codes}) if admin1_url else []
    traces = [
        units,
        _outline(admin1_url or geo_url, admin1_ids, 1.2, "#333"),
        _outline(geo_url, _selected(view, view.state.unit), 3.5, "#000"),
        *(_overlay(geo_url, (overlays or {}).get(i)) for i in OVERLAY_TRACES),
    ]
    center, zoom = view_for_bounds(bounds)
    layout = {
        "map": {"style": style, "center": center, "zoom": zoom},
        "meta": {"fit": fit_token(center, zoom)},
        "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
        "uirevision": view.layer.country + view.layer.level,  # zoom and centre survive updates
        "hoverlabel": {"font": {"size": 15}},
        "separators": plotly_separators(view.state.lang),
        "showlegend": False,
    }
    return FigureDict(data=traces, layout=layout)


def trace_values(view: ViewData) -> dict:
    """What a switch changes in the map's units trace: classes, colour scale, hover data."""
    return _trace_values(view)


def selection(view: ViewData) -> list[str]:
    """The selection trace's locations: the selected unit when the layer has it."""
    return _selected(view, view.state.unit)


def choropleth_patch(
    view: ViewData, values: dict | None = None, overlays: dict[int, dict] | None = None
) -> Patch:
    """Values, colours and selection only: no geometry, no names (``values``: the
    :func:`trace_values` already built); and the layers over them when ``overlays`` gives
    their values by trace."""
    patch = Patch()
    for key, value in (values or _trace_values(view)).items():
        patch["data"][0][key] = value
    sel = _selected(view, view.state.unit)
    patch["data"][2]["locations"] = sel
    patch["data"][2]["z"] = [0] * len(sel)
    for i, props in (overlays or {}).items():
        for key, value in props.items():
            patch["data"][i][key] = value
    return patch


def empty_figure(message: str, **layout) -> go.Figure:
    """A figure that only says ``message`` (no data to draw); ``layout`` adds to its layout."""
    fig = go.Figure()
    fig.update_layout(
        xaxis={"visible": False},
        yaxis={"visible": False},
        annotations=[{"text": message, "showarrow": False, "font": {"size": 16}}],
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        **layout,
    )
    return fig

"""Plotly figures built from atlas view objects (no data work here)."""

from __future__ import annotations

import plotly.graph_objects as go

from atlas.mapview import MapView

# "white-bg" needs no tile server (works offline and behind firewalls); ATLAS_MAP_STYLE overrides.
MAP_STYLE = "white-bg"


def choropleth(view: MapView, style: str = MAP_STYLE) -> go.Figure:
    """One trace, integer classes on a stepped colour scale (0 = no data); geometry by URL."""
    fig = go.Figure(
        go.Choroplethmap(
            geojson=view.geo_url,
            featureidkey="id",
            locations=view.unit_ids,
            z=view.z,
            zmin=-0.5,
            zmax=view.zmax + 0.5,
            colorscale=view.colorscale,
            showscale=False,
            customdata=view.customdata,
            hovertemplate=view.hovertemplate,
            marker={"line": {"width": 0.3, "color": "rgba(255,255,255,0.6)"}},
        )
    )
    fig.update_layout(
        map={"style": style, "center": view.center, "zoom": view.zoom},
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        uirevision=view.geo_url,
        hoverlabel={"font": {"size": 14}},
    )
    return fig


def empty_map(message: str) -> go.Figure:
    fig = go.Figure()
    fig.update_layout(
        xaxis={"visible": False},
        yaxis={"visible": False},
        annotations=[{"text": message, "showarrow": False, "font": {"size": 16}}],
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
    )
    return fig

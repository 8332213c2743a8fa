"""The naive baseline of the issue: px.choropleth_map with Brazil's municipal GeoJSON inline
and the whole figure returned by every callback. Built only for comparison in bench/measure.py."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import plotly.express as px
from dash import Dash, Input, Output, dcc, html


def create_naive_app(store_dir: Path, country: str = "BRA") -> Dash:
    units = gpd.read_parquet(store_dir / "units.parquet")
    layer = units[(units["country"] == country) & (units["level"] == "municipality")]
    geojson = json.loads(layer[["unit_id", "geometry"]].to_json())  # full detail, as naive apps do
    obs = pd.read_parquet(store_dir / "observations.parquet")
    obs = obs[obs["unit_id"].isin(set(layer["unit_id"]))].merge(
        layer[["unit_id", "name", "admin1_name"]], on="unit_id"
    )
    indicators = sorted(obs["indicator_id"].unique())
    app = Dash(__name__, compress=True)
    app.layout = html.Div(
        [
            dcc.Dropdown(id="indicator", options=indicators, value="infant_mortality"),
            dcc.Dropdown(id="year", options=[1991, 2000, 2010], value=2010),
            dcc.Graph(id="map"),
        ]
    )

    @app.callback(Output("map", "figure"), Input("indicator", "value"), Input("year", "value"))
    def update(indicator, year):
        df = obs[(obs["indicator_id"] == indicator) & (obs["year"] == year)]
        return px.choropleth_map(
            df,
            geojson=geojson,
            locations="unit_id",
            featureidkey="properties.unit_id",
            color="value",
            hover_name="name",
            hover_data=["admin1_name", "year", "source_id"],
            map_style="white-bg",
            center={"lat": -14, "lon": -52},
            zoom=3,
        )

    return app

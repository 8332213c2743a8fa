"""The share menu follows the view: each time the map's view callback writes the view's query
(``ids.SHOWN``), the page's address, the embed snippet, the social links and the document's
title are rebuilt in the browser (``atlas.share`` in assets/atlas.js): no request to the server."""

from __future__ import annotations

from dash import ClientsideFunction, Dash, Input, Output

from layouts import ids
from layouts.share import NETWORKS


def register(app: Dash, ctx) -> None:
    app.clientside_callback(
        ClientsideFunction("atlas", "share"),
        Output(ids.SHARE_URL, "value"),
        Output(ids.SHARE_EMBED, "value"),
        *(Output(cid, "href") for _, cid in NETWORKS),
        Output(ids.SHARE_EMAIL, "href"),
        Input(ids.SHOWN, "data"),
        Input(ids.MAP_TITLE, "children"),
    )

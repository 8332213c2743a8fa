"""Callback requests as the browser sends them, for tests that post them by hand."""

from __future__ import annotations


def router_body(pathname: str, search: str = "") -> dict:
    """The router callback's request (callbacks/router.py) for the address ``pathname`` +
    ``search``, as its gate in the browser (assets/atlas.js, ``atlas.route``) passes it on."""
    return {
        "output": "..page.children...lang-store.data..",
        "outputs": [
            {"id": "page", "property": "children"},
            {"id": "lang-store", "property": "data"},
        ],
        "inputs": [{"id": "page-route", "property": "data", "value": pathname + search}],
        "changedPropIds": ["page-route.data"],
    }

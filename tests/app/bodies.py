"""Callback requests as the browser sends them, for tests that post them by hand."""

from __future__ import annotations


def router_body(pathname: str, search: str = "", rendered: str | None = None) -> dict:
    """The router callback's request (callbacks/router.py) for the address ``pathname`` +
    ``search``; ``rendered`` is the address whose page came with the layout (app.first_layout)."""
    return {
        "output": "..page.children...lang-store.data...page-rendered.data..",
        "outputs": [
            {"id": "page", "property": "children"},
            {"id": "lang-store", "property": "data"},
            {"id": "page-rendered", "property": "data"},
        ],
        "inputs": [{"id": "url", "property": "pathname", "value": pathname}],
        "state": [
            {"id": "url", "property": "search", "value": search},
            {"id": "page-rendered", "property": "data", "value": rendered},
        ],
        "changedPropIds": ["url.pathname"],
    }

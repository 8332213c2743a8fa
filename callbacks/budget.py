"""Every request the app answers runs under the CPU budget of :mod:`atlas.budget`: Dash's
callbacks (named by their outputs), the pages, the exports, the API and the files alike.

One Flask hook around each request rather than a wrapper per callback, so that a callback or
route added later is watched without anyone remembering to. What the log shows of a request is
cut to :data:`atlas.budget.MAX_LOGGED` characters.
"""

from __future__ import annotations

import flask
from dash import Dash

from atlas import budget

#: Dash's callback endpoint (under the URL prefix): its requests are named by their outputs.
DASH_UPDATE = "_dash-update-component"


def register(app: Dash, ctx) -> None:
    server = app.server

    @server.before_request
    def _start_watch():
        flask.g.budget_watch = budget.Watch(flask.request.path)

    @server.teardown_request
    def _end_watch(_exc):
        watch = flask.g.pop("budget_watch", None)
        if watch is not None:
            watch.spent.name, watch.query = describe(flask.request)
            watch.stop()


def describe(req: flask.Request) -> tuple[str, str]:
    """(name, query) of a request for the budget's log: a callback's outputs and its inputs'
    values, else the method, the path and the query string. The callback's body is the one Dash
    parsed (Flask keeps it); a value is shown by its first characters or its size only."""
    if req.path.endswith(DASH_UPDATE) and req.method == "POST":
        try:
            body = req.get_json(silent=True)
        except Exception:  # a body nested too deep for the parser: Dash has answered it already
            body = None
        if not isinstance(body, dict):
            return "callback ?", ""
        output = body.get("output")
        name = f"callback {output if isinstance(output, str) else '?'}"
        return name, _inputs(body)
    query = req.query_string[: budget.MAX_LOGGED + 1].decode("utf-8", "replace")
    return f"{req.method} {req.path}", query


def _inputs(body: dict) -> str:
    """``id.property=value`` of the callback's inputs and states, each value cut short, until
    the log's length is reached."""
    parts, length = [], 0
    for item in [*_list(body.get("inputs")), *_list(body.get("state"))]:
        if not isinstance(item, dict):
            continue
        part = (
            f"{_brief(item.get('id'))}.{_brief(item.get('property'))}={_brief(item.get('value'))}"
        )
        parts.append(part)
        length += len(part) + 1
        if length > budget.MAX_LOGGED:
            break
    return " ".join(parts)


def _list(value) -> list:
    return value if isinstance(value, list) else []


def _brief(value) -> str:
    if isinstance(value, str):
        return value[:60]
    if value is None or isinstance(value, bool | int | float):
        return str(value)[:30]
    if isinstance(value, list | dict):
        return f"<{type(value).__name__} of {len(value)}>"
    return f"<{type(value).__name__}>"

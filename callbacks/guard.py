"""The boundary of the callback endpoint, and what reaches the logs.

Every POST to Dash's ``_dash-update-component`` is checked here before Dash reads it: a body that
is not a JSON object, nests deeper than any the page sends, names an unknown callback, or carries
inputs of the wrong shape or type answers 400 with one short line, and nothing is logged. The
callbacks behind it may then trust the types of their arguments (a string where a string is
expected, a value among the options of a control whose options never change); a value that
passes and still fails is a bug of ours, and keeps its 500 and its traceback.

The rules are derived once, at start-up, from the callbacks Dash registered and the app's
validation layout (component types, static options), with a few explicit ones for the stores
(:data:`DATA_KINDS`). tests/app/test_guard.py checks that every input of every server callback
has a rule.

Logs: :func:`cut` and :class:`TruncatingFilter` keep any string a client chooses (a path, a
query, a header) to :data:`LOG_FIELD` characters.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Callable, Mapping
from typing import Any

import flask
from dash.exceptions import DependencyException

#: The longest piece of a client's text that reaches a log line.
LOG_FIELD = 200
#: The largest request body the app accepts (Flask's MAX_CONTENT_LENGTH). The largest callback
#: body the page sends is 7.2 kB (the tour editor with ten slides of long notes, measured by
#: tests/browser/test_headers.py) and the API takes no bodies: 1 MiB leaves room for far larger
#: tours and refuses a flood unread.
MAX_BODY = 1024 * 1024
#: The deepest nesting of a real callback body (a component tree as State) is about 12.
MAX_DEPTH = 40
#: The longest string a control, a location or a search box sends.
MAX_TEXT = 4096

#: What a Dash component id + property may hold, by property, when nothing more precise is known.
PROPERTY_KINDS = {
    "n_clicks": "count",
    "pathname": "text",
    "search": "text",
    "hash": "text",
    "href": "text",
    "search_value": "text",
    "clickData": "object",
    "relayoutData": "object",
    "hoverData": "object",
    "is_open": "flag",
    "value": "scalar",
    "data": "any",
    "children": "any",
    "figure": "object",
    "id": "any",
}
#: Stores and inputs whose content the callbacks read as one type (the store's or the control's
#: id, or a pattern-matching id's ``type``).
DATA_KINDS = {
    ("selected-unit", "data"): "text",
    ("shown-search", "data"): "text",
    ("ranking-key", "data"): "text",
    ("lang-store", "data"): "text",
    ("page-route", "data"): "text",
    ("tour-store", "data"): "text",
    ("table-page", "data"): "count",
    ("slide-store", "data"): "count",
    ("present-store", "data"): "flag",
    ("breaks-input", "value"): "text",
    ("tour-title", "value"): "text",
    ("tour-note", "value"): "text",
    ("map-layers", "value"): "texts",
}
#: The most items a list of texts (a checklist's value) may hold.
MAX_ITEMS = 16


class BadPayload(ValueError):
    """A callback body the app refuses (400); the message is short and names no client text."""


def _is_count(v) -> bool:
    return v is None or (isinstance(v, int) and not isinstance(v, bool) and 0 <= v < 2**31)


def _is_text(v) -> bool:
    return v is None or (isinstance(v, str) and len(v) <= MAX_TEXT)


def _is_scalar(v) -> bool:
    if isinstance(v, float):
        return math.isfinite(v)
    return v is None or isinstance(v, bool | int) or _is_text(v)


CHECKS: dict[str, Callable[[Any], bool]] = {
    "count": _is_count,
    "text": _is_text,
    "scalar": _is_scalar,
    "flag": lambda v: v is None or isinstance(v, bool),
    "object": lambda v: v is None or isinstance(v, dict),
    "texts": lambda v: v is None
    or (
        isinstance(v, list)
        and len(v) <= MAX_ITEMS
        and all(isinstance(x, str) and _is_text(x) for x in v)
    ),
    "any": lambda v: True,
}


def depth(value) -> int:
    """How deeply ``value`` (parsed JSON) nests lists and objects, counted without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        node, d = stack.pop()
        if isinstance(node, dict):
            node = list(node.values())
        if isinstance(node, list):
            deepest = max(deepest, d)
            stack.extend((child, d + 1) for child in node)
    return deepest


def _key(cid) -> str:
    """A component id as Dash writes it in its dependency strings (dict ids as sorted JSON)."""
    if isinstance(cid, dict):
        return json.dumps(cid, sort_keys=True, separators=(",", ":"))
    return str(cid)


def _wildcard(cid) -> dict | None:
    """A pattern-matching id (its JSON string) as a dict, else None."""
    if isinstance(cid, str) and cid.startswith("{"):
        return json.loads(cid)
    return None


class Rules:
    """What each callback may be sent: built from Dash's registered callbacks and the components
    of the validation layout."""

    def __init__(self, callback_map: Mapping[str, dict], components: Mapping[str, Any]):
        self.callbacks = {
            output: (spec.get("inputs", []), spec.get("state", []), _output_count(output))
            for output, spec in callback_map.items()
        }
        self.components = dict(components)
        dynamic = {part for output in callback_map for part in _outputs(output)}
        #: values a control with options that no callback changes may hold
        self.allowed: dict[str, set] = {}
        for cid, comp in self.components.items():
            options = getattr(comp, "options", None)
            if isinstance(options, list) and f"{cid}.options" not in dynamic:
                if not getattr(comp, "multi", False):
                    self.allowed[cid] = {
                        o.get("value") if isinstance(o, dict) else o for o in options
                    }

    def kind(self, cid: str, prop: str) -> str:
        """The kind of ``cid``'s ``prop`` (``cid``: a plain id or a pattern's ``type``)."""
        if (cid, prop) in DATA_KINDS:
            return DATA_KINDS[cid, prop]
        comp = self.components.get(cid)
        if prop == "value" and comp is not None and getattr(comp, "multi", False):
            return "any"
        return PROPERTY_KINDS.get(prop, "any")

    def check_value(self, cid: str, prop: str, value) -> None:
        if not CHECKS[self.kind(cid, prop)](value):
            raise BadPayload(f"Wrong type for {cid}.{prop}.")
        allowed = self.allowed.get(cid)
        if prop == "value" and allowed is not None and value is not None and value not in allowed:
            raise BadPayload(f"Unknown value for {cid}.{prop}.")

    def check(self, body) -> None:
        """Raise :class:`BadPayload` unless ``body`` is a callback request the page could send."""
        if not isinstance(body, dict):
            raise BadPayload("The body is not a JSON object.")
        if depth(body) > MAX_DEPTH:
            raise BadPayload("The body nests too deeply.")
        output = body.get("output")
        if not isinstance(output, str) or output not in self.callbacks:
            raise BadPayload("Unknown callback.")
        inputs, states, n_outputs = self.callbacks[output]
        self._check_outputs(body.get("outputs"), n_outputs)
        for name, declared in (("inputs", inputs), ("state", states)):
            sent = body.get(name, [])
            if not isinstance(sent, list) or len(sent) != len(declared):
                raise BadPayload(f"The callback's {name} do not match it.")
            for dep, item in zip(declared, sent, strict=True):
                self._check_item(dep, item)
        changed = body.get("changedPropIds", [])
        if not isinstance(changed, list) or not all(
            isinstance(c, str) and len(c) <= MAX_TEXT for c in changed
        ):
            raise BadPayload("changedPropIds is not a list of names.")

    def _check_outputs(self, outputs, n_outputs: int) -> None:
        items = outputs if n_outputs > 1 else [outputs]
        if n_outputs > 1 and (not isinstance(outputs, list) or len(outputs) != n_outputs):
            raise BadPayload("The callback's outputs do not match it.")
        for item in items:
            for one in item if isinstance(item, list) else [item]:
                if not (
                    isinstance(one, dict)
                    and isinstance(one.get("id"), str | dict)
                    and isinstance(one.get("property"), str)
                ):
                    raise BadPayload("The callback's outputs do not match it.")

    def _check_item(self, dep: dict, item) -> None:
        pattern = _wildcard(dep["id"])
        prop = dep["property"]
        if pattern is None:
            if not isinstance(item, dict) or item.get("id") != dep["id"]:
                raise BadPayload("An input does not match the callback.")
            if item.get("property") != prop:
                raise BadPayload("An input does not match the callback.")
            self.check_value(dep["id"], prop, item.get("value"))
            return
        # pattern-matching (ALL): a list of the matching components' ids and values
        fixed = {k: v for k, v in pattern.items() if not isinstance(v, list)}
        if not isinstance(item, list) or len(item) > 200:
            raise BadPayload("An input does not match the callback.")
        for one in item:
            cid = one.get("id") if isinstance(one, dict) else None
            if not (
                isinstance(cid, dict)
                and set(cid) == set(pattern)
                and all(cid[k] == v for k, v in fixed.items())
                and all(isinstance(v, str | int) for v in cid.values())
                and one.get("property") == prop
            ):
                raise BadPayload("An input does not match the callback.")
            self.check_value(str(fixed.get("type", "")), prop, one.get("value"))


def _outputs(output: str) -> list[str]:
    """The ``id.property`` parts of a Dash output key (``..a.b...c.d..``, ``a.b@hash``)."""
    parts = output.strip(".").split("...") if output.startswith("..") else [output]
    return [p.split("@")[0] for p in parts]


def _output_count(output: str) -> int:
    return len(_outputs(output)) if output.startswith("..") else 1


def components(layout) -> dict[str, Any]:
    """The components of ``layout`` that have a plain (string) id."""
    found: dict[str, Any] = {}
    stack = [layout]
    while stack:
        node = stack.pop()
        if isinstance(node, list | tuple):
            stack.extend(node)
            continue
        if node is None or isinstance(node, str | int | float):
            continue
        cid = getattr(node, "id", None)
        if isinstance(cid, str):
            found[cid] = node
        stack.append(getattr(node, "children", None))
    return found


def allow_larger_body(server: flask.Flask, path: str, limit: int) -> None:
    """``path`` alone takes request bodies up to ``limit`` bytes (a form that carries files:
    the upload page, the e-network's submission); every other route keeps :data:`MAX_BODY`.
    (Werkzeug's ``max_form_memory_size`` bounds the multipart parser's buffer, file chunks
    included, so it is left at Flask's default.)"""

    @server.before_request
    def _larger_body() -> None:
        if flask.request.path == path:
            flask.request.max_content_length = limit


def guard_callbacks(app, endpoint: str) -> Rules:
    """Check each request to Dash's callback endpoint (``endpoint``: its Flask endpoint name)
    with :class:`Rules` before Dash reads it; call after every callback is registered."""
    rules = Rules(app.callback_map, components(app.validation_layout))
    dispatch = app.server.view_functions[endpoint]

    def guarded(*args, **kwargs):
        try:
            body = json.loads(flask.request.get_data(cache=True) or b"null")
            rules.check(body)
        except (ValueError, RecursionError) as exc:
            message = str(exc) if isinstance(exc, BadPayload) else "The body is not valid JSON."
            return flask.jsonify(error=message), 400
        return dispatch(*args, **kwargs)

    app.server.view_functions[endpoint] = guarded
    return rules


def guard_component_suites(app, endpoint: str) -> None:
    """Dash's scripts route raises (a 500, and a traceback quoting the request) for a package or
    file it does not serve; that is an unknown path: 404, nothing logged."""
    serve = app.server.view_functions[endpoint]

    def guarded(*args, **kwargs):
        try:
            return serve(*args, **kwargs)
        except DependencyException:
            flask.abort(404)

    app.server.view_functions[endpoint] = guarded


# -- logs ---------------------------------------------------------------------------------------


def cut(text, limit: int = LOG_FIELD) -> str:
    """``text`` as a string of at most ``limit`` characters, and how long it was when longer."""
    text = text if isinstance(text, str) else str(text)
    return text if len(text) <= limit else f"{text[:limit]}...[{len(text)} chars]"


class TruncatingFilter(logging.Filter):
    """Cuts each argument of a log record (and a message given without arguments, which may
    have been built from a client's text, such as Flask's ``Exception on <path>``) to
    :data:`LOG_FIELD` characters. A traceback is left whole: it is our code's."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, Mapping):
            record.args = {k: cut(v) if isinstance(v, str) else v for k, v in args.items()}
        elif args:
            record.args = tuple(
                cut(a) if isinstance(a, str | bytes | BaseException) else a for a in args
            )
        else:
            record.msg = cut(record.msg)
        return True


def install_log_truncation(*names: str) -> None:
    """Add :class:`TruncatingFilter` to the loggers ``names`` (once each)."""
    for name in names:
        logger = logging.getLogger(name)
        if not any(isinstance(f, TruncatingFilter) for f in logger.filters):
            logger.addFilter(TruncatingFilter())

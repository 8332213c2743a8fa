"""Back and Forward: the view follows the address the browser shows.

The view callback writes the state's query string to ``dcc.Location``'s ``search``; Dash 4's
Location then adds a history entry (``pushState``; it has no replace mode) and, on Back or
Forward (``popstate``), sets ``search`` to the entry's query string without a new page render
(the router listens to the path only). :func:`restore` turns that query string into the controls'
values, options and the selection, exactly as a fresh page for that link would have them.

No loop: the view also keeps the query string it wrote (``ids.SHOWN``); an address that reads as
that view (the one just written, or a hand-typed link to the same view) changes nothing. Only an
address of another view, i.e. one the browser went back or forward to, is applied.
"""

from __future__ import annotations

from dash import Dash, Input, Output, State
from dash.exceptions import PreventUpdate

from atlas import choices, urlstate
from atlas.urls import MAP
from callbacks.map import CONTROL_OUTPUTS, CONTROLS, control_outputs, control_values
from layouts import ids

#: What a restore sets besides what the view callback sets in the controls: the other controls'
#: values, the selection, the ranking's filters, the tab and large type. Every output is also set
#: by another callback, so all allow duplicates.
EXTRA_OUTPUTS = {
    **{
        name: Output(cid, "value", allow_duplicate=True)
        for name, cid in CONTROLS.items()
        if name not in CONTROL_OUTPUTS
    },
    "unit": Output(ids.SELECTED, "data", allow_duplicate=True),
    "admin1": Output(ids.ADMIN1, "value", allow_duplicate=True),
    "top": Output(ids.TOP, "value", allow_duplicate=True),
    "tab": Output(ids.TABS, "value", allow_duplicate=True),
    "big": Output(ids.BIG, "value", allow_duplicate=True),
    "present": Output(ids.PRESENT, "data", allow_duplicate=True),
    "tour": Output(ids.TOUR, "data", allow_duplicate=True),
    "slide": Output(ids.SLIDE, "data", allow_duplicate=True),
    "layers": Output(ids.LAYERS, "value", allow_duplicate=True),
}
RESTORE_OUTPUTS = {
    **{
        name: Output(o.component_id, o.component_property, allow_duplicate=True)
        for name, o in CONTROL_OUTPUTS.items()
    },
    **EXTRA_OUTPUTS,
}


def restore(app_ctx, pathname, search, shown) -> dict:
    """The controls and selection for the address ``search`` on the map page, by the names of
    :data:`RESTORE_OUTPUTS`; PreventUpdate when it is the view on screen (``shown``)."""
    if app_ctx.urls.route(pathname).name != MAP or not isinstance(search, str):
        raise PreventUpdate
    requested = urlstate.parse(search, app_ctx.default_state, set(app_ctx.store.countries()))
    state = choices.resolve(requested, app_ctx.store, app_ctx.catalog)
    if urlstate.serialise(state, app_ctx.default_state) == (shown or ""):
        raise PreventUpdate
    values = control_values(state)
    return {
        **control_outputs(app_ctx, requested),
        **{name: values[name] for name in CONTROLS if name not in CONTROL_OUTPUTS},
        "unit": state.unit,
        "admin1": state.admin1,
        "top": state.top,
        "tab": state.tab,
        "big": state.big,
        "present": state.present,
        "tour": state.tour,
        "slide": state.slide,
        "layers": list(state.layers),
    }


def register(app: Dash, app_ctx) -> None:
    @app.callback(
        output=RESTORE_OUTPUTS,
        inputs={"search": Input(ids.URL, "search")},
        state={"pathname": State(ids.URL, "pathname"), "shown": State(ids.SHOWN, "data")},
        prevent_initial_call=True,
    )
    def _restore(search, pathname, shown):
        return restore(app_ctx, pathname, search, shown)

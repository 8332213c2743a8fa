"""Presentation mode and workshop tours: entering and leaving, the high-contrast palette, the
answer card, the facilitator's tour panel and stepping through the slides.

Stepping writes the slide's address to the URL; callbacks/history.py then sets the controls
from it exactly as for Back and Forward, and the view follows. The tour itself is the ``tour``
URL parameter (:mod:`atlas.tour`), held on the page in ``ids.TOUR``.
"""

from __future__ import annotations

from dash import ALL, ClientsideFunction, Dash, Input, Output, State, no_update
from dash import ctx as dash_ctx
from dash.exceptions import PreventUpdate

from atlas import place, urlstate
from atlas import tour as tours
from atlas.i18n import lang_or_default
from atlas.tour import Slide, TourError
from layouts import ids, present

#: The buttons that step through a tour: the slide each goes to from slide ``k``.
STEPS = {
    ids.TOUR_PREV: lambda k: k - 1,
    ids.TOUR_NEXT: lambda k: k + 1,
    ids.TOUR_START: lambda k: 0,
}


def _state(app_ctx, search: str | None):
    return urlstate.parse(search, app_ctx.default_state, set(app_ctx.store.countries()))


def step(app_ctx, trigger: str | None, search: str | None) -> str:
    """The address of the slide a step button goes to from the view ``search`` shows, in
    presentation mode; PreventUpdate without a tour or past either end."""
    reader = _state(app_ctx, search)
    slides = tours.slides_or_empty(reader.tour)
    if trigger not in STEPS or not slides:
        raise PreventUpdate
    k = STEPS[trigger](reader.slide if reader.present else -1)
    if not 0 <= k < len(slides) or (trigger != ids.TOUR_START and not reader.present):
        raise PreventUpdate
    shown = tours.slide_state(
        reader.tour, k, reader, app_ctx.default_state, set(app_ctx.store.countries())
    )
    return urlstate.serialise(shown, app_ctx.default_state)


def edit(app_ctx, trigger, tour: str, search: str | None, title: str | None, titles, notes):
    """(tour, error text) after the facilitator's action: add the view shown (``search``) as a
    slide titled with the map's ``title``, move or remove a slide, or retitle and annotate."""
    lang = _state(app_ctx, search).lang
    slides = tours.slides_or_empty(tour or "")
    try:
        if trigger == ids.TOUR_ADD:
            query = tours.slide_query(_state(app_ctx, search), app_ctx.default_state)
            slides = tours.add(slides, Slide(query, title if isinstance(title, str) else ""))
        elif isinstance(trigger, dict) and trigger.get("type") == ids.TOUR_EDIT:
            i, op = int(trigger["index"]), trigger["op"]
            slides = (
                tours.remove(slides, i)
                if op == "remove"
                else tours.move(slides, i, -1 if op == "up" else 1)
            )
        elif isinstance(trigger, dict) and trigger.get("type") in (ids.TOUR_TITLE, ids.TOUR_NOTE):
            slides = tours.retitle(slides, list(titles or []), list(notes or []))
        else:
            raise PreventUpdate
        return tours.encode(slides), ""
    except TourError as err:
        return no_update, err.text(lang)


def panel(app_ctx, tour: str, lang: str, titles=None, notes=None) -> tuple:
    """The tour panel's slide rows, the link that opens the tour, and whether "present" is off.
    The rows show only titles and notes: when the fields already hold the tour's (an edit typed
    in them), they are left as they are, so the field the facilitator moved to keeps its focus."""
    slides = tours.slides_or_empty(tour or "")
    shown = [s.title for s in slides] == list(titles or []) and [s.note for s in slides] == list(
        notes or []
    )
    rows = no_update if slides and shown else present.slide_rows(slides, lang)
    link = app_ctx.urls.path() + tours.link(tour, app_ctx.default_state, lang) if slides else None
    return rows, link, not slides


def shown_extras(app_ctx, search: str | None) -> dict:
    """What presentation mode shows for the view ``search``: the answer card and the tour bar."""
    state = _state(app_ctx, search)
    slides = tours.slides_or_empty(state.tour)
    card = []
    if state.present and state.unit:
        answers = place.indicator_answers(app_ctx.store, app_ctx.catalog, state, state.unit)
        answer = next((a for a in answers if a.indicator == state.indicator), None)
        name = app_ctx.store.unit(state.unit)["name"] if answer else ""
        card = present.answer_card(
            answer, f"{name}, {answer.admin1_name}" if answer else "", state.lang
        )
    return {
        "card": card,
        "bar": present.tour_bar(state, slides),
        "bar_class": "present-tour" + ("" if slides else " d-none"),
        "contrast": "true" if state.palette == "contrast" else "false",
    }


def register(app: Dash, app_ctx) -> None:
    app.clientside_callback(
        ClientsideFunction("atlas", "present"),
        Output(ids.PRESENT, "data"),
        Input(ids.PRESENT_ON, "n_clicks"),
        Input(ids.PRESENT_OFF, "n_clicks"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        ClientsideFunction("atlas", "contrast"),
        Output(ids.PALETTE, "value", allow_duplicate=True),
        Input(ids.PRESENT_CONTRAST, "n_clicks"),
        State(ids.PALETTE, "value"),
        prevent_initial_call=True,
    )

    @app.callback(
        Output(ids.URL, "search", allow_duplicate=True),
        Input(ids.TOUR_PREV, "n_clicks"),
        Input(ids.TOUR_NEXT, "n_clicks"),
        Input(ids.TOUR_START, "n_clicks"),
        State(ids.SHOWN, "data"),
        prevent_initial_call=True,
    )
    def _step(_prev, _next, _start, shown):
        return step(app_ctx, dash_ctx.triggered_id, shown)

    @app.callback(
        Output(ids.TOUR, "data"),
        Output(ids.TOUR_ERROR, "children"),
        Input(ids.TOUR_ADD, "n_clicks"),
        Input({"type": ids.TOUR_EDIT, "index": ALL, "op": ALL}, "n_clicks"),
        Input({"type": ids.TOUR_TITLE, "index": ALL}, "value"),
        Input({"type": ids.TOUR_NOTE, "index": ALL}, "value"),
        State(ids.TOUR, "data"),
        State(ids.SHOWN, "data"),
        State(ids.MAP_TITLE, "children"),
        prevent_initial_call=True,
    )
    def _edit(_add, clicks, titles, notes, tour, shown, title):
        trigger = dash_ctx.triggered_id
        if (
            isinstance(trigger, dict)
            and trigger.get("type") == ids.TOUR_EDIT
            and not any(clicks or [])
        ):
            raise PreventUpdate  # the rows were drawn anew, nothing was clicked
        return edit(app_ctx, trigger, tour, shown, title, titles, notes)

    @app.callback(
        Output(ids.TOUR_LIST, "children"),
        Output(ids.TOUR_LINK, "href"),
        Output(ids.TOUR_START, "disabled"),
        Input(ids.TOUR, "data"),
        State(ids.LANG, "data"),
        State({"type": ids.TOUR_TITLE, "index": ALL}, "value"),
        State({"type": ids.TOUR_NOTE, "index": ALL}, "value"),
        prevent_initial_call=True,
    )
    def _panel(tour, lang, titles, notes):
        return panel(app_ctx, tour, lang_or_default(lang), titles, notes)

    @app.callback(
        Output(ids.PRESENT_CARD, "children"),
        Output(ids.TOUR_BAR, "children"),
        Output(ids.field(ids.TOUR_BAR), "className"),
        Output(ids.PRESENT_CONTRAST, "aria-pressed"),
        Input(ids.SHOWN, "data"),
        prevent_initial_call=True,
    )
    def _extras(shown):
        out = shown_extras(app_ctx, shown)
        return out["card"], out["bar"], out["bar_class"], out["contrast"]

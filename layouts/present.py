"""Presentation mode and workshop tours on the atlas page.

Presentation mode (``present=1``) is the same page with the class ``present-mode`` on its
wrapper (assets/1_atlas.css): the map fills the screen, the title and the legend lie over it in
large type, the selected unit's answer is a large card, and the controls are hidden; only the
exit, high-contrast and (in a tour) previous/next buttons remain. assets/atlas.js turns Esc and
the arrow keys into clicks on those buttons.

The tour panel lets a facilitator collect views as slides, give each a title and a note, order
them and copy one link (:mod:`atlas.tour`: the tour lives in the URL, no account).
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from atlas import tour as tours
from atlas.i18n import t
from atlas.place import GoalAnswer
from atlas.urlstate import State
from layouts import ids
from layouts.panels import answer_lines


def wrap_class(state: State) -> str:
    """The atlas page wrapper's classes: large type and presentation mode."""
    return " ".join(c for c, on in (("big-type", state.big), ("present-mode", state.present)) if on)


def stores(state: State) -> list:
    """Presentation mode, the tour and its slide: part of the view's state (and the URL)."""
    return [
        dcc.Store(id=ids.PRESENT, data=state.present),
        dcc.Store(id=ids.TOUR, data=state.tour),
        dcc.Store(id=ids.SLIDE, data=state.slide),
    ]


def enter_button(lang: str) -> html.Button:
    return html.Button(
        t("present.enter", lang),
        id=ids.PRESENT_ON,
        type="button",
        className="btn btn-outline-dark btn-sm present-on",
        title=t("present.help", lang),
    )


def _button(label: str, cid: str, style: str, **attributes) -> html.Button:
    return html.Button(
        label, id=cid, type="button", className=f"btn btn-{style} present-button", **attributes
    )


def layer(state: State, slides: tuple[tours.Slide, ...] = ()) -> html.Div:
    """What presentation mode adds over the map: exit and high-contrast buttons, the answer card
    and the tour's bar. Hidden outside presentation mode."""
    lang = state.lang
    return html.Div(
        [
            html.Div(
                [
                    _button(
                        t("present.contrast", lang),
                        ids.PRESENT_CONTRAST,
                        "light",
                        **{"aria-pressed": "true" if state.palette == "contrast" else "false"},
                    ),
                    _button(t("present.exit", lang), ids.PRESENT_OFF, "dark"),
                ],
                className="present-actions",
            ),
            html.Div(id=ids.PRESENT_CARD, className="present-card", **{"aria-live": "polite"}),
            html.Div(
                [
                    html.Div(tour_bar(state, slides), id=ids.TOUR_BAR),
                    html.Div(
                        [
                            _button(t("present.prev", lang), ids.TOUR_PREV, "light"),
                            _button(t("present.next", lang), ids.TOUR_NEXT, "light"),
                        ],
                        className="tour-steps",
                    ),
                ],
                className="present-tour" + ("" if slides else " d-none"),
                id=ids.field(ids.TOUR_BAR),
            ),
        ],
        id=ids.PRESENT_LAYER,
        className="present-layer",
    )


def tour_bar(state: State, slides: tuple[tours.Slide, ...]) -> list:
    """Slide k of n, its title and its note."""
    if not slides:
        return []
    k = min(max(state.slide, 0), len(slides) - 1)
    slide = slides[k]
    return [
        html.P(
            t("present.slide_of", state.lang, k=k + 1, n=len(slides)), className="tour-count mb-1"
        ),
        html.H2(slide.title, className="tour-title") if slide.title else None,
        html.P(slide.note, className="tour-note mb-2") if slide.note else None,
    ]


def answer_card(answer: GoalAnswer | None, unit_name: str, lang: str) -> list:
    """The selected unit's answer for the mapped indicator, as the unit panel words it."""
    if answer is None:
        return []
    return [html.H2(unit_name, className="present-unit"), *answer_lines(answer, lang)]


def tour_panel(state: State, slides: tuple[tours.Slide, ...]) -> html.Details:
    """The facilitator's panel: add the view shown, title and note each slide, reorder, the link."""
    lang = state.lang
    return html.Details(
        [
            html.Summary(t("tour.title", lang)),
            html.P(t("tour.intro", lang), className="small"),
            html.Button(
                t("tour.add", lang),
                id=ids.TOUR_ADD,
                type="button",
                className="btn btn-outline-dark btn-sm mb-2",
            ),
            html.Div(id=ids.TOUR_ERROR, className="tour-error small", role="status"),
            html.Ol(slide_rows(slides, lang), id=ids.TOUR_LIST, className="tour-list"),
            html.Div(
                [
                    html.A(t("tour.link", lang), id=ids.TOUR_LINK, className="me-3"),
                    html.Button(
                        t("tour.start", lang),
                        id=ids.TOUR_START,
                        type="button",
                        className="btn btn-dark btn-sm",
                        disabled=not slides,
                    ),
                ],
                className="tour-share",
            ),
        ],
        id=ids.TOUR_PANEL,
        className="mb-2 tour-panel",
        open=bool(slides) and not state.present,
    )


def _edit(index: int, op: str) -> dict:
    return {"type": ids.TOUR_EDIT, "index": index, "op": op}


def slide_rows(slides: tuple[tours.Slide, ...], lang: str) -> list:
    if not slides:
        return [html.Li(t("tour.empty", lang), className="tour-empty")]
    rows = []
    for i, slide in enumerate(slides):
        k = i + 1
        rows.append(
            html.Li(
                [
                    # the field inside its label: a pattern-matching id cannot be named by htmlFor
                    html.Label(
                        [
                            html.Span(
                                t("tour.slide_title", lang, k=k), className="visually-hidden"
                            ),
                            dbc.Input(
                                id={"type": ids.TOUR_TITLE, "index": i},
                                value=slide.title,
                                maxLength=tours.MAX_TITLE,
                                debounce=True,
                                size="sm",
                            ),
                        ],
                        className="d-block",
                    ),
                    html.Label(
                        [
                            html.Span(t("tour.slide_note", lang, k=k), className="visually-hidden"),
                            dbc.Textarea(
                                id={"type": ids.TOUR_NOTE, "index": i},
                                value=slide.note,
                                maxLength=tours.MAX_NOTE,
                                debounce=True,
                                size="sm",
                                rows=2,
                            ),
                        ],
                        className="d-block",
                    ),
                    html.Div(
                        [
                            html.Button(
                                sign,
                                id=_edit(i, action),
                                type="button",
                                className="btn btn-light btn-sm",
                                title=t(f"tour.{action}", lang, k=k),
                                **{"aria-label": t(f"tour.{action}", lang, k=k)},
                            )
                            for sign, action in (("↑", "up"), ("↓", "down"), ("✕", "remove"))
                        ],
                        className="tour-row-buttons",
                    ),
                ],
                className="tour-slide",
            )
        )
    return rows

"""The map's layers over the official one (:mod:`atlas.overlays`) as the page draws them: the
two traces above the official units (:data:`TRACES`), their switches, and under the map each
layer's caption and text alternative; and the selected unit's plan targets offered beside the
map's target frameworks.

Trace order (layouts/figures.py): 0 the official units, 1 admin-1 outlines, 2 the selection,
3 contributed values, 4 experiences. Every figure has all five (a layer switched off is an
empty trace), so a switch patches traces 3 and 4 and never moves the others.
"""

from __future__ import annotations

from html import escape

from dash import dcc, html

from atlas.classify import stepped_colorscale
from atlas.i18n import number, t
from atlas.overlays import ContributedUnit, Overlays, PlanOffer
from atlas.urls import URLs
from atlas.urlstate import LAYERS
from atlas.views import ViewData
from layouts import ids
from layouts.figures import OVERLAY_TRACES, TRANSPARENT, strings, wrap_lines

#: The trace of each layer in the map's figure.
TRACES = dict(zip(LAYERS, OVERLAY_TRACES, strict=True))
#: Okabe-Ito's blue and bluish green (colour-blind-safe, and apart from every palette's fills):
#: a heavy outline says "another layer", the hover and the text alternative say which.
LINES = {"contributed": ("#0072B2", 3.5), "experiences": ("#009E73", 2.5)}
HOVER = "%{customdata[0]}<extra></extra>"
#: Each layer's switch label, and the one that says it has nothing to show.
SWITCH_LABELS = {
    "contributed": ("overlays.switch.contributed", "overlays.switch.contributed_none"),
    "experiences": ("overlays.switch.experiences", "overlays.switch.experiences_none"),
}
#: Longest source text a hover line shows (the caption and text alternative give it whole).
HOVER_SOURCE = 160


def _text(value: str, limit: int | None = None) -> str:
    """User text for a plotly hover label: cut, and its markup shown, never interpreted."""
    value = value if limit is None or len(value) <= limit else value[: limit - 1] + "…"
    return escape(value, quote=False)


def _with_unit(text: str, view: ViewData) -> str:
    return f"{text} {view.unit_label}" if view.unit_label else text


def official_text(u: ContributedUnit, view: ViewData, lang: str) -> str:
    """The official value beside a contributed one: value, year, source; or "no data"."""
    if u.official is None:
        return t("overlays.hover.official_none", lang)
    return t(
        "overlays.hover.official",
        lang,
        value=_with_unit(u.official_text, view),
        year=u.official_year,
        source=u.official_source,
    )


def contributed_hover(u: ContributedUnit, view: ViewData, lang: str) -> list[str]:
    """The hover lines of a contributed value: its label, the value with its year and source,
    and the official value with its year."""
    return [
        wrap_lines(_text(u.label)),
        wrap_lines(
            t(
                "overlays.hover.contributed",
                lang,
                value=_with_unit(u.value_text, view),
                year=u.year,
                source=_text(u.source, HOVER_SOURCE),
            )
        ),
        wrap_lines(_text(official_text(u, view, lang))),
    ]


def _empty() -> dict:
    return {
        "locations": [],
        "z": [],
        "customdata": [],
        "colorscale": TRANSPARENT,
        "hovertemplate": HOVER,
    }


def trace_values(view: ViewData, found: Overlays) -> dict[int, dict]:
    """What traces 3 and 4 hold for ``found`` (empty for a layer switched off). A unit in both
    layers hovers on the top one (experiences), which then says both."""
    lang = view.state.lang
    out = {TRACES[name]: _empty() for name in LAYERS}
    layer_index = view.layer.index
    contributed = {u.unit_id: u for u in found.contributed.units} if found.contributed else {}
    if contributed:
        units = list(contributed.values())
        colour, width = LINES["contributed"]
        coloured = found.contributed.coloured
        out[TRACES["contributed"]] = {
            "locations": strings([u.unit_id for u in units]),
            "z": [u.cls for u in units],
            "zmin": -0.5,
            "zmax": len(view.colours) + 0.5,
            "colorscale": stepped_colorscale(view.colours) if coloured else TRANSPARENT,
            "customdata": [
                ["<br>".join([f"<b>{_text(u.name)}</b>", *contributed_hover(u, view, lang)])]
                for u in units
            ],
            "hovertemplate": HOVER,
            "marker": {"line": {"width": width, "color": colour}},
        }
    if found.experiences and found.experiences.units:
        places = found.experiences.units
        colour, width = LINES["experiences"]
        texts = []
        for p in places:
            metric = view.metric_text[layer_index.get_loc(p.unit_id)]
            if view.kind.metric_is_value:
                metric = _with_unit(metric, view)
            lines = [
                f"<b>{_text(p.name)}</b>",
                f"{view.metric_label}: {metric} ({view.state.year})",
                # the official value's source, as the map's own hover gives it
                wrap_lines(f"{t('common.source', lang)}: {_text(view.source, HOVER_SOURCE)}"),
            ]
            if p.unit_id in contributed:
                lines += contributed_hover(contributed[p.unit_id], view, lang)
            lines.append(t("overlays.hover.experiences", lang))
            lines += [wrap_lines("• " + _text(title, 120)) for title in p.titles[:8]]
            if len(p.titles) > 8:
                lines.append("…")
            texts.append(["<br>".join(lines)])
        out[TRACES["experiences"]] = {
            "locations": strings([p.unit_id for p in places]),
            "z": [0] * len(places),
            "colorscale": TRANSPARENT,
            "customdata": texts,
            "hovertemplate": HOVER,
            "marker": {"line": {"width": width, "color": colour}},
        }
    return out


# -- the switches, captions and text alternatives -----------------------------------------------


def switch_options(lang: str, found: Overlays | None = None, on: tuple[str, ...] = ()) -> list:
    """The layers' checkboxes: a layer with nothing to show says so and cannot be switched on
    (one a link switched on stays free to be switched off). ``found`` None: not known yet."""
    options = []
    for name in LAYERS:
        empty = found is not None and not found.available.get(name, False)
        label, none = SWITCH_LABELS[name]
        options.append(
            {
                "label": t(none if empty else label, lang),
                "value": name,
                "disabled": empty and name not in on,
            }
        )
    return options


def switches(lang: str, on: tuple[str, ...]) -> html.Fieldset:
    """The layers' switches, among the map's controls: native checkboxes with their labels
    (Tab, Space)."""
    return html.Fieldset(
        [
            html.Legend(t("overlays.switch.title", lang), className="map-layers-title"),
            dcc.Checklist(
                id=ids.LAYERS,
                options=switch_options(lang),
                value=list(on),
                className="map-layers-options",
                inputClassName="form-check-input me-1",
                labelClassName="me-3",
            ),
        ],
        className="map-layers mb-2",
    )


def _contributed_notes(view: ViewData, found: Overlays, lang: str) -> list:
    layer = found.contributed
    body: list = [html.H2(t("overlays.contributed.heading", lang), className="h6 mb-1")]
    if not layer.units:
        body.append(html.P(t("overlays.contributed.empty", lang)))
    else:
        how = "overlays.contributed.how" if layer.coloured else "overlays.contributed.outline_only"
        body.append(html.P(t(how, lang)))
        body += [
            html.P(
                t(
                    "overlays.contributed.caption",
                    lang,
                    label=d.label,
                    n=number(d.units, 0, lang),
                    licence=d.licence,
                    source=d.source,
                ),
                className="mb-1",
            )
            for d in layer.datasets
        ]
    if layer.elsewhere:
        body.append(
            html.P(t("overlays.contributed.elsewhere", lang, n=number(layer.elsewhere, 0, lang)))
        )
    if layer.units:
        rows = [
            html.Li(
                t(
                    "overlays.contributed.alt_row",
                    lang,
                    name=u.name,
                    value=_with_unit(u.value_text, view),
                    year=u.year,
                    label=u.label,
                    source=u.source,
                    official=t(
                        "overlays.contributed.official",
                        lang,
                        value=_with_unit(u.official_text, view),
                        year=u.official_year,
                        source=u.official_source,
                    )
                    if u.official is not None
                    else t("common.no_data", lang),
                )
            )
            for u in layer.units
        ]
        body.append(
            html.Details(
                [html.Summary(t("overlays.contributed.alt_title", lang)), html.Ul(rows)],
                className="map-alt",
            )
        )
    return body


def _experience_notes(found: Overlays, urls: URLs, lang: str) -> list:
    layer = found.experiences
    body: list = [html.H2(t("overlays.experiences.heading", lang), className="h6 mb-1")]
    if not layer.units:
        return [*body, html.P(t("overlays.experiences.empty", lang))]
    body.append(
        html.P(
            t("overlays.experiences.caption", lang, n=number(len(layer.units), 0, lang)),
            className="mb-1",
        )
    )
    body.append(
        html.Ul(
            [
                html.Li(
                    [
                        html.A(e.title, href=urls.experience(e.id, lang)),
                        " — ",
                        t("overlays.experiences.places", lang, places=", ".join(e.places)),
                    ]
                )
                for e in layer.experiences
            ],
            className="map-experiences",
        )
    )
    return body


def notes(view: ViewData, found: Overlays, urls: URLs) -> list:
    """Under the map, each layer switched on: what it is (label, units covered, licence) and
    its text alternative (the units with both values; the experiences with their links)."""
    lang = view.state.lang
    out = []
    if found.contributed is not None:
        out.append(html.Section(_contributed_notes(view, found, lang), className="map-layer"))
    if found.experiences is not None:
        out.append(html.Section(_experience_notes(found, urls, lang), className="map-layer"))
    return out


# -- the local plan's targets --------------------------------------------------------------------

#: The buttons that set the local target to one of the plan's (pattern-matching ids).
PLAN_BUTTON = "plan-target"


def plan_offers(offers: list[PlanOffer], unit_name: str, lang: str) -> list:
    """The selected unit's plan targets for the indicator: "<plan>: <value> by <year>" and a
    button that makes it the map's local target."""
    if not offers:
        return []
    return [
        html.Div(t("overlays.plan.heading", lang, unit=unit_name), className="small fw-semibold"),
        html.Ul(
            [
                html.Li(
                    [
                        html.Span(
                            t(
                                "overlays.plan.offer",
                                lang,
                                plan=o.plan,
                                value=o.value_text,
                                year=o.year,
                            )
                        ),
                        " ",
                        html.Button(
                            t("overlays.plan.use", lang),
                            id={"type": PLAN_BUTTON, "value": repr(o.value), "year": o.year},
                            type="button",
                            className="btn btn-sm btn-outline-primary py-0",
                        ),
                    ],
                    className="mb-1",
                )
                for o in offers
            ],
            className="list-unstyled mb-0",
        ),
    ]

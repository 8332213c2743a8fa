"""The atlas page: controls, the map (or its table), legend, caption, text alternative, the
ranking, summary cards and the selected unit's panel. Initial values and options come from the
resolved URL state, so the first render already matches the link."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from atlas import choices
from atlas import tour as tours
from atlas.catalog import Catalog
from atlas.geography import ALL_COUNTRIES
from atlas.i18n import t
from atlas.store import Store
from atlas.urls import EXPORT_FORMATS, URLs
from atlas.urlstate import PALETTES, State
from layouts import ids, overlays, present
from layouts.figures import graph_config
from layouts.search import search_box
from layouts.share import share_menu


def dropdown_options(groups: list[tuple[str, list[tuple[str, str]]]]) -> list[dict]:
    """Grouped choices as dropdown options: a disabled header row per group."""
    out = []
    for group, items in groups:
        out.append({"label": f"— {group} —", "value": f"__group__{group}", "disabled": True})
        out.extend({"label": text, "value": value} for value, text in items)
    return out


def loading_figure(message: str) -> dict:
    """What the map and the ranking show until the view callback answers: ``message``, no axes.
    A plain dict, not :func:`layouts.figures.empty_figure`: a go.Figure carries plotly's whole
    default template (about 1.2 kB gzipped each) into the first load."""
    return {
        "data": [],
        "layout": {
            "xaxis": {"visible": False},
            "yaxis": {"visible": False},
            "annotations": [{"text": message, "showarrow": False, "font": {"size": 16}}],
            "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
        },
    }


def dropdown_text(lang: str) -> dict:
    """A dropdown's own words in the reader's language (Dash's are English): the placeholder, and
    the search field's, clear buttons' and no-match texts."""
    return {
        "placeholder": t("controls.placeholder", lang),
        "labels": {
            "search": t("search.search", lang),
            "clear_search": t("search.clear_search", lang),
            "clear_selection": t("search.clear_selection", lang),
            "no_options_found": t("controls.no_options", lang),
        },
    }


def pairs(items: list[tuple[str, str]]) -> list[dict]:
    return [{"label": text, "value": value} for value, text in items]


def year_options(years: list[int]) -> list[dict]:
    return [{"label": str(y), "value": y} for y in years]


def breaks_text(breaks: tuple[float, ...]) -> str:
    """Manual breaks as the reader types them ("10,20.5")."""
    return ",".join(f"{b:g}" for b in breaks)


def top_options(lang: str) -> list[dict]:
    return [{"label": t("controls.top_all", lang), "value": 0}] + [
        {"label": t("controls.top_n", lang, n=n), "value": n} for n in choices.TOP_CHOICES if n
    ]


def admin1_options(store: Store, country: str, lang: str) -> list[dict]:
    return [{"label": t("controls.admin1_all", lang), "value": ""}] + pairs(
        choices.admin1_choices(store, country)
    )


SHOWN = "mb-2 control"
HIDDEN = "mb-2 control d-none"
#: The element that shows or hides each optional field (:data:`atlas.choices.OPTIONAL_FIELDS`).
FIELD_IDS = {
    "base_year": ids.field(ids.BASE_YEAR),
    "framework": ids.field(ids.FRAMEWORK),
    "local_target": ids.LOCAL_TARGET_FIELDS,
    "breaks": ids.field(ids.BREAKS),
}


def field_classes(state: State, requested: State | None = None) -> dict[str, str]:
    """The class of each optional field (:data:`atlas.choices.OPTIONAL_FIELDS`) for a resolved
    ``state``; the local target and the breaks follow what the reader ``requested`` (they show
    as soon as "local" or "manual" is picked, while the view still falls back without them)."""
    requested = requested or state
    shown = choices.shown_fields(state.view, requested.framework, requested.classification)
    return {
        name: ("" if shown[name] else "d-none")
        if name == "local_target"
        else (SHOWN if shown[name] else HIDDEN)
        for name in choices.OPTIONAL_FIELDS
    }


def _field(lang: str, key: str, component, cid: str, class_name: str = SHOWN):
    return html.Div(
        [dbc.Label(t(key, lang), html_for=cid), component], className=class_name, id=ids.field(cid)
    )


def controls(store: Store, catalog: Catalog, state: State) -> html.Div:
    lang = state.lang
    shown = field_classes(state)
    countries = pairs(choices.country_choices(store, lang))
    years = store.years(state.indicator, state.country, state.level) if state.indicator else []
    palettes = [{"label": t("controls.palette_auto", lang), "value": "auto"}] + [
        {"label": t(f"palette.{p}", lang), "value": p} for p in PALETTES if p != "auto"
    ]
    return html.Div(
        [
            html.Div(search_box(lang), className="mb-3"),
            _field(
                lang,
                "controls.country",
                dcc.Dropdown(
                    id=ids.COUNTRY,
                    options=countries,
                    value=state.country,
                    clearable=False,
                    **dropdown_text(lang),
                ),
                ids.COUNTRY,
            ),
            _field(
                lang,
                "controls.level",
                dcc.RadioItems(
                    id=ids.LEVEL,
                    options=pairs(choices.level_choices(store, state.country, lang)),
                    value=state.level,
                ),
                ids.LEVEL,
            ),
            _field(
                lang,
                "controls.indicator",
                dcc.Dropdown(
                    id=ids.INDICATOR,
                    options=dropdown_options(
                        choices.indicator_choices(store, catalog, state.country, state.level, lang)
                    ),
                    value=state.indicator,
                    clearable=False,
                    **dropdown_text(lang),
                ),
                ids.INDICATOR,
            ),
            _field(
                lang,
                "controls.year",
                dcc.Dropdown(
                    id=ids.YEAR,
                    options=year_options(years),
                    value=state.year,
                    clearable=False,
                    **dropdown_text(lang),
                ),
                ids.YEAR,
            ),
            _field(
                lang,
                "controls.view",
                dcc.RadioItems(
                    id=ids.VIEW, options=pairs(choices.view_choices(lang)), value=state.view
                ),
                ids.VIEW,
            ),
            _field(
                lang,
                "controls.base_year",
                dcc.Dropdown(
                    id=ids.BASE_YEAR,
                    options=year_options(choices.base_years(store, catalog, state)),
                    value=state.base_year,
                    clearable=False,
                    **dropdown_text(lang),
                ),
                ids.BASE_YEAR,
                class_name=shown["base_year"],
            ),
            _field(
                lang,
                "controls.framework",
                html.Div(
                    [
                        dcc.Dropdown(
                            id=ids.FRAMEWORK,
                            options=pairs(choices.framework_choices(lang)),
                            value=state.framework,
                            clearable=False,
                            **dropdown_text(lang),
                        ),
                        # the selected unit's own plan targets (callbacks/map.py _plan_offers)
                        html.Div(id=ids.PLAN_TARGETS, className="plan-targets mt-1", role="region"),
                    ]
                ),
                ids.FRAMEWORK,
                class_name=shown["framework"],
            ),
            html.Div(
                [
                    _field(
                        lang,
                        "controls.local_value",
                        dbc.Input(
                            id=ids.LOCAL_VALUE,
                            type="number",
                            value=state.local_value,
                            debounce=True,
                        ),
                        ids.LOCAL_VALUE,
                    ),
                    _field(
                        lang,
                        "controls.local_year",
                        dbc.Input(
                            id=ids.LOCAL_YEAR,
                            type="number",
                            min=2000,
                            max=2100,
                            step=1,
                            value=state.local_year,
                            debounce=True,
                        ),
                        ids.LOCAL_YEAR,
                    ),
                ],
                id=ids.LOCAL_TARGET_FIELDS,
                className=shown["local_target"],
            ),
            html.Details(
                [
                    html.Summary(t("controls.classification", lang)),
                    _field(
                        lang,
                        "controls.classification",
                        dcc.Dropdown(
                            id=ids.CLASSIFICATION,
                            options=pairs(choices.classification_choices(lang)),
                            value=state.classification,
                            clearable=False,
                            **dropdown_text(lang),
                        ),
                        ids.CLASSIFICATION,
                    ),
                    _field(
                        lang,
                        "controls.classes",
                        dcc.Dropdown(
                            id=ids.CLASSES,
                            options=[{"label": str(k), "value": k} for k in range(2, 10)],
                            value=state.classes,
                            clearable=False,
                            **dropdown_text(lang),
                        ),
                        ids.CLASSES,
                    ),
                    _field(
                        lang,
                        "controls.breaks",
                        dbc.Input(
                            id=ids.BREAKS,
                            type="text",
                            value=breaks_text(state.breaks),
                            debounce=True,
                            inputMode="decimal",
                        ),
                        ids.BREAKS,
                        class_name=shown["breaks"],
                    ),
                    _field(
                        lang,
                        "controls.palette",
                        dcc.Dropdown(
                            id=ids.PALETTE,
                            options=palettes,
                            value=state.palette,
                            clearable=False,
                            **dropdown_text(lang),
                        ),
                        ids.PALETTE,
                    ),
                ],
                className="mb-2 classification",
                open=state.classification != "quantiles" or state.palette != "auto",
            ),
            # the layers over the official map are controls too: on a phone they wait in the
            # drawer, so the map and the selected unit's answer still come first
            overlays.switches(lang, state.layers),
            dbc.Checkbox(
                id=ids.BIG, label=t("controls.big", lang), value=state.big, className="mb-2"
            ),
            present.tour_panel(state, tours.slides_or_empty(state.tour)),
        ],
        className="controls",
    )


def controls_drawer(store: Store, catalog: Catalog, state: State) -> list:
    """The controls, in a drawer that a button opens on a phone (assets/1_atlas.css: a bar at
    the foot of the screen, so the map and the selected unit's answer come first); from the
    tablet width up the drawer is always open and the button hidden."""
    return [
        html.Button(
            t("controls.drawer", state.lang),
            id=ids.CONTROLS_TOGGLE,
            type="button",
            className="btn btn-dark controls-toggle w-100",
            **{"aria-controls": ids.CONTROLS_DRAWER, "aria-expanded": "false"},
        ),
        dbc.Collapse(
            controls(store, catalog, state),
            id=ids.CONTROLS_DRAWER,
            is_open=False,
            className="controls-drawer",
        ),
    ]


def pane(shown: bool) -> str:
    return "pane" if shown else "pane d-none"


def data_href(urls: URLs, country: str | None, lang: str) -> str:
    """The data page at the section of ``country`` (its top for all six countries together)."""
    return urls.data(lang, "" if not country or country == ALL_COUNTRIES else country)


def export_menu(state: State, urls: URLs | None) -> html.Details:
    """The view as files (routes of callbacks/exports.py): PNG and SVG with title, legend and
    source, CSV and XLSX of the table. The links follow the view (``atlas.exportLinks``)."""
    lang = state.lang
    return html.Details(
        [
            html.Summary(t("exports.menu", lang), className="btn btn-sm btn-outline-secondary"),
            html.Ul(
                [
                    html.Li(
                        html.A(
                            t(f"exports.{fmt}", lang),
                            id=ids.export_link(fmt),
                            href=urls.export(fmt, state) if urls else None,
                        )
                    )
                    for fmt in EXPORT_FORMATS
                ],
                className="list-unstyled mb-0",
            ),
        ],
        id=ids.EXPORT_MENU,
        className="export-menu",
    )


def layout(
    store: Store, catalog: Catalog, state: State, notice: str | None, urls: URLs | None = None
) -> html.Div:
    """The page for ``state``; ``urls`` builds the link to the data page next to the map's
    source line (without it, as in the app's validation layout, the link has no target yet)."""
    lang = state.lang
    map_tab = html.Div(
        [
            html.Div(
                dcc.Graph(
                    id=ids.MAP,
                    # until the view callback answers: a line saying so, not empty axes
                    figure=loading_figure(t("map.loading", lang)),
                    config=graph_config(lang, scroll_zoom=True),
                    style={"height": "100%", "width": "100%"},
                ),
                className="map-frame",
            ),
            html.P(t("map.wheel_help", lang), className="map-wheel-help"),
            present.layer(state, tours.slides_or_empty(state.tour)),
            html.Div(id=ids.MAP_LEGEND, className="map-legend", role="list"),
            html.P(id=ids.MAP_CAPTION, className="map-caption mb-1"),
            html.Div(id=ids.MAP_LAYERS, className="map-layer-notes", **{"aria-live": "polite"}),
            html.P(
                html.A(
                    t("datatruth.about_link", lang),
                    id=ids.DATA_LINK,
                    href=data_href(urls, state.country, lang) if urls else None,
                ),
                className="map-source-link",
            ),
            # what a reader takes away: the view's files and its link
            html.Div(
                [export_menu(state, urls), share_menu(lang, urls or URLs())],
                className="take-away d-flex flex-wrap align-items-start gap-2",
            ),
            html.Details(
                [html.Summary(t("map.text_alternative", lang)), html.P(id=ids.MAP_ALT)],
                className="map-alt",
            ),
            html.Div(id=ids.MAP_NOTES, className="map-notes"),
        ],
        className="map-tab",
    )
    return html.Div(
        dbc.Container(
            [
                dbc.Alert(
                    notice, color="warning", id=ids.NOTICE, is_open=bool(notice), dismissable=True
                ),
                dcc.Store(id=ids.SELECTED, data=state.unit),
                dcc.Store(id=ids.TABLE_PAGE, data=0),
                dcc.Store(id=ids.GEO),
                dcc.Store(id=ids.RANKING_KEY),
                dcc.Store(id=ids.PAINT),
                dcc.Store(id=ids.MAP_FIT),
                dcc.Store(id=ids.SHOWN),
                *present.stores(state),
                dbc.Row(
                    [
                        dbc.Col(
                            controls_drawer(store, catalog, state),
                            lg=3,
                            md=4,
                            className="pt-3 controls-col",
                        ),
                        dbc.Col(
                            [
                                html.H1(id=ids.MAP_TITLE, className="map-title"),
                                # Native radio buttons as tabs: reachable and switchable by keyboard.
                                dcc.RadioItems(
                                    id=ids.TABS,
                                    options=[
                                        {"label": t("tabs.map", lang), "value": "map"},
                                        {"label": t("tabs.table", lang), "value": "table"},
                                    ],
                                    value=state.tab,
                                    inline=True,
                                    className="view-tabs",
                                ),
                                present.enter_button(lang),
                                html.Div(
                                    map_tab, id=ids.MAP_PANE, className=pane(state.tab == "map")
                                ),
                                html.Div(
                                    html.Div(id=ids.TABLE, className="table-tab"),
                                    id=ids.TABLE_PANE,
                                    className=pane(state.tab == "table"),
                                ),
                            ],
                            lg=6,
                            md=8,
                            className="map-col",
                        ),
                        dbc.Col(
                            [
                                html.Div(
                                    id=ids.UNIT_PANEL,
                                    className="unit-panel mb-3",
                                    **{"aria-live": "polite"},
                                ),
                                html.Div(id=ids.SUMMARY, className="summary mb-3"),
                                html.H2(t("ranking.title", lang), className="h5"),
                                html.Div(
                                    [
                                        _field(
                                            lang,
                                            "controls.admin1",
                                            dcc.Dropdown(
                                                id=ids.ADMIN1,
                                                options=admin1_options(store, state.country, lang),
                                                value=state.admin1,
                                                clearable=False,
                                                **dropdown_text(lang),
                                            ),
                                            ids.ADMIN1,
                                        ),
                                        _field(
                                            lang,
                                            "controls.top",
                                            dcc.Dropdown(
                                                id=ids.TOP,
                                                options=top_options(lang),
                                                value=state.top,
                                                clearable=False,
                                                **dropdown_text(lang),
                                            ),
                                            ids.TOP,
                                        ),
                                    ],
                                    className="ranking-controls",
                                ),
                                # a long ranking scrolls inside its box (assets/1_atlas.css)
                                html.Div(
                                    html.Div(
                                        dcc.Graph(
                                            id=ids.RANKING,
                                            figure=loading_figure(t("map.loading", lang)),
                                            config=graph_config(lang),
                                            className="ranking-graph",
                                        ),
                                        id=ids.RANKING_BOX,
                                        className="ranking-box",
                                    ),
                                    className="ranking-scroll",
                                ),
                            ],
                            lg=3,
                            md=12,
                            className="pt-3 side-col",
                        ),
                    ],
                    className="atlas-row",
                ),
            ],
            fluid=True,
        ),
        id=ids.WRAP,
        className=present.wrap_class(state),
    )

"""The atlas page: controls -> a resolved state -> map (figure or Patch), legend, caption, text
alternative, ranking, summary, selected unit, table and the URL.

Every callback unpacks its inputs, asks :mod:`atlas` for the view and builds components; the
geometry itself never passes through here (the map references it by URL).
"""

from __future__ import annotations

from dataclasses import replace

from dash import ALL, ClientsideFunction, Dash, Input, Output, State, html, no_update
from dash import ctx as dash_ctx
from dash.exceptions import PreventUpdate

from atlas import choices, overlays, place, urlstate
from atlas import panels as panel_data
from atlas.i18n import LANGS, lang_or_default, number, t
from atlas.places import country_label
from atlas.urls import EXPORT_FORMATS
from atlas.urlstate import State as ViewState
from atlas.views import compute
from layouts import figures, ids, paint, panels, present
from layouts import overlays as overlay_layout
from layouts.map_page import (
    FIELD_IDS,
    admin1_options,
    breaks_text,
    dropdown_options,
    field_classes,
    pairs,
    pane,
    year_options,
)

# -- the callbacks' contracts, by name -------------------------------------------------------

#: State field -> the control whose ``value`` it is (the controls panel).
CONTROLS = {
    "country": ids.COUNTRY,
    "level": ids.LEVEL,
    "indicator": ids.INDICATOR,
    "year": ids.YEAR,
    "view": ids.VIEW,
    "base_year": ids.BASE_YEAR,
    "framework": ids.FRAMEWORK,
    "local_value": ids.LOCAL_VALUE,
    "local_year": ids.LOCAL_YEAR,
    "classification": ids.CLASSIFICATION,
    "classes": ids.CLASSES,
    "breaks": ids.BREAKS,
    "palette": ids.PALETTE,
}
#: The view callback's inputs besides the controls: the selection, the ranking's filters, the
#: tab, the table's page and large type.
PAGE_INPUTS = {
    "unit": Input(ids.SELECTED, "data"),
    "admin1": Input(ids.ADMIN1, "value"),
    "top": Input(ids.TOP, "value"),
    "tab": Input(ids.TABS, "value"),
    "table_page": Input(ids.TABLE_PAGE, "data"),
    "big": Input(ids.BIG, "value"),
    "present": Input(ids.PRESENT, "data"),
    "tour": Input(ids.TOUR, "data"),
    "slide": Input(ids.SLIDE, "data"),
    "layers": Input(ids.LAYERS, "value"),
}
#: What the view callback sets in the controls when one changed: options and values (resolved for
#: the data), which optional fields show, the notice.
CONTROL_OUTPUTS = {
    "level_options": Output(ids.LEVEL, "options"),
    "level": Output(ids.LEVEL, "value"),
    "indicator_options": Output(ids.INDICATOR, "options"),
    "indicator": Output(ids.INDICATOR, "value"),
    "year_options": Output(ids.YEAR, "options"),
    "year": Output(ids.YEAR, "value"),
    "view_options": Output(ids.VIEW, "options"),
    "view": Output(ids.VIEW, "value"),
    "base_year_options": Output(ids.BASE_YEAR, "options"),
    "base_year": Output(ids.BASE_YEAR, "value"),
    "admin1_options": Output(ids.ADMIN1, "options"),
    **{f"{name}_field": Output(cid, "className") for name, cid in FIELD_IDS.items()},
    "notice": Output(ids.NOTICE, "children"),
    "notice_open": Output(ids.NOTICE, "is_open"),
}
#: What the view callback sets.
VIEW_OUTPUTS = {
    "figure": Output(ids.MAP, "figure"),
    "geo": Output(ids.GEO, "data"),
    "title": Output(ids.MAP_TITLE, "children"),
    "legend": Output(ids.MAP_LEGEND, "children"),
    "caption": Output(ids.MAP_CAPTION, "children"),
    "alt": Output(ids.MAP_ALT, "children"),
    "notes": Output(ids.MAP_NOTES, "children"),
    "ranking": Output(ids.RANKING, "figure"),
    "ranking_box": Output(ids.RANKING_BOX, "style"),
    "ranking_key": Output(ids.RANKING_KEY, "data"),
    # a switch within a large layer: the map's and the ranking's changes as numbers, which the
    # browser unpacks into both figures (layouts/paint.py, assets/atlas.js atlas.paint)
    "paint": Output(ids.PAINT, "data"),
    "summary": Output(ids.SUMMARY, "children"),
    "panel": Output(ids.UNIT_PANEL, "children"),
    # the layers over the official map: their switches (which have anything to show) and,
    # under the map, each one's caption and text alternative (layouts/overlays.py)
    "layer_options": Output(ids.LAYERS, "options"),
    "layer_notes": Output(ids.MAP_LAYERS, "children"),
    "table": Output(ids.TABLE, "children"),
    "search": Output(ids.URL, "search"),
    "shown": Output(ids.SHOWN, "data"),
    "wrap": Output(ids.WRAP, "className"),
    "map_pane": Output(ids.MAP_PANE, "className"),
    "table_pane": Output(ids.TABLE_PANE, "className"),
    # the header's language links follow the view, so switching language keeps it
    **{f"lang_{code}": Output(ids.lang_link(code), "href") for code in LANGS},
}
#: The controls' values as the view callback's inputs, by state field.
CONTROL_VALUES = {name: Input(cid, "value") for name, cid in CONTROLS.items()}
#: The same as Dash names them among the triggered inputs (``id.property``).
CONTROL_INPUTS = {f"{i.component_id}.{i.component_property}" for i in CONTROL_VALUES.values()}
#: View outputs that only the map, the ranking and the cards need (see TABLE_ONLY_INPUTS).
FIGURE_OUTPUTS = (
    "figure",
    "geo",
    "title",
    "legend",
    "caption",
    "alt",
    "notes",
    "ranking",
    "ranking_box",
    "ranking_key",
    "paint",
    "summary",
    "panel",
    "layer_options",
    "layer_notes",
)
#: Inputs whose change leaves the map, the ranking and the cards as they are.
TABLE_ONLY_INPUTS = {
    f"{PAGE_INPUTS[name].component_id}.{PAGE_INPUTS[name].component_property}"
    for name in ("table_page", "tab", "big", "present", "tour", "slide")
}


def parse_breaks(text: str | None) -> tuple[float, ...]:
    parsed = urlstate.PARSERS["breaks"]((text or "").replace(";", ","))
    return parsed or ()


def control_values(state: ViewState) -> dict:
    """What each control of :data:`CONTROLS` holds for ``state`` (the inverse of
    :func:`state_from_controls`)."""
    return {
        name: breaks_text(state.breaks) if name == "breaks" else getattr(state, name)
        for name in CONTROLS
    }


def _checked(name: str, value, default=None):
    """A typed-in control value checked as the same URL parameter is, so that the link written
    back parses to the same view (a year 1 or a 1e300 target falls back instead)."""
    if value in (None, ""):
        return default
    if isinstance(value, float) and value.is_integer() and name != "local_value":
        value = int(value)  # a number input may send 2015.0
    parsed = urlstate.PARSERS[name](str(value))
    return default if parsed is None else parsed


def state_from_controls(
    lang,
    *,
    country,
    level,
    indicator,
    year,
    view,
    base_year,
    framework,
    local_value,
    local_year,
    classification,
    classes,
    breaks,
    palette,
    unit="",
    admin1="",
    top=0,
    tab="map",
    big=False,
    present=False,
    tour="",
    slide=0,
    layers=(),
) -> ViewState:
    """The view's state from the controls' values, by name (:data:`CONTROLS`)."""
    typed = {"local_value": local_value, "local_year": local_year, "classes": classes}
    # Values typed in that cannot be used: the notice names them (see control_outputs).
    invalid = [k for k, v in typed.items() if v not in (None, "") and _checked(k, v) is None]
    if (breaks or "").strip() and not parse_breaks(breaks):
        invalid.append("breaks")
    return ViewState(
        lang=lang_or_default(lang),
        country=country or "",
        level=level or "municipality",
        indicator=indicator if indicator and not str(indicator).startswith("__group__") else "",
        year=year,
        view=view or "value",
        base_year=base_year,
        framework=framework or "mdg2015",
        local_value=_checked("local_value", local_value),
        local_year=_checked("local_year", local_year),
        classification=classification or "quantiles",
        classes=_checked("classes", classes, 5),
        breaks=parse_breaks(breaks),
        palette=palette or "auto",
        unit=unit or "",
        admin1=admin1 or "",
        top=_checked("top", top, 0),
        tab=tab or "map",
        big=bool(big),
        present=bool(present),
        tour=tour if isinstance(tour, str) and urlstate.PARSERS["tour"](tour) else "",
        slide=_checked("slide", slide, 0),
        layers=tuple(n for n in urlstate.LAYERS if isinstance(layers, list) and n in layers),
        invalid=tuple(invalid),
    )


def control_outputs(app_ctx, state: ViewState) -> dict:
    """Options and values of every control for a (resolved) state, which fields show, and the
    notice (text, open) when a value typed in cannot be used (e.g. breaks "a, b"; not when a
    choice falls back because the data do not have it, e.g. a year), by the names of
    :data:`CONTROL_OUTPUTS`. The local-target and manual-break fields show when the reader picks
    those options, before they hold a value (until then the view falls back to the MDG target
    and to quantiles)."""
    store, catalog, lang = app_ctx.store, app_ctx.catalog, state.lang
    requested = state
    state = choices.resolve(state, store, catalog)
    years = store.years(state.indicator, state.country, state.level) if state.indicator else []
    allowed = choices.allowed_views(store, catalog, state) if state.indicator else ["value"]
    views = [
        {"label": text, "value": v, "disabled": v not in allowed}
        for v, text in choices.view_choices(lang)
    ]
    fields = field_classes(state, requested)
    return {
        "level_options": pairs(choices.level_choices(store, state.country, lang)),
        "level": state.level,
        "indicator_options": dropdown_options(
            choices.indicator_choices(store, catalog, state.country, state.level, lang)
        ),
        "indicator": state.indicator,
        "year_options": year_options(years),
        "year": state.year,
        "view_options": views,
        "view": state.view,
        "base_year_options": year_options(choices.base_years(store, catalog, state)),
        "base_year": state.base_year,
        "admin1_options": admin1_options(store, state.country, lang),
        **{f"{name}_field": cls for name, cls in fields.items()},
        "notice": choices.invalid_notice(requested, "errors.bad_value"),
        "notice_open": bool(requested.invalid),
    }


#: Inputs whose change sends the layers over the official map even when none is on (a switch
#: turned off empties its trace).
LAYER_INPUTS = {f"{PAGE_INPUTS['layers'].component_id}.{PAGE_INPUTS['layers'].component_property}"}

#: Inputs whose change moves the map to the selection (a unit, else the admin-1 filter).
FOCUS_INPUTS = {
    f"{PAGE_INPUTS[name].component_id}.{PAGE_INPUTS[name].component_property}"
    for name in ("unit", "admin1")
}


def focus(fig, geo: dict, bounds: list[float]) -> dict:
    """Centre and zoom ``fig`` (a figure or a Patch) on ``bounds``; from the zoom at which the
    browser swaps to the detailed geometry (:func:`geometry_record`), point the traces at it
    at once (no relayout event follows a zoom set by the figure). Returns the geometry record
    the map now uses."""
    center, zoom = figures.view_for_bounds(bounds)
    fig["layout"]["map"]["center"] = center
    fig["layout"]["map"]["zoom"] = zoom
    fig["layout"]["meta"] = {"fit": figures.fit_token(center, zoom)}
    lod = "high" if zoom >= geo["detail_zoom"] else "low"
    if lod != geo["lod"]:
        units, admin1 = geo["files"][lod]
        for i in (0, 2, *figures.OVERLAY_TRACES):
            fig["data"][i]["geojson"] = units
        if admin1:
            fig["data"][1]["geojson"] = admin1
    return {**geo, "lod": lod}


def update_view(
    app_ctx,
    state: ViewState,
    geo: dict | None,
    table_page: int = 0,
    figures_too: bool = True,
    focus_map: bool = False,
    ranking_key: str | None = None,
    layers_changed: bool = False,
) -> dict:
    """Everything the page shows for a state, by the names of :data:`VIEW_OUTPUTS`. The map is
    a full figure (and the geometry record new) only when the geometry (country/level) changed;
    otherwise values only, and the record is left as it is. The ranking likewise: when the
    browser's (``ranking_key``) already holds this layer in layer order, values only.
    ``figures_too`` False (only the table page, the tab or large type changed): the map, the
    ranking and the cards are left as they are and only the table, URL and layout classes go.
    The layers over the official map (traces 3 and 4) are sent when one is on or
    ``layers_changed`` (a switch was turned: one switched off is emptied); a switch then goes as
    figure patches, not as numbers (:mod:`layouts.paint` carries trace 0 only)."""
    store, catalog = app_ctx.store, app_ctx.catalog
    state = choices.resolve(state, store, catalog)
    lang = state.lang
    search = urlstate.serialise(state, app_ctx.default_state)
    wrap = present.wrap_class(state)
    page = {
        "search": search,
        "shown": search,
        "wrap": wrap,
        **{f"lang_{code}": app_ctx.urls.map(replace(state, lang=code)) for code in LANGS},
    }
    if not state.indicator:
        msg = t("map.no_values", lang, country=country_label(store, state.country, lang))
        empty = figures.empty_figure(msg)
        return {
            "figure": empty,
            "geo": None,
            "title": "",
            "legend": [],
            "caption": msg,
            "alt": msg,
            "notes": [],
            "ranking": empty,
            "ranking_box": {},
            "ranking_key": "",
            "paint": no_update,
            "summary": [],
            "panel": panels.unit_panel(None, None, lang, app_ctx.urls),
            "layer_options": overlay_layout.switch_options(lang, overlays.Overlays(), state.layers),
            "layer_notes": [],
            "table": [],
            **page,
            "map_pane": pane(True),
            "table_pane": pane(False),
        }
    view = compute(store, catalog, state)
    table = (
        panels.data_table(view, lang, page=table_page, admin1=state.admin1)
        if state.tab == "table"
        else no_update
    )
    page.update(
        table=table, map_pane=pane(state.tab == "map"), table_pane=pane(state.tab == "table")
    )
    if not figures_too:
        return {**dict.fromkeys(FIGURE_OUTPUTS, no_update), **page}
    key = f"{state.country}:{state.level}"
    values = None
    found = overlays.for_view(app_ctx.db, store, catalog, view)
    over = overlay_layout.trace_values(view, found) if state.layers or layers_changed else None
    if not isinstance(geo, dict) or geo.get("key") != key:
        geo = geometry_record(store, state.country, state.level, app_ctx.urls)
        geo_url, admin1_url = geo["files"]["low"]
        fig = figures.choropleth(
            view,
            geo_url,
            admin1_url,
            store.bounds(state.country),
            app_ctx.conf.map_style,
            overlays=over,
        )
    else:  # same geometry (at whatever level of detail the browser has): values only
        values = figures.trace_values(view)
        fig = figures.choropleth_patch(view, values, over)
        if not focus_map:
            geo = no_update
    if focus_map:  # a selection (unit or admin-1 filter): the map moves to it, values stay
        geo = focus(fig, geo, place.focus_bounds(store, state.country, state.unit, state.admin1))
    rows = panel_data.ranking(view, admin1=state.admin1, top=state.top, selected=state.unit)
    ranking = panels.ranking_figure(rows, view, lang)
    box = ranking_box(ranking)
    new_key = panels.ranking_key(rows, view)
    message = no_update
    if new_key and new_key == ranking_key:  # the browser holds this layer's names and ids
        # values only on both figures: as numbers when neither moves (layouts/paint.py)
        packed = (
            None
            if focus_map or values is None or over is not None
            else paint.encode(values, view.metric, figures.selection(view), ranking, lang)
        )
        if packed is not None:
            fig, ranking, message = no_update, no_update, packed
        else:
            ranking = panels.ranking_patch(ranking)
        new_key = no_update
    summary = panels.summary_cards(panel_data.summary(store, catalog, view), view, lang)
    detail = panel_data.unit_detail(store, catalog, view, state.unit) if state.unit else None
    answers = place.place_answers(store, catalog, state, state.unit) if detail else None
    return {
        "figure": fig,
        "geo": geo,
        "title": view.title,
        "legend": legend_items(view),
        "caption": view.caption,
        "alt": view.alt_text,
        "notes": [html.P([html.Strong(h + ": ") if h else "", text]) for h, text in view.notes],
        "ranking": ranking,
        "ranking_box": box,
        "ranking_key": new_key,
        "paint": message,
        "summary": summary,
        "panel": panels.unit_panel(detail, view, lang, app_ctx.urls, answers),
        "layer_options": overlay_layout.switch_options(lang, found, state.layers),
        "layer_notes": overlay_layout.notes(view, found, app_ctx.urls),
        **page,
    }


def ranking_box(ranking) -> dict:
    """The style of the ranking's box: the height the ranking's rows need, when it names them
    (dcc.Graph drops a figure's own height and fills its box; the box around scrolls)."""
    if isinstance(ranking, dict):
        height = (ranking.get("layout") or {}).get("height")
    else:  # a plotly figure (a message instead of a ranking)
        height = ranking.layout.height
    return {"height": f"{height}px"} if height else {}


#: Zoom from which the map swaps to the detailed geometry (about one municipality per 100 px).
DETAIL_ZOOM = 6.0


def geometry_urls(store, country: str, level: str, lod: str, urls) -> tuple[str, str | None]:
    """URLs of the units' and (for municipalities) the admin-1 outlines' display files."""
    units = urls.geo(store.geo_file(country, level, lod))
    with_outlines = level == "municipality" and "admin1" in store.levels(country)
    return units, (urls.geo(store.geo_file(country, "admin1", lod)) if with_outlines else None)


def geometry_record(store, country: str, level: str, urls) -> dict:
    """What the browser needs to swap levels of detail on zoom by itself (assets/atlas.js,
    ``atlas.detail``): the files of each level of detail, the one shown and the swap zoom. The
    swap is clientside so that it is instant and no later relayout event (a resize, a pan
    without zoom) can cancel it."""
    return {
        "key": f"{country}:{level}",
        "lod": "low",
        "detail_zoom": DETAIL_ZOOM,
        "files": {lod: geometry_urls(store, country, level, lod, urls) for lod in ("low", "high")},
    }


def legend_items(view) -> list:
    """The legend: each class's swatch, label and count, the count written with the reader's
    thousands separator ("(4.530)" in es and pt, "(4,530)" in en)."""
    lang = view.state.lang
    return [
        html.Div(
            [
                html.Span(
                    className="swatch",
                    style={"backgroundColor": e.colour},
                    **{"aria-hidden": "true"},
                ),
                html.Span(e.label, className="legend-label"),
                html.Span(f"({number(e.count, 0, lang)})", className="legend-count"),
            ],
            className="legend-item",
            role="listitem",
        )
        for e in view.legend
    ]


def register(app: Dash, app_ctx) -> None:
    # One callback sets the view and the controls: a control's change is one round trip. Split
    # in two, Dash held the view until the controls' answer came back (some of the view's
    # inputs are the controls' outputs), two round trips per switch. Its outputs that are also
    # its inputs (a value a change of country or indicator resolves) do not call it again.
    @app.callback(
        output={**VIEW_OUTPUTS, **CONTROL_OUTPUTS},
        inputs={**CONTROL_VALUES, **PAGE_INPUTS},
        state={
            "lang": State(ids.LANG, "data"),
            "geo": State(ids.GEO, "data"),
            "ranking_key": State(ids.RANKING_KEY, "data"),
        },
    )
    def _view(lang, geo, ranking_key, table_page, **values):
        state = state_from_controls(lang, **values)
        changed = set(dash_ctx.triggered_prop_ids)
        figures_too = not changed or not changed <= TABLE_ONLY_INPUTS
        focus_map = bool(changed & FOCUS_INPUTS) or (
            not changed and bool(state.unit or state.admin1)
        )
        layers_changed = not changed or bool(changed & LAYER_INPUTS)
        shown = update_view(
            app_ctx,
            state,
            geo,
            table_page or 0,
            figures_too,
            focus_map,
            ranking_key,
            layers_changed,
        )
        # the page's controls already hold the first view's (layouts/map_page.py); a change of
        # the selection, a filter or the tab leaves them as they are
        if changed & CONTROL_INPUTS:
            return {**shown, **control_outputs(app_ctx, state)}
        return {**shown, **dict.fromkeys(CONTROL_OUTPUTS, no_update)}

    @app.callback(
        Output(ids.PLAN_TARGETS, "children"),
        Input(ids.SELECTED, "data"),
        Input(ids.INDICATOR, "value"),
        State(ids.LANG, "data"),
    )
    def _plan_offers(unit, indicator, lang):
        return plan_offers(app_ctx, unit, indicator, lang)

    @app.callback(
        Output(ids.FRAMEWORK, "value"),
        Output(ids.LOCAL_VALUE, "value"),
        Output(ids.LOCAL_YEAR, "value"),
        Input({"type": overlay_layout.PLAN_BUTTON, "value": ALL, "year": ALL}, "n_clicks"),
        prevent_initial_call=True,
    )
    def _use_plan_target(_clicks):
        pressed = dash_ctx.triggered[0].get("value") if dash_ctx.triggered else None
        return plan_target_from_click(dash_ctx.triggered_id, pressed)

    app.clientside_callback(
        ClientsideFunction("atlas", "toggleDrawer"),
        Output(ids.CONTROLS_DRAWER, "is_open"),
        Output(ids.CONTROLS_TOGGLE, "aria-expanded"),
        Input(ids.CONTROLS_TOGGLE, "n_clicks"),
        State(ids.CONTROLS_DRAWER, "is_open"),
        prevent_initial_call=True,
    )

    app.clientside_callback(
        ClientsideFunction("atlas", "exportLinks"),
        [Output(ids.export_link(fmt), "href") for fmt in EXPORT_FORMATS],
        Input(ids.SHOWN, "data"),
        [State(ids.export_link(fmt), "href") for fmt in EXPORT_FORMATS],
        prevent_initial_call=True,
    )

    app.clientside_callback(
        ClientsideFunction("atlas", "fit"),
        Output(ids.MAP_FIT, "data"),
        Input(ids.MAP, "figure"),
        State(ids.MAP, "id"),
        State(ids.MAP_FIT, "data"),
        prevent_initial_call=True,
    )

    app.clientside_callback(
        ClientsideFunction("atlas", "paint"),
        Output(ids.MAP, "figure", allow_duplicate=True),
        Output(ids.RANKING, "figure", allow_duplicate=True),
        Input(ids.PAINT, "data"),
        prevent_initial_call=True,
    )

    app.clientside_callback(
        ClientsideFunction("atlas", "detail"),
        Output(ids.MAP, "figure", allow_duplicate=True),
        Output(ids.GEO, "data", allow_duplicate=True),
        Input(ids.MAP, "relayoutData"),
        State(ids.GEO, "data"),
        prevent_initial_call=True,
    )

    @app.callback(
        Output(ids.SELECTED, "data"),
        Output(ids.COUNTRY, "value"),
        Input(ids.MAP, "clickData"),
        Input(ids.RANKING, "clickData"),
        Input(ids.SEARCH, "value"),
        State(ids.COUNTRY, "value"),
        State(ids.SELECTED, "data"),
        State(ids.RANKING_KEY, "data"),
        prevent_initial_call=True,
    )
    def _select(map_click, ranking_click, searched, country, selected, ranking_key):
        trigger = dash_ctx.triggered_id
        # only a click on a layer-ordered ranking needs its layer's ids
        rows = layer_ids(app_ctx.store, ranking_key) if trigger == ids.RANKING else None
        return selection(trigger, map_click, ranking_click, searched, country, selected, rows)

    @app.callback(
        Output(ids.TABLE_PAGE, "data"),
        Input({"type": panels.PAGE_BUTTON, "dir": ALL}, "n_clicks"),
        State({"type": panels.PAGE_BUTTON, "dir": ALL}, "value"),
        prevent_initial_call=True,
    )
    def _page(clicks, _targets):
        return page_from_click(dash_ctx.triggered_id, clicks, dash_ctx.states_list[0])


def page_from_click(trigger, clicks, buttons) -> int:
    """The table page a pager button goes to: its ``value``, set by the table from the page it
    shows (clamped), not the stored page (which may lie past the end after a filter)."""
    if not trigger or not any(clicks or []):
        raise PreventUpdate
    for button in buttons:
        value = str(button.get("value", ""))
        if button["id"] == trigger and value.isascii() and value.isdigit():
            return int(value)
    raise PreventUpdate


def layer_ids(store, ranking_key):
    """The unit ids of the layer a layer-ordered ranking draws (its key "BRA:municipality"), in
    its points' order (the store's own array); None for a ranking that carries its ids."""
    if not isinstance(ranking_key, str) or ":" not in ranking_key:
        return None
    country, level = ranking_key.split(":", 1)
    if country not in store.countries() or level not in store.levels(country):
        return None
    return store.layer(country, level).unit_ids


def selection(
    trigger, map_click, ranking_click, searched, country, selected=None, ranking_ids=None
):
    """(selected unit, country) after a click on the map or the ranking or a search pick. A
    unit found by name may lie in another country: the map then switches to that country. The
    search box showing the unit already selected (callbacks.search sets it from the selection)
    changes nothing."""
    if trigger == ids.MAP:
        unit = selected_from_click(map_click, trace=MAP_UNIT_TRACES)
    elif trigger == ids.RANKING:
        unit = selected_from_click(ranking_click, ranking_ids=ranking_ids)
    elif isinstance(searched, str) and searched and searched != selected:
        unit = searched
    else:
        raise PreventUpdate
    if len(unit) == 3:  # a country on the six-country map: open its map, nothing selected
        return "", unit
    return unit, (unit[:3] if unit[:3] != country else no_update)


#: The map's traces whose click selects a unit: the units and the layers over them (a unit
#: under a layer is clicked through it), not the outlines (which take no hover or click).
MAP_UNIT_TRACES = (0, *figures.OVERLAY_TRACES)


def selected_from_click(click, trace: int | tuple[int, ...] | None = None, ranking_ids=None) -> str:
    """The unit id of a click on the map (location) or the ranking (customdata, or, on a
    layer-ordered ranking's first trace, the point's row in ``ranking_ids``). On the map only
    the units trace and the layers over it count (``trace``: :data:`MAP_UNIT_TRACES`), not the
    outlines drawn over it."""
    try:
        point = click["points"][0]
    except (TypeError, KeyError, IndexError):
        raise PreventUpdate from None
    traces = (trace,) if isinstance(trace, int) else trace
    if traces is not None and point.get("curveNumber", 0) not in traces:
        raise PreventUpdate
    uid = point.get("location") or point.get("customdata")
    index = point.get("pointIndex", point.get("pointNumber"))
    if (
        uid is None
        and ranking_ids is not None
        and point.get("curveNumber") == 0
        and isinstance(index, int)
    ):
        uid = ranking_ids[index] if 0 <= index < len(ranking_ids) else None
    if isinstance(uid, list):
        uid = uid[0]
    if not isinstance(uid, str):
        raise PreventUpdate
    return uid


def plan_offers(app_ctx, unit, indicator, lang) -> list:
    """The selected unit's plan targets for the indicator, offered beside the map's target
    frameworks (:func:`atlas.overlays.plan_offers`); nothing without a selection."""
    lang = lang_or_default(lang)
    if not isinstance(unit, str) or not isinstance(indicator, str) or not unit:
        return []
    offers = overlays.plan_offers(app_ctx.db, app_ctx.store, app_ctx.catalog, unit, indicator, lang)
    if not offers:
        return []
    name = str(app_ctx.store.unit(unit)["name"])
    return overlay_layout.plan_offers(offers, name, lang)


def plan_target_from_click(trigger, clicks) -> tuple[str, float, int]:
    """The local framework set to the plan target whose button was pressed (``trigger``, its
    id; ``clicks``, its count: none when it was only drawn): ("local", value, year), each
    checked as its URL parameter is (a forged id changes nothing)."""
    if not isinstance(trigger, dict) or not clicks:
        raise PreventUpdate
    value = urlstate.PARSERS["local_value"](str(trigger.get("value", "")))
    year = urlstate.PARSERS["local_year"](str(trigger.get("year", "")))
    if value is None or year is None:
        raise PreventUpdate
    return "local", value, year

"""Place search: typeahead options for the ``unit-search`` dropdown of the map page.

:func:`options_for` is a pure function of the store and the typed text: units whose name contains
the text ignoring accents, case and punctuation (``Store.search``: exact names first, then names
starting with the text, then the rest; larger places first), labelled
"Name — Admin-1 (Country)". It never raises: anything that is not a string of at least two letters
or digits gives no options. The callback keeps the selected unit's option in the list, because the
dropdown clears a value that is missing from its options. The box shows the selected unit however
it was selected (a link's ``?u=``, a click on the map or the ranking, Back and Forward):
:func:`box_for_selection`.
"""

from __future__ import annotations

from dash import Dash, Input, Output, State
from dash.exceptions import PreventUpdate

from atlas.i18n import lang_or_default
from atlas.places import country_label
from atlas.profile import unit_kind
from atlas.store import Store
from atlas.text import fold
from layouts import ids
from layouts.search import SEARCH

MIN_CHARS = 2
MAX_QUERY = 100  # characters of the typed text that are looked at


def _folded(query) -> str:
    if not isinstance(query, str):
        return ""
    return fold(query[:MAX_QUERY])


def option(store: Store, hit: dict, lang: str) -> dict:
    """One dropdown option for a unit (a ``Store.search`` hit or ``Store.unit`` row)."""
    country = country_label(store, hit["country"], lang)
    if hit["level"] == "municipality" and hit.get("admin1_name"):
        where = hit["admin1_name"]
    else:  # an admin-1 unit: say what it is ("Bogotá, D.C. — departamento (Colombia)")
        where = unit_kind(hit["country"], hit["level"], lang)
    label = f"{hit['name']} — {where} ({country})"
    return {
        "label": label,
        "value": hit["unit_id"],
        # The browser filters options again as the user types; index the accent-free text too.
        "search": " ".join((fold(label), label)),
    }


def options_for(store: Store, query, lang: str, limit: int = 20) -> list[dict]:
    """Options for the typed ``query``: ``[{"label", "value": unit_id, "search"}]``, best first."""
    q = _folded(query)
    if len(q.replace(" ", "")) < MIN_CHARS:
        return []
    lang = lang_or_default(lang)
    limit = max(1, min(int(limit), 100))
    return [option(store, hit, lang) for hit in store.search(q, limit=limit)]


def current_option(store: Store, unit_id, lang: str) -> dict | None:
    """The option of the selected unit, or None for no (or an unknown) selection."""
    if not isinstance(unit_id, str) or not unit_id:
        return None
    try:
        unit = store.unit(unit_id)
    except (KeyError, TypeError, ValueError):
        return None
    return option(store, unit, lang_or_default(lang))


def update_options(store: Store, query, current, lang) -> list[dict]:
    """The callback's body: new options for ``query``, keeping the ``current`` selection."""
    if len(_folded(query).replace(" ", "")) < MIN_CHARS:
        raise PreventUpdate
    opts = options_for(store, query, lang)
    keep = current_option(store, current, lang)
    if keep is not None and all(o["value"] != keep["value"] for o in opts):
        opts.append(keep)
    return opts


def box_for_selection(store: Store, selected, shown, lang) -> tuple:
    """(value, options) of the box for the ``selected`` unit; nothing to do when the box already
    shows it (which is also what stops the round trip box -> selection -> box)."""
    selected = selected or None
    if selected == (shown or None):
        raise PreventUpdate
    keep = current_option(store, selected, lang)
    if keep is None:
        return None, []
    return keep["value"], [keep]


def register(app: Dash, ctx) -> None:
    @app.callback(
        Output(SEARCH, "options"),
        Input(SEARCH, "search_value"),
        State(SEARCH, "value"),
        State(ids.LANG, "data"),
        # an empty box has nothing to look for (a round trip the view would wait for)
        prevent_initial_call=True,
    )
    def _search(query, current, lang):
        return update_options(ctx.store, query, current, lang)

    @app.callback(
        Output(SEARCH, "value"),
        Output(SEARCH, "options", allow_duplicate=True),
        Input(ids.SELECTED, "data"),
        State(SEARCH, "value"),
        State(ids.LANG, "data"),
        prevent_initial_call="initial_duplicate",
    )
    def _show_selection(selected, shown, lang):
        return box_for_selection(ctx.store, selected, shown, lang)

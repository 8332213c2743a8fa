"""What the controls offer for a given state, and how a state is made consistent with the data."""

from __future__ import annotations

from dataclasses import replace

from atlas import analysis
from atlas.catalog import Catalog
from atlas.i18n import label, t
from atlas.places import country_label
from atlas.store import ALL, Store
from atlas.urlstate import CLASSIFICATIONS, FRAMEWORKS, State
from atlas.views import REGISTRY, Availability

DEFAULT_INDICATORS = ("infant_mortality", "poverty_extreme", "poverty")
TOP_CHOICES = (0, 10, 25, 50)


def country_choices(store: Store, lang: str) -> list[tuple[str, str]]:
    """The six countries, then all six together when the store has their national series."""
    out = [(c, country_label(store, c, lang)) for c in store.countries()]
    if store.has_all:
        out.append((ALL, t("controls.all_countries", lang)))
    return out


def invalid_notice(state: State, message: str = "errors.bad_parameter") -> str:
    """What the reader is told when :func:`resolve` replaced a value (empty when none was):
    by default about a link's parameters; ``errors.bad_value`` for a value typed on the page."""
    lang = state.lang
    return " ".join(t(message, lang, name=t(f"params.{name}", lang)) for name in state.invalid)


def level_choices(store: Store, country: str, lang: str) -> list[tuple[str, str]]:
    return [(lvl, t(f"level.{lvl}", lang)) for lvl in store.levels(country)]


def available_indicators(store: Store, catalog: Catalog, country: str, level: str) -> list[str]:
    """Indicators with data; for all six countries together, only those the catalog marks as
    comparable across countries (international series), never national definitions side by side."""
    inds = store.indicators(country, level)
    if country == ALL:
        inds = [
            i for i in inds if i in catalog.indicators and catalog[i].comparable_across_countries
        ]
    return inds


def indicator_choices(
    store: Store, catalog: Catalog, country: str, level: str, lang: str
) -> list[tuple[str, list[tuple[str, str]]]]:
    """Indicators with data for the country and level, grouped by MDG goal (goal order)."""
    available = set(available_indicators(store, catalog, country, level))
    groups: dict[int, list[tuple[str, str]]] = {}
    for ind in catalog:
        if ind.id in available:
            groups.setdefault(ind.goal, []).append((ind.id, label(ind.label, lang)))
    order = sorted(groups, key=lambda g: (g == 0, g))
    return [(t(f"goal.{g}", lang), sorted(groups[g], key=lambda x: x[1])) for g in order]


def view_choices(lang: str) -> list[tuple[str, str]]:
    return [(v, t(f"views.name.{v}", lang)) for v in REGISTRY.names()]


def framework_choices(lang: str) -> list[tuple[str, str]]:
    return [(f, t(f"target.framework.{f}", lang)) for f in FRAMEWORKS]


def classification_choices(lang: str) -> list[tuple[str, str]]:
    return [(c, t(f"classify.{c}", lang)) for c in CLASSIFICATIONS]


def admin1_choices(store: Store, country: str) -> list[tuple[str, str]]:
    if "admin1" not in store.levels(country):
        return []
    layer = store.layer(country, "admin1")
    return [(uid[3:], name) for uid, name in zip(layer.unit_ids, layer.names, strict=True)]


def base_years(store: Store, catalog: Catalog, state: State) -> list[int]:
    """Years a change to ``state.year`` can start from: the earlier years whose values may be
    compared with it (:func:`atlas.analysis.joined_years`)."""
    if not state.indicator or state.year is None:
        return []
    joined = analysis.joined_years(
        store, catalog, state.indicator, state.country, state.level, state.year
    )
    return [y for y in joined if y < state.year]


def allowed_views(store: Store, catalog: Catalog, state: State) -> list[str]:
    """Views that make sense for the state's indicator (each view says when: change needs two
    years, gap a numeric target, gap and status a direction)."""
    ind = catalog[state.indicator]
    a = Availability(
        indicator=ind,
        years=store.years(state.indicator, state.country, state.level),
        target_of=lambda: analysis.state_target(catalog, state),
        comparable_years=ind.comparable_years(state.country, state.level),
    )
    return [v.name for v in REGISTRY if v.available(a)]


#: Fields of the controls panel shown only for some views or choices.
OPTIONAL_FIELDS = ("base_year", "framework", "local_target", "breaks")


def shown_fields(view: str, framework: str, classification: str) -> dict[str, bool]:
    """Which optional fields of the controls show: a view's own controls (a start year, a
    target), the local target's value and year once "local" is picked for a view with a target,
    and the breaks once "manual" is picked (before they hold a value, so they can be filled)."""
    controls = REGISTRY[view].controls if view in REGISTRY else frozenset()
    return {
        "base_year": "base_year" in controls,
        "framework": "framework" in controls,
        "local_target": "framework" in controls and framework == "local",
        "breaks": classification == "manual",
    }


def resolve(state: State, store: Store, catalog: Catalog) -> State:
    """Make a state consistent with the data: each invalid part falls back, and is reported."""
    invalid = list(state.invalid)
    countries = [c for c, _ in country_choices(store, state.lang)]
    if state.country not in countries:
        invalid.append("country")
        state = replace(state, country=countries[0])
    levels = store.levels(state.country)
    if state.level not in levels:
        if state.level != "municipality":
            invalid.append("level")
        state = replace(state, level=levels[0])
    inds = available_indicators(store, catalog, state.country, state.level)
    if state.indicator not in inds:
        if state.indicator and state.indicator not in DEFAULT_INDICATORS:
            invalid.append("indicator")
        default = next((i for i in DEFAULT_INDICATORS if i in inds), None)
        state = replace(state, indicator=default or (inds[0] if inds else ""))
    if not state.indicator:
        return replace(state, year=None, invalid=tuple(dict.fromkeys(invalid)))
    years = store.years(state.indicator, state.country, state.level)
    if state.year not in years:
        if state.year is not None:
            invalid.append("year")
        state = replace(state, year=years[-1])
    if state.framework == "local" and (state.local_value is None or not state.local_year):
        state = replace(state, framework="mdg2015")
        invalid.append("framework")
    if state.view not in allowed_views(store, catalog, state):
        invalid.append("view")
        state = replace(state, view="value")
    earlier = base_years(store, catalog, state)
    view = REGISTRY[state.view]
    if "base_year" in view.controls and not earlier:
        # the latest year a change can end at (a series that does not join the others starts
        # its own changes); none: the value view
        ends = [y for y in reversed(years) if base_years(store, catalog, replace(state, year=y))]
        if ends:
            state = replace(state, year=ends[0])
            earlier = base_years(store, catalog, state)
        else:
            invalid.append("view")
            state, view = replace(state, view="value"), REGISTRY["value"]
    if "base_year" in view.controls:
        if state.base_year not in earlier:
            if state.base_year is not None:
                invalid.append("base_year")
            state = replace(state, base_year=earlier[0])
    if state.classification == "manual" and not state.breaks:
        invalid.append("breaks")
        state = replace(state, classification="quantiles")
    if state.classification not in view.classifications:
        invalid.append("classification")
        state = replace(state, classification="quantiles")
    if state.unit and state.unit not in store.layer(state.country, state.level).index:
        invalid.append("unit")  # not a unit of this map (another country, level, a typo)
        state = replace(state, unit="")
    if state.top not in TOP_CHOICES:
        invalid.append("top")
        state = replace(state, top=0)
    if state.admin1 and state.admin1 not in {c for c, _ in admin1_choices(store, state.country)}:
        invalid.append("admin1")
        state = replace(state, admin1="")
    return replace(state, invalid=tuple(dict.fromkeys(invalid)))

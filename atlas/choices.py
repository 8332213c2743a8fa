"""What the controls offer for a given state: countries, levels, indicators by goal, years."""

from __future__ import annotations

from dataclasses import replace

from atlas.catalog import Catalog
from atlas.i18n import label, t
from atlas.store import Store
from atlas.urlstate import State


def level_choices(store: Store, country: str, lang: str) -> list[tuple[str, str]]:
    return [(lvl, t(f"level.{lvl}", lang)) for lvl in store.levels(country)]


def indicator_choices(
    store: Store, catalog: Catalog, country: str, level: str, lang: str
) -> list[tuple[str, list[tuple[str, str]]]]:
    """Indicators with data for the country and level, grouped by MDG goal (goal order)."""
    available = set(store.indicators(country, level))
    groups: dict[int, list[tuple[str, str]]] = {}
    for ind in catalog:
        if ind.id in available:
            groups.setdefault(ind.goal, []).append((ind.id, label(ind.label, lang)))
    order = sorted(groups, key=lambda g: (g == 0, g))
    return [(t(f"goal.{g}", lang), sorted(groups[g], key=lambda x: x[1])) for g in order]


def resolve(state: State, store: Store, catalog: Catalog) -> State:
    """Make a state consistent with the data: each invalid part falls back, and is reported."""
    invalid = list(state.invalid)
    countries = store.countries()
    if state.country not in countries:
        invalid.append("country")
        state = replace(state, country=countries[0])
    levels = store.levels(state.country)
    if state.level not in levels:
        if state.level != "municipality":
            invalid.append("level")
        state = replace(state, level=levels[0])
    inds = store.indicators(state.country, state.level)
    if state.indicator not in inds:
        if state.indicator:
            invalid.append("indicator")
        default = next(
            (i for i in ("infant_mortality", "poverty_extreme", "poverty") if i in inds), None
        )
        state = replace(state, indicator=default or (inds[0] if inds else ""))
    years = store.years(state.indicator, state.country, state.level) if state.indicator else []
    if state.year not in years:
        if state.year is not None:
            invalid.append("year")
        state = replace(state, year=years[-1] if years else None)
    return replace(state, invalid=tuple(dict.fromkeys(invalid)))

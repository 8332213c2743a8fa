"""Progress for one layer of the store, and the population weights it needs: the glue between
:mod:`atlas.store` (values) and :mod:`atlas.method` (the arithmetic).

Everything here is computed from the store on demand (Brazil: a few tens of milliseconds) and
returned as new objects; nothing is cached in module state.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from atlas.catalog import Catalog
from atlas.method import (
    STATUSES,
    Target,
    assess_many,
    local_target,
    target_for,
)
from atlas.store import Store
from atlas.urlstate import State


@dataclass(frozen=True)
class LocalTarget:
    """A target a user set for a municipal plan: reach ``value`` by ``year``."""

    value: float
    year: int


def target(
    catalog: Catalog,
    indicator: str,
    country: str,
    framework: str,
    local: LocalTarget | None = None,
) -> Target:
    if framework == "local":
        if local is None:
            raise ValueError("The local framework needs a target value and year.")
        return local_target(indicator, local.value, local.year)
    ind = catalog[indicator]
    return target_for(framework, indicator, direction=ind.direction, country=country)


def state_target(catalog: Catalog, state: State) -> Target:
    """The target a view's state asks for. A local target without both a value and a year
    falls back to the global MDG one (:func:`atlas.choices.resolve` reports it in the URL)."""
    local = (
        LocalTarget(state.local_value, state.local_year)
        if state.local_value is not None and state.local_year
        else None
    )
    framework = "mdg2015" if state.framework == "local" and local is None else state.framework
    return target(catalog, state.indicator, state.country, framework, local)


def joined_years(
    store: Store, catalog: Catalog, indicator: str, country: str, level: str, year: int
) -> list[int]:
    """The layer's years whose values may be compared with ``year``'s: all of them, unless the
    catalog says a series does not join the others (then those of the same series only)."""
    cube = store.cube(indicator, country, level)
    if cube is None or year not in cube.years:
        return []
    ind, source = catalog[indicator], cube.sources[cube.column(year)]
    return [
        y
        for y, s in zip(cube.years, cube.sources, strict=True)
        if ind.joinable(country, level, source, s)
    ]


def long_values(store: Store, indicator: str, country: str, level: str, until: int | None = None):
    """The layer's observations as a long table (unit_id, year, value), NaN rows dropped; flagged
    values (kept as published, not the unit's own or not stable) are left out like missing ones."""
    cube = store.cube(indicator, country, level)
    layer = store.layer(country, level)
    if cube is None:
        return pd.DataFrame({"unit_id": [], "year": [], "value": []})
    years = np.array(cube.years)
    keep = years <= until if until is not None else np.ones(len(years), dtype=bool)
    frame = pd.DataFrame(cube.usable[:, keep], index=pd.Index(layer.unit_ids, name="unit_id"))
    frame.columns = years[keep]
    long = frame.stack().rename("value").reset_index()
    long.columns = ["unit_id", "year", "value"]
    return long


def layer_progress(
    store: Store,
    catalog: Catalog,
    *,
    indicator: str,
    country: str,
    level: str,
    framework: str = "mdg2015",
    local: LocalTarget | None = None,
    until: int | None = None,
    tgt: Target | None = None,
) -> pd.DataFrame:
    """One row per unit of the layer (in display order): every progress field and the status.

    ``until`` keeps only observations up to that year (e.g. to assess 1990->2010 only).
    ``tgt`` overrides ``framework``/``local`` with a target already computed by the caller.
    Units with no observation get ``insufficient_data``.
    """
    ind = catalog[indicator]
    tgt = tgt or target(catalog, indicator, country, framework, local)
    long = long_values(store, indicator, country, level, until)
    # progress compares the latest year with years of series that join it (not another edition)
    if len(long):
        joined = joined_years(store, catalog, indicator, country, level, int(long["year"].max()))
        long = long[long["year"].isin(joined)]
    result = assess_many(long, tgt, direction=ind.direction, valid_range=ind.valid_range)
    layer = store.layer(country, level)
    result = result.reindex(pd.Index(layer.unit_ids, name="unit_id"))
    result["status"] = result["status"].fillna("insufficient_data")
    return result


def status_counts(progress: pd.DataFrame, population: np.ndarray | None = None) -> pd.DataFrame:
    """Units (and population, where known) per status class, in the canonical status order."""
    counts = progress["status"].value_counts()
    out = pd.DataFrame({"units": [int(counts.get(s, 0)) for s in STATUSES]}, index=list(STATUSES))
    if population is not None:
        pop = pd.Series(np.asarray(population, dtype="float64"), index=progress.index)
        by = pop.groupby(progress["status"]).sum(min_count=1)
        out["population"] = [float(by.get(s, 0.0)) for s in STATUSES]
        total = np.nansum(pop.to_numpy())
        out["population_share"] = out["population"] / total if total else np.nan
    return out[out["units"] > 0]


def population_near(
    store: Store, country: str, year: int, level: str = "municipality"
) -> np.ndarray:
    """Each unit's population in the population year closest to ``year`` (NaN where unknown)."""
    layer = store.layer(country, level)
    cube = store.cube("population", country, level)
    if cube is None:
        return np.full(len(layer), np.nan)
    j = int(np.argmin([abs(y - year) for y in cube.years]))
    return cube.values[:, j].copy()

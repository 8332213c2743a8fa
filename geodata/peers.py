"""Peers across borders, computed once at build time: ``peers.parquet``.

Two questions for every municipal unit (docs: the methodology page, section "peers"):

* **like** - "municipalities like yours": the nearest units on standardised features, in the
  unit's own country and in each of the others. The features are :data:`FEATURES`: infant
  mortality (the one MDG indicator with municipal values that the catalog marks comparable
  across countries), illiteracy (census self-report; 15 and over in Mexico, 18 and over in
  Brazil: alike enough to compare levels, with that caveat) and the logarithm of population.
  Poverty, overcrowding, water and sanitation are left out: each country draws them with its own
  line or threshold (the catalog's comparability notes say so). Each unit's feature is its latest
  value that is not flagged, of whatever year (the table keeps the years). A z-score over all
  municipal units of the six countries puts the features on one scale; two units are compared on
  the features both have (population and at least one indicator), and the distance is the root
  mean square of their z-score differences. A compiled k-d tree (``scipy.spatial.cKDTree``)
  finds the neighbours.
* **better** - "who did better from a similar start": for each indicator of :data:`PACE_FEATURES`,
  the units of any country whose baseline (the MDG 2015 framework's, :func:`atlas.method.assess_many`
  on unflagged values) lies within :data:`BASELINE_WINDOW` of the unit's baseline value and
  :data:`BASELINE_YEARS` of its year, and whose observed pace (compound annual rate, signed so
  that positive is improvement) was faster than the unit's; the :data:`K_BETTER` fastest.

One row per unit, kind, peer and feature (``indicator_id``): ``rank`` orders the peers of a unit
within a kind and the peer's country (like) or indicator (better).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from atlas.catalog import Catalog
from atlas.method import assess_many, target_for
from atlas.peers import (
    BASELINE_WINDOW,
    BASELINE_YEARS,
    FEATURES,
    FRAMEWORK,
    K_BETTER,
    K_OTHER,
    K_SAME,
    PACE_FEATURES,
    POPULATION,
)

PEER_COLUMNS = [
    "unit_id",
    "kind",  # like | better
    "rank",  # 1 = nearest (like) or fastest (better), within the peer's country / the indicator
    "peer_id",
    "peer_country",
    "indicator_id",  # the feature compared (like) or the indicator of the pace (better)
    "distance",  # like: root mean square z-score difference over the shared features
    "unit_year",  # like: the year of the unit's value; better: its baseline year
    "unit_value",
    "peer_year",
    "peer_value",
    "unit_pace",  # better: observed compound annual rate (fraction a year), unsigned
    "peer_pace",
    "unit_end",  # better: the latest year of the observed pace
    "peer_end",
]


def empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=_dtype(c)) for c in PEER_COLUMNS})


def _dtype(column: str) -> str:
    if column in ("unit_id", "kind", "peer_id", "peer_country", "indicator_id"):
        return "object"
    if column == "rank":
        return "int64"
    return "float64"


def latest_values(units: pd.DataFrame, obs: pd.DataFrame) -> pd.DataFrame:
    """Each municipal unit's latest unflagged value of every feature: unit_id, indicator_id, year,
    value (population as published; the log is taken for the distance only)."""
    muni = units.loc[units["level"] == "municipality", "unit_id"]
    keep = (
        obs["unit_id"].isin(set(muni))
        & obs["indicator_id"].isin([*FEATURES, POPULATION])
        & (obs["flag"].fillna("") == "")
        & np.isfinite(obs["value"].to_numpy(dtype="float64", na_value=np.nan))
    )
    rows = obs.loc[keep, ["unit_id", "indicator_id", "year", "value"]]
    rows = rows[(rows["indicator_id"] != POPULATION) | (rows["value"] > 0)]
    rows = rows.sort_values(["unit_id", "indicator_id", "year"], kind="stable")
    return rows.groupby(["unit_id", "indicator_id"], sort=False).tail(1).reset_index(drop=True)


def _features(units: pd.DataFrame, latest: pd.DataFrame):
    """(wide z-scores, wide values, wide years, country of each unit), units as the index."""
    values = latest.pivot(index="unit_id", columns="indicator_id", values="value")
    years = latest.pivot(index="unit_id", columns="indicator_id", values="year")
    cols = [c for c in (POPULATION, *FEATURES) if c in values.columns]
    values, years = values.reindex(columns=cols), years.reindex(columns=cols)
    scaled = values.copy()
    if POPULATION in scaled:
        scaled[POPULATION] = np.log(scaled[POPULATION])
    z = (scaled - scaled.mean()) / scaled.std(ddof=0).replace(0, np.nan)
    country = units.set_index("unit_id")["country"].reindex(values.index)
    return z, values, years, country


def like_peers(units: pd.DataFrame, latest: pd.DataFrame) -> pd.DataFrame:
    if latest.empty:
        return empty()
    z, values, years, country = _features(units, latest)
    if POPULATION not in z:
        return empty()
    has = z.notna()
    indicators = [c for c in z.columns if c != POPULATION]
    countries = sorted(country.dropna().unique())
    # What each country has: a feature counts where most of its units have it.
    offered = {
        c: [f for f in z.columns if has.loc[country == c, f].mean() > 0.5] for c in countries
    }
    ids = z.index.to_numpy()
    pos = pd.Index(ids)
    country_arr = country.to_numpy()
    v_arr, y_arr = values.to_numpy(dtype="float64"), years.to_numpy(dtype="float64")
    cols = {f: i for i, f in enumerate(z.columns)}
    trees: dict[tuple[str, tuple[str, ...]], tuple[cKDTree, np.ndarray]] = {}
    out = []
    for mask, group in has.groupby(list(has.columns), sort=True):
        own = [f for f, on in zip(has.columns, mask, strict=True) if on]
        if POPULATION not in own or not any(f in own for f in indicators):
            continue
        for c in countries:
            shared = tuple(f for f in own if f in offered[c])
            if POPULATION not in shared or len(shared) < 2:
                continue
            if (c, shared) not in trees:
                cand = (country == c) & has[list(shared)].all(axis=1)
                trees[(c, shared)] = (
                    cKDTree(z.loc[cand, list(shared)].to_numpy()),
                    np.flatnonzero(cand.to_numpy()),
                )
            tree, cand_pos = trees[(c, shared)]
            same = country.loc[group.index] == c
            k = min((K_SAME if same.any() else K_OTHER) + 1, tree.n)
            if k == 0:
                continue
            dist, idx = tree.query(z.loc[group.index, list(shared)].to_numpy(), k=k)
            dist, idx = dist.reshape(len(group), -1), idx.reshape(len(group), -1)
            upos = pos.get_indexer(group.index)
            for row, u in enumerate(upos):
                want = K_SAME if country_arr[u] == c else K_OTHER
                keep = cand_pos[idx[row]] != u
                found_d, found_p = dist[row][keep][:want], cand_pos[idx[row]][keep][:want]
                for rank, (d, peer) in enumerate(zip(found_d, found_p, strict=True), start=1):
                    for f in shared:
                        col = cols[f]
                        out.append(
                            (ids[u], "like", rank, ids[peer], c, f, d / np.sqrt(len(shared)))
                            + (y_arr[u, col], v_arr[u, col], y_arr[peer, col], v_arr[peer, col])
                        )
    frame = pd.DataFrame(out, columns=PEER_COLUMNS[:11])
    return frame.reindex(columns=PEER_COLUMNS).astype({c: _dtype(c) for c in PEER_COLUMNS})


def paces(units: pd.DataFrame, obs: pd.DataFrame, catalog: Catalog, indicator: str) -> pd.DataFrame:
    """Baseline, latest and observed pace of every municipal unit on ``indicator`` under the MDG
    2015 framework, from unflagged values: unit_id, country, t0, x0, t, pace (fraction a year)."""
    ind = catalog[indicator]
    muni = units.loc[units["level"] == "municipality", ["unit_id", "country"]]
    rows = obs[(obs["indicator_id"] == indicator) & (obs["flag"].fillna("") == "")]
    rows = rows.merge(muni, on="unit_id")
    frames = []
    for c, g in rows.groupby("country", sort=True):
        target = target_for(FRAMEWORK, indicator, direction=ind.direction, country=c)
        p = assess_many(g, target, direction=ind.direction, valid_range=ind.valid_range)
        frames.append(
            pd.DataFrame(
                {
                    "unit_id": p.index.to_numpy(),
                    "country": c,
                    "t0": p["baseline_year"].to_numpy(dtype="float64"),
                    "x0": p["baseline_value"].to_numpy(dtype="float64"),
                    "t": p["latest_year"].to_numpy(dtype="float64"),
                    "pace": p["cagr"].to_numpy(dtype="float64"),
                }
            )
        )
    if not frames:
        return pd.DataFrame(columns=["unit_id", "country", "t0", "x0", "t", "pace"])
    out = pd.concat(frames, ignore_index=True)
    ok = np.isfinite(out["pace"]) & (out["x0"] > 0) & (out["t"] > out["t0"])
    return out[ok].reset_index(drop=True)


def better_peers(units: pd.DataFrame, obs: pd.DataFrame, catalog: Catalog) -> pd.DataFrame:
    out = []
    for indicator in PACE_FEATURES:
        if indicator not in catalog.indicators:
            continue
        sign = -1.0 if catalog[indicator].direction == "lower" else 1.0
        p = paces(units, obs, catalog, indicator).sort_values("x0", kind="stable")
        if p.empty:
            continue
        x0 = p["x0"].to_numpy()
        t0 = p["t0"].to_numpy()
        gain = sign * p["pace"].to_numpy()
        ids, cs = p["unit_id"].to_numpy(), p["country"].to_numpy()
        t, pace = p["t"].to_numpy(), p["pace"].to_numpy()
        lo = np.searchsorted(x0, x0 * (1 - BASELINE_WINDOW), side="left")
        hi = np.searchsorted(x0, x0 * (1 + BASELINE_WINDOW), side="right")
        for i in range(len(p)):
            j = np.arange(lo[i], hi[i])
            j = j[(j != i) & (np.abs(t0[j] - t0[i]) <= BASELINE_YEARS) & (gain[j] > gain[i])]
            if not len(j):
                continue
            j = j[np.lexsort((ids[j], -gain[j]))][:K_BETTER]
            for rank, k in enumerate(j, start=1):
                out.append(
                    (
                        ids[i],
                        "better",
                        rank,
                        ids[k],
                        cs[k],
                        indicator,
                        np.nan,
                        t0[i],
                        x0[i],
                        t0[k],
                        x0[k],
                        pace[i],
                        pace[k],
                        t[i],
                        t[k],
                    )
                )
    frame = pd.DataFrame(out, columns=PEER_COLUMNS)
    return frame.astype({c: _dtype(c) for c in PEER_COLUMNS})


def peers(units: pd.DataFrame, obs: pd.DataFrame, catalog: Catalog) -> pd.DataFrame:
    """The peers table of the store (:data:`PEER_COLUMNS`), sorted by unit, kind and rank.

    ``units``: unit_id, country, level; ``obs``: unit_id, indicator_id, year, value, flag (the
    store's tables). Deterministic: ties go to the smaller unit id.
    """
    frames = [
        f
        for f in (like_peers(units, latest_values(units, obs)), better_peers(units, obs, catalog))
        if len(f)
    ]
    if not frames:
        return empty()
    out = pd.concat(frames, ignore_index=True)
    return out.sort_values(
        ["unit_id", "kind", "peer_country", "indicator_id", "rank"], kind="stable"
    ).reset_index(drop=True)

"""Admin-1 values of municipal series, computed once at build time (states, departments, regions).

For every indicator with municipal values, each year and each admin-1 unit, the value is, in this
order (the same rules and numbers as the summary card of a state, atlas/panels.py ``summary``):

1. ``published``: the producer's own figure for the state (``aggregates``), when it comes from
   the same source as that year's municipal values (DANE's NBI departments);
2. ``producer_weights``: the mean of the municipal values weighted by the producer's own weights
   (``weights``: CONEVAL's population, MSP's births), when it gives any for the state that year;
3. ``population``: the mean weighted by the municipalities' population of the nearest year
   (:func:`atlas.method.rollup`'s rule; ties go to the earlier year).

Flagged municipal values keep their weight (a rate on few births still adds its births). A
roll-up is kept only when the municipalities it counts hold at least :data:`MIN_COVERAGE` of the
state's population (of its municipalities, when no population is known): otherwise the state's
value stays missing. Years in which the store already has the producer's own admin-1 series for
the indicator are left as they are (never a roll-up beside a producer's series in one year).
Counts (persons) are not averages and a mean of Gini coefficients is not a Gini: neither is
rolled up.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from atlas.method.rollup import MIN_COVERAGE

#: Indicators that a weighted mean of municipal values does not measure at admin-1.
NOT_ROLLED_UP = frozenset({"population", "gini"})
#: The columns of the store's admin1.parquet: how each admin-1 value was obtained.
BASIS_COLUMNS = ["unit_id", "indicator_id", "year", "basis", "units", "units_counted", "coverage"]


def _nearest_years(years: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """For each target year, the closest of ``years`` (sorted), the earlier one on a tie."""
    idx = np.abs(years[None, :] - targets[:, None]).argmin(axis=1)
    return years[idx]


def _year_sources(o: pd.DataFrame) -> pd.DataFrame:
    """The source of each country, indicator and year's municipal values (the most frequent,
    as the store's cubes name it)."""
    keys = ["country", "indicator_id", "year"]
    return (
        o.groupby(keys)["source_id"]
        .agg(lambda s: s.mode().iat[0])
        .rename("year_source")
        .reset_index()
    )


def _population(units: pd.DataFrame, obs: pd.DataFrame, mun: pd.DataFrame, years: pd.DataFrame):
    """Each municipality's population weight for each (country, year) in ``years``: the
    municipal population series of the nearest year, else the units table's population."""
    pop = obs[(obs["indicator_id"] == "population") & obs["unit_id"].isin(mun["unit_id"])]
    pop = pop.merge(mun[["unit_id", "country"]], on="unit_id")
    frames = []
    for country, g in years.groupby("country"):
        m = mun[mun["country"] == country]
        yrs = np.sort(g["year"].unique())
        pc = pop[pop["country"] == country]
        if len(pc):
            near = _nearest_years(np.sort(pc["year"].unique()), yrs)
            table = pc.pivot_table(index="unit_id", columns="year", values="value", aggfunc="first")
            table = table.reindex(m["unit_id"])
            for y, ny in zip(yrs, near, strict=True):
                frames.append(
                    pd.DataFrame(
                        {"unit_id": m["unit_id"].to_numpy(), "year": y, "pop": table[ny].to_numpy()}
                    )
                )
        else:
            base = units.set_index("unit_id").loc[m["unit_id"], "population"].to_numpy()
            for y in yrs:
                frames.append(
                    pd.DataFrame({"unit_id": m["unit_id"].to_numpy(), "year": y, "pop": base})
                )
    if not frames:
        return pd.DataFrame({"unit_id": [], "year": [], "pop": []})
    out = pd.concat(frames, ignore_index=True)
    out["pop"] = out["pop"].astype("float64")
    return out


def admin1_rollups(
    units: pd.DataFrame, obs: pd.DataFrame, weights: pd.DataFrame, aggregates: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The admin-1 values of the municipal series: observation rows (in ``obs``'s columns),
    weight rows (the producer's weights counted, for ``producer_weights`` values) and the basis
    of each value (:data:`BASIS_COLUMNS`)."""
    unit_cols = ["unit_id", "country", "level", "admin1_code"]
    mun = units.loc[units["level"] == "municipality", unit_cols].copy()
    mun["admin1_id"] = mun["country"] + mun["admin1_code"].astype(str)
    admin1_ids = set(units.loc[units["level"] == "admin1", "unit_id"])
    mun = mun[mun["admin1_id"].isin(admin1_ids)]
    empty = (obs.iloc[0:0], weights.iloc[0:0], pd.DataFrame(columns=BASIS_COLUMNS))
    if mun.empty:
        return empty

    o = obs.loc[
        obs["unit_id"].isin(mun["unit_id"]) & ~obs["indicator_id"].isin(NOT_ROLLED_UP),
        ["unit_id", "indicator_id", "year", "value", "source_id"],
    ]
    o = o.merge(mun[["unit_id", "country", "admin1_id"]], on="unit_id")
    # years in which the producer's own admin-1 series is in the store stay as they are
    a1 = obs.loc[obs["unit_id"].isin(admin1_ids), ["unit_id", "indicator_id", "year"]]
    a1 = a1.assign(country=a1["unit_id"].str[:3])[["country", "indicator_id", "year"]]
    keys = ["country", "indicator_id", "year"]
    o = o.merge(a1.drop_duplicates().assign(_own=True), on=keys, how="left")
    o = o[o["_own"].isna()].drop(columns="_own")
    if o.empty:
        return empty

    o = o.merge(_year_sources(o), on=keys)
    w = weights[["unit_id", "indicator_id", "year", "weight"]]
    o = o.merge(w, on=["unit_id", "indicator_id", "year"], how="left")
    years = o[["country", "year"]].drop_duplicates()
    pops = _population(units, obs, mun, years)
    o = o.merge(pops, on=["unit_id", "year"], how="left")

    v, wt, p = (o[c].to_numpy(dtype="float64") for c in ("value", "weight", "pop"))
    okw = np.isfinite(v) & np.isfinite(wt)
    okp = np.isfinite(v) & np.isfinite(p)
    o = o.assign(
        _wv=np.where(okw, wt * v, 0.0),
        _w=np.where(okw, wt, 0.0),
        _nw=okw,
        _pw=np.where(okw & np.isfinite(p), p, 0.0),
        _pv=np.where(okp, p * v, 0.0),
        _p=np.where(okp, p, 0.0),
        _np=okp,
        _has=np.isfinite(v),
    )
    group = ["admin1_id", "indicator_id", "year", "country", "year_source"]
    g = o.groupby(group, sort=True)[["_wv", "_w", "_nw", "_pw", "_pv", "_p", "_np", "_has"]].sum()
    g = g.reset_index()

    # the state's whole population (every municipality, with a value or not) and unit count
    state = pops.merge(mun[["unit_id", "admin1_id"]], on="unit_id")
    state = state.groupby(["admin1_id", "year"]).agg(
        pop_total=("pop", lambda s: float(np.nansum(s))), pop_known=("pop", "count")
    )
    g = g.join(state, on=["admin1_id", "year"])
    g["units"] = g["admin1_id"].map(mun.groupby("admin1_id").size()).astype(int)

    producer = g["_w"] > 0
    value = np.where(
        producer, g["_wv"] / g["_w"].where(producer), g["_pv"] / g["_p"].where(g["_p"] > 0)
    )
    counted = np.where(producer, g["_nw"], g["_np"]).astype(int)
    pop_counted = np.where(producer, g["_pw"], g["_p"])
    known = g["pop_total"] > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        coverage = np.where(known, pop_counted / g["pop_total"], np.nan)
        enough = np.where(known, coverage, counted / g["units"]) >= MIN_COVERAGE
    g = g.assign(
        value=value,
        basis=np.where(producer, "producer_weights", "population"),
        units_counted=counted,
        coverage=coverage,
        _enough=enough,
    )

    # the producer's published figure from the same source replaces the roll-up
    pub = aggregates.rename(columns={"unit_id": "admin1_id", "value": "_pub", "source_id": "_ps"})
    g = g.merge(pub, on=["admin1_id", "indicator_id", "year"], how="left")
    published = g["_pub"].notna() & (g["_ps"] == g["year_source"])
    g.loc[published, "value"] = g.loc[published, "_pub"]
    g.loc[published, "basis"] = "published"
    g.loc[published, "coverage"] = np.nan
    g.loc[published, "units_counted"] = g.loc[published, "_has"]

    keep = published | (np.isfinite(g["value"]) & g["_enough"])
    g = g[keep].reset_index(drop=True)

    rows = pd.DataFrame(
        {
            "unit_id": g["admin1_id"],
            "indicator_id": g["indicator_id"],
            "year": g["year"],
            "value": g["value"].astype("float64"),
            "ci_low": np.nan,
            "ci_high": np.nan,
            "source_id": g["year_source"],
            "flag": "",
            "flag_ref": "",
        }
    )
    rows = rows[list(obs.columns)].astype(obs.dtypes.to_dict())
    pw = g[g["basis"] == "producer_weights"]
    weight_rows = pd.DataFrame(
        {
            "unit_id": pw["admin1_id"],
            "indicator_id": pw["indicator_id"],
            "year": pw["year"],
            "weight": pw["_w"].astype("float64"),
            "source_id": pw["year_source"],
        }
    )
    weight_rows = weight_rows[list(weights.columns)].astype(weights.dtypes.to_dict())
    basis = pd.DataFrame(
        {
            "unit_id": g["admin1_id"],
            "indicator_id": g["indicator_id"],
            "year": g["year"].astype(obs["year"].dtype),
            "basis": g["basis"].astype(str),
            "units": g["units"].astype("int64"),
            "units_counted": g["units_counted"].astype("int64"),
            "coverage": g["coverage"].astype("float64"),
        }
    )
    basis = pd.concat([_published_already(obs, aggregates, admin1_ids), basis], ignore_index=True)
    return rows.reset_index(drop=True), weight_rows.reset_index(drop=True), basis


def _published_already(
    obs: pd.DataFrame, aggregates: pd.DataFrame, admin1_ids: set
) -> pd.DataFrame:
    """The basis of admin-1 values a reader already put in the store as the producer's published
    figures (the same value and source as in ``aggregates``): ``published``."""
    keys = ["unit_id", "indicator_id", "year", "value", "source_id"]
    a1 = obs.loc[obs["unit_id"].isin(admin1_ids), keys]
    found = a1.merge(aggregates[keys], on=keys)
    return pd.DataFrame(
        {
            "unit_id": found["unit_id"],
            "indicator_id": found["indicator_id"],
            "year": found["year"].astype(obs["year"].dtype),
            "basis": "published",
            "units": pd.Series(0, index=found.index, dtype="int64"),
            "units_counted": pd.Series(0, index=found.index, dtype="int64"),
            "coverage": np.nan,
        }
    )

"""Population-weighted roll-ups of unit values to admin-1 and country.

Regional figures in the MDG reports are population-weighted averages, so the atlas aggregates
municipalities the same way: ``value = sum(p_i x_i) / sum(p_i)`` over the units that have both a
value and a population. Units missing either are not imputed (and never counted as zero): they
are listed in ``units_missing`` so the app can say which places the aggregate leaves out.

The weight should be the population the indicator refers to (children for under-5 mortality,
households for "% of households"); the caller chooses it. With total population as a proxy the
aggregate approximates the official one.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

ROLLUP_COLUMNS = ("value", "units", "units_counted", "units_missing", "population_counted")
#: The least share of a state's population (else of its municipalities, when no population is
#: known) whose municipalities have a value for the state's roll-up to be shown (geodata/rollups.py).
MIN_COVERAGE = 0.5


def rollup(
    frame: pd.DataFrame,
    by: str | list[str] | None = None,
    *,
    unit_col: str = "unit_id",
    value_col: str = "value",
    pop_col: str = "population",
) -> pd.DataFrame:
    """Population-weighted mean of ``value_col`` per group of ``by`` (``None``: one total row).

    Returns, per group: ``value`` (NaN when no unit counts or their population sums to 0),
    ``units`` (rows in the group), ``units_counted``, ``units_missing`` (list of unit ids whose
    value or population is missing) and ``population_counted``. Group by ``[admin1, "year"]`` to
    roll up a whole series. Negative populations raise ``ValueError``.
    """
    keys = [by] if isinstance(by, str) else list(by or [])
    pop = frame[pop_col].to_numpy(dtype="float64", na_value=np.nan)
    val = frame[value_col].to_numpy(dtype="float64", na_value=np.nan)
    if (pop < 0).any():
        raise ValueError(f"Column {pop_col!r} has negative populations.")
    ok = np.isfinite(pop) & np.isfinite(val)
    work = pd.DataFrame(
        {
            "_unit": frame[unit_col].to_numpy(),
            "_wx": np.where(ok, pop * val, 0.0),
            "_w": np.where(ok, pop, 0.0),
            "_ok": ok,
        },
        index=frame.index,
    )
    for k in keys:
        work[k] = frame[k].to_numpy()
    if not keys:
        work["_all"] = "total"
        keys = ["_all"]
    g = work.groupby(keys, sort=True, dropna=False)
    wx, w = g["_wx"].sum(), g["_w"].sum()
    missing = work.loc[~work["_ok"]].groupby(keys, sort=True, dropna=False)["_unit"].agg(list)
    res = pd.DataFrame(
        {
            "value": (wx / w.where(w > 0)).astype(float),
            "units": g.size(),
            "units_counted": g["_ok"].sum().astype(int),
            "population_counted": w,
        }
    )
    res["units_missing"] = missing.reindex(res.index)
    res["units_missing"] = [m if isinstance(m, list) else [] for m in res["units_missing"]]
    if keys == ["_all"]:
        res.index = pd.Index(["total"])
    return res[list(ROLLUP_COLUMNS)]

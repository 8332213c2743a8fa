"""Values kept as published but flagged: why a reader should not take one at face value.

Each stored observation gets a ``flag`` (empty, or one reason of :data:`REASONS`) and a
``flag_ref`` (what the reason refers to: the unit a value was copied from, or empty). The atlas
shows every flagged value with its reason and leaves it out of rankings, status counts and
inequality measures (roll-ups keep it: a rate on few births still adds its births and deaths).

The reasons, in the order one is chosen when several apply:

``inherited``
    The producer gave a unit its parent unit's value (Peru's 2013 extreme poverty map repeats
    the value of the district a newer district was split from). Set by the source's reader,
    which knows the producer's unit changes; ``flag_ref`` names the unit copied.
``implausible_zero``
    A zero that cannot be right: for an indicator the catalog marks ``zero_implausible`` (no
    child attends school, no pupil passed), or a rate per births (the producer's weight) where the
    country's rate that year would expect at least :data:`MIN_EXPECTED_EVENTS` events (no infant
    death among 1,270 births), or a zero beside such a zero of the indicator the catalog pairs it
    with (``zero_implausible_with``: a drop-out of 0 where the pass rate is 0).
``collapse``
    A value under the series' ``collapse_below`` fraction of the median of the unit's own values
    in that series (at least :data:`COLLAPSE_MIN_YEARS` of them): the producer's file loses digits
    of its counts in some rows (Colombia's skilled birth attendance: Pasto 2009, 503 attended births
    for 5,071 births, between years of 98-99 %; Medellín 2022, 1.0 %).
``few_events``
    A rate on a denominator under the series' ``min_weight`` (births, pupils): kept, unstable.
``above_100``
    A municipal or department percentage above 100 (enrolment counted where pupils study over
    children counted where they live): kept, not a share of the unit's own population. National
    gross ratios above 100 (primary completion, with over-age pupils) are what they say.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from atlas.catalog import Catalog
from atlas.flags import FLAG_REASONS as REASONS
from atlas.flags import MIN_EXPECTED_EVENTS

#: Rare-event rates (vital statistics) and the births they are per: a zero is judged against the
#: country's rate only for these, where every birth runs about the same risk (Poisson). Survey
#: shares (poverty, out of school) are not: a rich municipality may truly have no extreme poor.
PER = {"per_1000_live_births": 1000.0, "per_100000_live_births": 100000.0}

KEYS = ["unit_id", "indicator_id", "year"]
#: The least values of a unit's series for its median to judge a collapse.
COLLAPSE_MIN_YEARS = 3


def flag(obs: pd.DataFrame, weights: pd.DataFrame, catalog: Catalog) -> pd.DataFrame:
    """``obs`` with ``flag`` and ``flag_ref`` filled (a reader's own flags are kept first)."""
    obs = obs.reset_index(drop=True)
    reason = (
        obs["flag"].fillna("").astype(str)
        if "flag" in obs.columns
        else pd.Series("", index=obs.index)
    )
    ref = (
        obs["flag_ref"].fillna("").astype(str)
        if "flag_ref" in obs.columns
        else pd.Series("", index=obs.index)
    )
    unknown = set(reason.unique()) - {"", *REASONS}
    if unknown:
        raise ValueError(f"Unknown flag reasons {sorted(unknown)}; known: {REASONS}.")
    w = (
        obs[KEYS + ["source_id"]]
        .merge(weights[KEYS + ["source_id", "weight"]], on=KEYS + ["source_id"], how="left")[
            "weight"
        ]
        .to_numpy(dtype="float64")
    )
    value = obs["value"].to_numpy(dtype="float64")
    ind_ids = obs["indicator_id"].to_numpy()

    zero_rule = np.isin(ind_ids, [i.id for i in catalog if i.zero_implausible]) & (value == 0)
    zero_rule |= _zero_against_expected(obs, w, catalog)
    # a zero beside an implausible zero of the indicator the catalog pairs it with (a drop-out
    # of 0 where no pupil passed: both are empty records)
    implausible = set(
        zip(obs["unit_id"][zero_rule], obs["year"][zero_rule], ind_ids[zero_rule], strict=False)
    )
    for ind in catalog:
        for other in ind.zero_implausible_with:
            rows = np.flatnonzero((ind_ids == ind.id) & (value == 0))
            pairs = zip(obs["unit_id"].to_numpy()[rows], obs["year"].to_numpy()[rows], strict=False)
            hit = [(u, y, other) in implausible for u, y in pairs]
            zero_rule[rows[np.array(hit, dtype=bool)]] = True

    few = np.zeros(len(obs), dtype=bool)
    min_weights = {
        (s.indicator, s.source): s.min_weight
        for ind in catalog
        for s in ind.series
        if s.min_weight is not None
    }
    for (indicator, source), least in min_weights.items():
        rows = (ind_ids == indicator) & (obs["source_id"].to_numpy() == source)
        few |= rows & np.isfinite(w) & (w < least)

    collapse = _collapses(obs, catalog)

    percent = np.isin(ind_ids, [i.id for i in catalog if i.unit == "%"])
    subnational = (obs["unit_id"].str.len() > 3).to_numpy()
    over = percent & subnational & (value > 100)

    rules = (
        ("implausible_zero", zero_rule),
        ("collapse", collapse),
        ("few_events", few),
        ("above_100", over),
    )
    for name, rule in rules:
        reason = reason.mask((reason == "") & rule, name)
    return obs.assign(flag=reason.astype(str), flag_ref=ref.where(reason != "", "").astype(str))


def _collapses(obs: pd.DataFrame, catalog: Catalog) -> np.ndarray:
    """Values under their series' ``collapse_below`` x the median of the unit's values in it."""
    out = np.zeros(len(obs), dtype=bool)
    for ind in catalog:
        for s in ind.series:
            if s.collapse_below is None:
                continue
            rows = (obs["indicator_id"] == ind.id) & (obs["source_id"] == s.source)
            part = obs.loc[rows, ["unit_id", "value"]]
            groups = part.groupby("unit_id")["value"]
            median = groups.transform("median")
            enough = groups.transform("count") >= COLLAPSE_MIN_YEARS
            hit = enough & (part["value"] < s.collapse_below * median)
            out[part.index[hit.to_numpy()]] = True
    return out


def _zero_against_expected(obs: pd.DataFrame, w: np.ndarray, catalog: Catalog) -> np.ndarray:
    """Zeros of rates with a producer weight where the country's weighted rate of that indicator
    and year, applied to the unit's weight, expects at least :data:`MIN_EXPECTED_EVENTS`."""
    per = obs["indicator_id"].map({i.id: PER.get(i.unit, np.nan) for i in catalog})
    per = per.to_numpy(dtype="float64")
    usable = np.isfinite(w) & np.isfinite(per) & (obs["unit_id"].str.len() > 3).to_numpy()
    if not usable.any():
        return np.zeros(len(obs), dtype=bool)
    frame = pd.DataFrame(
        {
            "country": obs["unit_id"].str[:3],
            "indicator_id": obs["indicator_id"],
            "year": obs["year"],
            "vw": np.where(usable, obs["value"].to_numpy(dtype="float64") * w, np.nan),
            "w": np.where(usable, w, np.nan),
        }
    )
    groups = frame.groupby(["country", "indicator_id", "year"])
    rate = groups["vw"].transform("sum") / groups["w"].transform("sum")
    expected = rate.to_numpy(dtype="float64") * w / per
    return usable & (obs["value"].to_numpy() == 0) & (expected >= MIN_EXPECTED_EVENTS)


def counts(obs: pd.DataFrame) -> dict[str, dict[str, dict[str, int]]]:
    """Flagged values per country, reason and indicator (the quality report's ``flags``)."""
    flagged = obs[obs["flag"] != ""]
    out: dict[str, dict[str, dict[str, int]]] = {}
    for (country, reason, ind), n in (
        flagged.groupby([flagged["unit_id"].str[:3], "flag", "indicator_id"]).size().items()
    ):
        out.setdefault(country, {}).setdefault(reason, {})[ind] = int(n)
    return out

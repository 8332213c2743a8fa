"""Peers across borders (geodata/peers.py) on tiny hand-made tables whose answers are known.

The units, countries AAA and BBB and values are invented for these tests; the indicator ids are
the catalog's, so that the real directions, valid ranges and MDG targets apply.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from atlas.catalog import load_catalog
from atlas.peers import BASELINE_WINDOW, BASELINE_YEARS
from geodata.peers import PEER_COLUMNS, better_peers, peers

#: unit: (country, infant mortality, illiteracy, population), all of 2010
LIKE = {
    "A1": ("AAA", 10.0, 5.0, 1_000),
    "A2": ("AAA", 11.0, 5.0, 1_000),
    "A3": ("AAA", 30.0, 20.0, 100_000),
    "B1": ("BBB", 10.0, 5.0, 1_100),
    "B2": ("BBB", 31.0, 21.0, 90_000),
    "B3": ("BBB", 20.0, 12.0, 10_000),
}
#: unit: (country, {year: illiteracy}); "B4"'s 2010 value is flagged
PACE = {
    "A1": ("AAA", {1990: 10.0, 2010: 8.0}),
    "A2": ("AAA", {1990: 10.5, 2010: 5.0}),  # similar start, faster
    "A3": ("AAA", {2005: 10.0, 2015: 3.0}),  # faster, but its baseline year is too far
    "B1": ("BBB", {1991: 9.5, 2010: 4.0}),  # similar start, fastest
    "B2": ("BBB", {1990: 12.0, 2010: 2.0}),  # faster, but its start is not similar
    "B3": ("BBB", {1990: 10.0, 2010: 9.0}),  # similar start, slower
    "B4": ("BBB", {1990: 10.0, 2010: 1.0}),  # its only later value is flagged: no pace
}


def _units(table: dict) -> pd.DataFrame:
    return pd.DataFrame({"unit_id": list(table), "country": [v[0] for v in table.values()]}).assign(
        level="municipality"
    )


def _obs(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["unit_id", "indicator_id", "year", "value", "flag"])


def _like_obs() -> pd.DataFrame:
    rows = []
    for u, (_, im, ill, pop) in LIKE.items():
        rows += [
            (u, "infant_mortality", 2010, im, ""),
            (u, "illiteracy", 2010, ill, ""),
            (u, "population", 2010, pop, ""),
        ]
    return _obs(rows)


def _pace_obs() -> pd.DataFrame:
    rows = [
        (u, "illiteracy", y, v, "small_base" if (u, y) == ("B4", 2010) else "")
        for u, (_, series) in PACE.items()
        for y, v in series.items()
    ]
    return _obs(rows)


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


@pytest.fixture(scope="module")
def like(catalog) -> pd.DataFrame:
    out = peers(_units(LIKE), _like_obs(), catalog)
    return out[out["kind"] == "like"]


def _order(like: pd.DataFrame, unit: str, country: str) -> list[str]:
    rows = like[(like["unit_id"] == unit) & (like["peer_country"] == country)]
    return list(rows.drop_duplicates("peer_id").sort_values("rank")["peer_id"])


def test_peer001_nearest_neighbours_of_a_hand_checked_case(like):
    # In its own country A1 is closest to A2 (one death per 1,000 apart), then A3.
    assert _order(like, "A1", "AAA") == ["A2", "A3"]
    # Abroad: B1 (same rates, 10 % more people), then B3 (middle), then B2 (large, high rates).
    assert _order(like, "A1", "BBB") == ["B1", "B3", "B2"]
    assert _order(like, "B2", "AAA")[0] == "A3"
    # A1 and A2 differ only in infant mortality: d = |z difference| / sqrt(3 features).
    im = np.array([v[1] for v in LIKE.values()])
    expected = (1.0 / im.std()) / math.sqrt(3)
    row = like[(like["unit_id"] == "A1") & (like["peer_id"] == "A2")]
    assert row["distance"].iat[0] == pytest.approx(expected)
    # Every feature compared is shown with both values and their years.
    assert set(row["indicator_id"]) == {"infant_mortality", "illiteracy", "population"}
    im_row = row[row["indicator_id"] == "infant_mortality"].iloc[0]
    assert (im_row["unit_value"], im_row["peer_value"]) == (10.0, 11.0)
    assert im_row["unit_year"] == im_row["peer_year"] == 2010


def test_peer002_a_unit_is_never_its_own_peer(catalog, like):
    assert len(like) and not (like["unit_id"] == like["peer_id"]).any()
    better = better_peers(_units(PACE), _pace_obs(), catalog)
    assert len(better) and not (better["unit_id"] == better["peer_id"]).any()


def test_peer003_the_table_is_deterministic(catalog):
    first = peers(_units(LIKE), _like_obs(), catalog)
    shuffled = _like_obs().sample(frac=1.0, random_state=7).reset_index(drop=True)
    again = peers(_units(LIKE).iloc[::-1].reset_index(drop=True), shuffled, catalog)
    assert list(first.columns) == PEER_COLUMNS
    pd.testing.assert_frame_equal(first, again)


def test_peer004_did_better_from_a_similar_start(catalog):
    better = better_peers(_units(PACE), _pace_obs(), catalog)
    a1 = better[better["unit_id"] == "A1"].sort_values("rank")
    # Only similar starts (value and year) that improved faster, fastest first; B4's flagged
    # value leaves it one usable value and no pace.
    assert list(a1["peer_id"]) == ["B1", "A2"]
    pace = (8.0 / 10.0) ** (1 / 20) - 1
    assert a1["unit_pace"].iat[0] == pytest.approx(pace)
    assert a1["peer_pace"].iat[0] == pytest.approx((4.0 / 9.5) ** (1 / 19) - 1)
    assert (a1["peer_pace"] < pace).all()  # illiteracy: lower is better, a faster fall
    assert (abs(a1["peer_value"] - 10.0) <= BASELINE_WINDOW * 10.0).all()
    assert (abs(a1["peer_year"] - 1990) <= BASELINE_YEARS).all()
    assert "B4" not in set(better["peer_id"]) | set(better["unit_id"])
    # The fastest of all has nobody faster from a similar start.
    assert "B1" not in set(better["unit_id"])

"""Finding places by what people call them: folded names, other names, and a state or country
written after the name ("canela rs", "pasto nariño", "rivera uruguay").

Pure functions over the store's units table, used by :meth:`atlas.store.Store.search`. A query is
read as a whole name first; when its last one or two words name a state (its name, or a Brazilian
state's two-letter abbreviation) or a country (its name in es/pt/en or ISO3 code), the words before
them are also looked up within that state or country. Ranks: exact name 0, exact other name 1,
name starting with the text 2, other name starting with it 3, name containing it 4, other name
containing it 5; larger places first within a rank.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from atlas.text import fold

#: Brazil's states by IBGE code: the abbreviation written after a municipality ("Canela RS").
BRA_UF = {
    "11": "RO", "12": "AC", "13": "AM", "14": "RR", "15": "PA", "16": "AP", "17": "TO",
    "21": "MA", "22": "PI", "23": "CE", "24": "RN", "25": "PB", "26": "PE", "27": "AL",
    "28": "SE", "29": "BA", "31": "MG", "32": "ES", "33": "RJ", "35": "SP", "41": "PR",
    "42": "SC", "43": "RS", "50": "MS", "51": "MT", "52": "GO", "53": "DF",
}  # fmt: skip
#: Names of the countries besides the store's own (es) name, folded: pt and en where they differ.
COUNTRY_NAMES = {"BRA": ("BRAZIL",), "MEX": ("MEXIKO",)}
#: How many trailing words may form the qualifier ("rio grande do sul" is four).
MAX_QUALIFIER_WORDS = 4

ALL_SCOPE = "*"


def scope_keys(units: pd.DataFrame) -> pd.Series:
    """Each unit's admin-1 key (``"BRA:43"``), the key a qualifier's scope lists."""
    return units["country"].astype(str) + ":" + units["admin1_code"].fillna("").astype(str)


def qualifier_index(units: pd.DataFrame) -> dict[str, frozenset[str]]:
    """Folded qualifier -> the scopes it names: ``"BRA"`` (a country) or ``"BRA:43"`` (a state)."""
    index: dict[str, set[str]] = {}

    def add(text: str, scope: str) -> None:
        key = fold(text)
        if key:
            index.setdefault(key, set()).add(scope)

    for row in units[units["level"] == "country"].itertuples():
        add(row.country, row.country)
        add(row.name, row.country)
        for other in COUNTRY_NAMES.get(row.country, ()):
            add(other, row.country)
    for row in units[units["level"] == "admin1"].itertuples():
        scope = f"{row.country}:{row.admin1_code}"
        add(row.name, scope)
        if row.country == "BRA" and row.admin1_code in BRA_UF:
            add(BRA_UF[row.admin1_code], scope)
    return {k: frozenset(v) for k, v in index.items()}


def readings(query: str, qualifiers: dict[str, frozenset[str]]) -> list[tuple[str, frozenset]]:
    """The ways to read a folded query: ``(name text, scopes)``; scopes empty = anywhere."""
    out: list[tuple[str, frozenset]] = [(query, frozenset())]
    words = query.split()
    for k in range(1, min(MAX_QUALIFIER_WORDS, len(words) - 1) + 1):
        scopes = qualifiers.get(" ".join(words[-k:]))
        if scopes:
            out.append((" ".join(words[:-k]), scopes))
    return out


def other_names_table(units: pd.DataFrame) -> pd.DataFrame:
    """One row per other name of a unit (``unit_id``, ``name``, ``folded``) from the units'
    ``"|"``-separated ``other_names``."""
    pairs = [
        (uid, name.strip())
        for uid, names in zip(units["unit_id"], units["other_names"].fillna(""), strict=True)
        for name in str(names).split("|")
        if name.strip()
    ]
    table = pd.DataFrame(pairs, columns=["unit_id", "name"])
    table["folded"] = table["name"].map(fold)
    return table


def name_ranks(folded: pd.Series, text: str, other: bool = False) -> np.ndarray:
    """Rank of each folded name for ``text`` (see the module's ranks); -1 where it does not match."""
    contains = folded.str.contains(text, regex=False).to_numpy(dtype=bool)
    starts = folded.str.startswith(text).to_numpy(dtype=bool)
    exact = (folded == text).to_numpy(dtype=bool)
    rank = np.where(exact, 0, np.where(starts, 2, np.where(contains, 4, -1)))
    return np.where(rank >= 0, rank + int(other), -1)


def in_scopes(units: pd.DataFrame, keys: pd.Series, scopes: frozenset) -> np.ndarray:
    """Which units lie in any of ``scopes`` (countries or admin-1 keys); all when none."""
    if not scopes:
        return np.ones(len(units), dtype=bool)
    countries = [s for s in scopes if ":" not in s]
    admin1 = [s for s in scopes if ":" in s]
    return (units["country"].isin(countries) | keys.isin(admin1)).to_numpy(dtype=bool)


def match(
    units: pd.DataFrame,
    keys: pd.Series,
    others: pd.DataFrame,
    query: str,
    qualifiers: dict[str, frozenset[str]],
) -> pd.Series:
    """Best rank of each matching unit (index: unit_id) for a folded ``query``.

    ``units`` has ``unit_id`` and ``folded``; ``others`` the other names (``unit_id``,
    ``folded``), which may be empty."""
    best: dict[str, int] = {}
    for text, scopes in readings(query, qualifiers):
        if not text:
            continue
        inside = in_scopes(units, keys, scopes)
        ranks = name_ranks(units["folded"], text)
        hit = inside & (ranks >= 0)
        candidates = [(units["unit_id"].to_numpy()[hit], ranks[hit])]
        if len(others):
            o_ranks = name_ranks(others["folded"], text, other=True)
            o_hit = o_ranks >= 0
            ids_ = others["unit_id"].to_numpy()[o_hit]
            allowed = set(units["unit_id"].to_numpy()[inside])
            keep = np.array([u in allowed for u in ids_], dtype=bool)
            candidates.append((ids_[keep], o_ranks[o_hit][keep]))
        for ids_, rs in candidates:
            for uid, r in zip(ids_, rs, strict=True):
                if r < best.get(uid, 99):
                    best[uid] = int(r)
    return pd.Series(best, dtype="int64")

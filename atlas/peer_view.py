"""A unit's peers across borders, as the profile shows them (no Dash).

The build computes them once (geodata/peers.py, with the numbers of :mod:`atlas.peers`;
``peers.parquet``); this module only reads the
unit's rows (:meth:`atlas.store.Store.peers`), names the units in the reader's language and
groups them: "like yours" by country (the unit's own first), "did better from a similar start"
by indicator. Numbers stay numbers; the page formats them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from atlas.catalog import Catalog
from atlas.i18n import label, t
from atlas.peers import POPULATION
from atlas.places import country_label
from atlas.store import Store


@dataclass(frozen=True)
class Feature:
    """One feature two units were compared on: each one's latest value and its year."""

    indicator: str
    label: str
    unit: str  # the indicator's unit in the language, "" for population
    decimals: int
    unit_year: int
    unit_value: float
    peer_year: int
    peer_value: float


@dataclass(frozen=True)
class Peer:
    unit_id: str
    name: str
    admin1_name: str
    country: str
    country_name: str
    distance: float
    features: tuple[Feature, ...]


@dataclass(frozen=True)
class CountryPeers:
    country: str
    country_name: str
    peers: tuple[Peer, ...]


@dataclass(frozen=True)
class Faster:
    """A unit that started close to this one and improved faster (paces: fractions a year)."""

    unit_id: str
    name: str
    admin1_name: str
    country: str
    country_name: str
    baseline_year: int
    baseline_value: float
    end_year: int
    pace: float


@dataclass(frozen=True)
class BetterGroup:
    indicator: str
    label: str
    unit: str
    decimals: int
    baseline_year: int
    baseline_value: float
    end_year: int
    pace: float  # this unit's observed pace, fraction a year
    peers: tuple[Faster, ...]


@dataclass(frozen=True)
class Peers:
    #: False for a store built before the build computed peers (the page says so)
    available: bool
    like: tuple[CountryPeers, ...] = ()
    better: tuple[BetterGroup, ...] = ()


def _feature_label(catalog: Catalog, indicator: str, lang: str) -> tuple[str, str, int]:
    if indicator == POPULATION or indicator not in catalog.indicators:
        return t("profile.population", lang), "", 0
    ind = catalog[indicator]
    return label(ind.short, lang), catalog.unit_label(ind.unit, lang), ind.decimals


def _names(store: Store, unit_id: str, lang: str) -> tuple[str, str, str, str] | None:
    try:
        u = store.unit(unit_id)
    except KeyError:
        return None
    country = str(u["country"])
    return str(u["name"]), str(u["admin1_name"] or ""), country, country_label(store, country, lang)


def _year(v) -> int:
    return int(v) if v is not None and not (isinstance(v, float) and math.isnan(v)) else 0


def _like(store: Store, catalog: Catalog, rows: list[dict], own: str, lang: str):
    by_country: dict[str, dict[tuple[int, str], list[dict]]] = {}
    for r in rows:
        by_country.setdefault(r["peer_country"], {}).setdefault(
            (r["rank"], r["peer_id"]), []
        ).append(r)
    groups = []
    for c in sorted(by_country, key=lambda c: (c != own, c)):
        peers = []
        for (_rank, peer_id), feats in sorted(by_country[c].items()):
            names = _names(store, str(peer_id), lang)
            if names is None:
                continue
            features = []
            for r in feats:
                lbl, unit, dec = _feature_label(catalog, r["indicator_id"], lang)
                features.append(
                    Feature(
                        r["indicator_id"],
                        lbl,
                        unit,
                        dec,
                        _year(r["unit_year"]),
                        float(r["unit_value"]),
                        _year(r["peer_year"]),
                        float(r["peer_value"]),
                    )
                )
            features.sort(key=lambda f: (f.indicator == POPULATION, f.label))
            peers.append(Peer(str(peer_id), *names, float(feats[0]["distance"]), tuple(features)))
        if peers:
            groups.append(CountryPeers(c, country_label(store, c, lang), tuple(peers)))
    return tuple(groups)


def _better(store: Store, catalog: Catalog, rows: list[dict], lang: str):
    by_indicator: dict[str, list[dict]] = {}
    for r in rows:
        by_indicator.setdefault(r["indicator_id"], []).append(r)
    groups = []
    for indicator in sorted(by_indicator):
        g = sorted(by_indicator[indicator], key=lambda r: r["rank"])
        lbl, unit, dec = _feature_label(catalog, indicator, lang)
        fast = []
        for r in g:
            names = _names(store, str(r["peer_id"]), lang)
            if names is not None:
                fast.append(
                    Faster(
                        str(r["peer_id"]),
                        *names,
                        _year(r["peer_year"]),
                        float(r["peer_value"]),
                        _year(r["peer_end"]),
                        float(r["peer_pace"]),
                    )
                )
        first = g[0]
        groups.append(
            BetterGroup(
                indicator,
                lbl,
                unit,
                dec,
                _year(first["unit_year"]),
                float(first["unit_value"]),
                _year(first["unit_end"]),
                float(first["unit_pace"]),
                tuple(fast),
            )
        )
    return tuple(groups)


def peers_of(store: Store, catalog: Catalog, unit_id: str, country: str, lang: str) -> Peers:
    """The peers of ``unit_id`` (of ``country``) in ``lang``."""
    if not store.has_peers:
        return Peers(available=False)
    rows = store.peers(unit_id)
    if rows.empty:
        return Peers(available=True)
    records = rows.to_dict("records")
    return Peers(
        available=True,
        like=_like(store, catalog, [r for r in records if r["kind"] == "like"], country, lang),
        better=_better(store, catalog, [r for r in records if r["kind"] == "better"], lang),
    )

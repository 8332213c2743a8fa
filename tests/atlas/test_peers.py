"""Peers on the real store: Oaxaca de Juárez's peers abroad, the "did better" peers checked
against the progress method, and the profile's peers section in es, pt and en."""

from __future__ import annotations

import pytest
from dash import html

from atlas.method import assess, target_for
from atlas.peers import BASELINE_WINDOW, BASELINE_YEARS, FRAMEWORK
from atlas.profile import profile
from layouts import profile_page
from tests.fixtures.tree import nodes

OAXACA = "MEX20067"  # Oaxaca de Juárez (Oaxaca)
#: Oaxaca de Juárez, Canela RS, Pasto, a small Brazilian municipality
SAMPLE = (OAXACA, "BRA4304408", "COL52001", "BRA1200013")

TITLES = {
    "es": "Municipios como el suyo",
    "pt": "Municípios como o seu",
    "en": "Municipalities like yours",
}


def test_peer101_oaxaca_has_peers_in_other_countries(store, catalog):
    p = profile(store, catalog, OAXACA, "es")
    assert p.peers is not None and p.peers.available
    countries = [c.country for c in p.peers.like]
    assert countries[0] == "MEX"  # its own country first
    assert set(countries) - {"MEX"}, countries
    for group in p.peers.like:
        for peer in group.peers:
            assert peer.unit_id != OAXACA
            assert store.unit(peer.unit_id)["country"] == group.country
            assert {f.indicator for f in peer.features} >= {"population"}
            assert len(peer.features) >= 2  # population and at least one indicator


def test_peer102_no_unit_is_its_own_peer(store):
    for unit in SAMPLE:
        rows = store.peers(unit)
        assert len(rows) and (rows["unit_id"] == unit).all()
        assert not (rows["peer_id"] == unit).any()


def _usable(store, unit: str, indicator: str):
    rows = store.series(unit, indicator)
    rows = rows[rows["flag"] == ""]
    return list(rows["year"]), list(rows["value"])


def _observed(store, catalog, unit: str, indicator: str):
    """The unit's progress under the framework, from its unflagged values (as the profile)."""
    ind = catalog[indicator]
    country = store.unit(unit)["country"]
    target = target_for(FRAMEWORK, indicator, direction=ind.direction, country=country)
    years, values = _usable(store, unit, indicator)
    return assess(years, values, target, direction=ind.direction, valid_range=ind.valid_range)


@pytest.mark.parametrize("unit", SAMPLE)
def test_peer103_did_better_peers_had_a_faster_observed_pace(store, catalog, unit):
    rows = store.peers(unit)
    better = rows[rows["kind"] == "better"]
    if unit == OAXACA:
        assert len(better)  # illiteracy since 1990: someone with a similar start did better
    for indicator, g in better.groupby("indicator_id"):
        sign = -1 if catalog[indicator].direction == "lower" else 1
        own = _observed(store, catalog, unit, indicator)
        assert own.cagr == pytest.approx(g["unit_pace"].iat[0])
        for peer in g["peer_id"]:
            p = _observed(store, catalog, peer, indicator)
            assert sign * p.cagr > sign * own.cagr
            assert abs(p.baseline_value - own.baseline_value) <= BASELINE_WINDOW * (
                own.baseline_value + 1e-9
            )
            assert abs(p.baseline_year - own.baseline_year) <= BASELINE_YEARS


@pytest.mark.parametrize("lang", ["es", "pt", "en"])
def test_peer104_profile_shows_peers_linking_to_their_profiles(store, catalog, lang):
    p = profile(store, catalog, OAXACA, lang)
    page = profile_page.layout(p, lang)
    found = list(nodes(page))
    section = next(n for n in found if getattr(n, "id", None) == profile_page.PEERS_ID)
    inside = list(nodes(section))
    assert any(getattr(n, "children", None) == TITLES[lang] for n in inside)
    links = [n.href for n in inside if isinstance(n, html.A) and "/unit/" in n.href]
    peer_ids = {peer.unit_id for c in p.peers.like for peer in c.peers}
    assert {href.split("/unit/")[1].split("?")[0] for href in links} >= peer_ids
    abroad = [peer for c in p.peers.like if c.country != "MEX" for peer in c.peers]
    assert abroad and all(f"/unit/{peer.unit_id}" in " ".join(links) for peer in abroad)

"""Finding places by name: accents or none, spaces, a state or country after the name."""

from __future__ import annotations

import pytest

from atlas.names import BRA_UF, qualifier_index, readings


def _ids(store, query, limit=5):
    return [h["unit_id"] for h in store.search(query, limit=limit)]


def test_nam001_qualifier_index_knows_states_abbreviations_and_countries(tiny_store):
    index = qualifier_index(tiny_store._units)
    assert index["ESTADO EXEMPLO"] == {"BRA:11"}
    assert index[BRA_UF["12"]] == {"BRA:12"}
    assert index["BRASIL"] == index["BRAZIL"] == index["BRA"] == {"BRA"}


def test_nam002_a_query_is_read_whole_and_with_its_last_words_as_qualifier(tiny_store):
    index = qualifier_index(tiny_store._units)
    assert readings("CAMPO MODELO AC", index) == [
        ("CAMPO MODELO AC", frozenset()),
        ("CAMPO MODELO", frozenset({"BRA:12"})),
    ]
    # a qualifier alone is a name, never an empty search
    assert readings("AC", index) == [("AC", frozenset())]


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("sao teste", "BRA1100011"),
        ("  SÃO   teste ", "BRA1100011"),
        ("campo modelo ac", "BRA1200022"),
        ("campo modelo estado amostra", "BRA1200022"),
        ("agua ficticia brasil", "BRA1100041"),
        ("sur inventado uruguay", "URY03"),
    ],
)
def test_nam003_tiny_store_names_with_or_without_accents_and_qualifiers(tiny_store, query, first):
    assert _ids(tiny_store, query)[0] == first


def test_nam004_a_qualifier_of_another_state_or_country_finds_nothing(tiny_store):
    assert _ids(tiny_store, "campo modelo ro") == []
    assert _ids(tiny_store, "campo modelo uruguay") == []


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("oaxaca de juarez", "MEX20067"),
        ("Oaxaca de Juárez", "MEX20067"),
        ("canela rs", "BRA4304408"),
        ("Canela RS", "BRA4304408"),
        ("canela rio grande do sul", "BRA4304408"),
        ("pasto nariño", "COL52001"),
        ("rivera uruguay", "URY13"),
        ("valparaiso chile", "CHL05101"),
    ],
)
def test_nam005_real_store_the_mayors_places(store, query, first):
    assert _ids(store, query)[0] == first


def test_nam006_real_store_exact_then_prefix_then_contains(store):
    from atlas.text import fold

    folded = [fold(h["name"]) for h in store.search("san jose", limit=100)]
    ranks = [0 if f == "SAN JOSE" else 1 if f.startswith("SAN JOSE") else 2 for f in folded]
    assert ranks[0] == 0 and 2 in ranks
    assert ranks == sorted(ranks)

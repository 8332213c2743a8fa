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

    folded = [fold(h["name"]) for h in store.search("santa rosa", limit=100, country="BRA")]
    ranks = [0 if f == "SANTA ROSA" else 1 if f.startswith("SANTA ROSA") else 2 for f in folded]
    assert ranks[0] == 0 and 2 in ranks
    assert ranks == sorted(ranks)


def test_nam007_other_names_find_the_unit_after_its_own_names(tiny_store):
    from tests.fixtures.tiny_store import OTHER_NAMES

    ((uid, other),) = OTHER_NAMES.items()
    assert _ids(tiny_store, "vila velha do exemplo") == [uid]
    # its own name still ranks first among names starting with "vila"
    assert _ids(tiny_store, "vila")[0] == uid
    assert _ids(tiny_store, "velha ro") == [uid]


def test_nam008_real_store_huamanga_finds_the_ayacucho_district(store):
    hits = store.search("Huamanga", limit=3)
    assert hits[0]["unit_id"] == "PER050101" and hits[0]["name"] == "Ayacucho"
    # renamed districts by their 2007 names (cambios-2007-2026.csv)
    assert _ids(store, "magdalena vieja")[0] == "PER150121"  # now Pueblo Libre
    assert _ids(store, "compin")[0] == "PER131103"  # now Marmot

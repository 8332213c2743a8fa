"""Guessing the columns' roles (atlas/contrib/mapping.py) on hand-made files of the tiny store's
units (tests/fixtures/tiny_store.py: Brazil's ten municipalities in states 11 and 12, Uruguay's
three departments)."""

from __future__ import annotations

from atlas.catalog import catalog
from atlas.contrib import Limits, read_upload
from atlas.contrib.mapping import Mapping, suggest_mapping
from tests.fixtures import uploads


def table_of(text: str, name: str = "dados.csv"):
    return read_upload(text.encode(), name, limits=Limits())


def test_ctm001_a_producer_workbook_maps_code_name_value_and_the_year_of_its_header(tiny_store):
    table = read_upload(uploads.producer_workbook(), "tmi.xlsx", limits=Limits())
    m = suggest_mapping(table, "BRA", tiny_store, catalog()["infant_mortality"])
    assert m.code == ("Código",) and m.name == "Município"
    assert m.value == "Taxa de mortalidade infantil / 2019"
    assert m.year is None and m.year_value == 2019
    assert m.scores["code"] == 1.0 and m.scores["name"] == 1.0


def test_ctm002_year_column_interval_columns_and_codes_stored_as_numbers(tiny_store):
    table = table_of(
        "UF;Cod IBGE;Nome;Ano;População;Taxa;LI;LS\n"
        "Estado Exemplo;1100011;São Teste;2010;1200;12,5;10,1;14,9\n"
        "Estado Exemplo;1100021;Vila Exemplo;2010;800;20,25;15,2;25,3\n"
        "Estado Amostra;1200012;Porto Ensaio;2010;950;9,75;7,5;12\n"
    )
    m = suggest_mapping(table, "BRA", tiny_store)
    assert m == Mapping(
        code=("Cod IBGE",),
        name="Nome",
        admin1="UF",
        year="Ano",
        value="Taxa",
        low="LI",
        high="LS",
    )


def test_ctm003_a_code_split_in_state_and_municipality_columns_is_joined(tiny_store):
    table = table_of(
        "UF;Município;Nome;Valor\n11;00011;São Teste;1,5\n11;21;Vila Exemplo;2,5\n12;12;Porto Ensaio;3\n"
    )
    m = suggest_mapping(table, "BRA", tiny_store)
    assert m.code == ("UF", "Município") and m.scores["code"] == 1.0


def test_ctm004_the_year_comes_from_the_title_or_else_the_file_name(tiny_store):
    body = "Código;Valor\n1100011;1,5\n1100021;2\n1200012;3\n"
    titled = table_of("Censo demográfico 2010;\n" + body)
    assert suggest_mapping(titled, "BRA", tiny_store).year_value == 2010
    named = table_of(body, "mortalidade_2015.csv")
    assert suggest_mapping(named, "BRA", tiny_store).year_value == 2015
    assert suggest_mapping(table_of(body), "BRA", tiny_store).year_value is None


def test_ctm005_units_named_without_codes_and_every_choice_can_be_overridden(tiny_store):
    table = table_of(
        "Departamento;Valor 2010;Otro\nNorteño Ficticio;1,5;9\nCentro de Prueba;2;8\nSur Inventado;3;7\n"
    )
    m = suggest_mapping(table, "URY", tiny_store)
    assert m.code == () and m.name == "Departamento" and m.value == "Valor 2010"
    assert m.year_value == 2010
    changed = m.replace(value="Otro", year_value=2011, code="Departamento")
    assert changed.value == "Otro" and changed.code == ("Departamento",)
    assert changed.columns() == ["Departamento", "Departamento", "Otro"]


def test_ctm006_no_column_of_the_country_s_codes_suggests_none(tiny_store):
    table = table_of("Código;Valor\n9999999;1\n8888888;2\n7777777;3\n")
    assert suggest_mapping(table, "BRA", tiny_store).code == ()

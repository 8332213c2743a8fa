"""Row-by-row validation (atlas/contrib/validation.py) on hand-made files of the tiny store's
units: each kind of problem on its own row, the counts, and the clean rows left to publish."""

from __future__ import annotations

import math
from datetime import datetime

import pandas as pd
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from atlas.contrib import Limits, UploadError, read_upload
from atlas.contrib.mapping import Mapping
from atlas.contrib.reading import Table
from atlas.contrib.validation import (
    CLEAN_COLUMNS,
    NOTE_KINDS,
    PROBLEM_KINDS,
    Problem,
    validate,
)
from atlas.i18n import LANGS, messages
from tests.fixtures import uploads

HEADER = "Código;Nome;Ano;Taxa;LI;LS\n"
MAPPING = Mapping(code=("Código",), name="Nome", year="Ano", value="Taxa", low="LI", high="LS")


def check(tiny_store, body: str, mapping: Mapping = MAPPING, country="BRA", header=HEADER):
    table = read_upload((header + body).encode(), "dados.csv", limits=Limits())
    return validate(table, mapping, country, "infant_mortality", tiny_store)


def kinds(report) -> dict[int, list[str]]:
    return {r.row: [p.kind for p in r.problems] for r in report.rows}


def test_ctv001_every_kind_of_problem_on_its_own_row(tiny_store):
    report = check(
        tiny_store,
        "1100011;São Teste;2010;12,5;10;15\n"  # 2 OK
        "1100099;São Testo;2010;12;10;15\n"  # 3 unknown code: suggestion by name
        "abc;Vila Exemplo;2010;12;10;15\n"  # 4 not a code
        "1100021;Vila Exemplo;2010;ND;;\n"  # 5 missing value
        "1100031;Nova Amostra;2010;muito;;\n"  # 6 not a number
        "1100041;Água Fictícia;2010;350;300;400\n"  # 7 outside 0-300
        "1100051;Ponte Inventada;1970;12;10;15\n"  # 8 implausible year
        "1200012;Porto Ensaio;20x0;12;10;15\n"  # 9 not a year
        "1200022;Campo Modelo;2010;12;13;15\n"  # 10 interval without the value
        "1200032;Serra Simulada;2010;12;10;15\n"  # 11 and 12: same value twice
        "1200032;Serra Simulada;2010;12;10;15\n"
        "1200042;Lagoa Protótipo;2010;12;10;15\n"  # 13 and 14: two values
        "1200042;Lagoa Protótipo;2010;13;10;15\n"
        "1200052;Outro Nome;2010;12;10;15\n"  # 15 name unlike the code's unit: kept, warned
        "0000000;TOTAL;2010;12;10;15\n"  # 16 total row
        ";;2010;12;10;15\n"  # 17 no unit
        "1200012;Porto Ensaio;2010;12;;\n",  # 18 interval missing: kept, warned
    )
    assert kinds(report) == {
        2: [],
        3: ["unknown_unit"],
        4: ["bad_code"],
        5: ["missing"],
        6: ["not_a_number"],
        7: ["out_of_range", "bad_interval"],
        8: ["year_out_of_range"],
        9: ["bad_year"],
        10: ["bad_interval"],
        11: [],
        12: ["duplicate"],
        13: ["duplicate_conflict"],
        14: ["duplicate_conflict"],
        15: ["name_mismatch"],
        16: ["total_row"],
        17: ["no_unit"],
        18: ["interval_missing"],
    }
    by_row = {r.row: r for r in report.rows}
    unknown = by_row[3].problems[0]
    assert unknown.params["suggestions"] == ["São Teste (Estado Exemplo) [1100011]"]
    assert "São Teste" in unknown.message("en") and "Did you mean" in unknown.message("en")
    assert by_row[12].problems[0].params == {"rows": [11]}
    assert by_row[13].problems[0].params == {"rows": [14]}
    assert report.counts["duplicate_conflict"] == 2 and report.counts["missing"] == 1
    assert report.ok_rows == 4  # rows 2, 11, 15 and 18
    clean = report.clean
    assert list(clean.columns) == CLEAN_COLUMNS
    assert clean["unit_id"].tolist() == ["BRA1100011", "BRA1200032", "BRA1200052", "BRA1200012"]
    assert clean.iloc[0].to_dict() == {
        "unit_id": "BRA1100011",
        "indicator": "infant_mortality",
        "year": 2010,
        "value": 12.5,
        "low": 10.0,
        "high": 15.0,
    }
    assert math.isnan(clean.iloc[3]["low"])


@pytest.mark.parametrize("code", ["ND", "N/D", "-", "n.d.", "*", "...", "", "S/D", "NA", "nd"])
def test_ctv002_missing_value_codes_are_reported_never_zero(tiny_store, code):
    report = check(tiny_store, f"1100011;São Teste;2010;{code};;\n1100021;Vila Exemplo;2010;0;;\n")
    first, second = report.rows
    assert [p.kind for p in first.problems] == ["missing"] and first.value is None
    assert report.clean["value"].tolist() == [0.0]  # a real zero stays a zero
    assert second.ok


def test_ctv003_decimal_marks_follow_the_column_then_the_country(tiny_store):
    bra = check(tiny_store, "1100011;São Teste;2010;1.234,5;;\n1100021;Vila Exemplo;2010;12,25;;\n")
    assert [r.value for r in bra.rows] == [1234.5, 12.25]  # 1.234,5 out of range: still read
    assert [n.kind for n in bra.notes] == ["decimal"]
    point = check(tiny_store, "1100011;São Teste;2010;12.5;;\n1100021;Vila Exemplo;2010;1.25;;\n")
    assert [r.value for r in point.rows] == [12.5, 1.25]
    assumed = check(tiny_store, "1100011;São Teste;2010;1.234;;\n")
    assert assumed.rows[0].value == 1234.0  # Brazil: the point groups thousands
    assert [n.kind for n in assumed.notes] == ["decimal_assumed"]
    assert "1.234" in assumed.notes[0].message("es") or "," in assumed.notes[0].message("es")


def test_ctv004_codes_that_lost_their_leading_zeros_are_padded_and_said_so(tiny_store):
    header = "Departamento;Ano;Taxa\n"
    mapping = Mapping(code=("Departamento",), year="Ano", value="Taxa")
    report = check(tiny_store, "1;2010;12\n02;2010;13\n3.0;2010;14\n", mapping, "URY", header)
    assert report.clean["unit_id"].tolist() == ["URY01", "URY02", "URY03"]
    assert [(n.kind, n.params) for n in report.notes] == [("padded", {"count": 2, "system": "INE"})]


def test_ctv005_ibge_codes_without_the_check_digit_are_matched(tiny_store):
    report = check(tiny_store, "110001;São Teste;2010;12;;\n120005;Rio Hipótese;2010;13;;\n")
    assert report.clean["unit_id"].tolist() == ["BRA1100011", "BRA1200052"]
    assert [n.kind for n in report.notes] == ["short_ibge"]


def test_ctv006_a_code_of_another_country_is_named(tiny_store):
    header = "Código;Ano;Taxa\n"
    mapping = Mapping(code=("Código",), year="Ano", value="Taxa")
    report = check(
        tiny_store, "1100011;2010;12\n05001;2010;13\n07;2010;14\n", mapping, "URY", header
    )
    brazil, five_digits, unknown = (r.problems[0] for r in report.rows)
    assert brazil.kind == "other_country"
    assert brazil.params["units"] == ["São Teste (Estado Exemplo) (BRA)"]
    assert "São Teste" in brazil.message("pt")
    # 5 digits: a municipality of Chile, Colombia or Mexico, not a department of Uruguay
    assert five_digits.kind == "other_country"
    assert five_digits.params["units"] == ["CUT (CHL)", "DIVIPOLA (COL)", "CVEGEO (MEX)"]
    assert unknown.kind == "unknown_unit"


def test_ctv007_units_matched_by_name_accents_case_and_other_names(tiny_store):
    mapping = Mapping(name="Nome", year="Ano", value="Taxa")
    report = check(
        tiny_store,
        "x;SAO TESTE;2010;1;;\nx;vila velha do exemplo;2010;2;;\nx;Lugar Nenhum;2010;3;;\n",
        mapping,
    )
    assert [r.unit_id for r in report.rows] == ["BRA1100011", "BRA1100021", None]
    assert report.rows[2].problems[0].kind == "unknown_unit"
    assert report.matched_units == 2


def test_ctv008_a_year_for_every_row_and_a_fraction_that_should_be_a_percentage(tiny_store):
    table = read_upload(
        b"Codigo;Analfabetismo\n"
        + b"".join(
            f"{c};0,{i}\n".encode()
            for i, c in enumerate(["1100011", "1100021", "1100031", "1100041", "1100051"], start=1)
        ),
        "x.csv",
        limits=Limits(),
    )
    mapping = Mapping(code=("Codigo",), year_value=2010, value="Analfabetismo")
    report = validate(table, mapping, "BRA", "illiteracy", tiny_store)
    assert set(report.clean["year"]) == {2010}
    assert [n.kind for n in report.notes] == ["decimal", "fraction"]
    future = validate(table, mapping.replace(year_value=2999), "BRA", "illiteracy", tiny_store)
    assert future.counts == {"year_out_of_range": 5} and future.clean.empty


def test_ctv009_an_incomplete_mapping_is_refused_with_a_message(tiny_store):
    table = read_upload(
        (HEADER + "1100011;São Teste;2010;1;;\n").encode(), "x.csv", limits=Limits()
    )
    for mapping, code in [
        (Mapping(year="Ano", value="Taxa"), "mapping_unit"),
        (Mapping(code=("Código",), value="Taxa"), "mapping_year"),
        (Mapping(code=("Código",), year="Ano"), "mapping_value"),
        (MAPPING.replace(value="Valor"), "mapping_column"),
    ]:
        with pytest.raises(UploadError) as info:
            validate(table, mapping, "BRA", "infant_mortality", tiny_store)
        assert info.value.code == code
        assert info.value.message("en")


#: Example parameters of every problem and note, to render each message in each language.
PARAMS = {
    "bad_code": {"code": "abc"},
    "unknown_unit": {"code": "123", "suggestions": []},
    "ambiguous_unit": {"name": "Santa Cruz", "suggestions": ["A", "B"]},
    "other_country": {"code": "4304408", "units": ["Canela (BRA)"]},
    "total_row": {"code": "00000"},
    "bad_year": {"text": "20x0"},
    "year_out_of_range": {"year": 1970, "first": 1980, "last": 2026},
    "missing": {"text": "n.d."},
    "not_a_number": {"text": "muito"},
    "out_of_range": {"value": 350.5, "low": 0.0, "high": 300.0},
    "bad_interval": {"low": 13.0, "high": 15.0, "value": 12.0},
    "duplicate": {"rows": [11]},
    "duplicate_conflict": {"rows": [13, 14]},
    "name_mismatch": {"name": "X", "unit": "Y"},
    "padded": {"count": 3, "system": "DIVIPOLA"},
    "short_ibge": {"count": 2},
    "decimal": {"column": "Taxa", "mark": ","},
    "decimal_assumed": {"column": "Taxa", "mark": ","},
    "fraction": {"column": "Taxa"},
    "outside_scope": {"unit": "Rio Branco (AC)"},
}


@pytest.mark.parametrize("kind", PROBLEM_KINDS + NOTE_KINDS)
def test_ctv010_every_problem_and_note_has_a_message_in_every_language(kind):
    problem = Problem(kind, PARAMS.get(kind, {}))
    for lang in LANGS:
        text = problem.message(lang)
        assert text and "{" not in text
    if kind == "out_of_range":
        assert "350,5" in problem.message("es") and "350.5" in problem.message("en")
    prefix = "contrib.note" if kind in NOTE_KINDS else "contrib.problem"
    assert f"{prefix}.{kind}" in messages()


def test_ctv011_the_clean_table_is_typed_even_when_empty(tiny_store):
    report = check(tiny_store, "9999999;X;2010;1;;\n")
    assert report.clean.empty
    assert report.clean.dtypes.to_dict() == {
        "unit_id": pd.StringDtype(),
        "indicator": pd.StringDtype(),
        "year": "int32",
        "value": "float64",
        "low": "float64",
        "high": "float64",
    }


cells = st.one_of(
    st.none(),
    st.text(max_size=12),
    st.sampled_from(["1100011", "11", "0", "2010", "1,5", "1.234,5", "n.d.", "TOTAL", "São Teste"]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**12), max_value=10**12),
)


@hsettings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(cells, cells, cells, cells, cells, cells), min_size=1, max_size=8))
def test_ctv012_any_cells_give_a_report_and_never_an_exception(tiny_store, rows):
    table = Table(
        columns=("Código", "Nome", "Ano", "Taxa", "LI", "LS"),
        rows=tuple(rows),
        row_numbers=tuple(range(2, len(rows) + 2)),
        header_rows=(1,),
        kind="csv",
    )
    for mapping in (MAPPING, MAPPING.replace(code=()), MAPPING.replace(year=None, year_value=2010)):
        report = validate(table, mapping, "BRA", "infant_mortality", tiny_store)
        assert len(report.rows) == len(rows)
        clean = report.clean
        assert clean["value"].between(0, 300).all() and clean["unit_id"].notna().all()
        for r in report.rows:
            for p in r.problems:
                assert p.message("es")


def test_ctv013_years_written_with_a_thousands_mark_or_as_dates(tiny_store):
    """MEN's Colombian file writes 2021 as "2,021"; a workbook may hold the year as a date."""
    data = uploads.simple_workbook(
        [
            ["Código", "Ano", "Taxa"],
            ["1100011", "2,021", 1.5],
            ["1100021", datetime(2019, 12, 31), 2.5],
            ["1100031", 2018, 3.5],
        ]
    )
    table = read_upload(data, "x.xlsx", limits=Limits())
    mapping = Mapping(code=("Código",), year="Ano", value="Taxa")
    report = validate(table, mapping, "BRA", "infant_mortality", tiny_store)
    assert report.clean["year"].tolist() == [2021, 2019, 2018]


def test_ctv030_rows_outside_the_uploaders_scope_are_reported_and_kept_out(tiny_store):
    """A state's editor uploads a national file as the producer publishes it: the other states'
    rows are named, not published; without a scope check every matched row is clean."""
    body = "1100011;São Teste;2010;12,5;10;15\n1200012;Porto Ensaio;2010;14;12;16\n"
    table = read_upload((HEADER + body).encode(), "dados.csv", limits=Limits())
    report = validate(
        table, MAPPING, "BRA", "infant_mortality", tiny_store, may_write=lambda u: u[3:5] == "12"
    )
    assert kinds(report) == {2: ["outside_scope"], 3: []}
    assert report.clean["unit_id"].tolist() == ["BRA1200012"]
    assert report.counts == {"outside_scope": 1}
    assert "fuera de lo que su cuenta puede publicar" in report.rows[0].problems[0].message("es")
    assert check(tiny_store, body).ok_rows == 2

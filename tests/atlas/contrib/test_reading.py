"""Reading an upload (atlas/contrib/reading.py, safety.py): CSV in every common encoding and
delimiter, producers' workbooks with titles, multi-row headers and notes, and every refusal as
one UploadError with a message in es, pt and en."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile

import openpyxl
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from atlas.contrib import ERROR_CODES, Limits, UploadError, read_upload
from atlas.i18n import LANGS, messages
from tests.conftest import ROOT
from tests.fixtures import uploads

CSV_TEXT = "Código;Município;Taxa\n1100011;São Teste;12,5\n1100021;Vila Exemplo;n.d.\n1200012;Porto Ensaio;9\n"
LIMITS = Limits()


def read(data: bytes, name: str = "upload", **kw):
    return read_upload(data, name, limits=kw.pop("limits", LIMITS), **kw)


def refused(data: bytes, **kw) -> UploadError:
    with pytest.raises(UploadError) as info:
        read(data, **kw)
    return info.value


@pytest.mark.parametrize(
    "encoding, named",
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8"),
        ("cp1252", "cp1252"),
        ("latin-1", "cp1252"),
        ("utf-16", "utf-16"),
    ],
)
def test_ctr001_csv_in_every_common_encoding_reads_the_same_accents(encoding, named):
    table = read(CSV_TEXT.encode(encoding), "dados.csv")
    assert table.kind == "csv" and table.encoding == named
    assert table.columns == ("Código", "Município", "Taxa")
    assert table.rows[0] == ("1100011", "São Teste", "12,5")
    assert table.row_numbers == (2, 3, 4) and table.header_rows == (1,)


@pytest.mark.parametrize("delimiter", [";", "\t", ",", "|"])
def test_ctr002_the_delimiter_is_sniffed_and_a_decimal_comma_does_not_split_a_field(delimiter):
    text = CSV_TEXT.replace(";", delimiter)
    if delimiter == ",":  # a comma-separated file quotes its decimal commas
        text = text.replace("12,5", '"12,5"')
    table = read(text.encode())
    assert table.delimiter == delimiter
    assert table.column("Taxa") == ["12,5", "n.d.", "9"]


def test_ctr003_a_file_that_stops_being_utf8_is_refused_naming_the_line():
    data = "Código;Município\n1100011;São Teste\n".encode() + "1100021;Água Fictícia\n".encode(
        "cp1252"
    )
    err = refused(data)
    assert err.code == "encoding_mixed" and err.params == {"line": 3}
    assert "3" in err.message("es")


@pytest.mark.parametrize(
    "data",
    [
        b"a;b\n1;\x81\x8d\x8f\n",  # bytes Windows-1252 leaves undefined
        b"a;b\n1;\x02\x03\x04\x05\n",  # control characters: not text
    ],
)
def test_ctr004_undecodable_text_is_refused(data):
    assert refused(data).code == "encoding"


@pytest.mark.parametrize("data", [b"", b"\n\n  \r\n", b"\x00\x00"])
def test_ctr005_an_empty_file_is_refused(data):
    assert refused(data).code == "empty"


@pytest.mark.parametrize(
    "data, kind",
    [
        (b"%PDF-1.7\n...", "PDF"),
        (b"\x89PNG\r\n\x1a\n....", "PNG"),
        (b"\x1f\x8b\x08\x00compressed", "gzip"),
        (b"ELF?\x00\x01\x02binary\x00", "binary"),
    ],
)
def test_ctr006_a_file_that_is_not_a_table_is_refused_by_its_bytes_not_its_name(data, kind):
    err = refused(data, name="dados.csv")
    assert err.code == "not_tabular" and err.params == {"kind": kind}


def test_ctr007_legacy_xls_and_encrypted_workbooks_are_refused_with_what_to_do():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512
    assert refused(ole).code == "legacy_xls"
    encrypted = ole + "EncryptedPackage".encode("utf-16-le")
    assert refused(encrypted).code == "encrypted"


def test_ctr008_a_file_over_the_size_limit_is_refused_before_it_is_read(monkeypatch):
    err = refused(CSV_TEXT.encode() * 10, limits=Limits(max_bytes=100))
    assert err.code == "too_large"
    assert err.params["limit_mb"] == "0.0" and float(err.params["size_mb"]) >= 0
    monkeypatch.setenv("ATLAS_UPLOAD_MAX_MB", "0.0001")
    with pytest.raises(UploadError, match="too_large"):
        read_upload(CSV_TEXT.encode() * 10, "x.csv")  # the setting, when no limits are given


def test_ctr009_a_producer_workbook_header_block_data_block_and_notes_are_found():
    table = read(uploads.producer_workbook(), "tmi.xlsx")
    assert table.kind == "xlsx" and table.sheet == "Municipios"
    assert table.sheets == ("Municipios", "Notas")
    assert table.header_rows == (3, 4)
    assert table.columns == (
        "Código",
        "Município",
        "Taxa de mortalidade infantil / 2019",
        "Taxa de mortalidade infantil / 2020",
    )
    assert table.row_numbers == (5, 6, 7, 8, 9)
    assert table.rows[1] == ("1100021", "Vila Exemplo", 20.5, "n.d.")
    assert table.title == ("Taxa de mortalidade infantil por município, 2019-2020",)
    assert table.notes == (
        "Fonte: Secretaria Municipal de Saúde (dados fictícios).",
        "n.d.: não disponível.",
    )


def test_ctr010_the_caller_can_override_sheet_header_and_data_rows():
    data = uploads.producer_workbook()
    table = read(data, header_rows=(4,), first_data_row=6, last_data_row=7)
    assert table.columns[2:] == ("2019", "2020") and table.row_numbers == (6, 7)
    assert table.overrides == {"header_rows": (4,), "first_data_row": 6, "last_data_row": 7}
    notes = read(data, sheet="Notas", header_rows=(), first_data_row=1)
    assert notes.sheet == "Notas" and notes.rows == (("Só notas aqui",),)
    err = refused(data, sheet="Hoja1")
    assert err.code == "no_sheet" and err.params == {
        "sheet": "Hoja1",
        "sheets": "Municipios, Notas",
    }
    assert refused(data, first_data_row=500).code == "bad_rows"


def test_ctr011_a_csv_saved_from_a_merged_header_carries_the_group_label_across():
    text = (
        "Título del cuadro;;;\n"
        ";;Tasa;\n"
        "Código;Nombre;2019;2020\n"
        "1100011;São Teste;1,5;2\n"
        "1100021;Vila Exemplo;3;4\n"
        "1200012;Porto Ensaio;5;6\n"
    )
    table = read(text.encode())
    assert table.columns == ("Código", "Nombre", "Tasa / 2019", "Tasa / 2020")
    assert table.title == ("Título del cuadro",)


def test_ctr012_a_macro_enabled_workbook_is_refused():
    assert refused(uploads.xlsm(), name="plan.xlsx").code == "macros"
    only_vba = uploads.rezip(uploads.simple_workbook([["a", 1]]), add={"xl/vbaProject.bin": b"x"})
    assert refused(only_vba).code == "macros"


def test_ctr013_a_zip_bomb_is_refused_from_its_directory_before_openpyxl_opens_it(monkeypatch):
    opened = []
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: opened.append(1))
    assert refused(uploads.zip_bomb()).code == "zip_bomb"
    big = uploads.rezip(
        uploads.simple_workbook([["a", 1]]), add={"xl/media/big.bin": b"\x00" * 3_000_000}
    )
    assert refused(big, limits=Limits(max_unzipped=2_000_000, max_ratio=10**9)).code == "zip_bomb"
    many = uploads.rezip(
        uploads.simple_workbook([["a", 1]]), add={f"x/{i}": b"" for i in range(30)}
    )
    assert refused(many, limits=Limits(max_entries=20)).code == "zip_bomb"
    assert opened == []


def test_ctr013b_a_bomb_that_understates_its_size_stops_at_the_declared_size():
    """zipfile reads an entry only up to its declared size and then fails its CRC check, so
    the directory's sizes checked before opening bound what opening can inflate."""
    liar = uploads.understate(uploads.zip_bomb(8), "xl/worksheets/sheet1.xml", 20_000)
    with zipfile.ZipFile(io.BytesIO(liar)) as z:
        assert z.getinfo("xl/worksheets/sheet1.xml").file_size == 20_000
    assert refused(liar).code == "corrupt"


def test_ctr014_formulas_saved_without_their_values_are_refused_naming_the_cells():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Código", "Nascidos", "Óbitos", "Taxa"])
    for i, code in enumerate(("1100011", "1100021", "1100031"), start=2):
        ws.append([code, 100 + i, i, f"=C{i}/B{i}*1000"])  # openpyxl never computes: no value
    err = refused(uploads.save(wb))
    assert err.code == "formulas"
    assert err.params == {"count": 3, "cells": "D2, D3, D4", "sheet": "Sheet"}
    assert "D2, D3, D4" in err.message("pt")


def test_ctr015_rows_and_columns_are_capped_in_csv_and_xlsx():
    rows = "\n".join(f"{i};{i}" for i in range(50)).encode()
    assert refused(rows, limits=Limits(max_rows=10)).code == "too_many_rows"
    wide = (";".join(str(i) for i in range(30)) + "\n").encode() * 3
    assert refused(wide, limits=Limits(max_columns=10)).code == "too_many_columns"
    wb = openpyxl.Workbook()
    wb.active["A1"], wb.active["A5000"] = "a", 1
    assert refused(uploads.save(wb), limits=Limits(max_rows=1000)).code == "too_many_rows"
    wb.active["ZZ2"] = 2
    assert refused(uploads.save(wb), limits=Limits(max_columns=100)).code == "too_many_columns"


def test_ctr016_a_damaged_or_foreign_zip_is_refused():
    data = uploads.producer_workbook()
    assert refused(data[: len(data) // 2]).code == "corrupt"
    assert refused(b"PK\x03\x04" + b"garbage" * 20).code == "corrupt"
    assert refused(uploads.docx_like()).code == "unsupported_zip"
    broken_xml = uploads.rezip(
        data, replace=lambda n, b: b[:200] if n == "xl/worksheets/sheet1.xml" else b
    )
    assert refused(broken_xml).code == "corrupt"


def test_ctr017_a_sheet_without_a_table_is_refused():
    assert refused(uploads.simple_workbook([["Só texto"], ["mais texto"]])).code == "no_table"


#: Example parameters of every refusal, to render each message in each language.
PARAMS = {
    "too_large": {"size_mb": "25.0", "limit_mb": "20.0"},
    "not_tabular": {"kind": "PDF"},
    "encoding_mixed": {"line": 3},
    "too_many_rows": {"limit": 200000},
    "too_many_columns": {"limit": 500},
    "formulas": {"count": 2, "cells": "D2, D3", "sheet": "Hoja1"},
    "no_sheet": {"sheet": "X", "sheets": "A, B"},
    "bad_rows": {"row": 9, "rows": 5},
    "mapping_column": {"column": "Valor"},
}


@pytest.mark.parametrize("code", ERROR_CODES)
def test_ctr018_every_refusal_has_a_message_in_every_language(code):
    err = UploadError(code, **PARAMS.get(code, {}))
    for lang in LANGS:
        text = err.message(lang)
        assert text and "{" not in text
    assert f"contrib.error.{code}" in messages()


def test_ctr019_an_unknown_code_is_a_programming_error():
    with pytest.raises(ValueError, match="Unknown upload error code"):
        UploadError("oops")


@hsettings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_ctr020_random_bytes_give_a_table_or_an_upload_error_and_nothing_else(data):
    try:
        read(data)
    except UploadError:
        pass


@hsettings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_ctr021_a_damaged_workbook_gives_an_upload_error_and_nothing_else(data):
    good = uploads.producer_workbook()
    with zipfile.ZipFile(io.BytesIO(good)) as z:
        names = [i.filename for i in z.infolist()]
    name = data.draw(st.sampled_from(names))
    cut = data.draw(st.integers(min_value=0, max_value=400))
    junk = data.draw(st.binary(max_size=40))

    def damage(n: str, body: bytes) -> bytes:
        return body[:cut] + junk + body[cut + len(junk) :] if n == name else body

    try:
        read(uploads.rezip(good, replace=damage))
    except UploadError:
        pass


def test_ctr022_the_domain_imports_neither_dash_nor_a_database():
    """Every module of atlas/contrib/ imported in a fresh interpreter: neither a web package nor
    a database package comes with them (reading and validating an upload never load them;
    publishing, which writes the database, is atlas/publish.py)."""
    code = (
        "import importlib, pkgutil, sys, atlas.contrib as c\n"
        "for m in pkgutil.iter_modules(c.__path__): importlib.import_module(f'atlas.contrib.{m.name}')\n"
        "print(sorted(m for m in ('dash', 'flask', 'sqlalchemy', 'plotly') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert out.stdout.split() == ["[]"]

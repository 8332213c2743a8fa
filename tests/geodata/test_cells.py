"""The one helper that turns a numeric column into numbers (geodata/cells.py).

Declared missing-value codes become missing and are counted per file; anything else that is not a
number stops the build with the file, the cell and the fix. No raw data needed.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from geodata.cells import MissingCodes
from geodata.errors import BuildError
from geodata.registry import Source, normalise_long

RAW = Path("/raw")
FILE = RAW / "XXX/indicators/table.csv"


def _codes(*declared: str) -> MissingCodes:
    return MissingCodes("xxx_table", declared, "geodata/sources/XXX.toml", RAW)


def _where(n: int) -> pd.DataFrame:
    return pd.DataFrame({"line": range(2, n + 2), "code": [f"0{i}" for i in range(1, n + 1)]})


def test_cel001_declared_codes_are_missing_and_counted_per_file():
    codes = _codes("ND", "n.d.", "*")
    values = pd.Series(["12.5", " ND ", "7", "n.d.", "*", "-3e2", "ND"])
    out = codes.numeric(values, FILE, _where(7), column="2006")
    assert out.dtype == "float64"
    assert out.tolist()[0] == 12.5 and out.tolist()[2] == 7.0 and out.tolist()[5] == -300.0
    assert out.isna().tolist() == [False, True, False, True, True, False, True]
    codes.numeric(pd.Series(["ND", "1"]), RAW / "XXX/other.csv", _where(2))
    assert codes.counts() == {
        "XXX/indicators/table.csv": {"*": 1, "ND": 2, "n.d.": 1},
        "XXX/other.csv": {"ND": 1},
    }


def test_cel002_an_undeclared_code_stops_with_the_file_the_cell_and_the_fix():
    codes = _codes("ND")
    values = pd.Series(["12,5", "ND", "*", "9"])
    with pytest.raises(BuildError) as err:
        codes.numeric(values, FILE, _where(4), column="2006", decimal=",")
    msg = str(err.value)
    assert "XXX/indicators/table.csv" in msg  # the file
    assert "'*' at line 4, code 03, column '2006'" in msg  # the cell
    assert "1 cell(s)" in msg and "Declared missing-value codes: 'ND'" in msg
    assert "missing_codes of source 'xxx_table' in geodata/sources/XXX.toml" in msg  # the fix
    assert "report the file" in msg


def test_cel003_empty_cells_are_missing_only_where_the_blank_code_is_declared():
    mixed = pd.Series([1.5, None, "", "  ", np.nan, "2"], dtype=object)
    out = _codes("").numeric(mixed, FILE, _where(6))
    assert out.isna().tolist() == [False, True, True, True, True, False]
    numbers = pd.Series([1.0, np.nan])  # a float column (R, Parquet, JSON null)
    blank = _codes("")
    assert blank.numeric(numbers, FILE).isna().tolist() == [False, True]
    assert blank.counts() == {"XXX/indicators/table.csv": {"": 1}}
    for values in (mixed, numbers):
        with pytest.raises(BuildError, match="empty cells"):
            _codes("ND").numeric(values, FILE)


def test_cel004_decimal_and_thousands_separators_of_the_file():
    codes = _codes()
    assert codes.numeric(pd.Series(["12,6", "-0,5", "10"]), FILE, decimal=",").tolist() == [
        12.6,
        -0.5,
        10.0,
    ]
    out = codes.numeric(pd.Series(["1,159", "2,021", "15.25", "1,234,567.5"]), FILE, thousands=",")
    assert out.tolist() == [1159.0, 2021.0, 15.25, 1234567.5]
    for text, kw in (("12.6", {"decimal": ","}), ("1,15", {"thousands": ","}), ("1.5.2", {})):
        with pytest.raises(BuildError, match="not a number"):
            codes.numeric(pd.Series([text]), FILE, **kw)


@pytest.mark.parametrize("text", ["nan", "NaN", "inf", "-Infinity", "NA", "1O", "12 %", "0x1A"])
def test_cel005_text_python_would_parse_or_a_typo_is_not_a_number(text):
    with pytest.raises(BuildError):
        _codes().numeric(pd.Series(["1", text]), FILE)


@pytest.mark.parametrize(
    "values",
    [
        pd.Series([True, False]),
        pd.Series([1.0, dt.date(2020, 1, 1)], dtype=object),
        pd.Series([2.5, True], dtype=object),
    ],
)
def test_cel006_a_column_of_another_type_stops(values):
    with pytest.raises(BuildError, match="numeric column hold"):
        _codes("").numeric(values, FILE)


def test_cel007_workbook_cells_mix_numbers_text_and_empties():
    cells = pd.Series([3, 4.25, "5", None, "n.d.", np.int64(6)], dtype=object)
    codes = _codes("n.d.", "")
    out = codes.numeric(cells, FILE)
    assert out.iloc[[0, 1, 2, 5]].tolist() == [3.0, 4.25, 5.0, 6.0]
    assert codes.counts() == {"XXX/indicators/table.csv": {"": 1, "n.d.": 1}}


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_cel008_every_finite_number_written_as_text_reads_back_exactly(x):
    out = _codes().numeric(pd.Series([repr(x), str(x)]), FILE)
    assert out.tolist() == [x, x]


def test_cel009_a_reader_that_leaves_text_in_a_value_column_stops_the_build():
    """normalise_long no longer coerces: text that bypassed the helper is an error, not NaN."""
    src = Source(
        id="xxx_table",
        country="XXX",
        producer="p",
        dataset="d",
        vintage="v",
        licence="l",
        url="u",
        files=("XXX/indicators/table.csv",),
        reader="xxx:read_table",
        level="municipality",
        join_threshold=0.0,
    )
    long = pd.DataFrame(
        {"code": ["01", "02"], "year": [2006, 2006], "variable": ["v", "v"], "value": [1.0, "ND"]}
    )
    with pytest.raises(BuildError) as err:
        normalise_long(long, src)
    assert "1 non-numeric value cell(s), e.g. 'ND' for code 02, year 2006" in str(err.value)
    ok = long.assign(value=[1.0, math.nan])
    assert normalise_long(ok, src)["value"].isna().tolist() == [False, True]

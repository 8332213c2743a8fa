"""Mexico adapter on the real raw data: INEGI 2015 municipal grid, CONEVAL, CONAPO, PNUD tables.

Expected values are read straight from the raw files with other tools than the readers use: the
``csv`` module for the CONEVAL and CONAPO text files, ``openpyxl`` cell access for the workbooks,
``pyogrio.read_info`` for the feature count of the GeoJSON layer.
"""

from __future__ import annotations

import csv
import math

import openpyxl
import pyogrio
import pytest
import shapely

from atlas.catalog import load_catalog
from geodata import geometry
from geodata.countries import mex
from geodata.registry import load_registry

IND = "MEX/indicators"


_INDEXED: dict[int, object] = {}


def _value(long, code, variable, year):
    """The reader's value for one code/variable/year (the long table indexed once per table)."""
    if id(long) not in _INDEXED:
        indexed = long.set_index(["code", "year", "variable"])["value"]
        assert indexed.index.is_unique
        _INDEXED[id(long)] = (long, indexed)  # keep ``long`` alive so its id is not reused
    return float(_INDEXED[id(long)][1].loc[(code, year, variable)])


def _num(text):
    """A raw cell as a number: thousands commas dropped, missing markers -> NaN."""
    if text is None or str(text).strip() in {"", "n.d", "n.d.", "ND", "-"}:
        return math.nan
    return float(str(text).replace(",", ""))


def _same(a, b):
    return (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b, rel=1e-9, abs=1e-9)


def _csv_rows(path, encoding, key):
    """{code (5 chars): row dict}, the code built independently of the reader."""
    with open(path, encoding=encoding, newline="") as fh:
        rows = csv.DictReader(fh)
        return {r[key].strip().zfill(5): r for r in rows if r[key].strip() not in {"", "-"}}


def _sheet_rows(path, sheet=None, header_row=1):
    """Header -> value dicts of one worksheet (openpyxl cell values)."""
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    ws = wb[sheet] if sheet else wb.worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    wb.close()
    header = rows[header_row - 1]
    return [dict(zip(header, r, strict=False)) for r in rows[header_row:]]


@pytest.fixture(scope="module")
def units(raw_dir):
    return mex.read_units(raw_dir)


@pytest.fixture(scope="module")
def pobreza(raw_dir, codes):
    return mex.read_coneval_pobreza(raw_dir, codes("mex_coneval_pobreza_municipal"))


@pytest.fixture(scope="module")
def sabana(raw_dir, codes):
    return mex.read_coneval_sabana(raw_dir, codes("mex_coneval_sabana"))


@pytest.fixture(scope="module")
def marginacion(raw_dir, codes):
    return mex.read_conapo_marginacion(raw_dir, codes("mex_conapo_marginacion"))


# ------------------------------------------------------------------------------------------------
# Units


def test_mex001_unit_count_and_codes(units, raw_dir):
    assert len(units) == 2457
    assert units["code"].is_unique
    assert units["code"].map(type).eq(str).all()
    assert units["code"].str.fullmatch(r"\d{5}").all()
    assert {"01001", "07023", "09014"} <= set(units["code"])  # leading zeros kept
    assert "02006" not in set(units["code"])  # San Quintín (2020) has no polygon
    assert sum(pyogrio.read_info(raw_dir / rel)["features"] for rel in mex.BOUNDARY_FILES) == 2457
    assert units["admin1_code"].nunique() == 32
    assert (units["admin1_code"] == units["code"].str[:2]).all()


def test_mex002_names_with_accents(units):
    by_code = units.set_index("code")
    assert by_code.loc["01009", "name"] == "Tepezalá"
    assert by_code.loc["01009", "admin1_name"] == "Aguascalientes"
    assert by_code.loc["16053", "admin1_name"] == "Michoacán"
    assert by_code.loc["19039", "admin1_name"] == "Nuevo León"
    # the six names shortened in the catalogue copy come back in full
    assert by_code.loc["11014", "name"] == "Dolores Hidalgo Cuna de la Independencia Nacional"
    assert by_code.loc["20043", "name"] == "Heroica Ciudad de Juchitán de Zaragoza"
    assert by_code.loc["20549", "name"].startswith("Heroica Villa Tezoatlán de Segura y Luna")
    assert units["name"].notna().all() and units["admin1_name"].notna().all()
    assert not units["name"].str.isupper().any()
    assert units["admin1_name"].nunique() == 32


def test_mex003_geometries(units):
    assert units.crs.to_epsg() == 4326
    assert not units.geometry.is_empty.any()
    # Nine simplified polygons are invalid: the build's shared repair fixes and counts them.
    geoms, repaired = geometry.repair(units.geometry.to_numpy())
    assert repaired == 9
    assert shapely.is_valid(geoms).all()
    assert {g.geom_type for g in geoms} <= {"Polygon", "MultiPolygon"}


# ------------------------------------------------------------------------------------------------
# CONEVAL multidimensional poverty 2010-2020


def test_mex004_coneval_pobreza_values(pobreza, raw_dir):
    for year in (2010, 2015, 2020):
        raw = _csv_rows(raw_dir / mex.CONEVAL_POVERTY_FILES[year], "latin-1", "clave_municipio")
        plp, plp_e = ("plp", "plp_e") if year == 2020 else ("plb", "plbm")
        for code in ("01001", "07023", "20067", "31050"):
            row = raw[code]
            for variable, column in [
                ("pobreza", "pobreza"),
                ("pobreza_e", "pobreza_e"),
                ("ic_rezedu", "ic_rezedu"),
                ("plp", plp),
                ("plp_e", plp_e),
                ("poblacion", "poblacion"),
                ("pobreza_pob", "pobreza_pob"),
            ]:
                got = _value(pobreza, code, variable, year)
                assert _same(got, _num(row[column])), (code, variable, year)


def test_mex005_coneval_pobreza_missing_and_coverage(pobreza, units):
    assert math.isnan(_value(pobreza, "08010", "pobreza", 2015))  # 'n.d' in the file
    assert not pobreza["variable"].isin(["plb", "plbm"]).any()  # one name per concept
    assert sorted(pobreza["year"].unique()) == [2010, 2015, 2020]
    codes = set(units["code"])
    for year, rate in [(2010, 1.0), (2015, 1.0), (2020, 0.995)]:
        year_codes = set(pobreza.loc[pobreza["year"] == year, "code"])
        assert len(year_codes & codes) / len(year_codes) >= rate, year


# ------------------------------------------------------------------------------------------------
# CONEVAL sábana 1990-2010


def test_mex006_sabana_values(sabana, raw_dir):
    raw = _csv_rows(raw_dir / mex.SABANA_FILE, "utf-8", "clave_mun")
    checks = [
        ("pobreza_alim", 1990, "pobreza_alim_90"),
        ("pobreza_alim", 2000, "pobreza_alim_00"),
        ("pobreza_alim", 2010, "pobreza_alim_10"),
        ("pobreza_patrim", 1990, "pobreza_patrim_90"),
        ("gini", 2000, "gini_00"),
        ("gini", 2010, "gini_10"),
        ("porc_pob614_noasiste", 2000, "porc_pob614_noasiste00"),
        ("porc_pob614_noasiste", 2005, "porc_pob614_noasiste05"),
        ("porc_pob614_noasiste", 2010, "porc_pob614_noasiste10"),
        ("p_viv_dren", 1990, "p_viv_dren_90"),
        ("p_viv_dren", 2010, "p_viv_dren_000"),
        ("porc_vivsnrefri", 2010, "porc_vivsnrefr10"),
        ("pobreza", 2010, "pobreza"),
    ]
    for code in ("01001", "07118", "12076", "32058"):
        for variable, year, column in checks:
            got = _value(sabana, code, variable, year)
            assert _same(got, _num(raw[code][column])), (code, column)


def test_mex007_sabana_missing_and_coverage(sabana):
    assert math.isnan(_value(sabana, "23009", "pobreza_alim", 1990))  # Tulum: 'ND'
    assert sorted(sabana["year"].unique()) == [1990, 2000, 2005, 2010]
    assert not sabana["variable"].str.contains(r"(?:_000|_90|_00|_10)$").any()
    assert not sabana.duplicated(["code", "year", "variable"]).any()


# ------------------------------------------------------------------------------------------------
# CONAPO marginalisation


def test_mex008_marginacion_long_file_years(marginacion, raw_dir):
    with open(raw_dir / mex.MARGINACION_LONG_FILE, encoding="utf-8", newline="") as fh:
        raw = {
            (row["CVE_MUN"].strip().zfill(5), int(row["AÑO"])): row
            for row in csv.DictReader(fh)
            if row["CVE_MUN"].strip() != "-"
        }
    checks = [
        (1990, "ANALF"),
        (1990, "OVSAE"),
        (1990, "OVSDE"),
        (1990, "VHAC"),
        (1990, "POB_TOT"),
        (1995, "ANALF"),
        (1995, "OVSD"),
        (2000, "OVSDSE"),
        (2000, "SPRIM"),
        (2005, "OVSDE"),
        (2015, "SPRIM"),
    ]
    for code in ("01001", "07023", "20067", "30193"):
        for year, column in checks:
            got = _value(marginacion, code, column, year)
            assert _same(got, _num(raw[(code, year)][column])), (code, year, column)
    got = _value(marginacion, "01001", "PL5000", 2005)
    assert _same(got, _num(raw[("01001", 2005)]["PL<5000"]))


def test_mex009_marginacion_imm_workbooks(marginacion, raw_dir):
    for year in (2010, 2015, 2020):
        rows = _sheet_rows(raw_dir / mex.IMM_FILES[year], sheet=f"IMM_{year}")
        by_code = {str(r["CVE_MUN"]).zfill(5): r for r in rows if r["CVE_MUN"]}
        for code in ("01001", "07023", "20067", "30193"):
            for column in ("ANALF", "OVSDE", "OVSAE", "VHAC", "POB_TOT", "SBASC", f"IM_{year}"):
                variable = "IM" if column.startswith("IM_") else column
                got = _value(marginacion, code, variable, year)
                assert _same(got, _num(by_code[code][column])), (code, year, column)


def test_mex010_marginacion_one_value_per_year(marginacion):
    assert not marginacion.duplicated(["code", "year", "variable"]).any()
    assert sorted(marginacion["year"].unique()) == [1990, 1995, 2000, 2005, 2010, 2015, 2020]
    ovsde_years = sorted(marginacion.loc[marginacion["variable"] == "OVSDE", "year"].unique())
    assert ovsde_years == [1990, 2005, 2010, 2015, 2020]  # 1995: OVSD, 2000: OVSDSE
    assert "VHAC" not in set(marginacion.loc[marginacion["year"] == 1995, "variable"])


# ------------------------------------------------------------------------------------------------
# ICTPC, TMI, IDH


def test_mex011_ictpc_values(raw_dir, codes):
    df = mex.read_coneval_ictpc(raw_dir, codes("mex_coneval_ictpc2020"))
    rows = _sheet_rows(raw_dir / mex.ICTPC_FILE, header_row=2)
    by_code = {r["Clave de municipio"]: r["Ingreso corriente total per cápita"] for r in rows}
    for code in ("01001", "19019", "20151", "07125"):
        assert _same(_value(df, code, "ictpc", 2020), _num(by_code[code])), code
    assert len(df) == 2469 and set(df["year"]) == {2020}


def test_mex012_tmi_values(raw_dir, codes):
    df = mex.read_conapo_tmi(raw_dir, codes("mex_conapo_tmi2020"))
    rows = _sheet_rows(raw_dir / mex.TMI_FILE)
    by_code = {r["CVEGEO"]: r["TMI_2020"] for r in rows}
    for code in ("01001", "32058", "20601", "07023"):
        assert _same(_value(df, code, "TMI", 2020), _num(by_code[code])), code
    assert math.isnan(_value(df, "02006", "TMI", 2020))  # 'n.d.'
    assert len(df) == 1929 and set(df["year"]) == {2020}


def test_mex013_idh_values(raw_dir, codes):
    df = mex.read_pnud_idh(raw_dir, codes("mex_pnud_idh"))
    wb = openpyxl.load_workbook(raw_dir / mex.IDH_FILE, read_only=True, data_only=True)
    ws = wb.worksheets[0]
    by_code = {row[0]: row for row in ws.iter_rows(min_row=7, values_only=True) if row[0]}
    wb.close()
    # 0-based columns: 13-15 expected schooling, 25-27 HDI, 4-6 population (2010, 2015, 2020)
    for code in ("01001", "12076", "20601", "08010"):
        row = by_code[code]
        for i, year in enumerate((2010, 2015, 2020)):
            assert _same(_value(df, code, "idh", year), _num(row[25 + i])), (code, year)
            got = _value(df, code, "escolaridad_esperada", year)
            assert _same(got, _num(row[13 + i])), (code, year)
            assert _same(_value(df, code, "poblacion", year), _num(row[4 + i])), (code, year)
    assert df["code"].nunique() == 1917
    assert sorted(df["year"].unique()) == [2010, 2015, 2020]


# ------------------------------------------------------------------------------------------------
# Registry and catalog


def test_mex014_catalog_series_exist(raw_dir, pobreza, sabana, marginacion, codes):
    country = load_registry()["MEX"]
    tables = {
        "mex_coneval_pobreza_municipal": pobreza,
        "mex_coneval_sabana": sabana,
        "mex_conapo_marginacion": marginacion,
        "mex_coneval_ictpc2020": mex.read_coneval_ictpc(raw_dir, codes("mex_coneval_ictpc2020")),
        "mex_conapo_tmi2020": mex.read_conapo_tmi(raw_dir, codes("mex_conapo_tmi2020")),
        "mex_pnud_idh": mex.read_pnud_idh(raw_dir, codes("mex_pnud_idh")),
    }
    assert {s.id for s in country.indicator_sources} == set(tables)
    series = [s for s in load_catalog().all_series() if s.country == "MEX" and s.source in tables]
    assert len(series) >= 18
    for s in series:
        table = tables[s.source]
        rows = table[table["variable"] == s.variable]
        for year in s.years:
            assert rows.loc[rows["year"] == year, "value"].notna().any(), (s.indicator, year)

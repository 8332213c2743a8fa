"""Colombia adapter on the real raw data: MGN 2018, NBI 2005/2018, MEN education, IPM 2018-2022.

Expected values are read straight from the raw files with other code than the readers use: the
``json`` module for the MGN layer, ``xlrd``/``openpyxl`` cells at fixed positions for the DANE
workbooks, the ``csv`` module for the MEN export.
"""

from __future__ import annotations

import csv
import json
import math

import openpyxl
import pytest
import xlrd

from atlas.catalog import load_catalog
from geodata.countries import col
from geodata.registry import load_registry

#: Medellín, Abejorral, Bogotá, Mitú, Cumaribo (the first three keep a leading zero or are 11001).
SAMPLE = ["05001", "05002", "11001", "97001", "99773"]
NBI_LABELS = col.NBI_VARIABLES
MEN_YEARS = list(range(2011, 2023))
IPM_YEARS = [2018, 2019, 2020, 2021, 2022]


@pytest.fixture(scope="module")
def units(raw_dir):
    return col.read_units(raw_dir)


@pytest.fixture(scope="module")
def men(raw_dir, codes):
    return col.read_men_education(raw_dir, codes("col_men_education"))


@pytest.fixture(scope="module")
def ipm(raw_dir, codes):
    return col.read_ipm_departments(raw_dir, codes("col_ipm_departamental"))


def _value(long, code, variable, year, column="value"):
    rows = long[(long["code"] == code) & (long["variable"] == variable) & (long["year"] == year)]
    assert len(rows) == 1, (code, variable, year, len(rows))
    return float(rows[column].iloc[0])


def _sheet(path, name):
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        return list(book[name].iter_rows(values_only=True))
    finally:
        book.close()


def test_col001_unit_count_and_codes(units, raw_dir):
    with open(raw_dir / col.BOUNDARY_FILE, encoding="utf-8") as fh:
        features = json.load(fh)["features"]
    assert len(units) == len(features) == 1122
    assert units["code"].is_unique
    assert units["code"].map(type).eq(str).all()
    assert units["code"].str.fullmatch(r"\d{5}").all()
    assert set(SAMPLE) <= set(units["code"])  # leading zero of 05001 kept
    assert "27086" not in set(units["code"])  # Belén de Bajirá is not in MGN 2018
    assert (units["admin1_code"] == units["code"].str[:2]).all()
    assert units["admin1_code"].nunique() == 33


def test_col002_names_and_geometry(units):
    by_code = units.set_index("code")
    assert by_code.loc["05001", "name"] == "Medellín"
    assert by_code.loc["19824", "name"] == "Totoró"
    assert by_code.loc["05001", "admin1_name"] == "Antioquia"
    assert by_code.loc["11001", "admin1_name"] == "Bogotá, D.C."
    assert by_code.loc["63001", "admin1_name"] == "Quindío"
    assert by_code.loc["88001", "admin1_name"].startswith("Archipiélago de San Andrés")
    assert not units["name"].str.isupper().any()
    assert not units["admin1_name"].str.contains("'").any()
    assert not units.geometry.is_empty.any()
    assert units.crs.to_epsg() == 4326
    minx, miny, maxx, maxy = units.total_bounds
    assert -82 < minx < maxx < -66 and -5 < miny < maxy < 14  # San Andrés to Leticia


def test_col003_nbi2005_matches_raw(raw_dir, codes):
    long = col.read_nbi2005(raw_dir, codes("col_nbi2005"))
    sheet = xlrd.open_workbook(raw_dir / col.NBI2005_FILE).sheet_by_name("Municipios")
    rows = {
        str(sheet.cell_value(r, 0)) + str(sheet.cell_value(r, 2)): r for r in range(6, sheet.nrows)
    }
    for code in SAMPLE:
        for i, variable in enumerate(NBI_LABELS):
            expected = sheet.cell_value(rows[code], 32 + 2 * i)  # Total block, value/cve pairs
            assert _value(long, code, variable, 2005) == pytest.approx(expected)
    published = long[long["level"].notna()]
    long = long[long["level"].isna()]
    assert long["code"].nunique() == 1122
    assert sorted(set(long["year"])) == [2005]
    # DANE's own department and national rows (sheet Departamentos, Total block at column 30)
    assert published["code"].nunique() == 34 and set(published["level"]) == {"admin1", "country"}
    assert _value(published, "COL", "nbi", 2005) == pytest.approx(27.778792284)
    assert _value(published, "13", "nbi", 2005) == pytest.approx(46.604705620)


def test_col004_nbi2005_placeholders_are_missing(raw_dir, codes):
    long = col.read_nbi2005(raw_dir, codes("col_nbi2005"))
    sheet = xlrd.open_workbook(raw_dir / col.NBI2005_FILE).sheet_by_name("Municipios")
    tame = next(r for r in range(6, sheet.nrows) if sheet.cell_value(r, 3) == "TAME")
    assert [sheet.cell_value(tame, c) for c in range(32, 46, 2)] == [100] * 7
    for variable in NBI_LABELS:
        assert math.isnan(_value(long, "81794", variable, 2005))
    placeholders = long[long["value"].isna()]["code"].unique()
    assert len(placeholders) == 35


def test_col005_nbi2018_matches_raw(raw_dir, codes):
    long = col.read_nbi2018(raw_dir, codes("col_nbi2018"))
    rows = _sheet(raw_dir / col.NBI2018_FILE, "Municipios")
    by_code = {f"{r[0]}{r[2]}": r for r in rows[10:] if r[0] and r[2]}
    for code in SAMPLE:
        for i, variable in enumerate(NBI_LABELS):
            expected = float(by_code[code][4 + i])  # Total block, columns 4-10
            assert _value(long, code, variable, 2018) == pytest.approx(expected)
    assert _value(long, "99773", "nbi", 2018) == pytest.approx(87.4856, abs=1e-3)  # 2019 update
    assert "00000" not in set(long["code"])  # TOTAL NACIONAL read as the country's row
    published = long[long["level"].notna()]
    long = long[long["level"].isna()]
    assert long["code"].nunique() == 1122
    assert long["value"].notna().all()
    assert _value(published, "COL", "nbi", 2018) == pytest.approx(14.28)
    assert _value(published, "05", "nbi", 2018) == pytest.approx(10.73)


def test_col006_men_matches_raw(raw_dir, men):
    expected = {}
    with open(raw_dir / col.MEN_FILE, encoding="utf-8-sig", newline="") as fh:
        for r in csv.DictReader(fh):
            year = int(r["AÑO"].replace(",", ""))
            expected[(r["CÓDIGO_MUNICIPIO"].zfill(5), year)] = r
    variables = [
        "COBERTURA_NETA_PRIMARIA",
        "COBERTURA_NETA",
        "DESERCIÓN_PRIMARIA",
        "APROBACIÓN_PRIMARIA",
        "TASA_MATRICULACIÓN_5_16",
    ]
    for code in SAMPLE:
        for year in (2011, 2017, 2021, 2022):
            r = expected[(code, year)]
            for variable in variables:
                got = _value(men, code, variable, year)
                if r[variable] == "":
                    assert math.isnan(got)
                else:
                    assert got == pytest.approx(float(r[variable]))
            population = float(r["POBLACIÓN_5_16"].replace(",", ""))
            assert _value(men, code, "POBLACIÓN_5_16", year) == population


def test_col007_men_years_and_national_rows(men):
    assert sorted(set(men["year"])) == MEN_YEARS  # "2,021" read as 2021
    national = men[men["level"] == "country"]
    men = men[men["level"].isna()]
    assert men["code"].str.fullmatch(r"\d{5}").all()
    assert "00000" not in set(men["code"])  # national rows (fractions): MEN's own, times 100
    assert men["code"].nunique() == 1122
    assert set(national["code"]) == {"COL"} and sorted(set(national["year"])) == [2019, 2020, 2021]
    assert _value(national, "COL", "TASA_MATRICULACIÓN_5_16", 2019) == pytest.approx(92.55)
    assert _value(national, "COL", "POBLACIÓN_5_16", 2019) == 9488850
    primary = men[men["variable"] == "COBERTURA_NETA_PRIMARIA"]
    assert primary.groupby("year")["code"].nunique().min() >= 1121
    assert primary["value"].max() > 100  # kept as published (projected denominators)
    assert _value(men, "05001", "POBLACIÓN_5_16", 2021) > 1000  # thousands separator removed


def test_col008_ipm_incidence_matches_raw(raw_dir, ipm):
    rows = _sheet(raw_dir / col.IPM_FILE, "IPM_Departamentos")
    ci_rows = _sheet(raw_dir / col.IPM_FILE, "IC_IPM")
    by_name = {r[0]: r for r in rows[12:45]}
    ci_by_name = {r[0]: r for r in ci_rows[32:65]}  # departmental incidence table of IC_IPM
    for name, code in [
        ("Antioquia", "05"),
        ("Bogotá D.C.", "11"),
        ("San Andrés", "88"),
        ("Vichada", "99"),
    ]:
        for i, year in enumerate(IPM_YEARS):
            assert _value(ipm, code, "IPM", year) == pytest.approx(by_name[name][1 + 3 * i])
            ci = ci_by_name[name]
            assert _value(ipm, code, "IPM", year, "ci_low") == pytest.approx(ci[3 + 15 * i])
            assert _value(ipm, code, "IPM", year, "ci_high") == pytest.approx(ci[4 + 15 * i])


def test_col009_ipm_deprivations_match_raw(raw_dir, ipm):
    rows = _sheet(raw_dir / col.IPM_FILE, col.IPM_SHEET_DEPRIVATIONS)
    deprivations = [
        "Analfabetismo",
        "Sin acceso a fuente de agua mejorada",
        "Inadecuada eliminación de excretas",
        "Inasistencia escolar",
    ]
    for name, code in [("Antioquia", "05"), ("Bogotá", "11"), ("Vaupés", "97")]:
        start = next(i for i, r in enumerate(rows) if r[0] == name)
        block = {r[1]: r for r in rows[start : start + 15]}
        for deprivation in deprivations:
            for i, year in enumerate(IPM_YEARS):
                expected = block[deprivation][2 + 3 * i]  # Total column of each year
                assert _value(ipm, code, deprivation, year) == pytest.approx(expected)
    bogota_ci = _value(ipm, "11", "Analfabetismo", 2020, "ci_low")
    assert not math.isnan(bogota_ci)  # "Bogotá" and "Bogotá D.C." both map to 11


def test_col010_ipm_codes_and_years(ipm, units):
    assert set(ipm["code"]) == set(units["admin1_code"])  # 33 / 33 departments
    assert ipm["code"].str.fullmatch(r"\d{2}").all()
    assert sorted(set(ipm["year"])) == IPM_YEARS
    assert ipm["variable"].nunique() == 16  # incidence + 15 deprivations
    assert ipm["value"].notna().all() and ipm["ci_low"].notna().all()
    assert (ipm["ci_low"] <= ipm["value"]).all() and (ipm["value"] <= ipm["ci_high"]).all()


def test_col011_catalog_series_exist(raw_dir):
    country = load_registry()["COL"]
    outputs = {s.id: s.read(raw_dir) for s in country.indicator_sources}
    series = [s for s in load_catalog().all_series() if s.source in outputs]
    assert len(series) >= 21
    for s in series:
        table = outputs[s.source]
        rows = table[table["variable"] == s.variable]
        if s.level != country.source(s.source).level:  # the producer's own aggregates
            assert s.level in ("admin1", "country"), s.indicator
            rows = rows[rows["level"] == s.level]
        assert set(s.years) <= set(rows["year"]), (s.indicator, s.variable)

"""Uruguay adapter on the real raw data: INE departments, MSP infant mortality, MIDES unemployment.

Expected values are read straight from the raw files with other tools than the readers use
(``rdata`` instead of ``pyreadr`` for the R table, the ``csv`` module for the MIDES export).
"""

from __future__ import annotations

import csv
import warnings

import pandas as pd
import pytest
import rdata
import shapely

from atlas.catalog import load_catalog
from geodata import geometry
from geodata.countries import ury
from geodata.registry import load_registry

#: INE codes: Montevideo, Flores (the smallest), Paysandú, Río Negro, Treinta y Tres.
SAMPLE = {
    "01": "MONTEVIDEO",
    "07": "FLORES",
    "11": "PAYSANDU",
    "12": "RIO NEGRO",
    "19": "TREINTA Y TRES",
}
ACCENTED = {"11": "Paysandú", "12": "Río Negro", "16": "San José", "18": "Tacuarembó"}


@pytest.fixture(scope="module")
def units(raw_dir):
    return ury.read_units(raw_dir)


def _value(long, code, variable, year):
    rows = long[(long["code"] == code) & (long["variable"] == variable) & (long["year"] == year)]
    assert len(rows) == 1, (code, variable, year, len(rows))
    return float(rows["value"].iloc[0])


def _decimal(text):
    return float(text.replace(",", "."))


def test_ury001_unit_count_and_codes(units):
    assert len(units) == 19
    assert units["code"].is_unique
    assert units["code"].map(type).eq(str).all()
    assert sorted(units["code"]) == [f"{i:02d}" for i in range(1, 20)]  # leading zeros kept
    assert (units["admin1_code"] == units["code"]).all()
    assert (units["admin1_name"] == units["name"]).all()


def test_ury002_names_and_geometry(units):
    by_code = units.set_index("code")
    assert by_code.loc["01", "name"] == "Montevideo"
    assert by_code.loc["19", "name"] == "Treinta y Tres"
    for code, name in ACCENTED.items():
        assert by_code.loc[code, "name"] == name
    assert not units["name"].str.isupper().any()
    assert units.crs.to_epsg() == 4326
    assert not units.geometry.is_empty.any()
    # Maldonado and Rivera are invalid: the build's shared repair fixes and counts them.
    geoms, repaired = geometry.repair(units.geometry.to_numpy())
    assert repaired == 2
    assert shapely.is_valid(geoms).all()
    assert {g.geom_type for g in geoms} <= {"Polygon", "MultiPolygon"}
    minx, miny, maxx, maxy = units.total_bounds
    assert -58.5 < minx < maxx < -53 and -35.1 < miny < maxy < -30


def test_ury003_infant_mortality_matches_raw(raw_dir, codes):
    long = ury.read_infant_mortality(raw_dir, codes("ury_msp_tmi"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # rdata: no constructor for class tbl_df
        table = rdata.read_rds(raw_dir / ury.INFANT_MORTALITY_FILE)
    by_key = {(r.Depto, int(r.anio)): r for r in table.itertuples()}
    for code, name in SAMPLE.items():
        for year in (1997, 2005, 2015):
            r = by_key[(name, year)]
            assert _value(long, code, "Tasa", year) == pytest.approx(r.Tasa)
            assert _value(long, code, "Defunciones", year) == r.Defunciones
            assert _value(long, code, "Nacimientos", year) == r.Nacimientos
    assert _value(long, "02", "Tasa", 1997) == pytest.approx(1000 * 43 / 1812)  # Artigas


def test_ury004_infant_mortality_coverage(raw_dir, units, codes):
    long = ury.read_infant_mortality(raw_dir, codes("ury_msp_tmi"))
    total = long[long["level"] == "country"]
    long = long[long["level"].isna()]
    assert set(long["code"]) == set(units["code"])  # INTERIOR dropped, 19 / 19
    assert sorted(set(long["year"])) == list(range(1997, 2016))
    assert len(long) == 19 * 19 * 3
    # MSP's TOTAL: the country's own figure, read as a published aggregate
    assert set(total["code"]) == {"URY"} and len(total) == 19 * 3
    assert _value(total, "URY", "Tasa", 2015) == pytest.approx(1000 * 367 / 48926)


def test_ury005_unemployment_matches_raw(raw_dir, codes):
    long = ury.read_unemployment(raw_dir, codes("ury_mides_desempleo"))
    with open(raw_dir / ury.UNEMPLOYMENT_FILE, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh, delimiter=";"))
    header, data = rows[0], rows[1:61]
    variables = {
        "Total": "unemployment_total",
        "Mujeres": "unemployment_women",
        "Varones": "unemployment_men",
    }
    names = {
        "Montevideo": "01",
        "Flores": "07",
        "Paysandú": "11",
        "Río Negro": "12",
        "Treinta y Tres": "19",
    }
    checked = 0
    for sex, department, *values in data:
        if department in names:
            for year in (2006, 2012, 2019):
                expected = _decimal(values[header.index(str(year)) - 2])
                assert _value(long, names[department], variables[sex], year) == expected
                checked += 1
    assert checked == 5 * 3 * 3


def test_ury006_unemployment_coverage(raw_dir, units, codes):
    long = ury.read_unemployment(raw_dir, codes("ury_mides_desempleo"))
    assert set(long["code"]) == set(units["code"])  # country "Total" dropped
    assert sorted(set(long["year"])) == list(range(2006, 2020))
    assert set(long["variable"]) == {"unemployment_total", "unemployment_women", "unemployment_men"}
    assert long["value"].notna().all()
    assert len(long) == 19 * 14 * 3


def test_ury007_catalog_series_exist(raw_dir):
    country = load_registry()["URY"]
    assert country.unit_level == "admin1"
    assert all(s.level == "admin1" for s in country.sources)
    outputs = {s.id: s.read(raw_dir) for s in country.indicator_sources}
    series = [s for s in load_catalog().all_series() if s.source in outputs]
    assert {s.indicator for s in series} >= {"infant_mortality", "unemployment"}
    for s in series:
        assert s.level == "admin1", s.indicator
        table = outputs[s.source]
        rows = table[table["variable"] == s.variable]
        assert set(s.years) <= set(rows["year"]), (s.indicator, s.variable)


def test_ury008_every_unemployment_value_of_the_raw_file_is_in_the_store(raw_dir, store_dir):
    """All 798 department values of tasa-desempleo.csv (19 x 3 sexes x 14 years), read with the
    csv module, are in the store as published: none lost to a cell pandas could not parse."""
    with open(raw_dir / ury.UNEMPLOYMENT_FILE, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh, delimiter=";"))
    header, data = rows[0], rows[1:61]
    units = pd.read_parquet(store_dir / "units.parquet", columns=["unit_id", "name", "country"])
    unit_of = {n: u for u, n, c in units.itertuples(index=False) if c == "URY" and u != "URY"}
    indicators = {
        "Total": "unemployment",
        "Mujeres": "unemployment_women",
        "Varones": "unemployment_men",
    }
    obs = pd.read_parquet(store_dir / "observations.parquet")
    obs = obs[obs["indicator_id"].isin(indicators.values()) & obs["unit_id"].str.startswith("URY")]
    stored = {(r.indicator_id, r.unit_id, r.year): r.value for r in obs.itertuples()}
    expected = {
        (indicators[sex], unit_of[department], int(year)): _decimal(cell)
        for sex, department, *cells in data
        if department != "Total"
        for year, cell in zip(header[2:], cells, strict=True)
    }
    assert len(expected) == 19 * 3 * 14
    assert {k: stored.get(k) for k in expected} == expected

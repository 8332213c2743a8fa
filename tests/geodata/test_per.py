"""Peru adapter on the real raw data: districts, INEI poverty 2018, CEPLAN table, Census 2017 NBI.

Expected values are read straight from the raw files with other tools than the reader uses
(``rdata`` instead of ``pyreadr`` for the .rda, the ``csv`` module for the CSV files).
"""

from __future__ import annotations

import csv
import math
import warnings

import pytest
import rdata

from atlas.catalog import load_catalog
from geodata.countries import per
from geodata.registry import load_registry

SAMPLE = ["010101", "080101", "150132", "250204"]


@pytest.fixture(scope="module")
def units(raw_dir):
    return per.read_units(raw_dir)


@pytest.fixture(scope="module")
def pobreza(raw_dir, codes):
    return per.read_pobreza2018(raw_dir, codes("per_inei_pobreza2018"))


@pytest.fixture(scope="module")
def ubigeo(raw_dir, codes):
    return per.read_ubigeo_distrito(raw_dir, codes("per_ceplan_ubigeo"))


@pytest.fixture(scope="module")
def nbi(raw_dir, codes):
    return per.read_nbi2017(raw_dir, codes("per_inei_nbi2017"))


def _value(long, code, variable, year, column="value"):
    rows = long[(long["code"] == code) & (long["variable"] == variable) & (long["year"] == year)]
    assert len(rows) == 1, (code, variable, year, len(rows))
    return float(rows[column].iloc[0])


def _csv_rows(path, key, encoding="utf-8"):
    with open(path, newline="", encoding=encoding) as fh:
        return {row[key]: row for row in csv.DictReader(fh) if row[key]}


def test_per001_unit_count_and_codes(units):
    assert len(units) == 1891
    assert units["code"].is_unique
    assert units["code"].map(type).eq(str).all()
    assert units["code"].str.fullmatch(r"\d{6}").all()
    assert "010101" in set(units["code"])  # leading zero kept
    assert units["admin1_code"].str.fullmatch(r"\d{2}").all()
    assert units["admin1_code"].nunique() == 25
    assert (units["admin1_code"] == units["code"].str[:2]).all()


def test_per002_names_and_geometry(units):
    by_code = units.set_index("code")
    assert by_code.loc["010102", "name"] == "Asunción"
    assert by_code.loc["070107", "name"] == "Mi Perú"
    assert by_code.loc["130112", "name"] == "Alto Trujillo"  # created after 2017: still a unit
    assert by_code.loc["020101", "admin1_name"] == "Áncash"
    assert not units["name"].str.isupper().any()
    assert not units.geometry.is_empty.any()
    assert units.geometry.notna().all()
    assert units.crs.to_epsg() == 4326
    minx, miny, maxx, maxy = units.total_bounds
    assert -82 < minx < maxx < -68 and -19 < miny < maxy < 0.1


def test_per003_poverty2018_matches_raw(raw_dir, pobreza):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        raw = rdata.read_rda(raw_dir / per.POVERTY2018_FILE)["pobreza2018"].set_index("ubigeo")
    for code in SAMPLE:
        row = raw.loc[code]
        assert _value(pobreza, code, "pobreza_monetaria", 2018) == pytest.approx(
            row["pobreza_monetaria"]
        )
        assert _value(pobreza, code, "pobreza_monetaria", 2018, "ci_low") == pytest.approx(
            row["conf_95_inf"]
        )
        assert _value(pobreza, code, "pobreza_monetaria", 2018, "ci_high") == pytest.approx(
            row["conf_95_sup"]
        )
        assert _value(pobreza, code, "pob_2020", 2020) == pytest.approx(row["pob_2020"])
    assert pobreza["code"].nunique() == 1874


def test_per004_ubigeo_table_matches_raw(raw_dir, ubigeo):
    raw = _csv_rows(raw_dir / per.UBIGEO_FILE, "inei")
    for code in SAMPLE:
        assert _value(ubigeo, code, "idh_2019", 2019) == pytest.approx(float(raw[code]["idh_2019"]))
        assert _value(ubigeo, code, "pct_pobreza_extrema", 2013) == pytest.approx(
            float(raw[code]["pct_pobreza_extrema"])
        )
    # pct_pobreza_total duplicates the INEI 2018 map: never emitted a second time.
    assert set(ubigeo["variable"]) == {"idh_2019", "pct_pobreza_extrema"}
    assert ubigeo["value"].notna().all()


def test_per005_nbi2017_matches_raw(raw_dir, nbi):
    raw = _csv_rows(raw_dir / per.NBI2017_FILE, "ubigeo", encoding="utf-8-sig")
    for code in SAMPLE:
        households = float(raw[code]["number_hh"])
        for col in per.NBI_COUNTS:
            expected = float(raw[code][col]) / households * 100
            assert _value(nbi, code, f"pct_{col}", 2017) == pytest.approx(expected)
    assert nbi["value"].between(0, 100).all()


def test_per006_year_coverage(pobreza, ubigeo, nbi):
    years = {
        v: sorted(set(df.loc[df["variable"] == v, "year"]))
        for df in (pobreza, ubigeo, nbi)
        for v in df["variable"].unique()
    }
    assert years["pobreza_monetaria"] == [2018]
    assert years["pob_2020"] == [2020]
    assert years["idh_2019"] == [2019]
    assert years["pct_pobreza_extrema"] == [2013]
    assert all(years[f"pct_{c}"] == [2017] for c in per.NBI_COUNTS)


def test_per007_catalog_series_exist_in_reader_output(raw_dir):
    country = load_registry()["PER"]
    outputs = {s.id: s.read(raw_dir) for s in country.indicator_sources}
    # Country-level series (national.toml) read other sources: only this registry's.
    series = [s for s in load_catalog().all_series() if s.source in outputs]
    assert series
    for s in series:
        df = outputs[s.source]
        got = {s.reference_year(int(y)) for y in df.loc[df["variable"] == s.variable, "year"]}
        assert set(s.years) <= got, (s.indicator, s.source, s.variable)


def test_per008_missing_stays_missing(pobreza, units):
    # Districts created after 2017 have no poverty row (not a zero).
    assert "130112" in set(units["code"])
    assert "130112" not in set(pobreza["code"])
    assert not any(math.isinf(v) for v in pobreza["value"])

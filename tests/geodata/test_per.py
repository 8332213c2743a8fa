"""Peru adapter on the real raw data: districts, INEI poverty 2018, CEPLAN table, Census 2017 NBI.

Expected values are read straight from the raw files with other tools than the reader uses
(``rdata`` instead of ``pyreadr`` for the .rda, the ``csv`` module for the CSV files).
"""

from __future__ import annotations

import csv
import json
import math
import warnings

import pytest
import rdata

from atlas.catalog import load_catalog
from geodata.countries import per
from geodata.registry import load_registry

SAMPLE = ["010101", "080101", "150132", "250204"]
PNUD_DIR = "PER/indicators/gersongams_Mapa-Desigualdad-Social"
PNUD_FIELDS = {
    "idh": "human_development_index",
    "evn": "life_expectancy",
    "pob_esc": "secondary_complete_adults",
    "anios_educ": "mean_years_schooling",
    "ing_prom": "income_per_capita",
}
PNUD_YEARS = [2003, 2007, 2010, 2011, 2012]


@pytest.fixture(scope="module")
def units(raw_dir):
    return per.read_units(raw_dir)


@pytest.fixture(scope="module")
def pobreza(raw_dir, codes):
    return per.read_pobreza2018(raw_dir, codes("per_inei_pobreza2018"))


@pytest.fixture(scope="module")
def ubigeo(raw_dir, codes):
    return per.read_ubigeo_distrito(raw_dir, codes("per_inei_pobreza2013"))


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


def _js_json(path):
    """The array of ``export const x = [...]``, parsed with the json module's decoder."""
    text = path.read_text(encoding="utf-8")
    start = text.index("[")
    array, _ = json.JSONDecoder().raw_decode(text[start:])
    return array


@pytest.fixture(scope="module")
def pnud_raw(raw_dir):
    """2007 UBIGEO -> distritos.js row, by SOURCE.md's recipe (row 0, a province, dropped)."""
    rows = _js_json(raw_dir / PNUD_DIR / "distritos.js")
    layer = json.loads(
        (
            raw_dir / "PER/boundaries/juaneladio_peru-geojson/peru_distrital_simple.geojson"
        ).read_text(encoding="utf-8")
    )
    codes = sorted(f["properties"]["IDDIST"] for f in layer["features"])
    assert rows[0]["distrito"] == "Chachapoyas" and len(rows) == 1835
    return dict(zip(codes, rows[1:], strict=True))


def _store_value(store, unit_id, indicator, year):
    s = store.series(unit_id, indicator)
    s = s[s["year"] == year]
    assert len(s) <= 1, (unit_id, indicator, year)
    return None if s.empty else float(s["value"].iloc[0])


def test_per009_pnud_districts_match_raw(raw_dir, codes, pnud_raw):
    long = per.read_pnud_idh_districts(raw_dir, codes("per_pnud_idh_distritos"))
    row = pnud_raw["010101"]
    assert row["distrito"] == "Chachapoyas" and row["idh_2012"] == 0.5467
    assert _value(long, "010101", "idh", 2012) == 0.5467
    assert _value(long, "250401", "ing_prom", 2012) == 342.9
    for code in [*SAMPLE, "010102", "250401"]:
        for field in PNUD_FIELDS:
            for year in PNUD_YEARS:
                assert _value(long, code, field, year) == pytest.approx(
                    float(pnud_raw[code][f"{field}_{year}"]), abs=1e-12
                )
    # The two districts that moved to the Putumayo province carry their current codes.
    assert _value(long, "160801", "idh", 2012) == pnud_raw["160109"]["idh_2012"]
    assert _value(long, "160803", "idh", 2012) == pnud_raw["160114"]["idh_2012"]
    assert not {"160109", "160114"} & set(long["code"])


def test_per010_pnud_store_matches_raw(store, pnud_raw):
    for code in [*SAMPLE, "010102", "250401"]:
        for field, indicator in PNUD_FIELDS.items():
            for year in PNUD_YEARS:
                got = _store_value(store, f"PER{code}", indicator, year)
                assert got == pytest.approx(float(pnud_raw[code][f"{field}_{year}"]), abs=1e-9)
    assert _store_value(store, "PER010101", "human_development_index", 2012) == 0.5467


def test_per011_pnud_missing_stays_missing(store, pnud_raw):
    # Empty 2003 cells: districts created after 2003 (160114 is now 160803).
    for old, new in [("160114", "160803"), ("160706", "160706")]:
        assert pnud_raw[old]["idh_2003"] == ""
        assert _store_value(store, f"PER{new}", "human_development_index", 2003) is None
        assert _store_value(store, f"PER{new}", "human_development_index", 2007) is not None
    # 2003 rows the producer filled with zeros (HDI 0, life expectancy 0): not estimated.
    for code in ["211210", "240203", "250107"]:
        assert pnud_raw[code]["idh_2003"] == 0 and pnud_raw[code]["evn_2003"] == 0
        for indicator in PNUD_FIELDS.values():
            assert _store_value(store, f"PER{code}", indicator, 2003) is None
        assert _store_value(store, f"PER{code}", "human_development_index", 2007) > 0
    # One empty cell: Cuenca's 2011 HDI; its 2011 components are there.
    assert pnud_raw["150706"]["idh_2011"] == ""
    assert _store_value(store, "PER150706", "human_development_index", 2011) is None
    assert _store_value(store, "PER150706", "life_expectancy", 2011) is not None
    # Districts created after 2007 never take their parent's values.
    for code in ["030609", "030610", "130112", "160802", "180107"]:
        assert code not in pnud_raw
        for indicator in PNUD_FIELDS.values():
            years = set(store.series(f"PER{code}", indicator)["year"])
            assert not years & set(PNUD_YEARS), (code, indicator)


def test_per012_pnud_departments_are_the_producers(store, pnud_raw, raw_dir):
    rows = _js_json(raw_dir / PNUD_DIR / "departamentos.js")
    assert len(rows) == 125
    department = {r["DEPARTAMENTO"]: code[:2] for code, r in pnud_raw.items()}
    for r in rows:
        for field, indicator in PNUD_FIELDS.items():
            got = _store_value(store, f"PER{department[r['departamento']]}", indicator, r["anio"])
            assert got == pytest.approx(float(r[field]), abs=1e-9), (r["departamento"], field)
    assert _store_value(store, "PER01", "human_development_index", 2012) == 0.3846


def test_per013_pnud_join_rates_in_report(store_dir):
    from atlas.report import collect

    sources = collect(store_dir)["countries"]["PER"]["sources"]
    districts = sources["per_pnud_idh_distritos"]
    assert districts["codes"] == 1834 and districts["join_rate"] == 1.0
    assert districts["years"] == PNUD_YEARS
    departments = sources["per_pnud_idh_departamentos"]
    assert departments["codes"] == 25 and departments["join_rate"] == 1.0


def test_per014_progress_for_most_districts(store_dir):
    from atlas.catalog import catalog
    from atlas.report import progress_report

    for indicator in ["secondary_complete_adults", "mean_years_schooling"]:
        assert catalog()[indicator].goal == 2
        (case,) = progress_report(store_dir, [("PER", indicator, 2012, "mdg2015")])["cases"]
        assert case["level"] == "municipality" and case["units"] == 1891
        assert case["assessed"] / case["units"] >= 0.9, case
        assert case["latest_years"] == [2012]

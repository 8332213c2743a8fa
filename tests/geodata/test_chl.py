"""Chile adapter on the real raw data: DPA 2023 comunas, chile-hub tables, SINIM.

Expected values are read straight from the raw files with other tools than the reader uses
(the ``json`` module for chile-hub, ``pyarrow.parquet`` row dictionaries for SINIM).
"""

from __future__ import annotations

import json

import pyarrow.parquet as pq
import pytest

from atlas.catalog import load_catalog
from geodata.countries import chl
from geodata.registry import load_registry

SAMPLE = ["01101", "04106", "13101", "11302"]


@pytest.fixture(scope="module")
def units(raw_dir):
    return chl.read_units(raw_dir)


@pytest.fixture(scope="module")
def sinim(raw_dir, codes):
    return chl.read_sinim(raw_dir, codes("chl_sinim"))


def _value(long, code, variable, year, column="value"):
    rows = long[(long["code"] == code) & (long["variable"] == variable) & (long["year"] == year)]
    assert len(rows) == 1, (code, variable, year, len(rows))
    return float(rows[column].iloc[0])


def _json(path):
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def test_chl001_unit_count_and_codes(units):
    assert len(units) == 345
    assert units["code"].is_unique
    assert units["code"].map(type).eq(str).all()
    assert units["code"].str.fullmatch(r"\d{5}").all()
    assert "01101" in set(units["code"])  # leading zero kept
    assert "12202" not in set(units["code"])  # Antártica: no polygon in DPA
    assert units["admin1_code"].nunique() == 16
    assert (units["admin1_code"] == units["code"].str[:2]).all()


def test_chl002_names_and_geometry(units):
    by_code = units.set_index("code")
    assert by_code.loc["04106", "name"] == "Vicuña"
    assert by_code.loc["11302", "name"] == "O'Higgins"
    assert by_code.loc["01101", "admin1_name"] == "Tarapacá"
    assert not units["name"].str.isupper().any()
    assert not units.geometry.is_empty.any()
    assert units.crs.to_epsg() == 4326
    minx, miny, maxx, maxy = units.total_bounds
    assert -110 < minx < maxx < -66 and -57 < miny < maxy < -17  # Isla de Pascua, Diego Ramírez


def test_chl003_poverty2022_matches_raw(raw_dir, codes):
    long = chl.read_pobreza_comunal(raw_dir, codes("chl_mdsf_pobreza2022"))
    raw = {(r["codigo_comuna"], r["dimension"]): r for r in _json(raw_dir / chl.POVERTY_FILE)}
    for code in SAMPLE:
        for dim in ("ingresos", "multidimensional"):
            r = raw[(code, dim)]
            var = f"pobreza_{dim}"
            assert _value(long, code, var, 2022) == pytest.approx(r["tasa"])
            assert _value(long, code, var, 2022, "ci_low") == pytest.approx(r["limite_inferior"])
            assert _value(long, code, var, 2022, "ci_high") == pytest.approx(r["limite_superior"])
    assert sorted(set(long["year"])) == [2022]


def test_chl004_census_and_school_2024_match_raw(raw_dir, codes):
    census = chl.read_censo2024(raw_dir, codes("chl_ine_censo2024"))
    school = chl.read_rendimiento2024(raw_dir, codes("chl_mineduc_rendimiento2024"))
    raw_census = {r["codigo_comuna"]: r for r in _json(raw_dir / chl.CENSUS_FILE)}
    raw_school = {r["codigo_comuna"]: r for r in _json(raw_dir / chl.SCHOOL_FILE)}
    for code in SAMPLE:
        assert (
            _value(census, code, "poblacion_censada", 2024) == raw_census[code]["poblacion_censada"]
        )
        for col in ("asistencia_promedio", "tasa_retiro"):
            assert _value(school, code, col, 2024) == pytest.approx(raw_school[code][col])
    assert sorted(set(census["year"])) == [2024] and sorted(set(school["year"])) == [2024]


def test_chl005_sinim_matches_raw(raw_dir, sinim):
    table = pq.read_table(
        raw_dir / chl.SINIM_FILE,
        columns=["cut_comuna", "año", "variable_id", "valor"],
        filters=[("variable_id", "in", ["744", "839", "761", "826", "838"])],
    )
    raw = {(r["cut_comuna"], r["año"], r["variable_id"]): r["valor"] for r in table.to_pylist()}
    for code in SAMPLE:
        for year in (2019, 2020, 2022):
            for vid, var in chl.SINIM_VARIABLES.items():
                assert _value(sinim, code, var, year) == pytest.approx(raw[(code, year, vid)])
            # the births implied by SINIM's natality (per 1,000) and population
            births = raw[(code, year, "838")] * raw[(code, year, "826")] / 1000
            assert _value(sinim, code, chl.SINIM_BIRTHS, year) == pytest.approx(births)
    assert "11111" not in set(sinim["code"])
    # Lo Barnechea 2021: about 1,270 births (the figure), and infant mortality 0
    assert _value(sinim, "13115", chl.SINIM_BIRTHS, 2021) == pytest.approx(1268.16, abs=0.01)


def test_chl006_sinim_missing_and_outliers(raw_dir, sinim):
    attendance = sinim[sinim["variable"] == "sinim_761_asistencia_escolar_municipal"]
    # Cerro Navia's schools moved to SLEP Barrancas: SINIM's 0 is "no municipal school".
    assert "13103" not in set(attendance.loc[attendance["year"] == 2019, "code"])
    assert (attendance["value"] > 0).all()
    assert 2021 not in set(attendance["year"])
    # The 2023 outlier is emitted as published; the catalog's valid_range leaves it out.
    assert _value(sinim, "15202", "sinim_839_mortalidad_infantil", 2023) == 1000
    (series,) = [
        s
        for s in load_catalog().all_series()
        if s.country == "CHL" and s.variable == "sinim_839_mortalidad_infantil"
    ]
    assert series.valid_range[1] < 1000
    assert 2022 not in series.years  # 2022 repeats 2021 in SINIM


def test_chl007_year_coverage(sinim):
    years = {v: sorted(set(g["year"])) for v, g in sinim.groupby("variable")}
    assert years["sinim_744_pobreza_casen"] == [2019, 2020, 2021, 2022, 2023]
    assert years["sinim_839_mortalidad_infantil"] == [2019, 2020, 2021, 2022, 2023]
    assert years["sinim_761_asistencia_escolar_municipal"] == [2019, 2020, 2022, 2023]
    assert years["sinim_826_poblacion_ine"] == [2019, 2020, 2021, 2022, 2023]


def test_chl008_catalog_one_value_per_unit_and_year(raw_dir):
    """Every series' years exist in its reader's output, and no (indicator, comuna, year) twice."""
    country = load_registry()["CHL"]
    outputs = {s.id: s.read(raw_dir) for s in country.indicator_sources}
    # Country-level series (national.toml) read other sources: only this registry's.
    series = [s for s in load_catalog().all_series() if s.source in outputs]
    seen: set[tuple[str, str, int]] = set()
    for s in series:
        df = outputs[s.source]
        df = df[df["variable"] == s.variable]
        ref = [s.reference_year(int(y)) for y in df["year"]]
        assert set(s.years) <= set(ref), (s.indicator, s.variable)
        keys = {(s.indicator, c, y) for c, y in zip(df["code"], ref, strict=True) if y is not None}
        assert not keys & seen, (s.indicator, s.source)
        seen |= keys
    # SINIM poverty lands on the CASEN surveys its data show, 2017 and 2020 (the later of two
    # SINIM years carrying one survey); CASEN 2022 comes from MDSF with its CI.
    (sinim_poverty,) = [s for s in series if s.variable == "sinim_744_pobreza_casen"]
    assert sinim_poverty.reference_year(2020) == 2017
    assert sinim_poverty.reference_year(2022) == 2020
    for not_kept in (2019, 2021, 2023):
        assert sinim_poverty.reference_year(not_kept) is None

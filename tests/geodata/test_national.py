"""National (country-level) series on the real raw data: Gapminder, EdStats, OWID.

Expected values are read straight from the raw files with the ``csv`` module, by column
position where the layout is fixed (``geo,time,<key>`` for Gapminder, ``year,country,<key>`` for
EdStats: year first), so a reader that swapped columns would fail.
"""

from __future__ import annotations

import csv
import math

import pytest

from atlas.catalog import load_catalog
from geodata.countries import national
from geodata.registry import load_registry

SIX = {"BRA", "CHL", "COL", "MEX", "PER", "URY"}


@pytest.fixture(scope="module")
def registry():
    return load_registry()["national"]


@pytest.fixture(scope="module")
def tables(raw_dir, registry):
    """Every national source read once through the registry (normalised long layout)."""
    return {s.id: s.read(raw_dir) for s in registry.indicator_sources}


def _value(long, code, variable, year):
    rows = long[(long["code"] == code) & (long["variable"] == variable) & (long["year"] == year)]
    assert len(rows) == 1, (code, variable, year, len(rows))
    return float(rows["value"].iloc[0])


def _csv_rows(path):
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        return header, list(reader)


def _sg_raw(raw_dir, key, geo, year):
    """Gapminder DDF value by position: geo, time, value."""
    header, rows = _csv_rows(raw_dir / national.sg_file(key))
    assert header == ["geo", "time", key]
    hits = [r[2] for r in rows if r[0] == geo and r[1] == str(year)]
    assert len(hits) == 1, (key, geo, year)
    return float(hits[0])


def _edstats_raw(raw_dir, key, country, year):
    """EdStats DDF value by position: year FIRST, then country, then value."""
    header, rows = _csv_rows(raw_dir / national.edstats_file(key))
    assert header == ["year", "country", key]
    hits = [r[2] for r in rows if r[0] == str(year) and r[1] == country]
    assert len(hits) == 1, (key, country, year)
    return float(hits[0])


def _owid_raw(raw_dir, folder, column, entity, year):
    header, rows = _csv_rows(raw_dir / national.owid_file(folder))
    i = header.index(column)
    hits = [r[i] for r in rows if r[0] == entity and r[1] == str(year)]
    assert len(hits) == 1, (folder, entity, year)
    return float(hits[0]) if hits[0] != "" else math.nan


def test_nat001_registry_country_block(registry):
    assert registry.iso3 == "national"
    assert registry.unit_level == "country"
    assert registry.code_length == 3
    assert registry.boundaries == ""
    assert registry.expected_units == 0
    assert all(s.level == "country" for s in registry.sources)
    assert all(s.url.startswith("http") and s.licence and s.producer for s in registry.sources)


def test_nat002_declared_files_are_the_files_read(registry):
    """The registry's file list per source equals what the reader opens (one source of truth)."""
    expected = {
        "sg_igme": [national.sg_file(k) for k in national.SG_IGME],
        "sg_gapminder": [national.sg_file(k) for k in national.SG_GAPMINDER],
        "sg_wb_poverty": [national.sg_file(k) for k in national.SG_WB_POVERTY],
        "sg_wdi": [national.sg_file(k) for k in national.SG_WDI],
        "sg_uis": [national.sg_file(k) for k in national.SG_UIS],
        "sg_wuenic": [national.sg_file(k) for k in national.SG_WUENIC],
        "sg_who": [national.sg_file(k) for k in national.SG_WHO],
        "sg_ilostat": [national.sg_file(k) for k in national.SG_ILOSTAT],
        "sg_fao": [national.sg_file(k) for k in national.SG_FAO],
        "wb_edstats": [national.edstats_file(k) for k in national.EDSTATS],
        "owid_fao_undernourishment": [national.owid_file(national.OWID_UNDERNOURISHMENT[0])],
        "owid_ipu_women_parliament": [national.owid_file(national.OWID_WOMEN_PARLIAMENT[0])],
        "owid_jmp_wash2021": [national.owid_file(national.OWID_JMP[0])],
        "owid_mmeig2019": [national.owid_file(national.OWID_MMR[0])],
    }
    assert {s.id: list(s.files) for s in registry.sources} == expected


def test_nat003_codes_are_the_six_iso3(tables):
    for source_id, long in tables.items():
        assert set(long["code"]) == SIX, source_id
        assert not long.duplicated(["code", "year", "variable"]).any(), source_id
        assert long["value"].notna().all(), source_id


def test_nat004_igme_under5_values(raw_dir, tables):
    long = tables["sg_igme"]
    key = "under_five_mortality_from_cme_per_1000_born"
    for geo, year in [("col", 1990), ("bra", 2015), ("ury", 2024), ("per", 2000)]:
        assert _value(long, geo.upper(), key, year) == _sg_raw(raw_dir, key, geo, year)
    years = set(long.loc[(long["variable"] == key) & (long["code"] == "MEX"), "year"])
    assert set(range(1990, 2025)) <= years


def test_nat005_wb_poverty_125_values(raw_dir, tables):
    long = tables["sg_wb_poverty"]
    key = "extreme_poverty_percent_people_below_125_a_day"
    for geo, year in [("col", 1989), ("col", 2014), ("mex", 1989), ("bra", 1990)]:
        assert _value(long, geo.upper(), key, year) == _sg_raw(raw_dir, key, geo, year)
    assert long.loc[long["variable"] == key, "year"].max() == 2014
    # No Brazilian national-poverty-line rows in WDI.
    nat = long[long["variable"] == "alternative_poverty_percent_below_nationally_defined_poverty"]
    assert "BRA" not in set(nat["code"])


def test_nat006_uis_wdi_wuenic_gapminder_values(raw_dir, tables):
    cases = [
        ("sg_uis", "literacy_rate_youth_total_percent_of_people_ages_15_24", "mex", 1990),
        ("sg_uis", "primary_completion_rate_total_percent_of_relevant_age_group", "col", 2015),
        ("sg_wdi", "births_attended_by_skilled_health_staff_percent_of_total", "col", 1990),
        ("sg_wdi", "malnutrition_weight_for_age_percent_of_children_under_5", "per", 1991),
        ("sg_wuenic", "mcv_immunized_percent_of_one_year_olds", "col", 1990),
        ("sg_gapminder", "infant_mortality_rate_per_1000_births", "chl", 2015),
        ("sg_who", "maternal_mortality_ratio_who", "col", 1990),
    ]
    for source_id, key, geo, year in cases:
        got = _value(tables[source_id], geo.upper(), key, year)
        assert got == _sg_raw(raw_dir, key, geo, year), (source_id, key)


def test_nat007_edstats_year_first_layout(raw_dir, tables):
    long = tables["wb_edstats"]
    cases = [
        ("se_prm_cmpt_zs", "col", 1990),
        ("se_prm_cmpt_zs", "bra", 2002),
        ("se_enr_prim_fm_zs", "mex", 1990),
        ("se_prm_nenr", "per", 2015),
        ("se_adt_1524_lt_zs", "mex", 1990),
    ]
    for key, country, year in cases:
        assert _value(long, country.upper(), key, year) == _edstats_raw(raw_dir, key, country, year)
    # SOURCE.md: COL 1990 completion 71.7, MEX 1990 youth literacy 95.4.
    assert round(_value(long, "COL", "se_prm_cmpt_zs", 1990), 1) == 71.7
    assert round(_value(long, "MEX", "se_adt_1524_lt_zs", 1990), 1) == 95.4
    bra = long[(long["code"] == "BRA") & (long["variable"] == "se_prm_cmpt_zs")]
    assert sorted(bra["year"]) == [2001, 2002, 2003, 2004]


def test_nat008_owid_values(raw_dir, tables):
    folder, cols = national.OWID_MMR
    assert _value(tables["owid_mmeig2019"], "COL", "maternal_mortality_rate_who_2019", 2015) == 85.0
    for entity, code, year in [("Colombia", "COL", 2000), ("Peru", "PER", 2017)]:
        expected = _owid_raw(raw_dir, folder, "maternal_mortality_rate_who_2019", entity, year)
        assert (
            _value(tables["owid_mmeig2019"], code, "maternal_mortality_rate_who_2019", year)
            == expected
        )

    folder, _ = national.OWID_JMP
    for entity, code, year, column in [
        ("Colombia", "COL", 2000, "wat_imp"),
        ("Colombia", "COL", 2015, "san_imp"),
        ("Brazil", "BRA", 2020, "san_imp"),
        ("Uruguay", "URY", 2010, "wat_imp"),
    ]:
        expected = _owid_raw(raw_dir, folder, column, entity, year)
        assert _value(tables["owid_jmp_wash2021"], code, column, year) == expected

    folder, cols = national.OWID_UNDERNOURISHMENT
    (column,) = cols
    for entity, code, year in [
        ("Colombia", "COL", 1991),
        ("Brazil", "BRA", 2015),
        ("Peru", "PER", 2000),
    ]:
        expected = _owid_raw(raw_dir, folder, column, entity, year)
        assert _value(tables["owid_fao_undernourishment"], code, "sn_itk_defc_zs", year) == expected

    folder, cols = national.OWID_WOMEN_PARLIAMENT
    (column,) = cols
    for entity, code, year in [
        ("Colombia", "COL", 1990),
        ("Chile", "CHL", 1997),
        ("Mexico", "MEX", 2015),
    ]:
        expected = _owid_raw(raw_dir, folder, column, entity, year)
        assert _value(tables["owid_ipu_women_parliament"], code, "sg_gen_parl_zs", year) == expected


def test_nat009_owid_missing_cells_are_dropped_not_zero(raw_dir, tables):
    """URY has no safely managed sanitation in JMP 2021: no rows, never 0."""
    jmp = tables["owid_jmp_wash2021"]
    folder, _ = national.OWID_JMP
    assert math.isnan(_owid_raw(raw_dir, folder, "san_sm", "Uruguay", 2015))
    assert jmp[(jmp["code"] == "URY") & (jmp["variable"] == "san_sm")].empty
    assert set(jmp.loc[jmp["variable"] == "wat_imp", "year"]) == set(range(2000, 2021))
    mmr = tables["owid_mmeig2019"]
    assert set(mmr["year"]) == set(range(2000, 2018))
    assert set(mmr["variable"]) == {"maternal_mortality_rate_who_2019"}


def test_nat010_catalog_series_exist_in_reader_output(tables):
    catalog = load_catalog()
    series = [s for s in catalog.all_series() if s.source in tables]
    assert len(series) >= 90
    for s in series:
        assert s.level == "country" and s.country in SIX
        long = tables[s.source]
        rows = long[(long["code"] == s.country) & (long["variable"] == s.variable)]
        missing = set(s.years) - set(rows["year"])
        assert not missing, (s.indicator, s.country, sorted(missing))
        assert s.definition and all(s.comparability.values()), (s.indicator, s.country)
    per_pair = {(s.indicator, s.country) for s in series}
    assert len(per_pair) == len(series)  # one series per (indicator, country)
    assert catalog["poverty_extreme_125"].comparable_across_countries
    assert {s.variable for s in catalog["poverty_extreme_125"].series} == {
        "extreme_poverty_percent_people_below_125_a_day"
    }

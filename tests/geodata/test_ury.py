"""Uruguay adapter on the real raw data: INE departments, MSP infant mortality, MIDES unemployment,
Mirador DESCA department series.

Expected values are read straight from the raw files with other tools than the readers use
(``rdata`` instead of ``pyreadr`` for the R table, the ``csv`` module for the MIDES export,
``pandas.read_excel`` instead of openpyxl's read-only stream for the Mirador DESCA workbook).
"""

from __future__ import annotations

import csv
import unicodedata
import warnings

import geopandas as gpd
import pandas as pd
import pytest
import rdata
import shapely

from atlas.catalog import load_catalog
from geodata import geometry
from geodata.countries import ury
from geodata.errors import BuildError
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


# ---------------------------------------------------------------------------------------------
# Mirador DESCA department series. Expected values come from the workbook read with
# pandas.read_excel (the reader streams it with openpyxl's read-only mode), department names
# folded with unicodedata here (the reader uses geodata.text.fold).

DESCA_INDICATORS = {
    8100209: "prenatal_visits_under5",
    430303: "births_to_adolescents",
    630101: "sanitation_no_sewer",
    630102: "sanitation_no_drainage",
    130101: "children_out_of_school",
    430102: "life_expectancy",
}
#: Producer (registry source) of a row, by the start of its FUENTE.
DESCA_SOURCES = {
    "Redatam+SP, Departamento de Estadísticas Vitales": "ury_msp_desca",
    "Estadísticas Vitales - MSP": "ury_msp_desca",
    "Instituto de Economía, Universidad de la República (2020) Encuesta Continua de Hogares "
    "Compatibilizada": "ury_iecon_ech_desca",
    "Encuesta Continua de Hogares 20": "ury_ine_ech_desca",
    "INE - Estimaciones y proyecciones de población": "ury_ine_proyecciones_desca",
}


def _plain(name):
    """Upper case without accents ('Río Negro' -> 'RIO NEGRO')."""
    decomposed = unicodedata.normalize("NFKD", str(name).strip().upper())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _desca_source(fuente):
    (source,) = {s for start, s in DESCA_SOURCES.items() if fuente.strip().startswith(start)}
    return source


@pytest.fixture(scope="module")
def desca_raw(raw_dir):
    """The department and national rows of the six indicators, as pandas reads the workbook."""
    df = pd.read_excel(raw_dir / ury.DESCA_FILE, sheet_name="Base_MiradorDESCA")
    df = df[df["CODINDICADOR"].isin(DESCA_INDICATORS) & df["CORTE"].isin(["Departamento", "Total"])]
    return df.assign(
        indicator=df["CODINDICADOR"].map(DESCA_INDICATORS),
        plain=df["Departamento"].map(_plain, na_action="ignore"),
        source=df["FUENTE"].map(_desca_source),
    )


@pytest.fixture(scope="module")
def ury_unit_of(store_dir):
    """Plain department name -> store unit id."""
    units = pd.read_parquet(store_dir / "units.parquet", columns=["unit_id", "name", "country"])
    units = units[(units["country"] == "URY") & (units["unit_id"] != "URY")]
    return {_plain(n): u for u, n in zip(units["unit_id"], units["name"], strict=True)}


@pytest.fixture(scope="module")
def ury_obs(store_dir):
    obs = pd.read_parquet(store_dir / "observations.parquet")
    return obs[obs["unit_id"].str.startswith("URY")]


def _stored(obs, unit_id, indicator, year):
    rows = obs[
        (obs["unit_id"] == unit_id) & (obs["indicator_id"] == indicator) & (obs["year"] == year)
    ]
    assert len(rows) <= 1, (unit_id, indicator, year)
    return None if rows.empty else (float(rows["value"].iloc[0]), rows["source_id"].iloc[0])


def test_ury009_desca_sample_values_in_store(ury_obs):
    """The values quoted in URY/SOURCE.md, as the map shows them, with their producer."""

    def near(value, source):
        return (pytest.approx(value, abs=1e-9), source)

    assert _stored(ury_obs, "URY02", "prenatal_visits_under5", 1995) == near(42.86, "ury_msp_desca")
    # SOURCE.md rounds it to 7.0: the file holds 7.02
    assert _stored(ury_obs, "URY02", "prenatal_visits_under5", 2020) == near(7.02, "ury_msp_desca")
    assert _stored(ury_obs, "URY02", "births_to_adolescents", 1996) == near(21.2, "ury_msp_desca")
    # SOURCE.md rounds it to 11.8: MSP's 2024 figures carry every decimal (11.8405...)
    (value, source) = _stored(ury_obs, "URY02", "births_to_adolescents", 2024)
    assert value == pytest.approx(11.8406, abs=1e-4) and source == "ury_msp_desca"
    assert _stored(ury_obs, "URY01", "sanitation_no_sewer", 2006) == near(
        18.8, "ury_iecon_ech_desca"
    )
    montevideo_2022 = _stored(ury_obs, "URY01", "sanitation_no_sewer", 2022)
    assert montevideo_2022[1] == "ury_ine_ech_desca"


def test_ury010_every_desca_department_value_is_in_the_store(desca_raw, ury_obs, ury_unit_of):
    """All 2,660 department values of the six series are stored as published, each under the
    source of the producer its FUENTE names."""
    rows = desca_raw[desca_raw["CORTE"] == "Departamento"]
    expected = {
        (r.indicator, ury_unit_of[r.plain], int(r.AÑO)): (float(r.VALOR), r.source)
        for r in rows.itertuples()
    }
    assert len(expected) == len(rows) == 19 * (26 + 28 + 17 + 17 + 19 + 15)
    stored = {
        (r.indicator_id, r.unit_id, int(r.year)): (float(r.value), r.source_id)
        for r in ury_obs[ury_obs["indicator_id"].isin(DESCA_INDICATORS.values())].itertuples()
    }
    assert {k: stored.get(k) for k in expected} == expected
    # and nothing else: no value without a raw row behind it
    assert set(stored) == set(expected)


def test_ury011_desca_names_in_two_spellings_join_19_of_19(desca_raw, raw_dir, ury_unit_of):
    names = set(desca_raw["Departamento"].dropna())
    assert {"ARTIGAS", "Artigas", "RÍO NEGRO", "Río Negro"} <= names
    assert len(names) > 19
    plain = {_plain(n) for n in names}
    ine = gpd.read_file(raw_dir / ury.BOUNDARY_FILE, columns=["nombre"], ignore_geometry=True)
    assert plain == set(ine["nombre"]) == set(ury_unit_of)
    assert len(plain) == 19


def test_ury012_desca_national_rows_are_the_producers_figures(desca_raw, store):
    """The file's national 'Total' rows are stored as the producer's published figure for the
    country (never as a department value), under the producer of each row."""
    totals = desca_raw[desca_raw["CORTE"] == "Total"]
    assert len(totals) == 26 + 28 + 17 + 17 + 19 + 15
    for r in totals.itertuples():
        assert store.published(r.indicator, "URY", int(r.AÑO)) == (float(r.VALOR), r.source)
    value, source = store.published("prenatal_visits_under5", "URY", 1995)
    assert value == pytest.approx(24.12, abs=1e-9) and source == "ury_msp_desca"
    assert store.published("children_out_of_school", "URY", 2019)[1] == "ury_iecon_ech_desca"
    assert store.published("children_out_of_school", "URY", 2020)[1] == "ury_ine_ech_desca"


def test_ury013_desca_missing_years_stay_missing(desca_raw, ury_obs, store):
    """ECH housing questions were not asked in 2020-2021 and MSP's 1998 adolescent births are
    not in the file: no value appears for them, at department or national level."""
    for indicator, years in [
        ("sanitation_no_drainage", [2020, 2021]),
        ("sanitation_no_sewer", [2020, 2021]),
        ("births_to_adolescents", [1998]),
        ("prenatal_visits_under5", [2021, 2022]),
    ]:
        raw_years = set(desca_raw.loc[desca_raw["indicator"] == indicator, "AÑO"])
        rows = ury_obs[ury_obs["indicator_id"] == indicator]
        for year in years:
            assert year not in raw_years
            assert rows[rows["year"] == year].empty, (indicator, year)
            assert store.published(indicator, "URY", year) is None
    # the ECH school-attendance series does have 2020 and 2021 (INE)
    attendance = ury_obs[ury_obs["indicator_id"] == "children_out_of_school"]
    assert len(attendance[attendance["year"].isin([2020, 2021])]) == 2 * 19


def test_ury014_desca_join_rates_in_report(store_dir):
    from atlas.report import collect

    sources = collect(store_dir)["countries"]["URY"]["sources"]
    years = {
        "ury_msp_desca": [*range(1995, 2025)],
        "ury_iecon_ech_desca": [*range(2006, 2020)],
        "ury_ine_ech_desca": [*range(2020, 2025)],
        "ury_ine_proyecciones_desca": [*range(2011, 2026)],
    }
    for source, expected in years.items():
        s = sources[source]
        assert s["codes"] == 19 and s["codes_joined"] == 19 and s["join_rate"] == 1.0, source
        assert s["years"] == expected, source


def test_ury015_desca_progress_for_every_department(store_dir):
    """MDG baselines: 1995 (prenatal), 1996 (births to adolescents), 2006 (ECH); SDG 2015."""
    from atlas.report import progress_report

    cases = [
        ("URY", "prenatal_visits_under5", 2015, "mdg2015"),
        ("URY", "births_to_adolescents", 2015, "mdg2015"),
        ("URY", "sanitation_no_drainage", 2015, "mdg2015"),
        ("URY", "children_out_of_school", 2015, "mdg2015"),
        ("URY", "children_out_of_school", 2024, "sdg2030"),
    ]
    baselines = [1995, 1996, 2006, 2006, 2015]
    report = progress_report(store_dir, cases)["cases"]
    for case, baseline in zip(report, baselines, strict=True):
        assert case["level"] == "admin1" and case["units"] == 19, case
        assert case["assessed"] == 19, case
        assert case["baseline_years"] == [baseline], case
    prenatal = report[0]["status_units"]
    # a 0 % target is reached by none; Flores' 1995 value is 0.0 and moved away: never achieved
    assert prenatal.get("achieved", 0) == 0
    assert prenatal["stagnation_regression"] == 1
    assert set(report[1]["status_units"]) <= {
        "improving_fast",
        "improving",
        "improving_slowly",
        "worsening",
    }


def _fake_desca(monkeypatch, rows):
    """Make the reader see ``rows`` (CODINDICADOR, AÑO, VALOR, FUENTE, CORTE, Departamento)."""
    cells = pd.DataFrame(rows, columns=list(ury.DESCA_COLUMNS)).assign(line=range(2, 2 + len(rows)))
    monkeypatch.setattr(ury, "_desca_cells", lambda path, stamp: cells)


def test_ury016_desca_unknown_producer_or_repeat_stops_the_build(raw_dir, codes, monkeypatch):
    msp = "Estadísticas Vitales - MSP"
    _fake_desca(
        monkeypatch,
        [
            (430303, 2001, 21.6, msp, "Departamento", "Artigas"),
            (430303, 2001, 16.5, msp, "Total", None),
            (630101, 2001, 40.0, "Encuesta de otra institución", "Departamento", "Artigas"),
        ],
    )
    with pytest.raises(BuildError, match="FUENTE naming no known producer"):
        ury.read_desca_msp(raw_dir, codes("ury_msp_desca"))
    _fake_desca(
        monkeypatch,
        [
            (430303, 2001, 21.6, msp, "Departamento", "Artigas"),
            (430303, 2001, 21.0, msp, "Departamento", "ARTIGAS"),
        ],
    )
    with pytest.raises(BuildError, match="repeat a department"):
        ury.read_desca_msp(raw_dir, codes("ury_msp_desca"))
    _fake_desca(monkeypatch, [(430303, 2001, "n/d", msp, "Departamento", "Artigas")])
    with pytest.raises(BuildError, match="not a number"):
        ury.read_desca_msp(raw_dir, codes("ury_msp_desca"))


def test_ury017_desca_reader_keeps_its_producer_only(raw_dir, codes, monkeypatch):
    _fake_desca(
        monkeypatch,
        [
            (430303, 2001, 21.6, "Estadísticas Vitales - MSP", "Departamento", "Río Negro"),
            (430303, 2001, 16.5, "Estadísticas Vitales - MSP", "Total", None),
            (130101, 2021, 2.8, "Encuesta Continua de Hogares 2023, INE", "Departamento", "Salto"),
        ],
    )
    msp = ury.read_desca_msp(raw_dir, codes("ury_msp_desca"))
    assert msp[["code", "year", "variable", "value"]].values.tolist() == [
        ["12", 2001, "430303", 21.6],
        ["URY", 2001, "430303", 16.5],
    ]
    assert msp["level"].isna().tolist() == [True, False] and msp["level"].iloc[1] == "country"
    ine = ury.read_desca_ine_ech(raw_dir, codes("ury_ine_ech_desca"))
    assert ine[["code", "year", "variable", "value"]].values.tolist() == [
        ["15", 2021, "130101", 2.8]
    ]

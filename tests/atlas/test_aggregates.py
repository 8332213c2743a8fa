"""Aggregates you can trust: every department and national figure the summary card shows is the
producer's published aggregate or a roll-up with the producer's own weights.

The published aggregates are read here straight from the raw files (not through the readers), and
compared with what the atlas shows for the same place and year. Tolerance: ``CHECK_TOLERANCE``
(0.5 in the indicator's unit) for roll-ups; a published figure shown by the atlas must be the
producer's to 1e-9.
"""

from __future__ import annotations

import numpy as np
import openpyxl
import pandas as pd
import pyreadr
import pytest
import xlrd

from atlas import panels
from atlas.report import CHECK_TOLERANCE
from atlas.urlstate import State
from atlas.views import compute
from tests.atlas.test_report import run_report

NBI_DIR = "COL/indicators/usbdiego7777-ui_tfm-electoral-colombia"


def _summary(store, catalog, **kw):
    base = dict(lang="es", level="municipality", view="value", base_year=None)
    view = compute(store, catalog, State(**{**base, **kw}))
    return panels.summary(store, catalog, view)


def _dane_nbi(raw_dir) -> pd.DataFrame:
    """DANE's department and national NBI and miseria (% of persons), 2005 and 2018."""
    rows = []
    sheet = xlrd.open_workbook(raw_dir / NBI_DIR / "NBI_total_dpto_30_Jun_2012.xls")
    sheet = sheet.sheet_by_name("Departamentos")
    for r in range(sheet.nrows):
        code = str(sheet.cell_value(r, 0)).strip()
        if len(code) == 2 and code.isdigit():
            rows.append((code, 2005, sheet.cell_value(r, 30), sheet.cell_value(r, 32)))
    book = openpyxl.load_workbook(raw_dir / NBI_DIR / "CNPV-2018-NBI.xlsx", read_only=True)
    for row in book["Departamento"].iter_rows(values_only=True):
        code = str(row[0] or "").strip()
        if len(code) == 2 and code.isdigit():
            rows.append((code, 2018, row[2], row[3]))
    book.close()
    df = pd.DataFrame(
        rows, columns=["code", "year", "unmet_basic_needs", "unmet_basic_needs_extreme"]
    )
    df["unit_id"] = np.where(df["code"] == "00", "COL", "COL" + df["code"])
    return df


def test_agg001_colombia_nbi_is_dane_published_figure(store, catalog, raw_dir):
    dane = _dane_nbi(raw_dir)
    assert len(dane) == 2 * 34  # 33 departments and the nation, two censuses
    obs = store._obs.set_index(["unit_id", "indicator_id", "year"])["value"]
    for ind in ("unmet_basic_needs", "unmet_basic_needs_extreme"):
        for r in dane.itertuples():
            assert obs[(r.unit_id, ind, r.year)] == pytest.approx(getattr(r, ind), abs=1e-9)
    # the national card: 14.3 (DANE) where the mean of municipalities was 22.9
    s = _summary(store, catalog, country="COL", indicator="unmet_basic_needs", year=2018)
    assert s.basis == "published" and s.value == pytest.approx(14.28)
    assert s.published_source.startswith("DANE")
    for admin1, year, expected in (("05", 2018, 10.73), ("13", 2018, 26.73)):
        s = _summary(
            store, catalog, country="COL", indicator="unmet_basic_needs", year=year, admin1=admin1
        )
        assert s.basis == "published" and s.value == pytest.approx(expected)
    s = _summary(store, catalog, country="COL", indicator="unmet_basic_needs", year=2005)
    assert s.basis == "published" and s.value == pytest.approx(27.7788, abs=1e-4)
    # the department map shows DANE's own department figures
    assert store.cube("unmet_basic_needs", "COL", "admin1").years == (2005, 2018)


def test_agg002_uruguay_infant_mortality_is_msp_total(store, catalog, raw_dir):
    df = pyreadr.read_r(raw_dir / "URY/indicators/datos_tmi.rds")[None]
    name = df["Depto"].str.strip().str.upper()
    total = df[name == "TOTAL"].set_index("anio")
    departments = df[~name.isin(["TOTAL", "INTERIOR"])].groupby("anio")
    assert len(total) == 19
    cube = store.cube("infant_mortality", "URY", "admin1")
    layer = store.layer("URY", "admin1")
    for year, row in total.iterrows():
        s = _summary(
            store, catalog, country="URY", level="admin1", indicator="infant_mortality", year=year
        )
        assert s.basis == "published" and s.published_source.startswith("MSP")
        assert s.value == pytest.approx(float(row["Tasa"]), abs=1e-9)
        # the births-weighted roll-up is the departments' deaths over their births (MSP's TOTAL
        # also counts deaths and births without a department)
        j = cube.years.index(int(year))
        rolled = panels.producer_rollup(
            cube, int(year), v_scope=cube.values[:, j], scope=np.ones(len(layer), bool)
        )
        deaths, births = departments.get_group(year)[["Defunciones", "Nacimientos"]].sum()
        assert rolled[0] == pytest.approx(1000 * deaths / births, abs=1e-9)
    s = _summary(
        store, catalog, country="URY", level="admin1", indicator="infant_mortality", year=2015
    )
    assert s.value == pytest.approx(7.50, abs=0.005)  # the simple mean of departments was 7.62


def test_agg003_mexico_coneval_shares_are_weighted_by_coneval_population(store, catalog, raw_dir):
    path = raw_dir / "MEX/indicators/indicadores de pobreza municipal_2015.csv"
    df = pd.read_csv(path, encoding="latin-1", dtype=str, keep_default_na=False)
    code = df["clave_municipio"].str.strip().str.zfill(5)
    chis = df[code.str[:2] == "07"]
    pop = pd.to_numeric(chis["poblacion"].str.replace(",", ""), errors="coerce")
    share = pd.to_numeric(chis["pobreza"], errors="coerce")
    ok = pop.notna() & share.notna()
    expected = float((pop[ok] * share[ok]).sum() / pop[ok].sum())
    s = _summary(
        store, catalog, country="MEX", indicator="poverty_multidimensional", year=2015, admin1="07"
    )
    assert s.basis == "producer_weights" and s.published_source.startswith("CONEVAL")
    assert s.value == pytest.approx(expected, abs=1e-9)
    assert s.value == pytest.approx(72.55, abs=0.01)  # the CONAPO-weighted mean was 74.7


def test_agg004_report_checks_every_published_aggregate(store_dir, raw_dir):
    rep = run_report(store_dir, "--checks")
    assert rep["tolerance"] == CHECK_TOLERANCE
    checks = pd.DataFrame(rep["checks"])
    dane = _dane_nbi(raw_dir)
    col = checks[checks["country"] == "COL"].set_index(["unit", "indicator", "year"])
    for ind in ("unmet_basic_needs", "unmet_basic_needs_extreme"):
        for r in dane.itertuples():
            row = col.loc[(r.unit_id, ind, r.year)]
            assert row["published"] == pytest.approx(getattr(r, ind), abs=1e-4)
    ury = checks[(checks["country"] == "URY") & (checks["indicator"] == "infant_mortality")]
    assert len(ury) == 19 and set(ury["shown"]) == {"published"}
    assert ury["weights"].str.startswith("Nacimientos").all()
    # what the atlas shows is the published figure or a roll-up within the tolerance
    assert (checks["shown"].eq("published") | checks["difference"].abs().le(CHECK_TOLERANCE)).all()
    assert set(checks["shown"]) == {"published"}


def test_agg005_colombia_men_national_rows_are_shown_as_published(store, catalog, raw_dir):
    path = raw_dir / (
        "COL/indicators/ssbastian_datasets/"
        "MEN_ESTADISTICAS_EN_EDUCACION_EN_PREESCOLAR__B_SICA_Y_MEDIA_POR_MUNICIPIO.csv"
    )
    df = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    nat = df[df["CÓDIGO_MUNICIPIO"].str.strip() == "0"]
    columns = {
        "school_attendance_primary": "COBERTURA_NETA_PRIMARIA",
        "dropout_primary": "DESERCIÓN_PRIMARIA",
        "pass_rate_primary": "APROBACIÓN_PRIMARIA",
        "enrolment_rate_5_16": "TASA_MATRICULACIÓN_5_16",
    }
    years = [int(y.replace(",", "")) for y in nat["AÑO"]]
    assert years == [2019, 2020, 2021]
    for indicator, column in columns.items():
        for year, cell in zip(years, nat[column], strict=True):
            s = _summary(store, catalog, country="COL", indicator=indicator, year=year)
            assert s.basis == "published" and s.published_source.startswith("Ministerio")
            assert s.value == pytest.approx(100 * float(cell), abs=1e-9)
    # the 5-16 enrolment rate of other years is weighted by MEN's own 5-16 population
    s = _summary(store, catalog, country="COL", indicator="enrolment_rate_5_16", year=2018)
    assert s.basis == "producer_weights"

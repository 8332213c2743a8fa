"""Mexico: INEGI municipal polygons (2015 grid), CONEVAL poverty, CONAPO marginalisation and infant
mortality, PNUD municipal human development index.

Every table stores the municipal code (CVEGEO = state 2 + municipio 3 digits) in its own way: an
integer that lost its leading zero (``7023``), a zero-padded text, a 4-5 digit integer. All readers
return it as the 5-character string, so ``07023`` joins everywhere.
"""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import openpyxl
import pandas as pd

from geodata.cells import MissingCodes

BOUNDARY_DIR = "MEX/boundaries/conapo_imm_leaflet_2015"
BOUNDARY_FILES = [f"{BOUNDARY_DIR}/municipios_{i}_json.geojson" for i in range(1, 6)]
NAMES_FILE = "MEX/boundaries/cve_nom_municipios.csv"

IND = "MEX/indicators"
CONEVAL_POVERTY_FILES = {
    year: f"{IND}/indicadores de pobreza municipal_{year}.csv" for year in (2010, 2015, 2020)
}
SABANA_FILE = f"{IND}/Indicadores_municipales_sabana_DA.csv"
MARGINACION_LONG_FILE = f"{IND}/Base_Indice_de_marginacion_municipal_90-15.csv"
IMM_FILES = {year: f"{IND}/IMM_{year}.xlsx" for year in (2010, 2015, 2020)}
ICTPC_FILE = f"{IND}/ICTP2020_CONEVAL.xlsx"
TMI_FILE = f"{IND}/TMI2020_CONAPO.xlsx"
IDH_FILE = f"{IND}/RESULTADOS IDH 2010-2020.xlsx"

#: The six names that the author of cve_nom_municipios.csv shortened (SOURCE.md), e.g. "Dolores
#: Hidalgo" for "Dolores Hidalgo Cuna de la Independencia Nacional". Their full INEGI names are
#: taken from CONAPO's IMM_2020 table. The other differences between the two tables are renamings
#: after 2020 (e.g. "Ahualulco del Sonido 13"), where the 2023 catalogue is the newer one.
SHORTENED_NAMES = ("11014", "20028", "20039", "20043", "20334", "20549")


def _code(series: pd.Series) -> pd.Series:
    """Municipal codes as 5-character strings, whatever the table stored (int, text, padded)."""
    return series.astype("string").str.strip().str.zfill(5)


def _melt(
    df: pd.DataFrame,
    year,
    variables: list[str],
    codes: MissingCodes,
    path: Path,
    thousands: str | None = None,
) -> pd.DataFrame:
    """Wide table (one row per municipio) -> long layout for the given variables.

    ``df`` may carry ``line`` (the row's line in a CSV file), which then names a bad cell.
    """
    ids = ["code", "line"] if "line" in df.columns else ["code"]
    long = df.melt(id_vars=ids, value_vars=variables, var_name="variable", value_name="value")
    long["year"] = year
    where = long[[*ids, "variable"]].rename(columns={"variable": "column"})
    long["value"] = codes.numeric(long["value"], path, where, thousands=thousands)
    return long[["code", "year", "variable", "value"]]


def _csv(path: Path, encoding: str) -> pd.DataFrame:
    """A CSV with every cell as text (pandas turns nothing into NaN) and each row's file line."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding=encoding)
    return df.assign(line=df.index + 2)


# ------------------------------------------------------------------------------------------------
# Units


def read_units(raw: Path) -> gpd.GeoDataFrame:
    """2,457 municipios of the INEGI MGN June 2016 grid (the 2015 set).

    The copy splits the layer into five files by CONAPO 2015 marginalisation grade; together they
    hold every municipio once. Nine of the simplified polygons are invalid: the build repairs them
    (``geometry.repair``) and counts them in the quality report.
    """
    parts = [gpd.read_file(raw / f, engine="pyogrio") for f in BOUNDARY_FILES]
    gdf = gpd.GeoDataFrame(
        pd.concat(parts, ignore_index=True), geometry="geometry", crs="EPSG:4326"
    )
    gdf["code"] = _code(gdf["CVE_MUN"])

    names = pd.read_csv(raw / NAMES_FILE, dtype=str, encoding="utf-8")
    names["cve_geo"] = _code(names["cve_geo"])
    mun_names = dict(zip(names["cve_geo"], names["nombre_municipio"].str.strip(), strict=False))
    imm = pd.read_excel(raw / IMM_FILES[2020], sheet_name="IMM_2020", dtype=str)
    full_names = dict(zip(_code(imm["CVE_MUN"]), imm["NOM_MUN"].str.strip(), strict=False))
    mun_names.update({code: full_names[code] for code in SHORTENED_NAMES})
    state_names = dict(
        zip(names["cve_ent"].str.zfill(2), names["nombre_estado"].str.strip(), strict=False)
    )

    gdf["name"] = gdf["code"].map(mun_names)
    gdf["admin1_code"] = gdf["code"].str[:2]
    gdf["admin1_name"] = gdf["admin1_code"].map(state_names)
    return gdf[["code", "name", "admin1_code", "admin1_name", "geometry"]]


# ------------------------------------------------------------------------------------------------
# CONEVAL multidimensional poverty, 2010-2020 edition

#: In 2020 CONEVAL renamed the income lines: the "línea de bienestar" (plb) became the "línea de
#: pobreza por ingresos" (plp) and the "línea de bienestar mínimo" (plbm) the "línea de pobreza
#: extrema por ingresos" (plp_e). Same concept (value of the food + non-food basket, and of the
#: food basket), so one variable name each, the current one.
CONEVAL_RENAME = {"plb": "plp", "plb_pob": "plp_pob", "plbm": "plp_e", "plbm_pob": "plp_e_pob"}


def read_coneval_pobreza(raw: Path, codes: MissingCodes) -> pd.DataFrame:
    """Shares (%) and numbers of people for each poverty indicator, 2010, 2015, 2020.

    Variables: ``poblacion``; ``pobreza``, ``pobreza_e``, ``pobreza_m``, ``vul_car``, ``vul_ing``,
    ``npnv``, the deprivations ``ic_*``, ``carencias``, ``carencias3``, the income lines ``plp``,
    ``plp_e`` (percentages) and each one's ``*_pob`` (people).
    """
    out = []
    for year, rel in CONEVAL_POVERTY_FILES.items():
        df = _csv(raw / rel, "latin-1").rename(columns=CONEVAL_RENAME)
        df["code"] = _code(df["clave_municipio"])
        variables = [c for c in df.columns[4:] if c not in ("code", "line")]
        # the *_pob counts are written with a thousands comma ("1,234")
        out.append(_melt(df, year, variables, codes, raw / rel, thousands=","))
    return pd.concat(out, ignore_index=True)


# ------------------------------------------------------------------------------------------------
# CONEVAL "sábana" 1990-2010

#: Columns left out: ranks and text grades (not values), and the identifiers.
SABANA_SKIP = re.compile(
    r"^(ent|nom_ent|clave_mun|nom_mun|rankin_.*|perrankin_.*|gdo_rezsoc.*|l_ocupnac.*)$"
)

#: Year suffixes of the wide columns: ``_90``/``_00``/``_10`` (income poverty, gini, 1990-2010
#: deprivation shares) and ``00``/``05``/``10`` without underscore (rezago-social census
#: indicators).
SABANA_SUFFIX = re.compile(r"^(?P<stem>.+?)_?(?P<yy>90|00|05|10)$")
SABANA_YEARS = {"90": 1990, "00": 2000, "05": 2005, "10": 2010}

#: Two column names break the pattern in the producer's file: the 2010 drainage share is spelt
#: ``p_viv_dren_000`` and the 2010 "no refrigerator" share drops the final "i" of its stem.
SABANA_TYPOS = {
    "p_viv_dren_000": ("p_viv_dren", 2010),
    "porc_vivsnrefr10": ("porc_vivsnrefri", 2010),
}


def _sabana_variable(column: str) -> tuple[str, int]:
    """Column name -> (variable, year).

    Columns without a year suffix are the 2010 multidimensional poverty block of the original 2010
    edition (shares 0-1, ``N_*`` people, ``cp*`` mean number of deprivations).
    """
    if column in SABANA_TYPOS:
        return SABANA_TYPOS[column]
    m = SABANA_SUFFIX.match(column)
    if m:
        return m["stem"], SABANA_YEARS[m["yy"]]
    return column, 2010


def read_coneval_sabana(raw: Path, codes: MissingCodes) -> pd.DataFrame:
    """CONEVAL income poverty and gini 1990/2000/2010, rezago-social indicators 2000/2005/2010,
    deprivation shares 1990/2000/2010 and the original 2010 multidimensional poverty block.

    Variable = the column's stem without its year suffix (``pobreza_alim_90`` -> ``pobreza_alim``,
    1990; ``porc_pob614_noasiste05`` -> ``porc_pob614_noasiste``, 2005). Values as published: % for
    ``pobreza_alim/cap/patrim``, ``porc_*`` and ``p_*``; 0-1 for ``gini`` and the 2010 block.
    """
    df = _csv(raw / SABANA_FILE, "utf-8")
    df["code"] = _code(df["clave_mun"])
    out = []
    for column in df.columns:
        if column in ("code", "line") or SABANA_SKIP.match(column):
            continue
        variable, year = _sabana_variable(column)
        part = _melt(df[["code", "line", column]], year, [column], codes, raw / SABANA_FILE)
        part["variable"] = variable
        out.append(part)
    return pd.concat(out, ignore_index=True)


# ------------------------------------------------------------------------------------------------
# CONAPO marginalisation indicators 1990-2020

#: Indicators (%) and population of the 1990-2015 long file. Not every year has every column:
#: 1995 (Conteo) has only ANALF, OVSEE, OVSAE, OVSD (without drainage) and POB_TOT; 2000 has
#: OVSDSE (without drainage nor exclusive toilet) instead of OVSDE. The index (IM) is left out: each
#: year's index is on its own scale.
MARGINACION_LONG_VARIABLES = [
    "POB_TOT",
    "ANALF",
    "SPRIM",
    "OVSDE",
    "OVSDSE",
    "OVSD",
    "OVSEE",
    "OVSAE",
    "VHAC",
    "OVPT",
    "PL<5000",
    "PO2SM",
]
#: Columns of the IMM_<year> sheets (the index columns carry the year: IM_2020, IMN_2020).
IMM_VARIABLES = [
    "POB_TOT",
    "ANALF",
    "SBASC",
    "OVSDE",
    "OVSEE",
    "OVSAE",
    "OVPT",
    "VHAC",
    "PL.5000",
    "PO2SM",
]
#: One name for "% population in localities under 5,000" (spelt PL<5000 and PL.5000).
MARGINACION_RENAME = {"PL<5000": "PL5000", "PL.5000": "PL5000"}


def read_conapo_marginacion(raw: Path, codes: MissingCodes) -> pd.DataFrame:
    """CONAPO socio-demographic indicators 1990, 1995, 2000, 2005, 2010, 2015, 2020.

    2010, 2015 and 2020 come from the IMM_<year> workbooks, CONAPO's recomputation with the 2020
    methodology (comparable over 2010-2020, full precision); the 1990-2015 long file supplies
    1990-2005 and, for 2010-2015, only SPRIM, which the workbooks do not carry. So each
    variable/year has one value: for OVSDE the recomputation differs from the long file's original
    2010/2015 figures (by up to 3.7 points), the other shared columns agree to rounding.
    IM and IMN (index and 0-1 normalised index) are emitted for 2010-2020 only, on the common scale.
    """
    path = raw / MARGINACION_LONG_FILE
    long = _csv(path, "utf-8")
    long = long[~long["CVE_MUN"].str.strip().isin(["", "-"])]  # drop the national rows
    long["code"] = _code(long["CVE_MUN"])
    long["year"] = long["AÑO"].astype(int)
    out = []
    for year, part in long.groupby("year"):
        wanted = MARGINACION_LONG_VARIABLES if year < 2010 else ["SPRIM"]
        # a column that holds only missing-value codes for a whole year was not collected that
        # year: no rows for it
        variables = [v for v in wanted if (~part[v].str.strip().isin(codes.declared)).any()]
        out.append(_melt(part, year, variables, codes, path))
    for year, rel in IMM_FILES.items():
        imm = pd.read_excel(
            raw / rel, sheet_name=f"IMM_{year}", dtype={"CVE_MUN": str}, keep_default_na=False
        )
        imm["code"] = _code(imm["CVE_MUN"])
        imm = imm.rename(columns={f"IM_{year}": "IM", f"IMN_{year}": "IMN"})
        out.append(_melt(imm, year, IMM_VARIABLES + ["IM", "IMN"], codes, raw / rel))
    df = pd.concat(out, ignore_index=True)
    df["variable"] = df["variable"].replace(MARGINACION_RENAME)
    return df


# ------------------------------------------------------------------------------------------------
# Single-year workbooks: ICTPC 2020, TMI 2020


def _xlsx_rows(path: Path, first_row: int) -> list[tuple]:
    """Data rows of the first sheet from Excel row ``first_row`` (1-based), values only."""
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        return list(wb.worksheets[0].iter_rows(min_row=first_row, values_only=True))
    finally:
        wb.close()


def _single_value_table(
    path: Path,
    first_row: int,
    code_col: int,
    value_col: int,
    variable: str,
    year: int,
    codes: MissingCodes,
) -> pd.DataFrame:
    """One value per municipio of a one-year workbook, as long rows; rows without a code are
    skipped and declared missing-value codes such as ``n.d.`` become NaN."""
    rows = _xlsx_rows(path, first_row)
    df = pd.DataFrame(
        [
            (r[code_col], r[value_col], first_row + i)
            for i, r in enumerate(rows)
            if r[code_col] is not None
        ],
        columns=["code", "value", "row"],
    )
    df["code"] = _code(df["code"])
    df["variable"] = variable
    df["year"] = year
    where = df[["row", "code"]].assign(column=value_col + 1)
    df["value"] = codes.numeric(df["value"], path, where)
    return df.drop(columns="row")


def read_coneval_ictpc(raw: Path, codes: MissingCodes) -> pd.DataFrame:
    """Mean monthly current total income per capita (ICTPC), pesos, 2020 (variable ``ictpc``).

    The sheet has a title row and a header row; rows are sorted by income, not by code.
    """
    return _single_value_table(
        raw / ICTPC_FILE, 3, code_col=2, value_col=4, variable="ictpc", year=2020, codes=codes
    )


def read_conapo_tmi(raw: Path, codes: MissingCodes) -> pd.DataFrame:
    """Infant mortality rate 2020 (per 1,000 live births), variable ``TMI``.

    Oaxaca is given for its 30 districts (pseudo-codes 20601-20630): those rows are returned as
    published and do not join to municipios.
    """
    return _single_value_table(
        raw / TMI_FILE, 2, code_col=2, value_col=4, variable="TMI", year=2020, codes=codes
    )


# ------------------------------------------------------------------------------------------------
# PNUD IDH 2010-2020

#: Column groups of the results sheet (Excel row 5 labels), each with 2010, 2015, 2020 in turn.
IDH_GROUPS = [
    "poblacion",  # POBLACIÓN TOTAL
    "ictpc",  # INGRESO CORRIENTE TOTAL PER CÁPITA (pesos/month, CONEVAL)
    "escolaridad_promedio",  # AÑOS PROMEDIO DE ESCOLARIDAD
    "escolaridad_esperada",  # AÑOS ESPERADOS DE ESCOLARIDAD
    "subindice_salud",  # SUBÍNDICE DE SALUD (SS)
    "subindice_educacion",  # SUBÍNDICE DE EDUCACIÓN (SE)
    "subindice_ingreso",  # SUBÍNDICE DE INGRESO (SI)
    "idh",  # ÍNDICE DE DESARROLLO HUMANO (IDH)
]
IDH_YEARS = (2010, 2015, 2020)
IDH_FIRST_DATA_ROW = 7
IDH_FIRST_VALUE_COL = 4


def read_pnud_idh(raw: Path, codes: MissingCodes) -> pd.DataFrame:
    """Municipal HDI and its components, 2010, 2015, 2020; ``ND``/blank cells are missing.

    Oaxaca rows are its 30 districts (20601-20630), returned as published (they do not join).
    """
    path = raw / IDH_FILE
    records = []
    for r, row in enumerate(_xlsx_rows(path, first_row=IDH_FIRST_DATA_ROW), IDH_FIRST_DATA_ROW):
        if row[0] is None:
            continue
        code = str(row[0]).strip().zfill(5)
        for g, variable in enumerate(IDH_GROUPS):
            for y, year in enumerate(IDH_YEARS):
                col = IDH_FIRST_VALUE_COL + 3 * g + y
                records.append((code, year, variable, row[col], r, col + 1))
    df = pd.DataFrame(records, columns=["code", "year", "variable", "value", "row", "column"])
    df["value"] = codes.numeric(df["value"], path, df[["row", "column", "code"]])
    return df[["code", "year", "variable", "value"]]

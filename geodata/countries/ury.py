"""Uruguay, at department level: INE 2011 departments, MSP infant mortality, ECH unemployment.

No municipio boundaries or municipio indicators exist in the raw folder, so the units are the 19
departamentos (admin-1). Their code is the INE ``cod_ine`` zero-padded to two digits ("01" =
Montevideo, then alphabetical). Neither indicator table has a code: both are joined by folded
department name to the names of the INE layer. The INE layer writes names without accents
(``PAYSANDU``), so the displayed names come from the MIDES unemployment table (``Paysandú``).
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pyreadr

from geodata.cells import MissingCodes
from geodata.errors import BuildError
from geodata.text import fold

BOUNDARY_FILE = "URY/boundaries/ine_deptos.gpkg"
UNEMPLOYMENT_FILE = "URY/indicators/guillermodangelo_tesis/tasa-desempleo.csv"
INFANT_MORTALITY_FILE = "URY/indicators/datos_tmi.rds"

#: Rows of tasa-desempleo.csv before its five metadata footer lines (3 sexes x 20 rows).
UNEMPLOYMENT_ROWS = 60
#: Sex labels of the MIDES table -> variable names (total for MDG 1.B, women and men for MDG 3).
UNEMPLOYMENT_VARIABLES = {
    "Total": "unemployment_total",
    "Mujeres": "unemployment_women",
    "Varones": "unemployment_men",
}
#: Aggregates in the tables that are not departments: the country and country minus Montevideo.
AGGREGATES = {"TOTAL", "INTERIOR"}
#: Infant mortality columns: rate per 1,000 live births, deaths under one year, live births.
INFANT_MORTALITY_VARIABLES = ["Tasa", "Defunciones", "Nacimientos"]


def _department_codes(raw: Path) -> dict[str, str]:
    """Folded INE department name -> two-digit INE code."""
    attrs = pyogrio.read_dataframe(
        raw / BOUNDARY_FILE, columns=["cod_ine", "nombre"], read_geometry=False
    )
    pairs = zip(attrs["cod_ine"], attrs["nombre"], strict=True)
    return {fold(name): str(int(code)).zfill(2) for code, name in pairs}


def _codes_for(names: pd.Series, codes: dict[str, str], path: Path) -> pd.Series:
    """Map department names to INE codes; an unknown name stops the build (the file changed)."""
    keys = names.map(fold)
    unknown = sorted(set(names[~keys.isin(codes)]))
    if unknown:
        raise BuildError(
            f"Department name(s) not found in the INE layer: {unknown}.",
            path=path,
            fix="Check the file against URY/SOURCE.md; department names must match the INE layer.",
        )
    return keys.map(codes)


def _read_unemployment_table(raw: Path) -> pd.DataFrame:
    """The MIDES table as published (wide: one column per year), without the footer.

    Every cell is read as text, so that pandas turns none into a number or a missing value on its
    own: the reader does, with the source's missing-value codes.
    """
    df = pd.read_csv(
        raw / UNEMPLOYMENT_FILE,
        sep=";",
        nrows=UNEMPLOYMENT_ROWS,
        dtype=str,
        keep_default_na=False,
    )
    df["Sexo"] = df["Sexo"].str.strip()
    df["Departamento"] = df["Departamento"].str.strip()
    return df


def read_units(raw: Path) -> gpd.GeoDataFrame:
    """The 19 departments in EPSG:4326; each is its own admin-1 unit."""
    # Maldonado and Rivera are invalid in the INE layer: the build repairs them and reports it.
    gdf = gpd.read_file(raw / BOUNDARY_FILE, engine="pyogrio").to_crs("EPSG:4326")
    table = _read_unemployment_table(raw)
    departments = table.loc[~table["Departamento"].map(fold).isin(AGGREGATES), "Departamento"]
    accented = {fold(n): n for n in departments}
    missing = sorted(set(gdf["nombre"][~gdf["nombre"].map(fold).isin(accented)]))
    if missing:
        raise BuildError(
            f"No accented name for INE department(s) {missing}.",
            path=raw / UNEMPLOYMENT_FILE,
            fix="The names come from the MIDES unemployment table; check it against URY/SOURCE.md.",
        )
    code = gdf["cod_ine"].astype(int).astype(str).str.zfill(2)
    name = gdf["nombre"].map(lambda n: accented[fold(n)])
    return gpd.GeoDataFrame(
        {"code": code, "name": name, "admin1_code": code, "admin1_name": name},
        geometry=gdf.geometry.to_numpy(),
        crs="EPSG:4326",
    )


def read_infant_mortality(raw: Path, codes: MissingCodes) -> pd.DataFrame:
    """Infant deaths, live births and the rate per 1,000 by department and year, 1997-2015.

    INTERIOR is dropped. TOTAL is MSP's own national figure (deaths over births of the whole
    country): it is read as a published aggregate (``level`` country, code URY), which the build
    reports and the aggregate checks compare with the atlas's births-weighted roll-up; the national
    series shown come from the national folder. Deaths and births are kept so that pooled
    multi-year rates can be computed for small departments and rates can be weighted by births.
    """
    path = raw / INFANT_MORTALITY_FILE
    df = pyreadr.read_r(path)[None]
    folded = df["Depto"].map(fold)
    total = df[folded == "TOTAL"].assign(code="URY", level="country")
    df = df[~folded.isin(AGGREGATES)]
    units = _codes_for(df["Depto"], _department_codes(raw), path)
    df = pd.concat([df.assign(code=units, level=None), total], ignore_index=True)
    df = df.assign(year=df["anio"].astype(int))
    long = df.melt(
        id_vars=["code", "level", "year"],
        value_vars=INFANT_MORTALITY_VARIABLES,
        var_name="variable",
        value_name="value",
    )
    long["value"] = codes.numeric(long["value"], path, long[["code", "year", "variable"]])
    return long


def read_unemployment(raw: Path, codes: MissingCodes) -> pd.DataFrame:
    """Unemployment rate (% of the active population) by sex and department, 2006-2019.

    Decimal comma; each year column is read cell by cell, so one missing-value code in a column
    costs that cell only (declared) or stops the build naming it (undeclared).
    """
    path = raw / UNEMPLOYMENT_FILE
    df = _read_unemployment_table(raw)
    unknown_sex = sorted(set(df["Sexo"]) - set(UNEMPLOYMENT_VARIABLES))
    if unknown_sex:
        raise BuildError(
            f"Unexpected Sexo label(s) {unknown_sex} in the unemployment table.",
            path=path,
            fix="Expected Mujeres, Varones and Total (see URY/SOURCE.md).",
        )
    df = df[~df["Departamento"].map(fold).isin(AGGREGATES)]
    df = df.assign(
        code=_codes_for(df["Departamento"], _department_codes(raw), path),
        variable=df["Sexo"].map(UNEMPLOYMENT_VARIABLES),
    )
    years = [c for c in df.columns if str(c).isdigit()]
    # line in the file: header is line 1, and the footer comes after the 60 rows
    df = df.assign(line=df.index + 2)
    long = df.melt(
        id_vars=["code", "variable", "line", "Departamento", "Sexo"],
        value_vars=years,
        var_name="year",
        value_name="value",
    )
    long["value"] = codes.numeric(
        long["value"], path, long[["line", "year", "Departamento", "Sexo"]], decimal=","
    )
    long["year"] = long["year"].astype(int)
    return long[["code", "year", "variable", "value"]]

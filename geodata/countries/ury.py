"""Uruguay, at department level: INE 2011 departments, MSP infant mortality, ECH unemployment,
and the Mirador DESCA department series 1995-2024 (MSP vital statistics, ECH, INE projections).

No municipio boundaries or municipio indicators exist in the raw folder, so the units are the 19
departamentos (admin-1). Their code is the INE ``cod_ine`` zero-padded to two digits ("01" =
Montevideo, then alphabetical). Neither indicator table has a code: both are joined by folded
department name to the names of the INE layer. The INE layer writes names without accents
(``PAYSANDU``), so the displayed names come from the MIDES unemployment table (``Paysandú``).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import openpyxl
import pandas as pd
import pyogrio
import pyreadr

from geodata.cells import MissingCodes
from geodata.errors import BuildError
from geodata.text import fold

BOUNDARY_FILE = "URY/boundaries/ine_deptos.gpkg"
UNEMPLOYMENT_FILE = "URY/indicators/guillermodangelo_tesis/tasa-desempleo.csv"
INFANT_MORTALITY_FILE = "URY/indicators/datos_tmi.rds"
DESCA_FILE = "URY/indicators/UMAD-FCS_DESCA-app/Base_mirador_desca.xlsx"
DESCA_SHEET = "Base_MiradorDESCA"

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


# ---------------------------------------------------------------------------------------------
# Mirador DESCA (UMAD-FCS): one long table of many producers' series, 1985-2025.

#: The MDG-relevant Mirador DESCA indicators read (CODINDICADOR -> what it measures); the
#: variable of each row is its CODINDICADOR as text ("8100209").
DESCA_INDICATORS = {
    8100209: "% of live births with fewer than 5 prenatal visits (MSP)",
    430303: "% of births to mothers aged 19 or less (MSP)",
    630101: "% of persons in dwellings not connected to the public sewer (ECH)",
    630102: "% of persons in dwellings without quality sanitation (ECH)",
    130101: "% of persons aged 4-17 not attending an educational centre (ECH)",
    430102: "Life expectancy at birth (INE projections, revision 2013)",
}
#: Columns of the Mirador table the reader needs.
DESCA_COLUMNS = ("CODINDICADOR", "AÑO", "VALOR", "FUENTE", "CORTE", "Departamento")
#: Producer of a row, from its FUENTE (the file names the producer of every row): one registry
#: source per producer reads the rows of that producer only, so each value's source line is right.
DESCA_PRODUCERS = {
    "msp": re.compile(
        r"Redatam\+SP, Departamento de Estadísticas Vitales, Ministerio de Salud Uruguay"
        r"|Estadísticas Vitales - MSP"
    ),
    "iecon": re.compile(
        r"Instituto de Economía, Universidad de la República \(2020\) Encuesta Continua de "
        r"Hogares Compatibilizada 1981-2018 .*"
    ),
    "ine_ech": re.compile(r"Encuesta Continua de Hogares \d{4}, INE"),
    "ine_projections": re.compile(
        r"INE - Estimaciones y proyecciones de población \(revisión 2013\)"
    ),
}
#: CORTE of the department rows, and of the producer's own national figure.
DESCA_DEPARTMENT, DESCA_TOTAL = "Departamento", "Total"


@lru_cache(maxsize=1)
def _desca_cells(path: Path, stamp: tuple[int, int]) -> pd.DataFrame:
    """The cells of the Mirador table's department and total rows of :data:`DESCA_INDICATORS`,
    as the workbook holds them (numbers stay numbers, text stays text), with their sheet line.

    The 4 MB workbook takes seconds to parse and four sources read it: it is parsed once per
    build (``stamp`` = size and mtime, so a changed file is read again). Readers take copies.
    """
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        rows = workbook[DESCA_SHEET].iter_rows(values_only=True)
        header = next(rows)
        missing = [c for c in DESCA_COLUMNS if c not in header]
        if missing:
            raise BuildError(
                f"Sheet {DESCA_SHEET!r} lacks the column(s) {missing}.",
                path=path,
                fix="Restore the workbook byte-for-byte as described in URY/SOURCE.md.",
            )
        at = [header.index(c) for c in DESCA_COLUMNS]
        kept = [
            [*(row[i] for i in at), line]
            for line, row in enumerate(rows, start=2)
            if row[at[0]] in DESCA_INDICATORS and row[at[4]] in (DESCA_DEPARTMENT, DESCA_TOTAL)
        ]
    finally:
        workbook.close()
    return pd.DataFrame(kept, columns=[*DESCA_COLUMNS, "line"])


def _read_desca(raw: Path, codes: MissingCodes, producer: str) -> pd.DataFrame:
    """The department rows (and the national ``Total`` rows, as the producer's published national
    figure: ``level`` country, code URY) of one producer's Mirador DESCA series.

    Department names come in two spellings (``ARTIGAS`` / ``Artigas``, ``RÍO NEGRO`` /
    ``Río Negro``): folded, all 19 are the INE layer's. A row whose FUENTE names no known
    producer stops the build (the file changed), and so does a second value for one department,
    indicator and year.
    """
    path = raw / DESCA_FILE
    stat = path.stat()
    df = _desca_cells(path, (stat.st_size, stat.st_mtime_ns)).copy()
    fuente = df["FUENTE"].fillna("").astype(str).str.strip()
    of = pd.Series(None, index=df.index, dtype="object")
    for name, pattern in DESCA_PRODUCERS.items():
        of[fuente.str.fullmatch(pattern.pattern)] = name
    if of.isna().any():
        unknown = sorted(set(fuente[of.isna()]))
        raise BuildError(
            f"FUENTE naming no known producer: {unknown[:3]}.",
            path=path,
            fix="Check the file against URY/SOURCE.md; add the producer to DESCA_PRODUCERS "
            "and a source for it in geodata/sources/URY.toml.",
        )
    df = df[of == producer]
    where = df[["line", "CODINDICADOR", "CORTE", "Departamento"]]
    year = codes.numeric(df["AÑO"], path, where, column="AÑO")
    value = codes.numeric(df["VALOR"], path, where, column="VALOR")
    total = df["CORTE"] == DESCA_TOTAL
    names = df.loc[~total, "Departamento"].astype(str).str.strip()
    code = pd.Series("URY", index=df.index, dtype="object")
    code[~total] = _codes_for(names, _department_codes(raw), path)
    long = pd.DataFrame(
        {
            "code": code,
            "level": total.map({True: "country", False: None}),
            "year": year.astype(int),
            "variable": df["CODINDICADOR"].astype(int).astype(str),
            "value": value,
        }
    )
    dup = long.duplicated(["code", "year", "variable"], keep=False)
    if dup.any():
        raise BuildError(
            f"{int(dup.sum())} rows repeat a department, indicator and year, first "
            f"{long[dup].head(3).to_dict('records')}.",
            path=path,
            fix="Check the file against URY/SOURCE.md (no department-year repeats an indicator).",
        )
    return long.reset_index(drop=True)


def read_desca_msp(raw: Path, codes: MissingCodes) -> pd.DataFrame:
    """MSP vital statistics in the Mirador DESCA: births with fewer than 5 prenatal visits
    1995-2020 and births to mothers aged 19 or less 1996-2024, by department and national."""
    return _read_desca(raw, codes, "msp")


def read_desca_iecon(raw: Path, codes: MissingCodes) -> pd.DataFrame:
    """ECH 2006-2019 as compatibilised by IECON-UdelaR: sanitation and school attendance."""
    return _read_desca(raw, codes, "iecon")


def read_desca_ine_ech(raw: Path, codes: MissingCodes) -> pd.DataFrame:
    """ECH 2020-2024 from INE's microdata (as processed by UMAD): the same series after 2019."""
    return _read_desca(raw, codes, "ine_ech")


def read_desca_ine_projections(raw: Path, codes: MissingCodes) -> pd.DataFrame:
    """INE population estimates and projections (revision 2013): life expectancy 2011-2025."""
    return _read_desca(raw, codes, "ine_projections")

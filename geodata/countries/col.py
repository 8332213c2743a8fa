"""Colombia: MGN 2018 municipalities, NBI 2005 and 2018, MEN education 2011-2022, IPM 2018-2022,
SIYA municipal vital statistics 2005-2023 and SUI water and sewer coverage 2016-2023.

Municipal codes are DIVIPOLA 5-digit strings (2-digit departamento + 3-digit municipio). The NBI
workbooks store the two parts in separate text columns and the MEN export stores the code as an
integer (``5001``), so every reader rebuilds the zero-padded string. The departmental IPM annex has
no codes at all: its department names are matched to the MGN department codes by folded name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import openpyxl
import pandas as pd
import pyogrio
import xlrd

from geodata.cells import MissingCodes
from geodata.errors import BuildError
from geodata.text import fold, proper_case

BOUNDARY_FILE = "COL/boundaries/caticoa3_colombia_mapa/co_2018_MGN_MPIO_POLITICO.geojson"
NBI_DIR = "COL/indicators/usbdiego7777-ui_tfm-electoral-colombia"
NBI2005_FILE = f"{NBI_DIR}/NBI_total_dpto_30_Jun_2012.xls"
NBI2018_FILE = f"{NBI_DIR}/CNPV-2018-NBI.xlsx"
IPM_FILE = f"{NBI_DIR}/anexo_dptal_pobreza_multidimensional_2022.xlsx"
SIYA_DIR = "COL/indicators/enflujo_imaginas-ninezya"
MEN_FILE = (
    "COL/indicators/ssbastian_datasets/"
    "MEN_ESTADISTICAS_EN_EDUCACION_EN_PREESCOLAR__B_SICA_Y_MEDIA_POR_MUNICIPIO.csv"
)

#: The seven NBI measures in the order DANE publishes them inside each block (% of persons).
NBI_VARIABLES = [
    "nbi",
    "miseria",
    "vivienda",
    "servicios",
    "hacinamiento",
    "inasistencia",
    "dependencia_economica",
]
#: First column of the "Total" block: 2005 has value/cve pairs (step 2), 2018 values only.
NBI2005_TOTAL_COL, NBI2005_STEP = 32, 2
NBI2018_TOTAL_COL, NBI2018_STEP = 4, 1
#: DANE's own department and national figures: sheet, first column of the Total block. The 2005
#: department sheet has no municipality columns (Total at column 30); the 2018 "Departamento"
#: sheet is the 25 November 2019 update of the municipal sheet ("Departamento_OLD" is not).
NBI2005_DEPT_SHEET, NBI2005_DEPT_COL = "Departamentos", 30
NBI2018_DEPT_SHEET, NBI2018_DEPT_COL = "Departamento", 2

#: MEN rate columns emitted as published (% of the relevant population or enrolment).
MEN_RATES = ["TASA_MATRICULACIÓN_5_16"] + [
    f"{family}{level}"
    for family in (
        "COBERTURA_NETA",
        "COBERTURA_BRUTA",
        "DESERCIÓN",
        "APROBACIÓN",
        "REPROBACIÓN",
        "REPITENCIA",
    )
    for level in ("", "_TRANSICIÓN", "_PRIMARIA", "_SECUNDARIA", "_MEDIA")
]
#: Persons aged 5-16 (the enrolment denominator); written with thousands separators in 2021.
MEN_POPULATION = "POBLACIÓN_5_16"

#: DANE writes the department "QUINDIO" without its accent in the MGN; every other name has them.
ADMIN1_NAME_FIXES = {"63": "Quindío"}

#: IPM annex names that do not fold to the MGN name of the same department.
IPM_NAME_ALIASES = {"SAN ANDRES": "88", "BOGOTA": "11"}
IPM_SHEET_INCIDENCE = "IPM_Departamentos"
IPM_SHEET_DEPRIVATIONS = "IPM_Variables_Departamento "  # the trailing space is in the workbook
IPM_SHEET_CI = "IC_IPM"
#: Variable name of the IPM incidence (deprivations keep DANE's own labels, e.g. "Analfabetismo").
IPM_INCIDENCE = "IPM"


def _department_name(code: str, name: str) -> str:
    """Proper-cased department name; a stray apostrophe ("'CORDOBA") and known gaps are fixed."""
    return ADMIN1_NAME_FIXES.get(code, proper_case(str(name).strip().strip("'")))


def read_units(raw: Path) -> gpd.GeoDataFrame:
    """The 1,122 MGN 2018 municipalities; the UPPER CASE MGN names are proper-cased."""
    gdf = gpd.read_file(raw / BOUNDARY_FILE, engine="pyogrio").to_crs("EPSG:4326")
    admin1_code = gdf["DPTO_CCDGO"].astype(str).str.strip().str.zfill(2)
    return gpd.GeoDataFrame(
        {
            "code": gdf["MPIO_CCNCT"].astype(str).str.strip().str.zfill(5),
            "name": gdf["MPIO_CNMBR"].map(proper_case),
            "admin1_code": admin1_code,
            "admin1_name": [
                _department_name(c, n) for c, n in zip(admin1_code, gdf["DPTO_CNMBR"], strict=True)
            ],
        },
        geometry=gdf.geometry,
        crs="EPSG:4326",
    )


# ------------------------------------------------------------------------------------------------
# NBI (Censo 2005 and CNPV 2018)


def _code_part(value, width: int) -> str | None:
    """A DIVIPOLA part as a zero-padded string, or None when the cell is not a code."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip().strip("'") if value is not None else ""
    return text.zfill(width) if text.isdigit() and len(text) <= width else None


def _check_label(found, expected: str, where: str, path: Path) -> None:
    """Stop with a BuildError when a header cell does not say what the layout assumes."""
    if not str(found or "").strip().startswith(expected):
        raise BuildError(
            f"Unexpected layout: {where} reads {found!r}, expected {expected!r}.",
            path=path,
            fix="Use the DANE workbook described in COL/SOURCE.md (sheet 'Municipios').",
        )


def _nbi_rows(
    rows, year: int, first_col: int, step: int, codes: MissingCodes, path: Path
) -> pd.DataFrame:
    """Long rows for the municipal lines of an NBI sheet; national and footnote lines skipped."""
    records = []
    for r, row in enumerate(rows, start=1):
        dept, mun = _code_part(row[0], 2), _code_part(row[2], 3)
        if dept is None or mun is None or dept == "00":
            continue
        for i, variable in enumerate(NBI_VARIABLES):
            col = first_col + i * step
            records.append((dept + mun, year, variable, row[col], r, col + 1))
    df = pd.DataFrame(records, columns=["code", "year", "variable", "value", "row", "column"])
    df["value"] = codes.numeric(df["value"], path, df[["row", "column", "code", "variable"]])
    return df[["code", "year", "variable", "value"]]


def _nbi_aggregate_rows(
    rows, year: int, first_col: int, step: int, codes: MissingCodes, path: Path
) -> pd.DataFrame:
    """DANE's published department rows (``level`` admin1) and national row (``level`` country,
    code ``COL``) of an NBI sheet whose first two columns are the department code and name."""
    records = []
    for r, row in enumerate(rows, start=1):
        dept = _code_part(row[0], 2)
        if dept is None:
            continue
        code, level = ("COL", "country") if dept == "00" else (dept, "admin1")
        for i, variable in enumerate(NBI_VARIABLES):
            col = first_col + i * step
            records.append((code, level, year, variable, row[col], r, col + 1))
    columns = ["code", "level", "year", "variable", "value", "row", "column"]
    df = pd.DataFrame(records, columns=columns)
    df["value"] = codes.numeric(df["value"], path, df[["row", "column", "code", "variable"]])
    return df[["code", "level", "year", "variable", "value"]]


def _with_aggregates(municipal: pd.DataFrame, published: pd.DataFrame) -> pd.DataFrame:
    """Municipal rows (``level`` empty: the source's level) followed by DANE's own aggregates."""
    return pd.concat([municipal.assign(level=None), published], ignore_index=True)


def read_nbi2005(raw: Path, codes: MissingCodes) -> pd.DataFrame:
    """NBI, Censo General 2005 (update of 30 June 2012), "Total" block of sheet Municipios.

    35 municipalities and corregimientos departamentales (e.g. Tame, La Macarena, Mapiripana)
    show exactly 100 for all seven Total measures and no coefficient of variation. Seven measures
    at 100 % at once is impossible (every person in a household with a child out of school and in
    economic dependency), so these are placeholders for "not estimated" and are read as missing.
    """
    path = raw / NBI2005_FILE
    sheet = xlrd.open_workbook(path).sheet_by_name("Municipios")
    _check_label(sheet.cell_value(4, NBI2005_TOTAL_COL), "Total", "the Total block header", path)
    _check_label(
        sheet.cell_value(5, NBI2005_TOTAL_COL), "Prop de Personas en NBI", "Total NBI header", path
    )
    rows = (sheet.row_values(r) for r in range(sheet.nrows))
    df = _nbi_rows(rows, 2005, NBI2005_TOTAL_COL, NBI2005_STEP, codes, path)
    all_100 = df.groupby("code")["value"].transform(lambda v: bool((v == 100).all()))
    df.loc[all_100, "value"] = float("nan")
    dept = xlrd.open_workbook(path).sheet_by_name(NBI2005_DEPT_SHEET)
    _check_label(dept.cell_value(4, NBI2005_DEPT_COL), "Total", "the department Total block", path)
    published = _nbi_aggregate_rows(
        (dept.row_values(r) for r in range(dept.nrows)),
        2005,
        NBI2005_DEPT_COL,
        NBI2005_STEP,
        codes,
        path,
    )
    return _with_aggregates(df, published)


def read_nbi2018(raw: Path, codes: MissingCodes) -> pd.DataFrame:
    """NBI, CNPV 2018 (update of 25 November 2019), "Total" block of sheet Municipios."""
    path = raw / NBI2018_FILE
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        rows = list(book["Municipios"].iter_rows(values_only=True))
        dept = list(book[NBI2018_DEPT_SHEET].iter_rows(values_only=True))
    finally:
        book.close()
    _check_label(rows[7][NBI2018_TOTAL_COL], "Total", "the Total block header", path)
    _check_label(rows[9][NBI2018_TOTAL_COL], "Prop de Personas en NBI", "Total NBI header", path)
    _check_label(dept[7][NBI2018_DEPT_COL], "Total", "the department Total block", path)
    municipal = _nbi_rows(rows, 2018, NBI2018_TOTAL_COL, NBI2018_STEP, codes, path)
    published = _nbi_aggregate_rows(dept, 2018, NBI2018_DEPT_COL, NBI2018_STEP, codes, path)
    return _with_aggregates(municipal, published)


# ------------------------------------------------------------------------------------------------
# MEN education statistics 2011-2022


def read_men_education(raw: Path, codes: MissingCodes) -> pd.DataFrame:
    """MEN municipal education statistics, one row per municipality and year.

    The rates are kept as published, including net enrolment above 100 and zeros. The year and the
    population are written with a thousands comma in 2021 ("2,021", "1,159"). The national rows
    (code 0, "NACIONAL", 2019-2021) hold fractions instead of percentages: they are read, times
    100, as MEN's own national figures (``level`` country, code COL).
    """
    path = raw / MEN_FILE
    df = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    national = df["CÓDIGO_MUNICIPIO"].str.strip() == "0"
    where = pd.DataFrame({"line": df.index + 2, "CÓDIGO_MUNICIPIO": df["CÓDIGO_MUNICIPIO"]})

    def number(column: str) -> pd.Series:
        return codes.numeric(df[column], path, where, column=column, thousands=",")

    wide = pd.DataFrame(
        {
            "code": df["CÓDIGO_MUNICIPIO"].str.strip().str.zfill(5).where(~national, "COL"),
            "level": pd.Series(None, index=df.index, dtype=object).where(~national, "country"),
            "year": number("AÑO").astype(int),
            MEN_POPULATION: number(MEN_POPULATION),
        }
    )
    for column in MEN_RATES:
        wide[column] = number(column).where(~national, number(column) * 100)
    return wide.melt(id_vars=["code", "level", "year"], var_name="variable", value_name="value")


# ------------------------------------------------------------------------------------------------
# DANE departmental multidimensional poverty (ECV) 2018-2022


def _header_year(cell) -> int | None:
    """2018 or '2020**' -> the year; anything else -> None."""
    match = re.match(r"\s*(20\d\d)(?!\d)", str(cell)) if cell is not None else None
    return int(match.group(1)) if match else None


def _is_year_row(row) -> bool:
    return sum(_header_year(c) is not None for c in row[1:]) >= 5


def _header_columns(*header_rows) -> dict[tuple, int]:
    """(year, domain[, statistic]) -> column, forward-filling the merged header cells."""
    filled = []
    for row in header_rows:
        last, out = None, []
        for cell in row:
            if cell is not None and str(cell).strip():
                last = str(cell).strip()
            out.append(last)
        filled.append(out)
    columns = {}
    for col in range(1, len(header_rows[0])):
        year = _header_year(filled[0][col])
        if year is not None:
            columns[(year, *(f[col] for f in filled[1:]))] = col
    return columns


def _has_number(row, columns: dict[tuple, int]) -> bool:
    """True for table rows (headers, titles and footnotes have no number in the value columns)."""
    return any(isinstance(row[c], (int, float)) for c in columns.values())


def _sheet_rows(book, name: str) -> list[tuple]:
    return list(book[name].iter_rows(values_only=True))


def _ipm_incidence(rows) -> list[tuple]:
    """(department, variable, year, value) of the Total incidence per department."""
    start = next(i for i, r in enumerate(rows) if r[0] == "Departamento")
    columns = _header_columns(rows[start], rows[start + 1])
    out = []
    for row in rows[start + 2 :]:
        if not isinstance(row[0], str) or not _has_number(row, columns):
            break
        for (year, domain), col in columns.items():
            if domain == "Total":
                out.append((row[0], IPM_INCIDENCE, year, row[col]))
    return out


def _ipm_deprivations(rows) -> list[tuple]:
    """(department, deprivation, year, value); the department is written on its first row only."""
    out, columns, department = [], {}, None
    for i, row in enumerate(rows):
        if _is_year_row(row):
            columns, department = _header_columns(row, rows[i + 1]), None
            continue
        if not columns or not isinstance(row[1], str) or not _has_number(row, columns):
            continue
        department = row[0] if isinstance(row[0], str) and row[0].strip() else department
        for (year, domain), col in columns.items():
            if domain == "Total":
                out.append((department, row[1].strip(), year, row[col]))
    return out


def _ipm_intervals(rows) -> dict[tuple, tuple]:
    """(department, variable, year) -> (lower, upper) 95 % limits of the Total estimate.

    The sheet holds one incidence table for all departments and one deprivation table per
    department (its name is the second line of the table title); the regional tables are skipped.
    """
    out, columns, title = {}, {}, ""
    for i, row in enumerate(rows):
        if isinstance(row[0], str) and row[0].startswith("IC."):
            title, columns = row[0], {}
            continue
        if _is_year_row(row):
            columns = _header_columns(row, rows[i + 1], rows[i + 2])
            continue
        if "Regiones" in title or not isinstance(row[0], str) or not _has_number(row, columns):
            continue
        if "Incidencia" in title:
            department, variable = row[0], IPM_INCIDENCE
        else:
            department, variable = title.split("\n")[1], row[0].strip()
        for (year, domain, statistic), col in columns.items():
            if domain == "Total" and statistic == "Límite Inferior":
                upper = columns[(year, domain, "Límite Superior")]
                out[(department, variable, year)] = (row[col], row[upper])
    return out


def _department_codes(raw: Path) -> dict[str, str]:
    """Folded MGN department name -> DIVIPOLA department code, plus the IPM annex aliases."""
    mgn = pyogrio.read_dataframe(
        raw / BOUNDARY_FILE, columns=["DPTO_CCDGO", "DPTO_CNMBR"], read_geometry=False
    ).drop_duplicates()
    pairs = zip(mgn["DPTO_CCDGO"], mgn["DPTO_CNMBR"], strict=True)
    codes = {fold(name): str(code).zfill(2) for code, name in pairs}
    return codes | IPM_NAME_ALIASES


def read_ipm_departments(raw: Path, codes: MissingCodes) -> pd.DataFrame:
    """IPM incidence and the 15 deprivations (Total domain), with the 95 % limits of IC_IPM."""
    path = raw / IPM_FILE
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        records = _ipm_incidence(_sheet_rows(book, IPM_SHEET_INCIDENCE))
        records += _ipm_deprivations(_sheet_rows(book, IPM_SHEET_DEPRIVATIONS))
        intervals = _ipm_intervals(_sheet_rows(book, IPM_SHEET_CI))
    finally:
        book.close()
    departments = _department_codes(raw)
    names = {d for d, *_ in records} | {d for d, *_ in intervals}
    unknown = sorted(n for n in names if fold(n) not in departments)
    if unknown:
        raise BuildError(
            f"IPM annex department name(s) not found among the MGN departments: {unknown}.",
            path=path,
            fix="Add the name to IPM_NAME_ALIASES in geodata/countries/col.py.",
        )
    # Bogotá is "Bogotá D.C." in one sheet and "Bogotá" in another: match the limits by code.
    limits = {(departments[fold(d)], v, y): ci for (d, v, y), ci in intervals.items()}
    df = pd.DataFrame(records, columns=["department", "variable", "year", "value"])
    df["code"] = df["department"].map(lambda d: departments[fold(d)])
    keys = list(zip(df["code"], df["variable"], df["year"], strict=True))
    ci = [limits.get(key, (None, None)) for key in keys]
    where = df[["department", "variable", "year"]]
    df["value"] = codes.numeric(df["value"], path, where)
    # A (department, variable, year) without limits in IC_IPM has no interval: not a cell.
    has_ci = pd.Series([key in limits for key in keys], index=df.index)
    for i, column in enumerate(("ci_low", "ci_high")):
        cells = pd.Series([c[i] for c in ci], index=df.index, dtype=object)
        df[column] = float("nan")
        df.loc[has_ci, column] = codes.numeric(cells[has_ci], path, where[has_ci])
    return df.drop(columns="department")


# ------------------------------------------------------------------------------------------------
# SIYA "Niñez YA" municipal series: SISPRO/DANE vital statistics 2005-2023, SUI coverage 2016-2023


@dataclass(frozen=True)
class SiyaFile:
    """One SIYA download: its file, the columns read and, for a rate, how it is built.

    ``rate`` = ``scale`` x ``count`` / ``denominator`` (``count`` None: the file has the rate only).
    """

    file: str
    rate: str
    denominator: str | None = None
    count: str | None = None
    scale: float = 1.0


SIYA_INFANT = SiyaFile(
    "ya1-8-mortalidad-menores.xlsx",
    "tasa_mortalidad_menores_1_año",
    "nacidos",
    "mortalidad_menores_1_año",
    1000,
)
SIYA_NEONATAL = SiyaFile(
    "ya1-7-mortalidad-neonatal.xlsx",
    "tasa_mortalidad_neonatal",
    "nacidos",
    "mortalidad_neonatal",
    1000,
)
SIYA_UNDER5 = SiyaFile(
    "ya1-3-mortalidad.xlsx",
    "tasa_mortalidad_menores_5",
    "total_menores_5",
    "mortalidad_menores_5",
    1000,
)
SIYA_SKILLED = SiyaFile(
    "ya1-10-partos-calificado.xlsx",
    "porcentaje_nacidos_vivos_personal_calificado",
    "nacidos_vivos",
    "partos_atendidos_calificado",
    100,
)
SIYA_PRENATAL = SiyaFile(
    "ya1-4-control-prenatal.xlsx",
    "controles_prenatales",
    "nacidos_vivos",
    "controles_prenatales_numerador",
    100,
)
SIYA_LOW_WEIGHT = SiyaFile("ya1-6-bajo-peso.xlsx", "bajo_peso", "nacidos_vivos")
SIYA_WATER = SiyaFile("ya1-1-acueducto.xlsx", "tacued")
SIYA_SEWER = SiyaFile("ya1-2-alcantarillado.xlsx", "talcan")

#: Codes of the vital-statistics cubes that are no municipality (COL/SOURCE.md, caveat 3):
#: -1 and 3 (residence unknown or abroad) and DD999 (department known, municipality not).
SIYA_NOT_MUNICIPAL = {"-1", "3"}
#: Largest gap allowed between a published rate and the one its counts give (float noise only).
SIYA_RATE_TOLERANCE = 1e-6


def _siya_table(path: Path, spec: SiyaFile) -> tuple[list[str], list[tuple]]:
    """Header and data rows of a SIYA workbook (one sheet, header on the first row)."""
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        rows = list(book.worksheets[0].iter_rows(values_only=True))
    finally:
        book.close()
    header = [str(c).strip() if c is not None else "" for c in rows[0]]
    wanted = ["codmpio", "anno", spec.rate, spec.denominator, spec.count]
    absent = [c for c in wanted if c and c not in header]
    if absent:
        raise BuildError(
            f"Unexpected layout: the header row has no column(s) {absent}.",
            path=path,
            fix="Use the SIYA download described in COL/SOURCE.md ('Added later (third search)').",
        )
    return header, rows[1:]


def _siya_written(value) -> str:
    """``codmpio`` as written (an integer: 5001, -1, 3); ``.zfill(5)`` gives DIVIPOLA ("05001")."""
    text = str(value).strip()
    return text[:-2] if text.endswith(".0") else text


def read_siya(raw: Path, codes: MissingCodes, spec: SiyaFile) -> pd.DataFrame:
    """One SIYA file as long rows: the rate (``spec.rate``) and, where the file has them, its
    denominator and event count, under the file's own column names.

    The vital-statistics cubes write no cell where no event was registered (COL/SOURCE.md, caveat
    2): a blank count or rate is 0 where the denominator is present and above 0, and missing where
    the denominator is blank or 0. A rate the producer left blank although its counts are there
    (deaths above births: the SISPRO cube caps its rates at 1,000) stays missing, as published.
    Non-municipal codes (-1, 3, DD999) are dropped. Where the file gives the counts, every published
    rate must equal ``scale`` x count / denominator, or the build stops.
    """
    path = raw / SIYA_DIR / spec.file
    header, rows = _siya_table(path, spec)
    table = pd.DataFrame(rows, columns=header, dtype=object)
    written = table["codmpio"].map(_siya_written)
    municipal = ~(written.isin(SIYA_NOT_MUNICIPAL) | written.str.endswith("999"))
    code = written.str.zfill(5)
    table, code = table[municipal], code[municipal]
    where = pd.DataFrame({"row": table.index + 2, "codmpio": code})

    def number(column: str) -> pd.Series:
        return codes.numeric(table[column], path, where, column=column)

    year = number("anno").astype(int)
    columns = {spec.rate: number(spec.rate)}
    if spec.denominator:
        denominator = number(spec.denominator)
        present = denominator > 0
        rate = columns[spec.rate]
        if spec.count:
            count = number(spec.count)
            computed = spec.scale * count / denominator.where(present)
            both = rate.notna() & computed.notna()
            off = (rate[both] - computed[both]).abs() > SIYA_RATE_TOLERANCE
            if off.any():
                shown = where.loc[off[off].index[:5]].to_dict("records")
                raise BuildError(
                    f"{int(off.sum())} published rate(s) of {spec.rate!r} differ from "
                    f"{spec.scale:g} x {spec.count} / {spec.denominator}: {shown}.",
                    path=path,
                    fix="The file is not the producer's download: restore it as COL/SOURCE.md says.",
                )
            no_event = count.isna() & rate.isna() & present
            columns[spec.count] = count.mask(count.isna() & present, 0.0)
        else:
            no_event = rate.isna() & present
        columns[spec.rate] = rate.mask(no_event, 0.0).where(present)
        columns[spec.denominator] = denominator
    long = pd.concat(
        [
            pd.DataFrame({"code": code, "year": year, "variable": name, "value": values})
            for name, values in columns.items()
        ],
        ignore_index=True,
    )
    return long[long["value"].notna()].reset_index(drop=True)


def read_siya_infant_mortality(raw: Path, codes: MissingCodes) -> pd.DataFrame:
    """Infant deaths per 1,000 births, births by place of occurrence (SISPRO, 2005-2023)."""
    return read_siya(raw, codes, SIYA_INFANT)


def read_siya_neonatal_mortality(raw: Path, codes: MissingCodes) -> pd.DataFrame:
    """Neonatal deaths per 1,000 births, births by place of occurrence (SISPRO, 2005-2023)."""
    return read_siya(raw, codes, SIYA_NEONATAL)


def read_siya_under5_mortality(raw: Path, codes: MissingCodes) -> pd.DataFrame:
    """Deaths under 5 per 1,000 children under 5 (a population denominator; SISPRO, 2005-2023)."""
    return read_siya(raw, codes, SIYA_UNDER5)


def read_siya_skilled_attendance(raw: Path, codes: MissingCodes) -> pd.DataFrame:
    """Live births attended by skilled personnel, % of live births by residence (2005-2023)."""
    return read_siya(raw, codes, SIYA_SKILLED)


def read_siya_prenatal_care(raw: Path, codes: MissingCodes) -> pd.DataFrame:
    """Live births whose mother had 4 or more prenatal visits, % by residence (2005-2023)."""
    return read_siya(raw, codes, SIYA_PRENATAL)


def read_siya_low_birth_weight(raw: Path, codes: MissingCodes) -> pd.DataFrame:
    """Live births under 2,500 g, % of live births by residence (DANE, 2005-2023)."""
    return read_siya(raw, codes, SIYA_LOW_WEIGHT)


def read_sui_water(raw: Path, codes: MissingCodes) -> pd.DataFrame:
    """SUI water-supply (acueducto) coverage, % (2016-2023)."""
    return read_siya(raw, codes, SIYA_WATER)


def read_sui_sewer(raw: Path, codes: MissingCodes) -> pd.DataFrame:
    """SUI sewer (alcantarillado) coverage, % (2016-2023)."""
    return read_siya(raw, codes, SIYA_SEWER)

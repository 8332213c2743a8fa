"""Peru: INEI districts (mapsPERU), INEI poverty map 2018, CEPLAN district table, Census 2017 NBI,
PNUD-Peru district HDI 2003-2012.

Unit = distrito, code = 6-digit INEI UBIGEO (``DDPPdd``); admin-1 = departamento (first 2 digits).
The boundary layer is INEI's current 1,891-district set, so every 2017-2018 indicator file
(1,874 districts) joins on the code directly; the 17 districts created after 2017 simply have
no value. The PNUD HDI series covers the INEI 2007 list (1,834 districts) and has no codes: they
are attached by position and mapped to current codes (see :func:`read_pnud_idh_districts`).
"""

from __future__ import annotations

import csv
import json
import warnings
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyreadr
import rdata
import shapely

from geodata.cells import MissingCodes
from geodata.errors import BuildError
from geodata.text import fold, proper_case

BOUNDARY_FILE = "PER/boundaries/musajajorge_mapsPERU/map_DIST.rda"
POVERTY2018_FILE = "PER/indicators/calderonsamuel_perupobreza2018/pobreza2018.rda"
UBIGEO_FILE = "PER/indicators/jmcastagnetto_ubigeo-peru-aumentado/ubigeo_distrito.csv"
NBI2017_FILE = "PER/indicators/healthinnovation_mob-tb/per-demographics-2017.csv"
PNUD_DIR = "PER/indicators/gersongams_Mapa-Desigualdad-Social"
PNUD_DISTRICTS_FILE = f"{PNUD_DIR}/distritos.js"
PNUD_DEPARTMENTS_FILE = f"{PNUD_DIR}/departamentos.js"
#: INEI 2007 district list, whose UBIGEO order the PNUD district rows follow (SOURCE.md recipe).
DISTRICTS_2007_FILE = "PER/boundaries/juaneladio_peru-geojson/peru_distrital_simple.geojson"
#: 2007 -> current code changes (160109 -> 160801, 160114 -> 160803).
CHANGES_FILE = "PER/indicators/lincolneulogio_peru-geojson/cambios-2007-2026.csv"

#: PNUD-Peru Human Development Index and its components (INDH 2013): the years of the series
#: and the field prefixes of distritos.js ("idh_2012") and departamentos.js ("idh", "anio").
PNUD_YEARS = (2003, 2007, 2010, 2011, 2012)
PNUD_VARIABLES = ("idh", "evn", "pob_esc", "anios_educ", "ing_prom")

#: Census 2017 NBI household counts published by INEI; each becomes "pct_<column>" = count /
#: number_hh x 100, because INEI publishes the NBI indicators as % of households.
NBI_COUNTS = [
    "hh_1_nib_or_more",
    "hh_inadequate_characteristics",
    "overcrowded_housing",
    "hh_wo_bathrooms",
    "hh_children_not_attending_school",
    "hh_high_economic_dependence",
]

#: ubigeo_distrito.csv columns kept, with the year each refers to (README of the repository:
#: HDI 2019 from PNUD; district extreme poverty from INEI's 2013 map).
UBIGEO_VARIABLES = {"idh_2019": 2019, "pct_pobreza_extrema": 2013}


def _sf_geometry(multipolygon: list) -> shapely.MultiPolygon:
    """An sf MULTIPOLYGON as rdata converts it (list of polygons, each a list of N x 2 rings)."""
    return shapely.MultiPolygon([shapely.Polygon(rings[0], rings[1:]) for rings in multipolygon])


def read_units(raw: Path) -> gpd.GeoDataFrame:
    """The 1,891 districts of map_DIST.rda (an R ``sf`` object, which geopandas cannot read).

    ``rdata`` warns about every R class it has no constructor for (sf, sfc, crs, tbl_df...);
    the underlying lists are exactly what we need, so those warnings are silenced here only.
    Names are kept as given: the file already has proper case and accents ("Asunción",
    "Mi Perú"), which re-casing would damage. ``other_names`` ("|"-separated) are what else people
    call a district: :func:`other_names`.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Missing constructor for R class")
        parsed = rdata.parser.parse_file(raw / BOUNDARY_FILE)
        df = rdata.conversion.convert(parsed, default_encoding="utf8")["map_DIST"]
    geoms = [_sf_geometry(g) for g in df["geometry"]]
    gdf = gpd.GeoDataFrame(
        {
            "code": df["COD_DISTRITO"].astype(str).str.strip().to_numpy(),
            "name": df["DISTRITO"].astype(str).str.strip().to_numpy(),
            # COD_DEPARTAMENTO is right-padded to 6 digits ("010000"): the official code is [:2].
            "admin1_code": df["COD_DEPARTAMENTO"].astype(str).str[:2].to_numpy(),
            "admin1_name": df["DEPARTAMENTO"].astype(str).to_numpy(),
        },
        geometry=geoms,
        crs="EPSG:4326",
    )
    gdf["other_names"] = other_names(df, raw)
    return gdf.sort_values("code", ignore_index=True)


def other_names(df: pd.DataFrame, raw: Path) -> list[str]:
    """Other names of each district of map_DIST (``"|"``-separated, "" for none): its capital's
    legal name (``NOMBRE_CAPITAL_LEGAL``) where it differs; for a province's capital district
    (UBIGEO ending in 01, INEI's numbering) the province's name, which is often the city's
    (Huamanga -> Ayacucho 050101); and the 2007 name of a district renamed since
    (``renombrado`` in the 2007-2026 crosswalk)."""
    former: dict[str, str] = {}
    with open(raw / CHANGES_FILE, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["nivel"] == "distrito" and row["tipo"] == "renombrado" and row["nombre_2007"]:
                former[row["ubigeo_2026"].strip()] = proper_case(row["nombre_2007"].strip())
    out = []
    for code, name, capital, province in zip(
        df["COD_DISTRITO"].astype(str).str.strip(),
        df["DISTRITO"].astype(str),
        df["NOMBRE_CAPITAL_LEGAL"].fillna("").astype(str),
        df["PROVINCIA"].fillna("").astype(str),
        strict=True,
    ):
        names: list[str] = []
        candidates = [
            proper_case(capital),
            province if code.endswith("01") else "",
            former.get(code),
        ]
        for other in candidates:
            if other and fold(other) != fold(name) and fold(other) not in map(fold, names):
                names.append(other)
        out.append("|".join(names))
    return out


def read_pobreza2018(raw: Path, codes: MissingCodes) -> pd.DataFrame:
    """INEI district monetary poverty 2018 (95 % CI) and the 2020 population estimate.

    INEI published the 2018 district poverty as a 95 % interval only; ``pobreza_monetaria``
    is the package author's midpoint of that interval. It is emitted as the value with the
    published bounds as ci_low/ci_high, so the interval is never lost.
    """
    path = raw / POVERTY2018_FILE
    df = pyreadr.read_r(path)["pobreza2018"]
    code = df["ubigeo"].astype(str).str.strip()
    where = pd.DataFrame({"ubigeo": code})

    def number(column: str) -> pd.Series:
        return codes.numeric(df[column], path, where, column=column)

    poverty = pd.DataFrame(
        {
            "code": code,
            "year": 2018,
            "variable": "pobreza_monetaria",
            "value": number("pobreza_monetaria"),
            "ci_low": number("conf_95_inf"),
            "ci_high": number("conf_95_sup"),
        }
    )
    population = pd.DataFrame(
        {"code": code, "year": 2020, "variable": "pob_2020", "value": number("pob_2020")}
    )
    return pd.concat([poverty, population], ignore_index=True)


def read_ubigeo_distrito(raw: Path, codes: MissingCodes) -> pd.DataFrame:
    """CEPLAN district table: HDI 2019 (PNUD) and extreme poverty 2013 (INEI map 2013).

    Joined on ``inei``, never on ``reniec`` (RENIEC codes differ for many districts); the row
    without an ``inei`` code (San Antonio, Moquegua, all indicators empty) is dropped.
    ``pct_pobreza_total`` is left out on purpose: it is the same INEI 2018 map already read,
    with its interval, by :func:`read_pobreza2018`. ``indice_vulnerabilidad_alimentaria`` is
    left out because the file does not say which year it refers to.
    """
    path = raw / UBIGEO_FILE
    df = pd.read_csv(path, dtype=str, encoding="utf-8", keep_default_na=False)
    df = df.assign(line=df.index + 2, code=df["inei"].str.strip())
    df = df[~df["code"].isin(["", *codes.declared])]  # the file writes R's NA for no code
    where = df[["line", "code"]]
    parts = [
        pd.DataFrame(
            {
                "code": df["code"],
                "year": year,
                "variable": col,
                "value": codes.numeric(df[col], path, where, column=col),
            }
        )
        for col, year in UBIGEO_VARIABLES.items()
    ]
    long = pd.concat(parts, ignore_index=True)
    # Districts created after the source's data (and old Putumayo codes) carry empty cells.
    long = long[long["value"].notna()].reset_index(drop=True)
    return inherited(long, _created_districts(raw), INHERITED_VARIABLES)


#: Variables of ubigeo_distrito.csv whose map predates districts created since 2007: INEI's 2013
#: map gives a district split from another its parent's estimate.
INHERITED_VARIABLES = ("pct_pobreza_extrema",)


def _created_districts(raw: Path) -> set[str]:
    """Current codes of the districts created since the 2007 census (the crosswalk's "creado")."""
    with open(raw / CHANGES_FILE, newline="", encoding="utf-8") as fh:
        return {
            r["ubigeo_2026"]
            for r in csv.DictReader(fh)
            if r["nivel"] == "distrito" and r["tipo"] == "creado" and r["ubigeo_2026"]
        }


def inherited(long: pd.DataFrame, created: set[str], variables: tuple[str, ...]) -> pd.DataFrame:
    """Flag ``inherited`` the values of created districts that equal, to every digit, the value of
    another district of the same province: the producer copied the value of the district they were
    split from. ``flag_ref`` names that district (an older one first; its unit id)."""
    long = long.assign(flag="", flag_ref="")
    for variable in variables:
        rows = long[long["variable"] == variable]
        province = rows["code"].str[:4]
        for i, row in rows[rows["code"].isin(created)].iterrows():
            same = rows[
                (province == row["code"][:4])
                & (rows["value"] == row["value"])
                & (rows["code"] != row["code"])
                & (rows["year"] == row["year"])
            ]
            if same.empty:
                continue
            older = same[~same["code"].isin(created)]
            parent = (older if not older.empty else same)["code"].iat[0]
            long.loc[i, ["flag", "flag_ref"]] = ["inherited", "PER" + parent]
    return long


def read_nbi2017(raw: Path, codes: MissingCodes) -> pd.DataFrame:
    """Census 2017 unmet basic needs (NBI) as % of households, from household counts.

    Each ``pct_<count>`` = count / ``number_hh`` x 100 (derived: INEI publishes these NBI
    indicators as shares of households). The file's PNUD HDI columns (``idh``, life expectancy,
    schooling, family income) are not read: their year is not stated and is not 2019, so they
    cannot be placed on a time axis; ``monetary_poverty`` duplicates the INEI 2018 map.
    """
    path = raw / NBI2017_FILE
    df = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    where = pd.DataFrame({"line": df.index + 2, "ubigeo": df["ubigeo"]})

    def number(column: str) -> pd.Series:
        return codes.numeric(df[column], path, where, column=column)

    # A district with no households would give inf: make it missing instead.
    households = number("number_hh").where(lambda s: s > 0)
    parts = [
        pd.DataFrame(
            {
                "code": df["ubigeo"].str.strip(),
                "year": 2017,
                "variable": f"pct_{col}",
                "value": number(col) / households * 100,
            }
        )
        for col in NBI_COUNTS
    ]
    return pd.concat(parts, ignore_index=True)


def _js_array(path: Path) -> list[dict]:
    """The JSON array of a JavaScript module ``export const name = [ ... ]``."""
    text = path.read_text(encoding="utf-8")
    try:
        return json.loads(text[text.index("[") :])
    except ValueError as err:
        raise BuildError(
            f"not a JavaScript module holding one JSON array ({err}).",
            path=path,
            fix="Restore the file byte-for-byte from the repository named in PER/SOURCE.md.",
        ) from None


def _pnud_district_rows(raw: Path) -> list[tuple[str, dict]]:
    """distritos.js rows with their 2007 UBIGEO, by the recipe of PER/SOURCE.md.

    Row 0 is the province of Chachapoyas (the sum of its districts) and is dropped; rows 1-1,834
    are the INEI 2007 districts in UBIGEO order, so row i takes the i-th code of the INEI 2007
    layer sorted. The file has no codes, so the pairing is checked on what it has: the
    department of every row must be the department of its code.
    """
    path = raw / PNUD_DISTRICTS_FILE
    rows = _js_array(path)[1:]
    layer = json.loads((raw / DISTRICTS_2007_FILE).read_text(encoding="utf-8"))
    departments = {f["properties"]["IDDIST"]: f["properties"]["NOMBDEP"] for f in layer["features"]}
    codes = sorted(departments)
    if len(rows) != len(codes):
        raise BuildError(
            f"{len(rows)} district rows after the province row, but the INEI 2007 list has "
            f"{len(codes)} districts: the rows cannot be paired with codes by position.",
            path=path,
            fix="Restore distritos.js and the juaneladio layer as described in PER/SOURCE.md.",
        )
    wrong = [
        (code, row["DEPARTAMENTO"], departments[code])
        for code, row in zip(codes, rows, strict=True)
        if fold(row["DEPARTAMENTO"]) != fold(departments[code])
    ]
    if wrong:
        raise BuildError(
            f"{len(wrong)} rows fall in another department than their position's code, "
            f"first {wrong[:3]}: the rows are not in INEI 2007 UBIGEO order.",
            path=path,
            fix="Restore distritos.js as described in PER/SOURCE.md.",
        )
    return list(zip(codes, rows, strict=True))


def _current_codes(raw: Path) -> dict[str, str]:
    """INEI 2007 district code -> current code, for the districts whose code changed."""
    with open(raw / CHANGES_FILE, newline="", encoding="utf-8") as fh:
        return {
            r["ubigeo_2007"]: r["ubigeo_2026"]
            for r in csv.DictReader(fh)
            if r["nivel"] == "distrito"
            and r["ubigeo_2007"]
            and r["ubigeo_2026"]
            and r["ubigeo_2007"] != r["ubigeo_2026"]
        }


def read_pnud_idh_districts(raw: Path, codes: MissingCodes) -> pd.DataFrame:
    """PNUD-Peru district HDI and components 2003-2012 (INDH 2013), under current UBIGEO codes.

    The 1,834 districts of the INEI 2007 list get their code by position (see
    :func:`_pnud_district_rows`), then the current code (160109 -> 160801, 160114 -> 160803).
    The 57 districts created since 2007 get no value: the producer estimated their parent
    district as it was then, and that value is not the new district's. Empty cells (2003 for
    two districts created after 2003, 2011 for Cuenca) stay missing, and so do the 2003 rows
    whose five values are all 0 (211210, 240203, 250107, districts created after 2003): a life
    expectancy or HDI of 0 is impossible, so the producer wrote 0 for "not estimated".
    """
    path = raw / PNUD_DISTRICTS_FILE
    pairs = _pnud_district_rows(raw)
    renamed = _current_codes(raw)
    code = pd.Series([renamed.get(c, c) for c, _ in pairs])
    table = pd.DataFrame([row for _, row in pairs])
    parts = []
    for year in PNUD_YEARS:
        where = pd.DataFrame({"ubigeo_2007": [c for c, _ in pairs], "year": year})
        columns = {variable: f"{variable}_{year}" for variable in PNUD_VARIABLES}
        values = {
            variable: codes.numeric(table[column], path, where, column=column)
            for variable, column in columns.items()
        }
        not_estimated = pd.concat(values.values(), axis=1).eq(0).all(axis=1)
        parts += [
            pd.DataFrame(
                {
                    "code": code,
                    "year": year,
                    "variable": variable,
                    "value": value.mask(not_estimated),
                }
            )
            for variable, value in values.items()
        ]
    long = pd.concat(parts, ignore_index=True)
    return long[long["value"].notna()].reset_index(drop=True)


def read_pnud_idh_departments(raw: Path, codes: MissingCodes) -> pd.DataFrame:
    """PNUD-Peru department HDI and components 2003-2012: the producer's own department values.

    departamentos.js names departments only; the code of each name is the one its districts
    carry in distritos.js (same producer, codes by the SOURCE.md recipe).
    """
    path = raw / PNUD_DEPARTMENTS_FILE
    department_code = {fold(row["DEPARTAMENTO"]): c[:2] for c, row in _pnud_district_rows(raw)}
    table = pd.DataFrame(_js_array(path))
    unknown = sorted({n for n in table["departamento"] if fold(n) not in department_code})
    if unknown:
        raise BuildError(
            f"department name(s) not found in distritos.js: {unknown}.",
            path=path,
            fix="Restore departamentos.js as described in PER/SOURCE.md.",
        )
    code = table["departamento"].map(lambda n: department_code[fold(n)])
    year = codes.numeric(table["anio"], path, column="anio").astype(int)
    where = pd.DataFrame({"departamento": table["departamento"], "anio": year})
    long = pd.concat(
        [
            pd.DataFrame(
                {
                    "code": code,
                    "year": year,
                    "variable": variable,
                    "value": codes.numeric(table[variable], path, where, column=variable),
                }
            )
            for variable in PNUD_VARIABLES
        ],
        ignore_index=True,
    )
    return long[long["value"].notna()].reset_index(drop=True)

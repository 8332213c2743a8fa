"""Peru: INEI districts (mapsPERU), INEI poverty map 2018, CEPLAN district table, Census 2017 NBI.

Unit = distrito, code = 6-digit INEI UBIGEO (``DDPPdd``); admin-1 = departamento (first 2 digits).
The boundary layer is INEI's current 1,891-district set, so every indicator file (2017-2018
district set, 1,874 districts) joins on the code directly and no crosswalk is needed; the 17
districts created after 2017 simply have no value.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyreadr
import rdata
import shapely

from geodata.cells import MissingCodes

BOUNDARY_FILE = "PER/boundaries/musajajorge_mapsPERU/map_DIST.rda"
POVERTY2018_FILE = "PER/indicators/calderonsamuel_perupobreza2018/pobreza2018.rda"
UBIGEO_FILE = "PER/indicators/jmcastagnetto_ubigeo-peru-aumentado/ubigeo_distrito.csv"
NBI2017_FILE = "PER/indicators/healthinnovation_mob-tb/per-demographics-2017.csv"

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
    "Mi Perú"), which re-casing would damage.
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
    return gdf.sort_values("code", ignore_index=True)


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
    return long[long["value"].notna()].reset_index(drop=True)


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

"""Brazil: IBGE municipal mesh (27 GeoJSON files) and the Atlas do Desenvolvimento Humano 2013."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyreadr

from geodata.cells import MissingCodes

BOUNDARY_DIR = "BRA/boundaries/tbrugz_geodata-br"
ATLAS_FILE = "BRA/indicators/abjur_abjData/pnud_muni.rda"

#: Atlas columns the catalog may use (all numeric; population counts included for weighting).
ATLAS_VARIABLES = [
    "pind",
    "pmpob",
    "ppob",
    "pindcri",
    "rdpc",
    "gini",
    "theil",
    "t_flfund",
    "t_fbfund",
    "t_flbas",
    "t_analf18m",
    "e_anosestudo",
    "mort1",
    "mort5",
    "espvida",
    "fectot",
    "t_agua",
    "t_banagua",
    "agua_esgoto",
    "t_lixo",
    "t_luz",
    "t_dens",
    "idhm",
    "idhm_e",
    "idhm_l",
    "idhm_r",
    "pesotot",
    "pop",
]


def _read_atlas(raw: Path) -> pd.DataFrame:
    return pyreadr.read_r(raw / ATLAS_FILE)["pnud_muni"]


def read_units(raw: Path) -> gpd.GeoDataFrame:
    files = sorted((raw / BOUNDARY_DIR).glob("geojs-*-mun.json"))
    parts = [gpd.read_file(f, engine="pyogrio") for f in files]
    gdf = pd.concat(parts, ignore_index=True)
    gdf = gpd.GeoDataFrame(gdf, geometry="geometry", crs="EPSG:4326")
    gdf["code"] = gdf["id"].astype(str).str.strip()
    gdf["admin1_code"] = gdf["code"].str[:2]
    atlas = _read_atlas(raw)
    uf_names = (
        atlas[["uf", "ufn"]].drop_duplicates().assign(uf=lambda d: d["uf"].astype(str).str.zfill(2))
    )
    names = dict(zip(uf_names["uf"], uf_names["ufn"].astype(str), strict=False))
    gdf["admin1_name"] = gdf["admin1_code"].map(names)
    return gdf[["code", "name", "admin1_code", "admin1_name", "geometry"]]


def read_atlas2013(raw: Path, codes: MissingCodes) -> pd.DataFrame:
    df = _read_atlas(raw)
    df = df.assign(code=df["codmun7"].astype(str).str.zfill(7), year=df["ano"].astype(int))
    long = df.melt(
        id_vars=["code", "year"],
        value_vars=ATLAS_VARIABLES,
        var_name="variable",
        value_name="value",
    )
    where = long[["code", "year", "variable"]]
    long["value"] = codes.numeric(long["value"], raw / ATLAS_FILE, where)
    return long

"""Brazil adapter on the real raw data: IBGE municipal mesh and the Atlas 2013 (pnud_muni.rda).

Expected values come from the .rda read independently with the ``rdata`` package (the reader uses
``pyreadr``) and from the GeoJSON read with the ``json`` module.
"""

from __future__ import annotations

import json
import warnings

import pytest
import rdata

from atlas.catalog import load_catalog
from geodata.countries import bra
from geodata.registry import load_registry

#: Porto Velho (RO), Rio Branco (AC), São Paulo (SP), Brasília (DF), Nazária (PI, no polygon) and
#: Aroeiras do Itaim (PI), created after 1991 but given 1991 values on the 2010 grid.
SAMPLE = ["1100205", "1200401", "3550308", "5300108", "2206720", "2200954"]

#: Every Atlas column the BRA catalog maps.
CATALOG_VARIABLES = [
    "pind",
    "pmpob",
    "rdpc",
    "gini",
    "t_flfund",
    "t_analf18m",
    "e_anosestudo",
    "mort5",
    "mort1",
    "t_agua",
    "agua_esgoto",
    "t_dens",
    "idhm",
    "pesotot",
]


@pytest.fixture(scope="module")
def units(raw_dir):
    return bra.read_units(raw_dir)


@pytest.fixture(scope="module")
def atlas(raw_dir, codes):
    return bra.read_atlas2013(raw_dir, codes("bra_atlas2013"))


@pytest.fixture(scope="module")
def rda(raw_dir):
    """pnud_muni read with rdata; it warns that R's tibble classes fall back to data.frame."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        df = rdata.read_rda(raw_dir / bra.ATLAS_FILE)["pnud_muni"]
    df = df.assign(code=df["codmun7"].astype(int).astype(str), year=df["ano"].astype(int))
    return df.set_index(["code", "year"])


def _value(long, code, variable, year):
    rows = long[(long["code"] == code) & (long["variable"] == variable) & (long["year"] == year)]
    assert len(rows) == 1, (code, variable, year, len(rows))
    return float(rows["value"].iloc[0])


def test_bra001_unit_count_and_codes(units):
    assert len(units) == 5564
    assert units["code"].is_unique
    assert units["code"].map(type).eq(str).all()
    assert units["code"].str.fullmatch(r"[1-5]\d{6}").all()
    assert "2206720" not in set(units["code"])  # Nazária: no polygon in the mesh
    assert (units["admin1_code"] == units["code"].str[:2]).all()


def test_bra002_admin1_codes_and_accented_names(units):
    uf = dict(units[["admin1_code", "admin1_name"]].drop_duplicates().itertuples(index=False))
    assert len(uf) == 27
    assert all(len(c) == 2 for c in uf)
    assert uf["11"] == "Rondônia"
    assert uf["15"] == "Pará"
    assert uf["16"] == "Amapá"
    assert uf["21"] == "Maranhão"
    assert uf["22"] == "Piauí"
    assert uf["23"] == "Ceará"
    assert uf["25"] == "Paraíba"
    assert uf["32"] == "Espírito Santo"
    assert uf["35"] == "São Paulo"
    assert uf["41"] == "Paraná"
    assert uf["52"] == "Goiás"
    assert uf["53"] == "Distrito Federal"


def test_bra003_names_match_geojson_and_geometry(raw_dir, units):
    with open(raw_dir / bra.BOUNDARY_DIR / "geojs-35-mun.json", encoding="utf-8") as fh:
        features = json.load(fh)["features"]
    raw_names = {f["properties"]["id"]: f["properties"]["name"] for f in features}
    by_code = units.set_index("code")["name"]
    for code in ["3550308", "3509502", "3548500"]:
        assert by_code[code] == raw_names[code]
    assert by_code["3550308"] == "São Paulo"
    assert not units["name"].str.isupper().any()
    assert not units.geometry.is_empty.any()
    assert units.geometry.notna().all()
    assert units.crs.to_epsg() == 4326


def test_bra004_atlas_rows_and_years(atlas):
    assert set(atlas["year"]) == {1991, 2000, 2010}
    assert atlas["code"].str.fullmatch(r"\d{7}").all()
    per_year = atlas[atlas["variable"] == "idhm"].groupby("year")["code"].nunique()
    assert per_year.to_dict() == {1991: 5565, 2000: 5565, 2010: 5565}
    assert set(CATALOG_VARIABLES) <= set(atlas["variable"])
    mapped = atlas[atlas["variable"].isin(CATALOG_VARIABLES)]
    assert mapped["value"].notna().all()  # SOURCE.md: complete in all three years


def test_bra005_values_equal_rdata(atlas, rda):
    for code in SAMPLE:
        for year in (1991, 2000, 2010):
            for variable in CATALOG_VARIABLES:
                expected = float(rda.loc[(code, year), variable])
                assert _value(atlas, code, variable, year) == expected, (code, year, variable)


def test_bra006_known_values(atlas):
    # Brazil's 2010 census total population; pesotot (all residents) > pop (private households).
    tot = atlas[(atlas["variable"] == "pesotot") & (atlas["year"] == 2010)]["value"].sum()
    assert tot == 190_755_799
    pop = atlas[(atlas["variable"] == "pop") & (atlas["year"] == 2010)]["value"].sum()
    assert pop < tot
    assert _value(atlas, "3550308", "pesotot", 2010) == 11_253_503


def test_bra007_join_rate(units, atlas):
    codes = set(atlas["code"])
    joined = codes & set(units["code"])
    assert len(codes) == 5565
    assert len(joined) / len(codes) >= load_registry()["BRA"].source("bra_atlas2013").join_threshold
    assert codes - joined == {"2206720"}


def test_bra008_catalog_series_exist(atlas):
    catalog = load_catalog()
    series = [s for s in catalog.all_series() if s.country == "BRA" and s.level == "municipality"]
    assert {s.variable for s in series} == set(CATALOG_VARIABLES)
    for s in series:
        rows = atlas[atlas["variable"] == s.variable]
        assert set(s.years) <= set(rows["year"]), s.indicator
        assert s.definition and all(s.comparability.values()), s.indicator
    assert {s.indicator for s in series if s.variable == "pesotot"} == {"population"}

"""The built store on the real data: counts, codes, geometry, values traced back to raw files."""

from __future__ import annotations

import csv
import json
import math

import geopandas as gpd
import numpy as np
import pyreadr
import pytest
import shapely

EXPECTED_UNITS = {
    ("BRA", "municipality"): 5564,
    ("MEX", "municipality"): 2457,
    ("COL", "municipality"): 1122,
    ("CHL", "municipality"): 345,
    ("URY", "admin1"): 19,
}
CODE_LENGTH = {"BRA": 7, "MEX": 5, "COL": 5, "CHL": 5, "PER": 6, "URY": 2}


@pytest.mark.parametrize(("country", "level"), list(EXPECTED_UNITS))
def test_sto001_unit_counts(store, country, level):
    assert len(store.layer(country, level)) == EXPECTED_UNITS[(country, level)]


def test_sto002_peru_has_at_least_the_2017_districts(store):
    assert len(store.layer("PER", "municipality")) >= 1874


@pytest.mark.parametrize("country", list(CODE_LENGTH))
def test_sto003_codes_are_strings_with_leading_zeros(store, country):
    level = store.levels(country)[0]
    ids = store.layer(country, level).unit_ids
    codes = [u[3:] for u in ids]
    assert all(u.startswith(country) for u in ids)
    assert {len(c) for c in codes} == {CODE_LENGTH[country]}
    if country in ("MEX", "COL", "CHL", "PER", "URY"):
        assert any(c.startswith("0") for c in codes), "codes of region 01-09 keep their zero"


def test_sto004_known_units_by_code(store):
    assert store.unit("COL05001")["name"] == "Medellín"
    assert store.unit("MEX01001")["name"] == "Aguascalientes"
    assert store.unit("CHL13101")["name"] == "Santiago"
    assert store.unit("PER150101")["name"] == "Lima"
    assert store.unit("URY01")["name"] == "Montevideo"
    assert store.unit("BRA3550308")["admin1_name"] == "São Paulo"


def test_sto005_no_invalid_or_empty_geometry(store_dir):
    units = gpd.read_parquet(store_dir / "units.parquet")
    drawn = units[units["level"] != "country"]
    geoms = drawn.geometry.to_numpy()
    assert not shapely.is_empty(geoms).any()
    assert shapely.is_valid(geoms).all()
    assert set(shapely.get_type_id(geoms)) <= {3, 6}  # Polygon, MultiPolygon


def _display(store, country, level, lod="low"):
    path = store.path / "geo" / store.geo_file(country, level, lod)
    data = json.loads(path.read_text())
    return [f["id"] for f in data["features"]], shapely.from_geojson(
        [json.dumps(f["geometry"]) for f in data["features"]]
    )


@pytest.mark.parametrize("country", ["BRA", "CHL", "COL", "MEX", "PER", "URY"])
def test_sto006_display_file_order_matches_the_layer(store, country):
    for level in store.levels(country):
        ids, geoms = _display(store, country, level)
        assert ids == list(store.layer(country, level).unit_ids)
        assert shapely.is_valid(geoms).all() and not shapely.is_empty(geoms).any()


@pytest.mark.parametrize("country", ["BRA", "CHL", "COL", "MEX", "PER", "URY"])
def test_sto007_simplified_layer_keeps_area_and_has_no_overlaps(store_dir, store, country):
    """Neighbours still share edges: the simplified units cover the country's area within 1 %,
    and the sum of their areas exceeds the area of their union (= overlaps) by < 0.5 %."""
    units = gpd.read_parquet(store_dir / "units.parquet")
    level = store.levels(country)[0]
    full = units[(units["country"] == country) & (units["level"] == level)]
    full_area = shapely.area(full.geometry.to_numpy()).sum()
    for lod in ("low", "high"):
        _, geoms = _display(store, country, level, lod)
        union = shapely.union_all(shapely.make_valid(geoms)).area
        assert abs(union - full_area) / full_area < 0.01
        assert (shapely.area(geoms).sum() - union) / union < 0.005


def test_sto008_brazil_national_file_is_small(store):
    f = store.manifest["countries"]["BRA"]["geo"]["municipality"]["low"]
    assert f["gzip_bytes"] < 1_000_000


def test_sto009_values_equal_the_raw_files(store, raw_dir):
    """One value per country, read here straight from the producer's file."""
    # Brazil: Atlas 2013, extreme poverty 2010, Acrelândia
    bra = pyreadr.read_r(raw_dir / "BRA/indicators/abjur_abjData/pnud_muni.rda")["pnud_muni"]
    row = bra[(bra["codmun7"] == 1200013) & (bra["ano"] == 2010)].iloc[0]
    assert _store_value(store, "poverty_extreme", 2010, "BRA1200013") == pytest.approx(row["pind"])
    # Mexico: CONEVAL 2015 multidimensional poverty, Aguascalientes (latin-1 csv)
    with open(
        raw_dir / "MEX/indicators/indicadores de pobreza municipal_2015.csv", encoding="latin-1"
    ) as fh:
        rec = next(r for r in csv.DictReader(fh) if r["clave_municipio"].strip() == "1001")
    assert _store_value(store, "poverty_multidimensional", 2015, "MEX01001") == pytest.approx(
        float(rec["pobreza"])
    )
    # Chile: MDSF 2022 income poverty with its interval, Iquique
    rows = json.loads(
        (raw_dir / "CHL/indicators/cortega26_chile-hub/pobreza_comunal.json").read_text()
    )
    rec = next(r for r in rows if r["codigo_comuna"] == "01101" and r["dimension"] == "ingresos")
    v = store.values("poverty", 2022, "CHL", "municipality")
    i = v.layer.index.get_loc("CHL01101")
    assert (v.value[i], v.ci_low[i], v.ci_high[i]) == pytest.approx(
        (rec["tasa"], rec["limite_inferior"], rec["limite_superior"])
    )
    # Peru: CEPLAN compilation, HDI 2019, Chachapoyas
    with open(
        raw_dir / "PER/indicators/jmcastagnetto_ubigeo-peru-aumentado/ubigeo_distrito.csv"
    ) as fh:
        rec = next(r for r in csv.DictReader(fh) if r["inei"] == "010101")
    assert _store_value(store, "human_development_index", 2019, "PER010101") == pytest.approx(
        float(rec["idh_2019"])
    )
    # Uruguay: infant mortality 2015, Montevideo
    ury = pyreadr.read_r(raw_dir / "URY/indicators/datos_tmi.rds")[None]
    rec = ury[(ury["Depto"] == "MONTEVIDEO") & (ury["anio"] == 2015)].iloc[0]
    assert _store_value(store, "infant_mortality", 2015, "URY01") == pytest.approx(rec["Tasa"])


def _store_value(store, indicator, year, unit_id):
    country = unit_id[:3]
    level = store.unit(unit_id)["level"]
    v = store.values(indicator, year, country, level)
    return v.value[v.layer.index.get_loc(unit_id)]


def test_sto010_missing_is_missing_not_zero(store):
    """Mexico's CONEVAL 2015 'n.d' municipios have no value (NaN), never 0."""
    v = store.values("poverty_multidimensional", 2015, "MEX", "municipality")
    i = v.layer.index.get_loc("MEX08010")
    assert math.isnan(v.value[i])
    assert np.isfinite(v.value).sum() >= 2440


def test_sto011_every_observation_names_a_declared_source(store):
    sources = set(store.manifest["sources"])
    assert set(store._obs["source_id"].unique()) <= sources
    for s in store.manifest["sources"].values():
        assert s["producer"] and s["url"] and s["licence"]


def test_sto012_search_ignores_accents_and_case(store):
    hits = store.search("bogota")
    assert hits and hits[0]["name"].startswith("Bogotá")
    assert any(h["unit_id"] == "BRA3550308" for h in store.search("SAO PAULO"))
    assert {h["country"] for h in store.search("san jose", limit=200)} >= {
        "COL",
        "MEX",
        "URY",
        "PER",
        "CHL",
    }


def test_sto013_unit_series_has_all_years(store):
    s = store.series("BRA1200013", "infant_mortality")
    assert list(s["year"]) == [1991, 2000, 2010]
    assert set(s["source_id"]) == {"bra_atlas2013"}


def test_sto014_arrays_are_read_only(tiny_store):
    v = tiny_store.values("infant_mortality", 2010, "BRA", "municipality")
    with pytest.raises(ValueError):
        v.value[0] = 1.0


def test_sto015_all_six_countries_layer_holds_national_series(store):
    from atlas.store import ALL

    layer = store.layer(ALL, "country")
    assert list(layer.unit_ids) == ["BRA", "CHL", "COL", "MEX", "PER", "URY"]
    assert store.levels(ALL) == ["country"]
    v = store.values("under5_mortality", 2015, ALL, "country")
    assert np.isfinite(v.value).all()
    assert store.geo_file(ALL, "country").startswith("ALL-country-low.")
    _, geoms = _display(store, ALL, "country")
    assert len(geoms) == 6 and shapely.is_valid(geoms).all()

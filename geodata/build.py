"""The build: registry + catalog + raw files -> a validated store release, then switched to.

Each build writes a new release, ``<out>/releases/<version>/`` (version: the build's UTC time and
fingerprint, e.g. ``20261202T101723Z-3f2a9c0d1e2b4a5f``), first under a dotted temporary name
and renamed only once complete; then ``<out>/current``, a relative symlink, is replaced by a new
one with one atomic rename. A running server keeps the release it resolved at start-up (its
``/geo/`` files stay on disk); a process started after the switch loads the new one. Every build
then removes, after a grace period, the releases no longer current (keeping the newest two) and
what killed builds left behind (:func:`clean`).

Release layout (``<out>/releases/<version>/``; a plain store folder holds the same files)::

    manifest.json          build facts, countries, levels, display files, sources, fingerprint
    units.parquet          GeoParquet: unit_id, country, level, code, name, admin1_code, admin1_name,
                           population, population_year, area_km2, geometry (full detail, valid)
    observations.parquet   unit_id, indicator_id, year, value, ci_low, ci_high, source_id, flag,
                           flag_ref: a value kept as published but flagged (geodata/flags.py)
    weights.parquet        unit_id, indicator_id, year, weight, source_id: the producer's own
                           weight of a value, where the catalog series names one (roll-ups)
    aggregates.parquet     unit_id, indicator_id, year, value, source_id: the producer's own
                           published department and national figures of unit-level series
    admin1.parquet         unit_id, indicator_id, year, basis, units, units_counted, coverage:
                           how each admin-1 value of a municipal series was obtained (its rows
                           are in observations.parquet; geodata/rollups.py)
    peers.parquet          each municipal unit's peers across borders (geodata/peers.py)
    geo/<ISO3>-<level>-<lod>.<hash>.json(.gz)   display geometry, one file per country/level/LOD
    quality/<ISO3>.json, quality/<ISO3>.md, quality/summary.json   the data-quality report

A hard error (missing or unreadable file, join rate under the source's threshold, wrong unit count)
raises :class:`BuildError` before anything is switched: the previous release stays current.
"""

from __future__ import annotations

import calendar
import hashlib
import json
import os
import re
import shutil
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from atlas.catalog import Catalog, load_catalog
from atlas.geography import ALL_COUNTRIES as ALL
from atlas.geography import LEVELS, SUBNATIONAL_LEVELS
from atlas.store import CURRENT, RELEASES, STORE_VERSION, TABLES, StoreError, check
from geodata import flags, geometry, peers
from geodata.errors import BuildError
from geodata.quality import QualityReport
from geodata.registry import Country, Source, load_registry, manifest_sources
from geodata.rollups import admin1_rollups

ROOT = Path(__file__).resolve().parents[1]
NATIONAL = "national"
#: Cap on listed unmatched codes / out-of-range values per source in the report (counts are exact).
LIST_CAP = 50


def fingerprint(
    raw: Path, registry: dict[str, Country] | None = None, countries: list[str] | None = None
) -> str:
    """Changes when build code, registry, catalog, the country selection or a raw file changes."""
    registry = registry or load_registry()
    h = hashlib.sha256()
    h.update(",".join(sorted(countries or [])).encode())
    for pattern in (
        "geodata/**/*.py",
        "geodata/sources/*.toml",
        "atlas/catalog/*.toml",
        "atlas/catalog.py",
        "atlas/geography.py",
        "atlas/flags.py",
        "atlas/peers.py",
    ):
        for p in sorted(ROOT.glob(pattern)):
            h.update(p.relative_to(ROOT).as_posix().encode())
            h.update(p.read_bytes())
    for iso3, country in registry.items():
        if countries and iso3 not in countries and iso3 != NATIONAL:
            continue
        for src in country.sources:
            for p in src.paths(raw):
                st = p.stat() if p.exists() else None
                h.update(
                    f"{p.name}:{st.st_size if st else -1}:{st.st_mtime_ns if st else -1}".encode()
                )
    return h.hexdigest()[:16]


def unit_id(iso3: str, code: str) -> str:
    return f"{iso3}{code}"


# ---------------------------------------------------------------------------------------------
# Units


def build_units(country: Country, raw: Path, q: QualityReport) -> gpd.GeoDataFrame:
    """The country's units at its own level, plus admin-1 (dissolved) and the country itself."""
    src = country.source(country.boundaries)
    try:
        gdf = country.read_units(raw)
    except BuildError:
        raise
    except Exception as exc:
        raise BuildError(
            f"{country.iso3}: the boundary file could not be read: {type(exc).__name__}: {exc}",
            path=", ".join(str(p) for p in src.paths(raw)[:3]),
            fix=f"Check the file is the producer's original (official download: {src.url}).",
        ) from exc
    gdf = gdf.to_crs("EPSG:4326") if gdf.crs and gdf.crs.to_epsg() != 4326 else gdf
    gdf = gdf.reset_index(drop=True)
    codes = gdf["code"].astype(str)
    for field, length in (
        ("code", country.code_length),
        ("admin1_code", country.admin1_code_length),
    ):
        values = gdf[field].astype(str)
        if length and not values.str.len().eq(length).all():
            bad = values[values.str.len() != length].tolist()[:10]
            raise BuildError(
                f"{country.iso3}: {field} values must have {length} characters; found {bad}.",
                path=src.paths(raw)[0],
                fix="The reader must keep codes as zero-padded strings.",
            )
    if codes.duplicated().any():
        raise BuildError(
            f"{country.iso3}: duplicate unit codes {codes[codes.duplicated()].tolist()[:10]}.",
            path=src.paths(raw)[0],
        )
    if country.expected_units and len(gdf) != country.expected_units:
        raise BuildError(
            f"{country.iso3}: {len(gdf)} units read, {country.expected_units} expected.",
            path=src.paths(raw)[0],
            fix="Check the boundary files are complete; if the producer changed the division, "
            "update expected_units in geodata/sources/" + country.iso3 + ".toml.",
        )
    geoms, repaired = geometry.repair(gdf.geometry.to_numpy())
    empty = [c for c, g in zip(codes, geoms, strict=False) if g is None or g.is_empty]
    if empty:
        raise BuildError(
            f"{country.iso3}: empty geometries for {empty[:10]}.", path=src.paths(raw)[0]
        )
    geoms, overlap = geometry.clean_coverage(geoms)
    gdf = gdf.set_geometry(gpd.GeoSeries(geoms, crs="EPSG:4326"))
    q.boundaries = {
        "source_id": src.id,
        "units": len(gdf),
        "geometries_repaired": repaired,
        "invalid_after_repair": int((~shapely.is_valid(geoms)).sum()),
        "overlap_share_cleaned": round(overlap, 6),
        "level": country.unit_level,
    }
    gdf = gdf.sort_values("code").reset_index(drop=True)
    base = gpd.GeoDataFrame(
        {
            "unit_id": [unit_id(country.iso3, c) for c in gdf["code"]],
            "country": country.iso3,
            "level": country.unit_level,
            "code": gdf["code"].astype(str),
            "name": gdf["name"].astype(str),
            "admin1_code": gdf["admin1_code"].astype(str),
            "admin1_name": gdf["admin1_name"].astype(str),
            # what else people call a unit ("|"-separated), where the country's reader knows it
            "other_names": gdf["other_names"].fillna("").astype(str)
            if "other_names" in gdf
            else "",
        },
        geometry=gdf.geometry.values,
        crs="EPSG:4326",
    )
    frames = [base]
    if country.unit_level == "municipality":
        keys, parts = geometry.dissolve(base.geometry.to_numpy(), base["admin1_code"].to_numpy())
        names = base.drop_duplicates("admin1_code").set_index("admin1_code")["admin1_name"]
        frames.append(
            gpd.GeoDataFrame(
                {
                    "unit_id": [unit_id(country.iso3, k) for k in keys],
                    "country": country.iso3,
                    "level": "admin1",
                    "code": keys,
                    "name": [names[k] for k in keys],
                    "admin1_code": keys,
                    "admin1_name": [names[k] for k in keys],
                },
                geometry=parts,
                crs="EPSG:4326",
            )
        )
    # The country row carries no geometry: it exists so national series have a unit to attach to.
    # (Dissolving a whole country costs more than the rest of the build and nothing draws it.)
    frames.append(
        gpd.GeoDataFrame(
            {
                "unit_id": [country.iso3],
                "country": country.iso3,
                "level": "country",
                "code": [country.iso3],
                "name": [country.name],
                "admin1_code": [""],
                "admin1_name": [""],
            },
            geometry=[None],
            crs="EPSG:4326",
        )
    )
    units = pd.concat(frames, ignore_index=True)
    units["other_names"] = units["other_names"].fillna("")
    units = gpd.GeoDataFrame(units, geometry="geometry", crs="EPSG:4326")
    units["area_km2"] = geometry.area_km2(units)
    is_country = units["level"] == "country"
    units.loc[is_country, "area_km2"] = units.loc[
        units["level"] == country.unit_level, "area_km2"
    ].sum()
    return units


# ---------------------------------------------------------------------------------------------
# Observations


def read_source(
    src: Source, raw: Path, codes_by_level: dict[str, set[str]], q: QualityReport
) -> pd.DataFrame:
    """Read one source, measure its join rate at its level, stop if it is under the threshold."""
    missing = src.codes(raw)
    long = src.read(raw, missing)
    # A reader may add the producer's own published aggregates: rows whose ``level`` column names
    # a higher level (admin1, country) than the source's; they are joined at that level.
    levels = long["level"].fillna(src.level) if "level" in long.columns else None
    published = long[levels != src.level] if levels is not None else long.iloc[:0]
    if levels is not None:
        long = long[levels == src.level]
    known = codes_by_level.get(src.level, set())
    codes = set(long["code"].dropna().unique())
    matched = codes & known
    rate = len(matched) / len(codes) if codes else 0.0
    unmatched = sorted(codes - known)
    dup = long.duplicated(["code", "year", "variable"]).sum()
    entry = q.source(src)
    entry.update(
        {
            "rows_read": int(len(long)),
            "codes": len(codes),
            "codes_joined": len(matched),
            "join_rate": round(rate, 4),
            "join_threshold": src.join_threshold,
            "unmatched_codes": unmatched[:LIST_CAP],
            "unmatched_count": len(unmatched),
            "units_without_data": len(known - codes),
            "years": sorted(int(y) for y in long["year"].unique()),
            "duplicate_rows": int(dup),
            "missing_codes_declared": list(src.missing_codes),
            "missing_codes_met": missing.counts(),
        }
    )
    if rate < src.join_threshold:
        raise BuildError(
            f"Source '{src.id}' ({src.dataset}): only {len(matched)} of {len(codes)} codes "
            f"({rate:.1%}) join to the {src.country} {src.level} units; "
            f"the source's stated threshold is {src.join_threshold:.1%}. "
            f"Unmatched: {unmatched[:10]}",
            path=", ".join(str(p) for p in src.paths(raw)),
            fix="Check the code field and the file's vintage against SOURCE.md.",
        )
    long = long[long["code"].isin(known)]
    prefix = "" if src.level == "country" else src.country
    long = long.assign(unit_id=prefix + long["code"])
    if published.empty:
        return long.drop(columns="level", errors="ignore")
    pub_level = published["level"]
    ok = ((pub_level == "admin1") & published["code"].isin(codes_by_level.get("admin1", set()))) | (
        (pub_level == "country") & (published["code"] == src.country)
    )
    if not ok.all():
        bad = published.loc[~ok, ["level", "code"]].drop_duplicates().values.tolist()
        raise BuildError(
            f"Source '{src.id}': published aggregate rows name unknown units {bad[:10]}.",
            path=", ".join(str(p) for p in src.paths(raw)),
            fix="The reader's admin1 codes must be the boundary file's; country rows use the ISO3.",
        )
    unit_ids = published["code"].where(pub_level == "country", src.country + published["code"])
    entry["published_aggregates"] = int(published["value"].notna().sum())
    return pd.concat(
        [long.assign(level=src.level), published.assign(unit_id=unit_ids)], ignore_index=True
    )


def series_observations(
    catalog: Catalog, tables: dict[str, pd.DataFrame], registry, quality
) -> pd.DataFrame:
    """Turn every catalog series into observations, range-checked; report what was dropped."""
    sources = {s.id: s for c in registry.values() for s in c.sources}
    frames = []
    for ind in catalog:
        for s in ind.series:
            if s.source not in sources:
                raise BuildError(
                    f"Catalog series {ind.id}/{s.country} names source {s.source!r}, "
                    "which no geodata/sources/*.toml declares.",
                    path=f"atlas/catalog/{s.country}.toml",
                )
            src = sources[s.source]
            table = tables.get(s.source)
            if table is None or src.country not in quality:  # country left out of a partial build
                continue
            q = quality[src.country]
            rows = table[table["variable"] == s.variable]
            if "level" in rows.columns:  # the producer's aggregates feed series at their level
                rows = rows[rows["level"] == s.level]
            if rows.empty:
                q.warn(f"{ind.id}: variable {s.variable!r} not found in source {s.source}.")
                continue
            if s.level == "country":
                rows = rows[rows["code"] == s.country]
            years = rows["year"].map(s.reference_year)
            rows = rows.assign(year=years).dropna(subset=["year"])
            rows = rows.assign(year=rows["year"].astype("int32"))
            present = set(rows["year"].unique())
            missing_years = [y for y in s.years if y not in present]
            if missing_years:
                q.warn(
                    f"{ind.id} ({s.country}, {s.source}): no data for declared years {missing_years}."
                )
            obs = pd.DataFrame(
                {
                    "unit_id": rows["unit_id"].astype(str),
                    "indicator_id": ind.id,
                    "year": rows["year"].astype("int32"),
                    "value": rows["value"] * s.scale,
                    "ci_low": rows["ci_low"] * s.scale,
                    "ci_high": rows["ci_high"] * s.scale,
                    "source_id": s.source,
                    # a reader's own flag (e.g. a value the producer copied from a parent unit)
                    "flag": rows["flag"].fillna("") if "flag" in rows.columns else "",
                    "flag_ref": rows["flag_ref"].fillna("") if "flag_ref" in rows.columns else "",
                }
            ).dropna(subset=["value"])
            lo, hi = s.valid_range or ind.valid_range
            bad = (obs["value"] < lo) | (obs["value"] > hi)
            if bad.any():
                q.out_of_range(ind.id, s.source, (lo, hi), obs[bad], LIST_CAP)
                obs = obs[~bad]
            frames.append(obs)
    obs = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    dup = obs.duplicated(["unit_id", "indicator_id", "year"], keep="first")
    if dup.any():
        for (country, ind_id), grp in obs[dup].groupby(
            [obs[dup]["unit_id"].str[:3], "indicator_id"]
        ):
            quality[country].duplicates(ind_id, grp, LIST_CAP)
        obs = obs[~dup]
    return obs.sort_values(["indicator_id", "unit_id", "year"]).reset_index(drop=True)


WEIGHT_COLUMNS = ["unit_id", "indicator_id", "year", "weight", "source_id"]
WEIGHT_TYPES = ["object", "object", "int32", "float64", "object"]


AGGREGATE_COLUMNS = ["unit_id", "indicator_id", "year", "value", "source_id"]


def _series_rows(rows: pd.DataFrame, indicator: str, s, column: str, scale: float = 1.0):
    """A reader's rows of one catalog series as store rows: the series' reference year, the value
    (times ``scale``) in ``column``; rows whose year the series does not map are left out."""
    rows = rows.assign(year=rows["year"].map(s.reference_year)).dropna(subset=["year"])
    return pd.DataFrame(
        {
            "unit_id": rows["unit_id"].astype(str),
            "indicator_id": indicator,
            "year": rows["year"].astype("int32"),
            column: rows["value"].astype("float64") * scale,
            "source_id": s.source,
        }
    )


def published_aggregates(catalog: Catalog, tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The producers' own department and national figures of every unit-level series: the rows a
    reader marks with a higher ``level`` (DANE's NBI department sheet, MSP's TOTAL row), mapped to
    the series' indicator, year and scale. The summary card shows them instead of a roll-up."""
    frames = []
    for ind in catalog:
        for s in ind.series:
            table = tables.get(s.source)
            if table is None or "level" not in table.columns:
                continue
            rows = table[(table["variable"] == s.variable) & (table["level"] != s.level)]
            rows = rows[rows["level"].isin(["admin1", "country"]) & (s.level != "country")]
            frames.append(_series_rows(rows, ind.id, s, "value", s.scale).dropna(subset=["value"]))
    if not frames:
        return no_weights().rename(columns={"weight": "value"})
    out = pd.concat(frames, ignore_index=True).drop_duplicates(["unit_id", "indicator_id", "year"])
    return out.sort_values(AGGREGATE_COLUMNS[:3]).reset_index(drop=True)


def no_weights() -> pd.DataFrame:
    """An empty weights table (no catalog series names a producer's weight)."""
    return pd.DataFrame(
        {c: pd.Series(dtype=t) for c, t in zip(WEIGHT_COLUMNS, WEIGHT_TYPES, strict=True)}
    )


def series_weights(catalog: Catalog, tables: dict[str, pd.DataFrame], obs: pd.DataFrame):
    """The producer's own weight of each stored value whose catalog series names one (``weight``):
    the variable of the same source and row (unit, year) that the producer aggregates with, e.g.
    CONEVAL's population for CONEVAL's poverty shares, MSP's live births for infant mortality."""
    frames = []
    for ind in catalog:
        for s in ind.series:
            table = tables.get(s.source)
            if not s.weight or table is None:
                continue
            rows = table[table["variable"] == s.weight]
            if "level" in rows.columns:
                rows = rows[rows["level"] == s.level]
            frames.append(_series_rows(rows, ind.id, s, "weight"))
    if not frames:
        return no_weights()
    w = pd.concat(frames, ignore_index=True)
    w = w[np.isfinite(w["weight"]) & (w["weight"] >= 0)]
    keys = ["unit_id", "indicator_id", "year", "source_id"]
    # only the values the store keeps (a duplicate dropped from obs takes its weight with it)
    w = w.merge(obs[keys], on=keys, how="inner").drop_duplicates(keys[:3])
    return w[WEIGHT_COLUMNS].sort_values(keys[:3]).reset_index(drop=True)


def attach_population(units: pd.DataFrame, obs: pd.DataFrame) -> pd.DataFrame:
    pop = obs[obs["indicator_id"] == "population"].sort_values("year").groupby("unit_id").last()
    units = units.copy()
    units["population"] = units["unit_id"].map(pop["value"]).astype("float64")
    units["population_year"] = units["unit_id"].map(pop["year"]).astype("Int32")
    return units


# ---------------------------------------------------------------------------------------------
# Display geometry


def write_display(units: gpd.GeoDataFrame, geo_dir: Path, factors: dict[str, float]) -> dict:
    """Per country and level: the units simplified as a coverage, one file per level of detail;
    plus the six countries' outlines (dissolved from their simplified admin-1 units)."""
    out: dict = {}
    outlines: dict = {}
    for iso3, cu in units.groupby("country", sort=True):
        levels: dict = {}
        for level in SUBNATIONAL_LEVELS:
            layer = cu[cu["level"] == level].sort_values("code")
            if layer.empty:
                continue
            for lod, (_, grid) in geometry.LODS.items():
                simplified = geometry.simplify_coverage(
                    layer.geometry.to_numpy(), lod, factors.get(iso3, 1.0)
                )
                gf = geometry.write_geojson(
                    geo_dir, f"{iso3}-{level}-{lod}", layer["unit_id"].tolist(), simplified, grid
                )
                levels.setdefault(level, {})[lod] = asdict(gf)
                if level == "admin1" and lod == "low":
                    outlines[iso3] = shapely.union_all(simplified)
        bounds = geometry.display_bounds(cu.loc[cu["level"] != "country", "geometry"].to_numpy())
        out[iso3] = {"levels": levels, "bounds": [round(b, 4) for b in bounds]}
    if outlines:
        # The six countries side by side, for indicators comparable across countries.
        codes = sorted(outlines)
        # Different producers' borders do not share edges, so each outline is simplified alone;
        # 0.05 degrees is under a pixel when all six fill the map.
        geoms = np.array([_outline(outlines[c]) for c in codes], dtype=object)
        geoms = shapely.set_precision(shapely.simplify(geoms, 0.05, preserve_topology=True), 1e-3)
        gf = geometry.write_geojson(geo_dir, f"{ALL}-country-low", codes, geoms, 1e-3)
        bounds = shapely.total_bounds(geoms)
        out[ALL] = {
            "levels": {"country": {"low": asdict(gf)}},
            "bounds": [round(float(b), 4) for b in bounds],
        }
    return out


def _outline(geom, min_area: float = 0.01):
    """A country's outline for the six-country map: exterior rings only (the union of simplified
    admin-1 units leaves hair-line gaps as holes) and no islets under ``min_area`` square degrees."""
    parts = [shapely.Polygon(p.exterior) for p in shapely.get_parts(geom) if p.area >= min_area]
    return shapely.MultiPolygon(parts) if len(parts) > 1 else parts[0]


# ---------------------------------------------------------------------------------------------
# The whole build


def build(
    raw: Path,
    out: Path,
    *,
    countries: list[str] | None = None,
    log: Callable[[str], None] = print,
    grace_hours: float = 24.0,
    keep: int = 2,
) -> dict:
    """Build a new release of the store ``out``, switch ``out/current`` to it and clean old
    releases (:func:`clean`); return the manifest. Raises BuildError on a hard error, before
    anything is switched."""
    t0 = time.perf_counter()
    raw = raw.resolve()
    if not raw.is_dir():
        raise BuildError(
            "The raw data folder does not exist.",
            path=raw,
            fix="Pass --raw DIR or set ATLAS_RAW_DIR to the folder that holds BRA/, CHL/, ... (see README).",
        )
    registry = load_registry()
    catalog = load_catalog()
    selected = [c for c in registry if c != NATIONAL and (not countries or c in countries)]
    quality = {iso3: QualityReport(iso3) for iso3 in [*selected, NATIONAL]}

    unit_frames = []
    tables: dict[str, pd.DataFrame] = {}
    for iso3 in selected:
        country = registry[iso3]
        t = time.perf_counter()
        units = build_units(country, raw, quality[iso3])
        unit_frames.append(units)
        codes_by_level = {lvl: set(units.loc[units["level"] == lvl, "code"]) for lvl in LEVELS}
        for src in country.indicator_sources:
            tables[src.id] = read_source(src, raw, codes_by_level, quality[iso3])
        log(
            f"{iso3}: {len(units)} units, {len(country.indicator_sources)} sources ({time.perf_counter() - t:.1f} s)"
        )
    all_units = gpd.GeoDataFrame(
        pd.concat(unit_frames, ignore_index=True), geometry="geometry", crs="EPSG:4326"
    )

    if NATIONAL in registry:
        # Join against every declared country, so that a partial build (--country) still checks rates.
        national_codes = {"country": {c for c in registry if c != NATIONAL}}
        for src in registry[NATIONAL].indicator_sources:
            tables[src.id] = read_source(src, raw, national_codes, quality[NATIONAL])
        log(f"national: {len(registry[NATIONAL].indicator_sources)} sources")

    obs = series_observations(catalog, tables, registry, quality)
    obs = obs[obs["unit_id"].isin(set(all_units["unit_id"]))]
    all_units = attach_population(all_units, obs)
    weights = series_weights(catalog, tables, obs)
    obs = flags.flag(obs, weights, catalog)
    aggregates = published_aggregates(catalog, tables)

    tmp = out / RELEASES / f"{TMP_PREFIX}{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.parent.mkdir(parents=True, exist_ok=True)
    try:
        manifest = write_store(
            tmp,
            all_units,
            obs,
            quality,
            registry,
            selected,
            weights=weights,
            aggregates=aggregates,
            fingerprint=fingerprint(raw, registry, countries),
            raw_dir=str(raw),
            started=t0,
        )
        peers.peers(all_units, obs, catalog).to_parquet(tmp / "peers.parquet", index=False)
        release = publish(tmp, out, manifest)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    log(
        f"store written to {release} in {manifest['build_seconds']} s: {len(all_units)} units, {len(obs)} observations"
    )
    for removed in clean(out, grace_hours=grace_hours, keep=keep):
        log(f"removed {removed}")
    return manifest


def write_store(
    out: Path,
    units: gpd.GeoDataFrame,
    obs: pd.DataFrame,
    quality: dict[str, QualityReport],
    registry: dict[str, Country],
    selected: list[str],
    *,
    weights: pd.DataFrame | None = None,
    aggregates: pd.DataFrame | None = None,
    fingerprint: str,
    raw_dir: str,
    started: float,
) -> dict:
    """Write the store's files into the new folder ``out``: display geometry, the three tables
    (units, observations, the producers' weights and published aggregates), the quality report and the manifest, which it returns (``started``: the build's perf_counter)."""
    (out / "quality").mkdir(parents=True)
    factors = {iso3: registry[iso3].simplify_factor for iso3 in selected}
    display = write_display(units, out / "geo", factors)
    units.to_parquet(out / "units.parquet", index=False)
    weights = no_weights() if weights is None else weights
    if aggregates is None:
        aggregates = no_weights().rename(columns={"weight": "value"})
    aggregates.to_parquet(out / "aggregates.parquet", index=False)
    rolled, rolled_weights, basis = admin1_rollups(units, obs, weights, aggregates)
    stored = pd.concat([obs, rolled], ignore_index=True)
    stored.to_parquet(out / "observations.parquet", index=False)
    weights = pd.concat([weights, rolled_weights], ignore_index=True)
    weights.to_parquet(out / "weights.parquet", index=False)
    basis.to_parquet(out / "admin1.parquet", index=False)
    for q in quality.values():
        q.summarise(units, obs)
        q.write(out / "quality")
    summary = {iso3: q.summary for iso3, q in quality.items()}
    (out / "quality" / "summary.json").write_text(json.dumps(summary, indent=1, ensure_ascii=False))
    manifest = {
        "store_version": STORE_VERSION,
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "build_seconds": round(time.perf_counter() - started, 1),
        "fingerprint": fingerprint,
        "raw_dir": raw_dir,
        "countries": {
            iso3: {
                "name": registry[iso3].name,
                "unit_level": registry[iso3].unit_level,
                "geo": display[iso3]["levels"],
                "bounds": display[iso3]["bounds"],
            }
            for iso3 in selected
        },
        "all_countries": {
            "geo": display[ALL]["levels"],
            "bounds": display[ALL]["bounds"],
        }
        if ALL in display
        else None,
        "sources": manifest_sources(registry),
        "counts": {
            "units": int(len(units)),
            "observations": int(len(obs)),
            "admin1_values": int(len(rolled)),
        },
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False))
    return manifest


# ---------------------------------------------------------------------------------------------
# Releases

#: A release folder's name: the build's UTC time, its fingerprint and, when two builds of the same
#: second and fingerprint meet, a counter. Names sort in build order.
RELEASE_NAME = re.compile(r"^(\d{8}T\d{6}Z)-[0-9a-f]{16}(-\d+)?$")
#: Prefix of a release being written (inside releases/): never a pointer's target.
TMP_PREFIX = ".tmp-"
#: The files of a plain store (one built before releases) at the top of a store folder.
PLAIN_FILES = ("manifest.json", *TABLES, "peers.parquet", "geo", "quality")


def publish(tmp: Path, out: Path, manifest: dict) -> Path:
    """Give the complete release written in ``tmp`` its version name and make it current. The
    atlas's own start-up check runs first: ``current`` never names a release it cannot load."""
    try:
        check(tmp)
    except StoreError as exc:
        raise BuildError(f"The new release is incomplete: {exc}", path=tmp) from None
    built = time.strptime(manifest["built_at"], "%Y-%m-%dT%H:%M:%SZ")
    base = f"{time.strftime('%Y%m%dT%H%M%SZ', built)}-{manifest['fingerprint']}"
    for n in range(1, 1000):
        release = out / RELEASES / (base if n == 1 else f"{base}-{n}")
        try:
            os.rename(tmp, release)  # fails, leaving tmp, if the name is taken
            break
        except OSError:
            if not release.exists():
                raise
    else:
        raise BuildError(f"Too many releases named {base}.", path=out / RELEASES)
    switch(out, release)
    return release


def switch(out: Path, release: Path) -> None:
    """Point ``out/current`` at ``release`` with one atomic rename of a new symlink over the old
    one: a reader resolves either the old release or the new, never a missing or partial one.
    The link is relative, so the store folder can be moved or mounted elsewhere whole."""
    link = out / f".{CURRENT}.tmp-{os.getpid()}"
    if link.is_symlink() or link.exists():
        link.unlink()
    os.symlink(Path(RELEASES) / release.name, link)
    os.replace(link, out / CURRENT)


def _built_at(name: str) -> float:
    """A release's build time (seconds since the epoch) from its name."""
    return calendar.timegm(time.strptime(RELEASE_NAME.match(name).group(1), "%Y%m%dT%H%M%SZ"))


def _age_hours(path: Path, now: float) -> float:
    return (now - path.lstat().st_mtime) / 3600


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def clean(out: Path, *, grace_hours: float = 24.0, keep: int = 2, now: float | None = None):
    """Remove what no process should need any more; return the paths removed.

    - A release that is neither current nor among the ``keep`` newest, once it was replaced
      (the next release was built) more than ``grace_hours`` ago: servers started on it have had
      that long to restart. A plain store's files at the top of ``out`` count as the oldest
      release, replaced by the first release.
    - What killed builds left, untouched for more than ``grace_hours``: releases being written
      (``releases/.tmp-*``), pointers being made (``.current.tmp-*``) and the ``.<out>.tmp-*`` /
      ``.<out>.old-*`` folders that builds before releases swapped through.

    Only names the build itself writes are ever removed.
    """
    now = time.time() if now is None else now
    keep = max(keep, 1)  # the newest release is never removed
    removed: list[Path] = []
    releases = out / RELEASES
    names = sorted(
        p.name
        for p in (releases.iterdir() if releases.is_dir() else [])
        if p.is_dir() and RELEASE_NAME.match(p.name)
    )
    current = (out / CURRENT).resolve() if (out / CURRENT).is_symlink() else None
    plain = (out / "manifest.json").is_file() and bool(names)
    versions: list[str | None] = [None] * plain + names  # None: the plain store's files
    for i, name in enumerate(versions[: max(len(versions) - keep, 0)]):
        replaced = _built_at(versions[i + 1])  # versions[i + 1] exists: keep >= 1 newer ones
        path = out if name is None else releases / name
        if (now - replaced) / 3600 <= grace_hours or (name and current == path.resolve()):
            continue
        if name is None:
            for f in PLAIN_FILES:  # the manifest first: a half-removed plain store is not a store
                if (out / f).exists():
                    _remove(out / f)
                    removed.append(out / f)
        else:
            _remove(path)
            removed.append(path)
    leftovers = [
        *(releases.glob(f"{TMP_PREFIX}*") if releases.is_dir() else []),
        *out.glob(f".{CURRENT}.tmp-*"),
        *out.parent.glob(f".{out.name}.tmp-*"),
        *out.parent.glob(f".{out.name}.old-*"),
    ]
    for path in leftovers:
        try:
            old = _age_hours(path, now) > grace_hours
        except OSError:  # gone already (another build's cleanup)
            continue
        if old:
            _remove(path)
            removed.append(path)
    return removed

"""Geometry for the store: repair, dissolve, topology-preserving simplification, compact GeoJSON.

Display layers are simplified as a *coverage* (``shapely.coverage_simplify``): an edge shared by two
neighbours is simplified once, so neighbours keep sharing it (no gaps or slivers). Coordinates are
then snapped to a grid (quantised), which keeps shared vertices shared.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import brotli
import geopandas as gpd
import numpy as np
import shapely

#: Levels of detail for display files: simplification tolerance and coordinate grid, in degrees.
#: "low" serves the national view: 0.04 degrees is under a pixel when a country fills the map
#: (Brazil: 0.36 MB gzipped); "high" is for zooming in.
LODS: dict[str, tuple[float, float]] = {
    "low": (0.04, 1e-3),
    "high": (0.004, 1e-4),
}

#: Equal-area projection used for area figures (South America Albers Equal Area Conic).
AREA_CRS = "ESRI:102033"


#: A country's map frame leaves out islands that are both small (under this share of its land)
#: and remote (farther from the rest than this share of the rest's extent): Easter Island and
#: Juan Fernández for Chile, San Andrés and Malpelo for Colombia, Trindade for Brazil. They are
#: still drawn, and a unit's own frame shows them; a frame fitted to them would leave the country
#: a thin strip (Chile's mainland in a third of the map's width).
REMOTE_AREA_SHARE = 0.001
REMOTE_DISTANCE_SHARE = 0.1


def display_bounds(geoms) -> list[float]:
    """The box a map of ``geoms`` (a country's units) is fitted to: the large polygons, then,
    until none is left, every polygon near the box so far (a coast of small municipalities joins
    one by one); small islands farther out stay outside (:data:`REMOTE_AREA_SHARE`,
    :data:`REMOTE_DISTANCE_SHARE`)."""
    parts = shapely.get_parts(np.asarray(geoms, dtype=object))
    parts = parts[~shapely.is_empty(parts)]
    if len(parts) == 0:
        raise ValueError("no geometry to frame")
    area = shapely.area(parts)
    boxes = shapely.bounds(parts)
    kept = area >= REMOTE_AREA_SHARE * area.sum()
    while True:
        x0, y0 = boxes[kept, 0].min(), boxes[kept, 1].min()
        x1, y1 = boxes[kept, 2].max(), boxes[kept, 3].max()
        reach = REMOTE_DISTANCE_SHARE * max(x1 - x0, y1 - y0)
        # how far each polygon lies outside the box so far (0 inside it)
        dx = np.maximum(np.maximum(x0 - boxes[:, 2], boxes[:, 0] - x1), 0)
        dy = np.maximum(np.maximum(y0 - boxes[:, 3], boxes[:, 1] - y1), 0)
        near = kept | (np.hypot(dx, dy) <= reach)
        if near.sum() == kept.sum():
            return [float(x0), float(y0), float(x1), float(y1)]
        kept = near


def repair(geoms: np.ndarray) -> tuple[np.ndarray, int]:
    """Make every geometry a valid (Multi)Polygon; return the geometries and how many were repaired."""
    invalid = ~shapely.is_valid(geoms)
    fixed = geoms.copy()
    if invalid.any():
        fixed[invalid] = shapely.make_valid(geoms[invalid])
    # make_valid may return a GeometryCollection holding stray lines/points: keep the polygons only.
    fixed = np.array([_polygonal(g) for g in fixed], dtype=object)
    return fixed, int(invalid.sum())


def _polygonal(g):
    if g is None or g.is_empty:
        return g
    if g.geom_type in ("Polygon", "MultiPolygon"):
        return g
    parts = [p for p in shapely.get_parts(g) if p.geom_type in ("Polygon", "MultiPolygon")]
    polys = []
    for p in parts:
        polys.extend(shapely.get_parts(p))
    return (
        shapely.MultiPolygon(polys)
        if len(polys) > 1
        else (polys[0] if polys else shapely.Polygon())
    )


def clean_coverage(geoms: np.ndarray) -> tuple[np.ndarray, float]:
    """Remove overlaps between neighbours and make shared edges identical (GEOS CoverageCleaner).

    Producers' layers are often simplified per polygon, so neighbours overlap slightly (Peru
    0.14 %, Chile 0.08 % of the area); simplifying such a layer as a coverage would widen the
    overlaps. Returns the cleaned geometries and the share of area that overlapped before.
    """
    cleaned = shapely.coverage_clean(geoms)
    # A unit swallowed entirely by its neighbours must not vanish: keep its original shape.
    lost = shapely.is_empty(cleaned) | ~shapely.is_valid(cleaned)
    cleaned[lost] = geoms[lost]
    cleaned = np.array([_polygonal(g) for g in cleaned], dtype=object)
    # Cleaning removes overlaps only (no gap filling), so the area it drops is the overlap.
    before, after = shapely.area(geoms).sum(), shapely.area(cleaned).sum()
    return cleaned, float((before - after) / after) if after else 0.0


def area_km2(gdf: gpd.GeoDataFrame) -> np.ndarray:
    return gdf.geometry.to_crs(AREA_CRS).area.to_numpy() / 1e6


def dissolve(geoms: np.ndarray, keys: np.ndarray) -> tuple[list[str], np.ndarray]:
    """Union of the geometries per key, keys in sorted order."""
    order = sorted(set(keys.tolist()))
    out = []
    for k in order:
        # The layer is a clean coverage (see clean_coverage), so the fast edge-matching union
        # applies; fall back to the general union if its result is not valid.
        part = shapely.coverage_union_all(geoms[keys == k])
        if not part.is_valid or part.is_empty:
            part = shapely.union_all(geoms[keys == k])
        out.append(part)
    return order, np.array(out, dtype=object)


def simplify_coverage(geoms: np.ndarray, lod: str, factor: float = 1.0) -> np.ndarray:
    """Simplify as a coverage at the level of detail ``lod``; ``factor`` scales the tolerance
    (below 1 for countries with intricate coasts, whose area would otherwise shrink > 1 %)."""
    tolerance, grid = LODS[lod]
    simplified = shapely.coverage_simplify(geoms, tolerance * factor)
    snapped = shapely.set_precision(simplified, grid)
    # A unit smaller than the tolerance may collapse: keep its (snapped) original so none disappears.
    empty = shapely.is_empty(snapped)
    if empty.any():
        snapped[empty] = shapely.set_precision(geoms[empty], grid / 10)
    return snapped


@dataclass(frozen=True)
class GeoFile:
    """A written display file: its public name (content-hashed) and sizes."""

    name: str
    bytes: int
    gzip_bytes: int
    features: int
    coordinates: int


def write_geojson(
    directory: Path, stem: str, unit_ids: list[str], geoms: np.ndarray, grid: float
) -> GeoFile:
    """Write ``<stem>.<hash>.json`` (and its ``.gz`` and ``.br``): features carry only ``id`` =
    unit_id.

    Names, values and colours never travel in this file: the browser fetches it once per
    country, level and level of detail, and later interactions send values only.
    """
    decimals = max(0, int(round(-np.log10(grid))))
    # Round in numpy so the GEOS writer prints short coordinates ("-62.182", not "-62.18200000001").
    rounded = shapely.set_coordinates(geoms.copy(), shapely.get_coordinates(geoms).round(decimals))
    parts = shapely.to_geojson(rounded)
    feats = ",".join(
        f'{{"type":"Feature","id":{json.dumps(uid)},"geometry":{g}}}'
        for uid, g in zip(unit_ids, parts, strict=False)
    )
    body = f'{{"type":"FeatureCollection","features":[{feats}]}}'.encode()
    name = f"{stem}.{hashlib.sha256(body).hexdigest()[:12]}.json"
    directory.mkdir(parents=True, exist_ok=True)
    (directory / name).write_bytes(body)
    gz = gzip.compress(body, compresslevel=9, mtime=0)
    (directory / f"{name}.gz").write_bytes(gz)
    # Brotli for browsers that accept it (all current ones over HTTPS). Its highest quality makes
    # the national files, which every first visit loads, a fifth smaller than quality 9 (Brazil:
    # 261 kB instead of 328 kB); it costs seconds on the detailed files, which load on zoom only.
    quality = 11 if len(body) < 3_000_000 else 9
    (directory / f"{name}.br").write_bytes(brotli.compress(body, quality=quality))
    return GeoFile(
        name=name,
        bytes=len(body),
        gzip_bytes=len(gz),
        features=len(unit_ids),
        coordinates=int(shapely.get_num_coordinates(geoms).sum()),
    )

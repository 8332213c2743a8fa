"""The data-keeper's report: what the store holds and what the build noticed.

``python -m atlas report [--json]`` prints units per country and level, indicators with their
years per country, join rates per source and the build's warnings. It reads the store's manifest
and quality files only, so it is quick even on a small machine.
"""

from __future__ import annotations

import json
from pathlib import Path

from atlas.store import StoreError, resolve
from atlas.text import year_ranges


def collect(store_dir: Path) -> dict:
    store_dir = resolve(store_dir)  # the release the store folder's pointer names
    manifest_file = store_dir / "manifest.json"
    if not manifest_file.exists():
        raise StoreError(f"No data store at {store_dir}. Build it with `python -m geodata build`.")
    manifest = json.loads(manifest_file.read_text())
    summary = json.loads((store_dir / "quality" / "summary.json").read_text())
    countries = {}
    for iso3, q in summary.items():
        b = q.get("boundaries") or {}
        countries[iso3] = {
            "name": manifest["countries"].get(iso3, {}).get("name", iso3),
            "units": q.get("units", {}),
            "boundaries": b,
            "layers_valid": b.get("invalid_after_repair", 0) == 0 if b else None,
            "sources": {
                sid: {
                    k: e[k]
                    for k in (
                        "level",
                        "rows_read",
                        "codes",
                        "codes_joined",
                        "join_rate",
                        "join_threshold",
                        "unmatched_count",
                        "unmatched_codes",
                        "years",
                    )
                    if k in e
                }
                for sid, e in q.get("sources", {}).items()
                if "rows_read" in e
            },
            "indicators": q.get("indicators", {}),
            "warnings": q.get("warnings", []),
        }
    return {
        "store": str(store_dir),
        "built_at": manifest["built_at"],
        "build_seconds": manifest["build_seconds"],
        "fingerprint": manifest["fingerprint"],
        "counts": manifest["counts"],
        "countries": countries,
    }


def as_text(report: dict) -> str:
    out = [
        f"Store {report['store']} built {report['built_at']} in {report['build_seconds']} s "
        f"({report['counts']['units']:,} units, {report['counts']['observations']:,} observations)",
        "",
        "Units",
    ]
    for iso3, c in report["countries"].items():
        if not c["units"]:
            continue
        levels = ", ".join(f"{lvl} {n:,}" for lvl, n in c["units"].items() if lvl != "country")
        valid = "all geometries valid" if c["layers_valid"] else "INVALID GEOMETRIES"
        out.append(f"  {iso3} {c['name']}: {levels}; {valid}")
    out += ["", "Join rates (source codes found among the units)"]
    for iso3, c in report["countries"].items():
        for sid, s in c["sources"].items():
            unmatched = " ".join(s["unmatched_codes"][:8])
            more = "…" if s["unmatched_count"] > 8 else ""
            out.append(
                f"  {iso3:8} {sid:28} {s['level']:12} {s['codes_joined']:>6,}/{s['codes']:<6,} "
                f"{s['join_rate']:7.2%} (threshold {s['join_threshold']:.1%})"
                + (f"  unmatched: {unmatched}{more}" if s["unmatched_count"] else "")
            )
    out += ["", "Indicators and years (per level: municipality, admin1, country)"]
    for iso3, c in report["countries"].items():
        for lvl, inds in c["indicators"].items():
            for ind, years in inds.items():
                out.append(f"  {iso3:8} {lvl:12} {ind:34} {year_ranges(years, dash='-')}")
    out += ["", "Warnings"]
    n = 0
    for iso3, c in report["countries"].items():
        for w in c["warnings"]:
            out.append(f"  {iso3}: {w}")
            n += 1
    if not n:
        out.append("  none")
    return "\n".join(out)


def progress_report(store_dir: Path, cases) -> dict:
    """Units (and population) per status class for each (country, indicator, last year, framework)."""
    from atlas.analysis import layer_progress, status_counts
    from atlas.catalog import catalog
    from atlas.store import Store

    store = Store(store_dir)
    cat = catalog()
    out = []
    for country, indicator, until, framework in cases:
        level = store.levels(country)[0]
        progress = layer_progress(
            store,
            cat,
            indicator=indicator,
            country=country,
            level=level,
            framework=framework,
            until=until,
        )
        counts = status_counts(progress, store.layer(country, level).population)
        assessed = progress[progress["status"] != "insufficient_data"]
        out.append(
            {
                "country": country,
                "indicator": indicator,
                "level": level,
                "framework": framework,
                "until": until,
                "baseline_years": sorted({int(y) for y in assessed["baseline_year"].dropna()}),
                "latest_years": sorted({int(y) for y in assessed["latest_year"].dropna()}),
                "units": int(len(progress)),
                "assessed": int(len(assessed)),
                "status_units": {s: int(n) for s, n in counts["units"].items()},
            }
        )
    return {"store": str(store_dir), "cases": out}


def progress_text(report: dict) -> str:
    lines = []
    for c in report["cases"]:
        lines.append(
            f"{c['country']} {c['indicator']} ({c['level']}, {c['framework']}, "
            f"baseline {'/'.join(map(str, c['baseline_years']))} -> "
            f"latest {'/'.join(map(str, c['latest_years']))}), {c['units']:,} units, "
            f"{c['assessed']:,} with a status ({c['assessed'] / max(c['units'], 1):.1%})"
        )
        for status, n in c["status_units"].items():
            lines.append(f"  {status:24} {n:>6,}")
    return "\n".join(lines)


#: Largest difference, in the indicator's unit, between a roll-up the atlas computes and the
#: producer's published aggregate for the same place and year that the checks accept.
CHECK_TOLERANCE = 0.5


def aggregate_checks(store_dir: Path) -> dict:
    """Every published aggregate in the store (the producer's own department or national figure)
    against the atlas's roll-up of the same units and year: weighted by the producer's own weights
    where the catalog names them (CONEVAL's population, MSP's births), else by the store's
    population, else a simple mean.

    ``shown`` says what the summary card shows for that place and year: ``published`` (the
    producer's figure) or ``roll-up`` (the atlas's own, e.g. Uruguay's births-weighted national
    infant mortality, whose national series shown is another producer's).
    """
    import numpy as np

    from atlas.catalog import catalog
    from atlas.panels import population_weights, published_aggregate
    from atlas.store import Store

    store = Store(store_dir)
    weight_names = {(s.source, s.indicator): s.weight for s in catalog().all_series() if s.weight}
    rows = []
    for p in store.published_aggregates().itertuples(index=False):
        country = p.unit_id[:3]
        layer = store.layer(country, store.levels(country)[0])
        cube = store.cube(p.indicator_id, country, layer.level)
        if cube is None or p.year not in cube.years:
            continue
        j = cube.years.index(p.year)
        admin1 = p.unit_id[3:]
        scope = layer.admin1_codes == admin1 if admin1 else np.ones(len(layer), bool)
        v = cube.values[scope, j]
        w, weights = None, "none (simple mean)"
        if cube.weights is not None and np.isfinite(cube.weights[scope, j]).any():
            w = cube.weights[scope, j]
            weights = f"{weight_names.get((p.source_id, p.indicator_id), '')} ({p.source_id})"
        else:
            pop = population_weights(store, layer, [p.year])[0][scope, 0]
            if np.isfinite(pop).any():
                w, weights = pop, "population"
        ok = np.isfinite(v) & (np.isfinite(w) if w is not None else True)
        if not ok.any():
            continue
        atlas = float(np.dot(w[ok], v[ok]) / w[ok].sum()) if w is not None else float(v[ok].mean())
        shown = published_aggregate(store, p.indicator_id, layer, admin1, p.year)
        rows.append(
            {
                "country": country,
                "indicator": p.indicator_id,
                "year": int(p.year),
                "unit": p.unit_id,
                "source": p.source_id,
                "published": round(p.value, 4),
                "atlas": round(atlas, 4),
                "difference": round(atlas - p.value, 4),
                "weights": weights,
                "shown": "published" if shown is not None else "roll-up",
            }
        )
    rows.sort(key=lambda r: (r["country"], r["indicator"], r["year"], r["unit"]))
    return {"store": str(store_dir), "tolerance": CHECK_TOLERANCE, "checks": rows}


def checks_text(report: dict) -> str:
    head = (
        f"{'country':7} {'indicator':26} {'year':>4} {'unit':6} {'published':>9} {'atlas':>9} "
        f"{'difference':>10} {'shown':9} weights of the atlas's roll-up"
    )
    lines = [head]
    for c in report["checks"]:
        lines.append(
            f"{c['country']:7} {c['indicator']:26} {c['year']:>4} {c['unit']:6} "
            f"{c['published']:>9.2f} {c['atlas']:>9.2f} {c['difference']:>+10.2f} "
            f"{c['shown']:9} {c['weights']}"
        )
    tol = report["tolerance"]
    over = [c for c in report["checks"] if abs(c["difference"]) > tol]
    unshown = sum(c["shown"] != "published" for c in over)
    lines.append(
        f"{len(report['checks'])} published aggregates compared; {len(over)} roll-ups differ by "
        f"more than {tol}, {unshown} of them shown instead of the published figure."
    )
    return "\n".join(lines)

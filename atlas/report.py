"""The data-keeper's report: what the store holds and what the build noticed.

``python -m atlas report [--json]`` prints units per country and level, indicators with their
years per country, join rates per source and the build's warnings. It reads the store's manifest
and quality files only, so it is quick even on a small machine.
"""

from __future__ import annotations

import json
from pathlib import Path

from atlas.store import StoreError
from atlas.text import year_ranges


def collect(store_dir: Path) -> dict:
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

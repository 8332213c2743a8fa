"""The data-quality report of one country (or of the national series), as JSON and Markdown."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from geodata import flags
from geodata.cells import blank_label
from geodata.registry import Source


class QualityReport:
    """Collects what the build saw: rows, join rates, repairs, years, range problems, duplicates."""

    def __init__(self, iso3: str):
        self.iso3 = iso3
        self.boundaries: dict = {}
        self.sources: dict[str, dict] = {}
        self.warnings: list[str] = []
        self.out_of_range_values: list[dict] = []
        self.duplicate_values: list[dict] = []
        self.summary: dict = {}

    def source(self, src: Source) -> dict:
        return self.sources.setdefault(
            src.id,
            {
                "dataset": src.dataset,
                "producer": src.producer,
                "level": src.level,
                "vintage": src.vintage,
            },
        )

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    def out_of_range(
        self, indicator: str, source: str, valid: tuple, rows: pd.DataFrame, cap: int
    ) -> None:
        self.warn(
            f"{indicator} ({source}): {len(rows)} value(s) outside the valid range {list(valid)} "
            "were left out (shown as missing)."
        )
        for r in rows.head(cap).itertuples():
            self.out_of_range_values.append(
                {
                    "indicator_id": indicator,
                    "source_id": source,
                    "unit_id": r.unit_id,
                    "year": int(r.year),
                    "value": float(r.value),
                }
            )

    def duplicates(self, indicator: str, rows: pd.DataFrame, cap: int) -> None:
        self.warn(
            f"{indicator}: {len(rows)} duplicate (unit, year) value(s) from a second series were "
            "left out; the first series declared in the catalog wins."
        )
        for r in rows.head(cap).itertuples():
            self.duplicate_values.append(
                {
                    "indicator_id": indicator,
                    "source_id": r.source_id,
                    "unit_id": r.unit_id,
                    "year": int(r.year),
                }
            )

    def summarise(self, units: pd.DataFrame, obs: pd.DataFrame) -> None:
        """Counts per level and, per level, the years each indicator has.

        A country's report covers its municipal and admin-1 units; the national report covers
        the country-level reference series of all six.
        """
        national = self.iso3 == "national"
        mine = (
            units[units["level"] == "country"] if national else units[units["country"] == self.iso3]
        )
        if not national:
            mine = mine[mine["level"] != "country"]
        level_of = mine.set_index("unit_id")["level"]
        o = obs[obs["unit_id"].isin(level_of.index)]
        # National series are listed per country; a country's own, per level.
        o = o.assign(level=o["unit_id"] if national else o["unit_id"].map(level_of))
        self.summary = {
            "units": {}
            if national
            else {lvl: int(n) for lvl, n in mine.groupby("level").size().items()},
            "boundaries": self.boundaries,
            "sources": self.sources,
            "indicators": {
                lvl: {
                    ind: sorted(int(y) for y in g["year"].unique())
                    for ind, g in ol.groupby("indicator_id")
                }
                for lvl, ol in o.groupby("level")
            },
            "observations": int(len(o)),
            "warnings": self.warnings,
            "out_of_range": self.out_of_range_values,
            "duplicates": self.duplicate_values,
            # values kept as published but flagged: {reason: {indicator: count}}
            "flags": flags.counts(o).get(self.iso3, {}) if "flag" in o.columns else {},
        }

    def write(self, directory: Path) -> None:
        (directory / f"{self.iso3}.json").write_text(
            json.dumps(self.summary, indent=1, ensure_ascii=False)
        )
        (directory / f"{self.iso3}.md").write_text(self.markdown())

    def markdown(self) -> str:
        s = self.summary
        lines = [f"# Data quality: {self.iso3}", ""]
        if s.get("units"):
            lines.append("Units: " + ", ".join(f"{lvl} {n:,}" for lvl, n in s["units"].items()))
        b = s.get("boundaries") or {}
        if b:
            lines.append(
                f"Boundaries: `{b['source_id']}`, {b['units']:,} units, {b['geometries_repaired']} geometries repaired."
            )
        lines += [
            "",
            "| source | level | rows | codes joined | join rate | threshold | unmatched | years |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for sid, e in s.get("sources", {}).items():
            if "rows_read" not in e:
                continue
            lines.append(
                f"| `{sid}` | {e['level']} | {e['rows_read']:,} | {e['codes_joined']:,} / {e['codes']:,} | "
                f"{e['join_rate']:.2%} | {e['join_threshold']:.1%} | {e['unmatched_count']} "
                f"{' '.join(e['unmatched_codes'][:10])} | {', '.join(map(str, e['years']))} |"
            )
        lines += ["", "## Missing-value codes", ""]
        lines += [
            "Cells of numeric columns read as missing because they hold a code the source declares "
            "(`missing_codes` in geodata/sources/; (blank) = an empty cell or null); any other "
            "non-numeric cell stops the build.",
            "",
        ]
        for sid, e in s.get("sources", {}).items():
            if "missing_codes_met" not in e:
                continue
            declared = ", ".join(blank_label(c) for c in e["missing_codes_declared"]) or "none"
            for file, met in e["missing_codes_met"].items():
                found = ", ".join(f"{blank_label(c)} {n:,}" for c, n in met.items()) or "none met"
                lines.append(f"- `{sid}` `{file}`: {found} (declared: {declared})")
        lines += ["", "## Flagged values", ""]
        lines += [
            "Values kept as published but flagged (geodata/flags.py): shown with their reason, "
            "left out of rankings, status counts and inequality measures.",
            "",
        ]
        for reason, inds in s.get("flags", {}).items():
            lines += [f"- {reason}: " + ", ".join(f"`{i}` {n:,}" for i, n in inds.items())]
        if not s.get("flags"):
            lines.append("- none")
        lines += ["", "## Indicators and years", ""]
        for lvl, inds in s.get("indicators", {}).items():
            for ind, years in inds.items():
                lines.append(f"- {lvl} `{ind}`: {', '.join(map(str, years))}")
        lines += ["", "## Warnings", ""]
        lines += [f"- {w}" for w in s.get("warnings", [])] or ["- none"]
        return "\n".join(lines) + "\n"

"""Command line for people who look after the data.

``python -m atlas report [--json]``: units, indicators, years, join rates, build warnings.
``python -m atlas report --progress [--json]``: units per progress class for the reference
cases (one MDG-relevant indicator per country, at its finest level) or for ``--case``.
``python -m atlas report --checks [--json]``: every producer's published aggregate in the store
against the atlas's own roll-up of the units (country, indicator, year, unit, published, atlas,
difference).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from atlas.report import (
    aggregate_checks,
    as_text,
    checks_text,
    collect,
    progress_report,
    progress_text,
)
from atlas.settings import settings
from atlas.store import StoreError

#: (country, indicator, last year used, framework): the cases the issue tracker asked to watch.
REFERENCE_CASES = (
    ("BRA", "infant_mortality", 2010, "mdg2015"),
    ("MEX", "illiteracy", 2010, "mdg2015"),
    (
        "COL",
        "water_sanitation_inadequate",
        2018,
        "mdg2015",
    ),  # 2005 -> 2018: a past-deadline verdict
    ("COL", "unmet_basic_needs", 2018, "sdg2030"),  # 2005 -> 2018: baseline before 2015
    ("COL", "infant_mortality", 2015, "mdg2015"),  # SISPRO 2005 -> 2015, births by occurrence
    ("CHL", "infant_mortality", 2023, "mdg2015"),  # 2019 -> 2023: a past-deadline verdict
    ("CHL", "poverty", 2022, "sdg2030"),
    ("PER", "poverty", 2018, "mdg2015"),  # one year per indicator: insufficient data
    ("PER", "secondary_complete_adults", 2012, "mdg2015"),  # PNUD 2003 -> 2012: trend only
    ("URY", "infant_mortality", 2015, "mdg2015"),  # departments, 1997 -> 2015
    ("URY", "prenatal_visits_under5", 2015, "mdg2015"),  # Mirador DESCA, 1995 -> 2015
    ("URY", "sanitation_no_drainage", 2015, "mdg2015"),  # ECH, 2006 -> 2015
)


def _case(text: str) -> tuple[str, str, int, str]:
    try:
        country, indicator, until, *rest = text.split(":")
        return country.upper(), indicator, int(until), rest[0] if rest else "mdg2015"
    except ValueError:
        raise argparse.ArgumentTypeError(
            "a case is COUNTRY:INDICATOR:LAST_YEAR[:FRAMEWORK], e.g. BRA:infant_mortality:2010"
        ) from None


def main(argv: list[str] | None = None) -> int:
    conf = settings()
    parser = argparse.ArgumentParser(prog="python -m atlas", description="Atlas ODM data tools.")
    sub = parser.add_subparsers(dest="command", required=True)
    r = sub.add_parser("report", help="what the store holds and what the build noticed")
    r.add_argument("--json", action="store_true", help="machine-readable output")
    r.add_argument("--store", type=Path, default=conf.store_dir, help="store folder")
    r.add_argument(
        "--progress", action="store_true", help="units per progress class for reference cases"
    )
    r.add_argument(
        "--case",
        type=_case,
        action="append",
        help="with --progress: COUNTRY:INDICATOR:LAST_YEAR[:FRAMEWORK] (repeatable)",
    )
    r.add_argument(
        "--checks",
        action="store_true",
        help="published aggregates against the atlas's roll-ups, with their differences",
    )
    args = parser.parse_args(argv)
    try:
        if args.checks:
            report = aggregate_checks(args.store)
            text = checks_text(report)
        elif args.progress:
            report = progress_report(args.store, args.case or list(REFERENCE_CASES))
            text = progress_text(report)
        else:
            report = collect(args.store)
            text = as_text(report)
    except StoreError as exc:
        print(exc, file=sys.stderr)
        return 2
    except KeyError as exc:
        print(f"Unknown country, indicator or framework: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(report, indent=1, ensure_ascii=False) if args.json else text)
    return 0


if __name__ == "__main__":
    sys.exit(main())

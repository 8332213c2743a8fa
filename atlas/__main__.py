"""Command line for people who look after the data: ``python -m atlas report [--json]``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from atlas.report import as_text, collect
from atlas.settings import settings
from atlas.store import StoreError


def main(argv: list[str] | None = None) -> int:
    conf = settings()
    parser = argparse.ArgumentParser(prog="python -m atlas", description="Atlas ODM data tools.")
    sub = parser.add_subparsers(dest="command", required=True)
    r = sub.add_parser("report", help="units, indicators, years, join rates and build warnings")
    r.add_argument("--json", action="store_true", help="machine-readable output")
    r.add_argument("--store", type=Path, default=conf.store_dir, help="store folder")
    args = parser.parse_args(argv)
    try:
        report = collect(args.store)
    except StoreError as exc:
        print(exc, file=sys.stderr)
        return 2
    print(json.dumps(report, indent=1, ensure_ascii=False) if args.json else as_text(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())

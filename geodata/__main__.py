"""Command line: ``python -m geodata build [--raw DIR] [--out DIR] [--if-stale] [--country ISO3 ...]``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from atlas.settings import settings
from geodata.build import build, fingerprint
from geodata.errors import BuildError


def main(argv: list[str] | None = None) -> int:
    conf = settings()
    parser = argparse.ArgumentParser(
        prog="python -m geodata", description="Build the atlas data store."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="read the raw files and (re)write the store")
    b.add_argument(
        "--raw", type=Path, default=conf.raw_dir, help=f"raw data folder (default {conf.raw_dir})"
    )
    b.add_argument(
        "--out", type=Path, default=conf.store_dir, help=f"store folder (default {conf.store_dir})"
    )
    b.add_argument(
        "--if-stale", action="store_true", help="build only if the store is missing or out of date"
    )
    b.add_argument(
        "--country", action="append", help="build only these countries (ISO3; repeatable)"
    )
    args = parser.parse_args(argv)

    if args.if_stale and is_fresh(args.raw, args.out):
        print(f"store at {args.out} is up to date")
        return 0
    try:
        build(args.raw, args.out, countries=args.country)
    except BuildError as exc:
        print(f"Build failed; the previous store (if any) is unchanged.\n  {exc}", file=sys.stderr)
        return 2
    return 0


def is_fresh(raw: Path, out: Path) -> bool:
    manifest = out / "manifest.json"
    if not manifest.exists():
        return False
    try:
        return json.loads(manifest.read_text())["fingerprint"] == fingerprint(raw.resolve())
    except (ValueError, KeyError, OSError):
        return False


if __name__ == "__main__":
    sys.exit(main())

"""Command line for people who look after the data.

``python -m atlas report [--json]``: units, indicators, years, join rates, build warnings.
``python -m atlas report --progress [--json]``: units per progress class for the reference
cases (one MDG-relevant indicator per country, at its finest level) or for ``--case``.
``python -m atlas report --checks [--json]``: every producer's published aggregate in the store
against the atlas's own roll-up of the units (country, indicator, year, unit, published, atlas,
difference).

``python -m atlas db upgrade [REVISION]`` / ``db downgrade REVISION`` / ``db current``: the
database's migrations (SQLite in ATLAS_DATA_DIR, or ATLAS_DATABASE_URL).
``python -m atlas users create-admin --email E [--name N] [--password-stdin]``: the first admin
(the password is asked twice on a terminal, or read from the first line of standard input).
``python -m atlas users invite --email E --role editor --scope BRA:35 [--scope ...]``: an
invitation; prints the link's path to send (``--base-url`` to print the whole address).
``python -m atlas users list``: the accounts.
"""

from __future__ import annotations

import argparse
import getpass
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


def _add_db_commands(sub) -> None:
    d = sub.add_parser("db", help="the database of accounts and contributions: migrations")
    dsub = d.add_subparsers(dest="db_command", required=True)
    up = dsub.add_parser("upgrade", help="migrate to the newest revision (or REVISION)")
    up.add_argument("revision", nargs="?", default="head")
    down = dsub.add_parser("downgrade", help="migrate back to REVISION (base: drop everything)")
    down.add_argument("revision")
    dsub.add_parser("current", help="the revision the database is at")


def _add_user_commands(sub) -> None:
    u = sub.add_parser("users", help="accounts: the first admin, invitations, the list")
    usub = u.add_subparsers(dest="users_command", required=True)
    a = usub.add_parser("create-admin", help="create an admin account")
    a.add_argument("--email", required=True)
    a.add_argument("--name", default="")
    a.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from the first line of standard input (no prompt)",
    )
    i = usub.add_parser("invite", help="invite an editor, reviewer or admin")
    i.add_argument("--email", required=True)
    i.add_argument("--role", required=True, choices=["admin", "editor", "reviewer"])
    i.add_argument(
        "--scope",
        action="append",
        default=[],
        help="an editor's place (repeatable): BRA (a country), BRA:35 (a state), BRA3550308 (a unit)",
    )
    i.add_argument("--days", type=int, default=7, help="days the invitation stays valid")
    i.add_argument("--base-url", default="", help="print the whole link, e.g. https://example.org")
    usub.add_parser("list", help="the accounts, their roles and scopes")


def _password(args) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Password (again): ") != first:
        raise SystemExit("The two passwords differ; nothing was created.")
    return first


def _with_database(conf, work) -> int:
    """``work(db)`` on the configured database, closed after; a database that cannot be reached
    or migrated is one line on stderr and exit status 2."""
    from atlas.db import Database, DatabaseError

    db = Database.from_settings(conf)
    try:
        return work(db)
    except DatabaseError as exc:
        print(exc, file=sys.stderr)
        return 2
    finally:
        db.dispose()


def _db_command(args, conf) -> int:
    def work(db) -> int:
        if args.db_command == "upgrade":
            db.upgrade(args.revision)
        elif args.db_command == "downgrade":
            db.downgrade(args.revision)
        print(db.current() or "(empty)")
        return 0

    return _with_database(conf, work)


def _users_command(args, conf) -> int:
    from atlas import accounts
    from atlas.i18n import t
    from atlas.urls import URLs

    def work(db) -> int:
        db.upgrade()
        try:
            if args.users_command == "create-admin":
                user = accounts.create_admin(db, args.email, args.name, _password(args))
                print(f"Admin {user.email} created.")
            elif args.users_command == "invite":
                scopes = [accounts.ScopeSpec.parse(s) for s in args.scope]
                _check_scopes(scopes, conf)
                token = accounts.invite(
                    db, accounts.OPERATOR, args.email, args.role, scopes, days=args.days
                )
                link = URLs(prefix=conf.url_prefix).invitation(token)
                print(
                    f"Invitation for {args.email.strip().lower()} ({args.role}),"
                    f" valid {args.days} days:"
                )
                print(args.base_url.rstrip("/") + link)
            else:
                for u in accounts.list_users(db, accounts.OPERATOR):
                    scopes = " ".join(str(s) for s in u.scopes)
                    state = "" if u.active else " (inactive)"
                    print(f"{u.email}\t{u.role}{state}\t{scopes}")
        except accounts.AccountError as exc:
            print(t(exc.key, conf.default_lang, **exc.values), file=sys.stderr)
            return 2
        return 0

    return _with_database(conf, work)


def _check_scopes(scopes, conf) -> None:
    """Scopes are checked against the store when it can be read (a unit, a state or a country it
    lacks is refused); without a store only their form is."""
    from atlas import accounts
    from atlas.store import Store

    if not scopes:
        return
    try:
        store = Store(conf.store_dir)
    except StoreError as exc:
        print(f"Scopes not checked against the store: {exc}", file=sys.stderr)
        return
    for spec in scopes:
        problem = accounts.scope_problem(spec, store)
        if problem is not None:
            raise problem


def main(argv: list[str] | None = None) -> int:
    conf = settings()
    parser = argparse.ArgumentParser(prog="python -m atlas", description="Atlas ODM data tools.")
    sub = parser.add_subparsers(dest="command", required=True)
    _add_db_commands(sub)
    _add_user_commands(sub)
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
    if args.command == "db":
        return _db_command(args, conf)
    if args.command == "users":
        return _users_command(args, conf)
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

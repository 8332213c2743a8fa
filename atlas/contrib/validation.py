"""Row-by-row validation of a mapped upload against the store's units and the catalog.

Each row ends OK (in the clean rows, ready to publish) or with its problems, each a kind with
parameters and a message in es/pt/en (``contrib.problem.<kind>``). Blocking problems keep the
row out of the clean rows; warnings do not. Missing-value codes ("ND", "n.d.", "-", an empty
cell...) are reported as missing, never read as zero. The valid range is the indicator's in the
catalog (``valid_range``: 0-100 for a percentage, 0-300 for infant deaths per 1,000 births...).
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import pandas as pd
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from atlas.catalog import Indicator, catalog
from atlas.contrib.errors import UploadError
from atlas.contrib.layout import is_missing_code
from atlas.contrib.mapping import FIRST_YEAR, Mapping, _year_of, last_year
from atlas.contrib.numbers import column_decimal, parse_number
from atlas.contrib.reading import Table
from atlas.contrib.units import CODE_SYSTEMS, Units, digits
from atlas.i18n import decimals_needed, number, t
from atlas.text import fold

#: Problems that keep a row out of the clean rows.
BLOCKING = (
    "no_unit",
    "bad_code",
    "unknown_unit",
    "ambiguous_unit",
    "other_country",
    "outside_scope",
    "total_row",
    "no_year",
    "bad_year",
    "year_out_of_range",
    "missing",
    "not_a_number",
    "out_of_range",
    "bad_interval",
    "duplicate",
    "duplicate_conflict",
)
#: Problems reported with the row kept.
WARNINGS = ("name_mismatch", "interval_missing")
PROBLEM_KINDS = BLOCKING + WARNINGS
#: Notes on the whole file (contrib.note.*).
NOTE_KINDS = ("padded", "short_ibge", "decimal", "decimal_assumed", "fraction")
CLEAN_COLUMNS = ["unit_id", "indicator", "year", "value", "low", "high"]
#: How similar (0-100) a name must be to be offered as a suggestion.
SUGGEST_SCORE = 70


@dataclass(frozen=True)
class Problem:
    kind: str
    params: dict = field(default_factory=dict)

    @property
    def blocking(self) -> bool:
        return self.kind in BLOCKING

    def message(self, lang: str) -> str:
        if self.kind in NOTE_KINDS:
            key = f"contrib.note.{self.kind}"
        elif self.kind == "unknown_unit" and self.params.get("suggestions"):
            key = "contrib.problem.unknown_unit_suggestions"
        else:
            key = f"contrib.problem.{self.kind}"
        return t(key, lang, **_format(self.params, lang))


def _format(params: dict, lang: str) -> dict:
    out = {}
    for k, v in params.items():
        if isinstance(v, float):
            # Babel cannot group a number of 300 digits (a workbook cell may hold 1e300)
            big = abs(v) >= 1e15
            out[k] = f"{v:g}" if big else number(v, decimals_needed(v, 3), lang)
        elif isinstance(v, (list, tuple)):
            out[k] = ", ".join(str(x) for x in v)
        else:
            out[k] = v
    return out


@dataclass(frozen=True)
class RowResult:
    row: int  # the file's own row number
    unit_id: str | None
    unit: str | None  # its name (and state), as the store has it
    year: int | None
    value: float | None
    low: float | None
    high: float | None
    problems: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        return not any(p.blocking for p in self.problems)


@dataclass(frozen=True)
class Report:
    country: str
    indicator: str
    rows: tuple[RowResult, ...]
    notes: tuple[Problem, ...]
    valid_range: tuple[float, float]

    @property
    def counts(self) -> dict[str, int]:
        """Rows with each kind of problem (a row with two kinds counts in both)."""
        out: dict[str, int] = {}
        for r in self.rows:
            for kind in dict.fromkeys(p.kind for p in r.problems):
                out[kind] = out.get(kind, 0) + 1
        return dict(sorted(out.items()))

    @property
    def ok_rows(self) -> int:
        return sum(r.ok for r in self.rows)

    @property
    def matched_units(self) -> int:
        """Distinct units the rows were matched to."""
        return len({r.unit_id for r in self.rows if r.unit_id})

    @property
    def clean(self) -> pd.DataFrame:
        """The rows ready to publish: :data:`CLEAN_COLUMNS`, one per unit and year."""
        ok = [r for r in self.rows if r.ok]
        return pd.DataFrame(
            {
                "unit_id": pd.Series([r.unit_id for r in ok], dtype="string"),
                "indicator": pd.Series([self.indicator] * len(ok), dtype="string"),
                "year": pd.Series([r.year for r in ok], dtype="int32"),
                "value": pd.Series([r.value for r in ok], dtype="float64"),
                "low": pd.Series([r.low for r in ok], dtype="float64"),
                "high": pd.Series([r.high for r in ok], dtype="float64"),
            },
            columns=CLEAN_COLUMNS,
        )


class _Resolver:
    """A row's unit from its code or name, with what went wrong."""

    def __init__(self, units: Units, others: dict[str, Units]):
        self.units = units
        self.others = others
        self.padded = 0
        self.short = 0

    def by_code(self, parts: Sequence, name) -> tuple[str | None, list[Problem]]:
        if all(v is None or str(v).strip() == "" or is_missing_code(v) for v in parts):
            return None, [Problem("no_unit")]
        ds = [digits(v) for v in parts]
        written = "".join(str(v).strip() for v in parts if v is not None)
        if any(d is None for d in ds):
            return None, [Problem("bad_code", {"code": written})]
        u = self.units
        if len(ds) == 1:
            found = u.resolve(ds[0])
            code = found.code
        else:
            code = u.join_parts(ds)
            found = None
            if code is not None and code not in u.by_code:
                code = None
        if code is not None:
            if found is not None:
                self.padded += found.padded
                self.short += found.short
            unit_id = u.by_code[code]
            problems = []
            if isinstance(name, str) and name.strip():
                own = fold(u.rows[unit_id]["name"])
                if fuzz.token_set_ratio(fold(name), own) < 60:
                    problems.append(
                        Problem("name_mismatch", {"name": name.strip(), "unit": u.label(unit_id)})
                    )
            return unit_id, problems
        joined = ds[0] if len(ds) == 1 else (u.join_parts(ds) or "".join(ds))
        if set(joined) == {"0"} or (isinstance(name, str) and "TOTAL" in fold(name).split()):
            return None, [Problem("total_row", {"code": written})]
        return None, [self._foreign_or_unknown(joined, written, name)]

    def _foreign_or_unknown(self, code: str, written: str, name) -> Problem:
        """A code of another country where its length tells them apart (a 7-digit IBGE code in
        a Mexican file); codes of the same length (DIVIPOLA, CVEGEO and CUT all have 5 digits)
        cannot be told apart and are unknown units."""
        system = self.units.system
        own = {*system.widths.values(), *((system.short, system.short - 1) if system.short else ())}
        if len(code) not in own:
            hits = []
            for iso3, other in self.others.items():
                found = other.resolve(code)
                if found.code is not None:
                    hits.append(f"{other.label(other.by_code[found.code])} ({iso3})")
            if not hits:
                hits = [
                    f"{s.name} ({iso3})"
                    for iso3, s in CODE_SYSTEMS.items()
                    if iso3 != self.units.country and len(code) == s.municipal
                ]
            if hits:
                return Problem("other_country", {"code": written, "units": hits[:3]})
        return Problem("unknown_unit", {"code": written, "suggestions": self.suggest(code, name)})

    def suggest(self, code: str | None, name) -> list[str]:
        u = self.units
        if isinstance(name, str) and name.strip():
            hits = process.extract(
                fold(name), u.choices, scorer=fuzz.ratio, limit=3, score_cutoff=SUGGEST_SCORE
            )
            return [f"{u.label(key)} [{u.rows[key]['code']}]" for _, _, key in hits]
        if code:
            near = [
                c
                for c in u.by_code
                if len(c) == len(code) and Levenshtein.distance(c, code, score_cutoff=1) <= 1
            ]
            return [f"{u.label(u.by_code[c])} [{c}]" for c in sorted(near)[:3]]
        return []

    def by_name(self, name, admin1) -> tuple[str | None, list[Problem]]:
        if not isinstance(name, str) or not name.strip() or is_missing_code(name):
            return None, [Problem("no_unit")]
        u = self.units
        named = u.by_name.get(fold(name), [])
        ids = named
        if ids and isinstance(admin1, str | int | float) and str(admin1).strip():
            # the state as its code, or its name as the producer writes it ("Coahuila de
            # Zaragoza" for the store's "Coahuila"); a name of another state only is unknown
            key, code = fold(str(admin1)), (digits(admin1) or "").zfill(2)
            ids = [
                i
                for i in ids
                if str(u.rows[i]["admin1_code"] or "") == code
                or fuzz.token_set_ratio(fold(str(u.rows[i]["admin1_name"] or "")), key) >= 90
            ]
        if len(ids) > 1:
            # a state shares its name with its capital (Aguascalientes): the finer unit
            finer = [i for i in ids if u.rows[i]["level"] == "municipality"]
            if len(finer) == 1 and len(ids) == 2:
                ids = finer
        if len(ids) == 1:
            return ids[0], []
        if len(ids) > 1:
            labels = [f"{u.label(i)} [{u.rows[i]['code']}]" for i in ids[:3]]
            return None, [Problem("ambiguous_unit", {"name": name.strip(), "suggestions": labels})]
        if "TOTAL" in fold(name).split():
            return None, [Problem("total_row", {"code": name.strip()})]
        # units of that name in other states only (an Oaxaca district called "Centro", like
        # Tabasco's municipality) are the suggestions
        suggestions = [f"{u.label(i)} [{u.rows[i]['code']}]" for i in named[:3]]
        return None, [
            Problem(
                "unknown_unit",
                {"code": name.strip(), "suggestions": suggestions or self.suggest(None, name)},
            )
        ]


def _check_columns(table: Table, mapping: Mapping) -> None:
    for c in mapping.columns():
        if c not in table.columns:
            raise UploadError("mapping_column", column=c)
    if not mapping.code and not mapping.name:
        raise UploadError("mapping_unit")
    if not mapping.year and mapping.year_value is None:
        raise UploadError("mapping_year")
    if not mapping.value:
        raise UploadError("mapping_value")


def _number(cell, decimal: str) -> tuple[float | None, Problem | None]:
    if cell is None or (isinstance(cell, str) and not cell.strip()) or is_missing_code(cell):
        return None, Problem("missing", {"text": "" if cell is None else str(cell).strip()})
    value = parse_number(cell, decimal)
    if value is None or math.isinf(value):
        return None, Problem("not_a_number", {"text": str(cell).strip()})
    return value, None


def validate(
    table: Table,
    mapping: Mapping,
    country: str,
    indicator: str | Indicator,
    store,
    may_write: Callable[[str], bool] | None = None,
) -> Report:
    """Each row of ``table`` read through ``mapping`` as values of ``indicator`` for units of
    ``country``: its unit, year and value, or what is wrong with them. ``may_write`` (a unit id
    -> whether the uploader may publish for it) keeps the units outside an editor's scope out of
    the clean rows: a state's editor uploads the producer's national workbook as it is, and
    publishes the state's rows."""
    _check_columns(table, mapping)
    ind = indicator if isinstance(indicator, Indicator) else catalog()[indicator]
    lo, hi = ind.valid_range
    table_of_units = store.units_table()
    units = Units(store, country, table_of_units)
    others = {
        c: Units(store, c, table_of_units)
        for c in store.countries()
        if c != country and c in CODE_SYSTEMS
    }
    resolver = _Resolver(units, others)

    col = {c: table.column(c) for c in mapping.columns()}
    notes: list[Problem] = []
    decimals = {}
    for role in ("value", "low", "high"):
        name = getattr(mapping, role)
        if name:
            decimals[role], proved = column_decimal(col[name], country)
            texts = [
                v
                for v in col[name]
                if isinstance(v, str) and not is_missing_code(v) and re.search(r"\d[.,]", v)
            ]
            if texts and role == "value":
                kind = "decimal" if proved else "decimal_assumed"
                notes.append(Problem(kind, {"column": name, "mark": decimals[role]}))

    results: list[RowResult] = []
    for k, row_number in enumerate(table.row_numbers):
        problems: list[Problem] = []
        name = col[mapping.name][k] if mapping.name else None
        if mapping.code:
            unit_id, found = resolver.by_code([col[c][k] for c in mapping.code], name)
        else:
            admin1 = col[mapping.admin1][k] if mapping.admin1 else None
            unit_id, found = resolver.by_name(name, admin1)
        problems += found
        if unit_id and may_write is not None and not may_write(unit_id):
            problems.append(Problem("outside_scope", {"unit": units.label(unit_id)}))

        if mapping.year:
            cell = col[mapping.year][k]
            year = _year_of(cell)
            if cell is None or (isinstance(cell, str) and not cell.strip()):
                problems.append(Problem("no_year"))
            elif year is None:
                problems.append(Problem("bad_year", {"text": str(cell).strip()}))
            elif not FIRST_YEAR <= year <= last_year():
                problems.append(
                    Problem(
                        "year_out_of_range",
                        {"year": year, "first": FIRST_YEAR, "last": last_year()},
                    )
                )
                year = None
        else:
            year = mapping.year_value
            if not FIRST_YEAR <= year <= last_year():
                problems.append(
                    Problem(
                        "year_out_of_range",
                        {"year": year, "first": FIRST_YEAR, "last": last_year()},
                    )
                )
                year = None

        value, problem = _number(col[mapping.value][k], decimals["value"])
        if problem:
            problems.append(problem)
        elif not lo <= value <= hi:
            problems.append(Problem("out_of_range", {"value": value, "low": lo, "high": hi}))
        bounds = {}
        for role in ("low", "high"):
            bounds[role] = None
            if getattr(mapping, role):
                b, _ = _number(col[getattr(mapping, role)][k], decimals[role])
                bounds[role] = b
        if mapping.low and mapping.high and value is not None:
            b_lo, b_hi = bounds["low"], bounds["high"]
            if b_lo is None or b_hi is None:
                problems.append(Problem("interval_missing"))
            elif not (b_lo <= value <= b_hi) or b_lo < lo or b_hi > hi:
                problems.append(
                    Problem("bad_interval", {"low": b_lo, "high": b_hi, "value": value})
                )

        results.append(
            RowResult(
                row=row_number,
                unit_id=unit_id,
                unit=units.label(unit_id) if unit_id else None,
                year=year,
                value=value,
                low=bounds["low"],
                high=bounds["high"],
                problems=tuple(problems),
            )
        )

    results = _duplicates(results)
    if resolver.padded:
        system = units.system.name
        notes.append(Problem("padded", {"count": resolver.padded, "system": system}))
    if resolver.short:
        notes.append(Problem("short_ibge", {"count": resolver.short}))
    values = [r.value for r in results if r.ok]
    if ind.unit == "%" and len(values) >= 5 and max(values) <= 1:
        notes.append(Problem("fraction", {"column": mapping.value}))
    return Report(
        country=country,
        indicator=ind.id,
        rows=tuple(results),
        notes=tuple(notes),
        valid_range=(lo, hi),
    )


def _duplicates(results: list[RowResult]) -> list[RowResult]:
    """Rows of one unit and year: the first kept when they agree, none when they differ."""
    groups: dict[tuple[str, int], list[int]] = defaultdict(list)
    for i, r in enumerate(results):
        if r.unit_id and r.year is not None and r.value is not None:
            groups[(r.unit_id, r.year)].append(i)
    out = list(results)
    for idx in groups.values():
        if len(idx) < 2:
            continue
        rows = [results[i].row for i in idx]
        same = len({(results[i].value, results[i].low, results[i].high) for i in idx}) == 1
        for n, i in enumerate(idx):
            r = results[i]
            if same and n == 0:
                continue
            others = [x for x in rows if x != r.row]
            others = others[:5] + (["…"] if len(others) > 5 else [])
            kind = "duplicate" if same else "duplicate_conflict"
            out[i] = RowResult(
                **{
                    **r.__dict__,
                    "problems": (*r.problems, Problem(kind, {"rows": others})),
                }
            )
    return out

"""Which column is which: a first guess the user confirms or changes (:class:`Mapping`).

* the unit's code: the column (or the state + municipality columns, joined) whose values are
  most often codes of the country's units, leading zeros restored;
* its name (and its state's), when the names match the store's;
* the year: a column of plausible years, or the year the value column's header or the table's
  title names ("TMI_2020", "... CNPV 2018");
* the value: the numeric column whose header best matches the indicator's names, else the first
  one with fractional values; the interval: columns named lower/upper ("LI", "inferior"...).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from rapidfuzz import fuzz

from atlas.contrib.layout import EMPTY, MISSING, NUMBER, cell_class
from atlas.contrib.reading import Table
from atlas.contrib.units import Units, digits
from atlas.text import fold

#: Years a value may refer to: the MDG baselines (1990) and the census before them, to this year.
FIRST_YEAR = 1980
_YEAR_IN_TEXT = re.compile(r"(?<!\d)(19[89]\d|20\d\d)(?!\d)")
_LOW = re.compile(r"\b(LI|LIM INF|LIMITE INFERIOR|INFERIOR|INF|LOWER|LOW|MIN|IC INF|CI LOW)\b")
_HIGH = re.compile(r"\b(LS|LIM SUP|LIMITE SUPERIOR|SUPERIOR|SUP|UPPER|HIGH|MAX|IC SUP|CI HIGH)\b")
_YEAR_NAME = re.compile(r"\b(ANO|ANIO|YEAR|ANNO|PERIODO|PERIOD|VIGENCIA)\b")
#: Rows looked at to guess the columns' roles.
SAMPLE_ROWS = 2_000
#: Share of a column's values that must be the country's codes (or names) to be suggested.
MIN_MATCH = 0.5


def last_year() -> int:
    return date.today().year


@dataclass(frozen=True)
class Mapping:
    """The role of the table's columns. ``code`` is one column, or several joined (state,
    municipality); ``year`` a column, or ``year_value`` one year for every row."""

    code: tuple[str, ...] = ()
    name: str | None = None
    admin1: str | None = None
    year: str | None = None
    year_value: int | None = None
    value: str | None = None
    low: str | None = None
    high: str | None = None
    #: share of the values that matched, per role ("code", "name", "admin1"), for the page
    scores: dict = field(default_factory=dict, compare=False)

    def replace(self, **changes) -> Mapping:
        if isinstance(changes.get("code"), str):
            changes["code"] = (changes["code"],)
        return dataclasses.replace(self, **changes)

    def columns(self) -> list[str]:
        return [
            c
            for c in (
                *self.code,
                self.name,
                self.admin1,
                self.year,
                self.value,
                self.low,
                self.high,
            )
            if c
        ]


def _filled(values: Sequence) -> list:
    return [v for v in values if cell_class(v) not in (EMPTY, MISSING)]


def _numeric_share(values: Sequence) -> float:
    filled = [cell_class(v) for v in values if cell_class(v) not in (EMPTY, MISSING)]
    return filled.count(NUMBER) / len(filled) if filled else 0.0


def _codes(values: Sequence, units: Units) -> tuple[int, float]:
    """How many distinct units a column's values name, and the share of its values that do."""
    filled = _filled(values)
    if not filled:
        return 0, 0.0
    found = [units.resolve(d).code if (d := digits(v)) is not None else None for v in filled]
    hits = [c for c in found if c is not None]
    return len(set(hits)), len(hits) / len(filled)


def _parts(columns: Sequence[Sequence], units: Units) -> tuple[int, float]:
    rows = list(zip(*columns, strict=True))
    filled = [r for r in rows if all(cell_class(v) not in (EMPTY, MISSING) for v in r)]
    if not filled:
        return 0, 0.0
    hits = []
    for r in filled:
        parts = [digits(v) for v in r]
        if any(p is None for p in parts):
            continue
        joined = units.join_parts(parts)
        if joined is not None and joined in units.by_code:
            hits.append(joined)
    return len(set(hits)), len(hits) / len(filled)


def _names(values: Sequence, index: dict) -> tuple[int, float]:
    filled = [fold(v) for v in _filled(values) if isinstance(v, str)]
    if not filled:
        return 0, 0.0
    hits = [v for v in filled if v in index]
    return len(set(hits)), len(hits) / len(filled)


def _year_of(value) -> int | None:
    """A cell as a year: 2020, 2020.0, "2020", a date (2020-12-31), and "2,021" (a thousands
    separator a spreadsheet added, as in MEN's Colombian file)."""
    if isinstance(value, str) and re.fullmatch(r"\s*\d[.,]\d{3}\s*", value):
        value = re.sub(r"[.,]", "", value)
    elif isinstance(value, str) and re.match(r"\s*\d{4}-\d\d-\d\d", value):
        value = value.strip()[:4]  # a workbook's date cell, read as an ISO date
    d = digits(value)
    if d is None or len(d) != 4:
        return None
    return int(d)


def _is_year_column(values: Sequence) -> bool:
    filled = _filled(values)
    if not filled:
        return False
    years = [_year_of(v) for v in filled]
    return all(y is not None and FIRST_YEAR <= y <= last_year() + 1 for y in years)


def _year_in(text: str) -> int | None:
    years = {int(y) for y in _YEAR_IN_TEXT.findall(text or "")}
    years = {y for y in years if FIRST_YEAR <= y <= last_year()}
    return years.pop() if len(years) == 1 else None


def suggest_mapping(table: Table, country: str, store, indicator=None) -> Mapping:
    """A first guess of each column's role in ``table`` for units of ``country`` in ``store``;
    ``indicator`` (a catalog :class:`~atlas.catalog.Indicator`) helps choose the value column."""
    units = Units(store, country)
    cols = list(table.columns)
    # an even sample of the rows is enough to tell the columns apart, and keeps a 13,000-row
    # file to a fraction of a second
    step = max(1, len(table) // SAMPLE_ROWS)
    values = {c: table.column(c)[::step] for c in cols}
    scores: dict[str, float] = {}

    # the unit's code: the column naming the most units (municipalities before their states),
    # or a state column and the rest of the code beside it
    code: tuple[str, ...] = ()
    best = (0, 0.0)
    written = {c: [digits(v) for v in _filled(values[c])] for c in cols}
    codelike = [
        c
        for c in cols
        if written[c] and sum(d is not None for d in written[c]) >= 0.8 * len(written[c])
    ]
    for c in codelike:
        found = _codes(values[c], units)
        if found[1] >= MIN_MATCH and found > best:
            code, best = (c,), found
    states = [c for c in codelike if all(d is None or len(d) <= 2 for d in written[c])]
    for a in states:
        i = cols.index(a)
        for b in [c for c in cols[i + 1 : i + 4] if c in codelike]:
            found = _parts([values[a], values[b]], units)
            if found[1] >= MIN_MATCH and found > best:
                code, best = (a, b), found
    if code:
        scores["code"] = round(best[1], 4)

    # names: the unit's, then its state's
    text_cols = [c for c in cols if c not in code and _numeric_share(values[c]) < 0.5]
    name, admin1 = None, None
    rates = {c: _names(values[c], units.by_name) for c in text_cols}
    rates = {c: r for c, r in rates.items() if r[1] >= 0.3}
    if rates:
        name = max(rates, key=lambda c: rates[c])
        scores["name"] = round(rates[name][1], 4)
    a1_rates = {c: _names(values[c], units.admin1_names) for c in text_cols if c != name}
    a1_rates = {c: r for c, r in a1_rates.items() if r[1] >= MIN_MATCH}
    if a1_rates:
        admin1 = max(a1_rates, key=lambda c: a1_rates[c])
        scores["admin1"] = round(a1_rates[admin1][1], 4)

    # the year column, if any
    taken = {*code, name, admin1}
    year = None
    year_cols = [c for c in cols if c not in taken and _is_year_column(values[c])]
    if year_cols:
        named = [c for c in year_cols if _YEAR_NAME.search(fold(c))]
        year = (named or year_cols)[0]
        taken.add(year)

    # the interval and the value
    numeric = [c for c in cols if c not in taken and _numeric_share(values[c]) >= 0.8]
    low = next((c for c in numeric if _LOW.search(fold(c))), None)
    high = next((c for c in numeric if _HIGH.search(fold(c))), None)
    candidates = [c for c in numeric if c not in (low, high)]
    value = None
    if indicator is not None and candidates:
        labels = [
            fold(x)
            for x in (
                indicator.id.replace("_", " "),
                *indicator.label.values(),
                *indicator.short.values(),
            )
            if x
        ]
        ranked = sorted(
            candidates,
            key=lambda c: -max(fuzz.token_set_ratio(fold(c), lab) for lab in labels),
        )
        top = ranked[0]
        if max(fuzz.token_set_ratio(fold(top), lab) for lab in labels) >= 70:
            value = top
    if value is None and candidates:
        fractional = [
            c
            for c in candidates
            if any(isinstance(v, float) and not v.is_integer() for v in values[c])
            or any(isinstance(v, str) and re.search(r"\d[.,]\d", v) for v in values[c])
        ]
        value = (fractional or candidates)[0]

    year_value = None
    if year is None:
        year_value = (
            _year_in(value or "") or _year_in(" ".join(table.title)) or _year_in(table.filename)
        )
    return Mapping(
        code=code,
        name=name,
        admin1=admin1,
        year=year,
        year_value=year_value,
        value=value,
        low=low,
        high=high,
        scores=scores,
    )

"""Side-by-side comparison of up to six units from any countries over time (the ``/compare`` page).

Plain Python, no Dash. The page keeps its state in its query string (``?u=BRA4304606,MEX20067&
i=infant_mortality,illiteracy&f=sdg2030&lang=pt``): :func:`parse_query` reads it without ever
raising (a malformed, unknown or surplus entry is kept aside and named in a notice, the rest is
shown) and :func:`query_string` writes it back, leaving defaults out. :func:`compare` answers the
query from the store and the catalog with a frozen :class:`Comparison`: texts in the reader's
language, numbers left as numbers.

Each unit's line runs over the years its country's series has for the indicator at the unit's
level; a year of that series without a value for the unit is a gap (``None``), never zero, and a
year the series does not have is no point at all. Flagged values (:mod:`atlas.flags`) are kept
with their reason and left out of the progress that sets the target line. The target line is the
chosen framework's target for the unit (its value at the deadline, from the unit's own baseline),
drawn only where the framework gives the unit's country a numeric target in the indicator's own
scale: under ``national`` only a commitment of the unit's country counts.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode

from atlas.catalog import Catalog, Indicator
from atlas.choices import DEFAULT_INDICATORS
from atlas.flags import reason_text
from atlas.i18n import LANGS, label, lang_or_default, t
from atlas.method import assess, target_for
from atlas.places import country_label
from atlas.profile import unit_kind
from atlas.store import Store
from atlas.text import source_label

#: The most units and indicators one comparison shows.
MAX_UNITS = 6
MAX_INDICATORS = 6
#: The frameworks whose target line the page can draw (a local target needs a value per unit).
FRAMEWORKS = ("mdg2015", "sdg2030", "national")
DEFAULT_FRAMEWORK = "mdg2015"
#: URL keys: the units, the indicators, the framework, the language.
KEYS = {"units": "u", "indicators": "i", "framework": "f", "lang": "lang"}
_UNIT = re.compile(r"^[A-Z]{3}[0-9A-Z]{0,9}$")
_ID = re.compile(r"^[a-z0-9_]{1,64}$")
#: How much of a rejected entry a notice repeats, and how many entries at most.
SHOWN_CHARS = 24
SHOWN_ENTRIES = 10


@dataclass(frozen=True)
class CompareQuery:
    """What a compare link asks for. ``rejected_*`` hold what was left out and why: entries that
    are no unit id or indicator id at all (``malformed_*``) and units beyond :data:`MAX_UNITS`
    (``surplus_units``); :func:`compare` adds the well-formed ids the store or catalog lacks."""

    units: tuple[str, ...] = ()
    indicators: tuple[str, ...] = ()
    framework: str = DEFAULT_FRAMEWORK
    lang: str = "es"
    malformed_units: tuple[str, ...] = field(default=(), compare=False)
    surplus_units: tuple[str, ...] = field(default=(), compare=False)
    malformed_indicators: tuple[str, ...] = field(default=(), compare=False)
    surplus_indicators: tuple[str, ...] = field(default=(), compare=False)
    bad_framework: bool = field(default=False, compare=False)


def _split(raw: str) -> list[str]:
    return list(dict.fromkeys(p.strip() for p in raw[:2000].split(",") if p.strip()))


def parse_query(search: str | None, default_lang: str = "es") -> CompareQuery:
    """``?u=...&i=...&f=...&lang=...`` -> :class:`CompareQuery`; never raises."""
    try:
        params = dict(
            parse_qsl((search or "").lstrip("?"), keep_blank_values=True, max_num_fields=20)
        )
    except ValueError:
        params = {}
    units, malformed_u = [], []
    for raw in _split(params.get(KEYS["units"], "")):
        uid = raw.upper()
        (units if _UNIT.match(uid) else malformed_u).append(uid if _UNIT.match(uid) else raw)
    units = list(dict.fromkeys(units))
    inds, malformed_i = [], []
    for raw in _split(params.get(KEYS["indicators"], "")):
        (inds if _ID.match(raw) else malformed_i).append(raw)
    framework = params.get(KEYS["framework"], "") or DEFAULT_FRAMEWORK
    lang = params.get(KEYS["lang"], "")
    return CompareQuery(
        units=tuple(units[:MAX_UNITS]),
        indicators=tuple(inds[:MAX_INDICATORS]),
        framework=framework if framework in FRAMEWORKS else DEFAULT_FRAMEWORK,
        lang=lang if lang in LANGS else lang_or_default(default_lang),
        malformed_units=tuple(malformed_u),
        surplus_units=tuple(units[MAX_UNITS:]),
        malformed_indicators=tuple(malformed_i),
        surplus_indicators=tuple(inds[MAX_INDICATORS:]),
        bad_framework=framework not in FRAMEWORKS,
    )


def query_string(q: CompareQuery, default_lang: str = "es") -> str:
    """:class:`CompareQuery` -> ``?u=...&i=...`` (default framework and language left out; the
    commas stay readable). Empty when nothing differs from the defaults."""
    pairs = []
    if q.units:
        pairs.append((KEYS["units"], ",".join(q.units)))
    if q.indicators:
        pairs.append((KEYS["indicators"], ",".join(q.indicators)))
    if q.framework != DEFAULT_FRAMEWORK:
        pairs.append((KEYS["framework"], q.framework))
    if q.lang != default_lang:
        pairs.append((KEYS["lang"], q.lang))
    return "?" + urlencode(pairs, safe=",") if pairs else ""


def with_unit(q: CompareQuery, unit_id: str) -> CompareQuery:
    """The query with ``unit_id`` added (last), if there is room and it is not there yet."""
    if not unit_id or unit_id in q.units or len(q.units) >= MAX_UNITS:
        return CompareQuery(q.units, q.indicators, q.framework, q.lang)
    return CompareQuery((*q.units, unit_id), q.indicators, q.framework, q.lang)


def without_unit(q: CompareQuery, unit_id: str) -> CompareQuery:
    units = tuple(u for u in q.units if u != unit_id)
    return CompareQuery(units, q.indicators, q.framework, q.lang)


def toggled_indicator(q: CompareQuery, indicator: str) -> CompareQuery:
    """The query with ``indicator`` removed if shown, else added (when there is room)."""
    if indicator in q.indicators:
        inds = tuple(i for i in q.indicators if i != indicator)
    elif len(q.indicators) < MAX_INDICATORS:
        inds = (*q.indicators, indicator)
    else:
        inds = q.indicators
    return CompareQuery(q.units, inds, q.framework, q.lang)


def with_framework(q: CompareQuery, framework: str) -> CompareQuery:
    return CompareQuery(q.units, q.indicators, framework, q.lang)


# --------------------------------------------------------------------------------------------
# The comparison


@dataclass(frozen=True)
class Point:
    year: int
    value: float | None  # None: the unit's country has this year, the unit has no value
    source: str  # "producer, dataset"; empty for a gap
    flag: str = ""  # the reason a value is flagged, "" if it is not


@dataclass(frozen=True)
class TargetLine:
    """The framework's target for one unit: ``value`` by ``deadline``, set from its baseline."""

    value: float
    baseline_year: int
    deadline: int
    framework_label: str


@dataclass(frozen=True)
class Line:
    unit_id: str
    name: str
    country: str
    points: tuple[Point, ...]
    target: TargetLine | None

    @property
    def observed(self) -> tuple[Point, ...]:
        return tuple(p for p in self.points if p.value is not None)


@dataclass(frozen=True)
class Panel:
    """One indicator for every unit of the comparison."""

    id: str
    label: str
    unit: str  # the unit's label in the language ("per 1,000 live births")
    decimals: int
    comparable_across_countries: bool
    #: the countries of the units that have values; more than one and not comparable: a caution
    countries: tuple[str, ...]
    #: "Country: note" for each series the shown values come from
    notes: tuple[str, ...]
    lines: tuple[Line, ...]
    #: names of the units without any value for the indicator
    no_data: tuple[str, ...]

    @property
    def caution(self) -> bool:
        return len(self.countries) > 1 and not self.comparable_across_countries

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(sorted({p.year for ln in self.lines for p in ln.points}))


@dataclass(frozen=True)
class Member:
    """A unit of the comparison, as its heading names it."""

    unit_id: str
    name: str
    place: str  # "município · Rio Grande do Sul · Brasil"
    country: str
    level: str


@dataclass(frozen=True)
class Comparison:
    #: what the link asked for, and what the page shows (known units, indicators drawn): the
    #: page's own links start from ``shown``
    query: CompareQuery
    shown: CompareQuery
    lang: str
    framework_label: str
    members: tuple[Member, ...]
    panels: tuple[Panel, ...]
    #: indicators any unit has, (id, label) by MDG goal then label: what the page offers
    available: tuple[tuple[str, str], ...]
    notices: tuple[str, ...]


def _shown(entries) -> str:
    items = [e if len(e) <= SHOWN_CHARS else e[:SHOWN_CHARS] + "…" for e in entries]
    more = len(items) - SHOWN_ENTRIES
    return ", ".join(items[:SHOWN_ENTRIES]) + (f" (+{more})" if more > 0 else "")


def _float(v) -> float | None:
    if v is None:
        return None
    v = float(v)
    return v if math.isfinite(v) else None


def _member(store: Store, unit: dict, lang: str) -> Member:
    country, level = unit["country"], unit["level"]
    parts = [unit_kind(country, level, lang)]
    if level == "municipality" and unit["admin1_name"]:
        parts.append(str(unit["admin1_name"]))
    if level != "country":
        parts.append(country_label(store, country, lang))
    return Member(str(unit["unit_id"]), str(unit["name"]), " · ".join(parts), country, level)


def _target(ind: Indicator, country: str, points, framework: str, lang: str) -> TargetLine | None:
    try:
        target = target_for(framework, ind.id, direction=ind.direction, country=country)
    except ValueError:  # no normative direction: a context indicator has no target
        return None
    if framework == "national" and target.country != country:
        return None  # the country made no commitment of its own for this indicator
    usable = [p for p in points if p.value is not None and not p.flag]
    p = assess(
        [u.year for u in usable],
        [u.value for u in usable],
        target,
        direction=ind.direction,
        valid_range=ind.valid_range,
    )
    if p.target_value is None or p.deadline is None or p.scale != "value":
        return None
    start = p.baseline_year if p.baseline_year is not None else target.baseline_year
    if start is None or start >= p.deadline:  # a first value after the deadline: no target
        return None
    return TargetLine(
        value=float(p.target_value),
        baseline_year=int(start),
        deadline=int(p.deadline),
        framework_label=t(f"target.framework.{framework}", lang),
    )


def _line(store: Store, ind: Indicator, m: Member, rows: list, framework: str, lang: str) -> Line:
    """``rows``: the unit's (year, value, source_id, flag, flag_ref) for the indicator."""
    cube = store.cube(ind.id, m.country, m.level)
    weights = store.weights_of(m.unit_id, ind.id) if any(r[3] for r in rows) else {}
    observed = {}
    for year, value, source_id, flag, flag_ref in rows:
        value = _float(value)
        if value is None:
            continue
        reason = reason_text(store, flag, flag_ref, weights.get(year), lang)
        observed[year] = Point(year, value, source_label(store, source_id), reason)
    years = set(cube.years if cube is not None else ()) | set(observed)
    points = tuple(observed.get(y, Point(y, None, "")) for y in sorted(years))
    comparable = ind.comparable_years(m.country, m.level)
    target = _target(ind, m.country, points, framework, lang) if comparable else None
    return Line(m.unit_id, m.name, m.country, points, target)


def _rows(store: Store, unit_ids, indicators) -> dict[tuple[str, str], list]:
    """(unit, indicator) -> [(year, value, source_id, flag, flag_ref)], years ascending."""
    frame = store.series_of(unit_ids, indicators)
    cols = ("unit_id", "indicator_id", "year", "value", "source_id", "flag", "flag_ref")
    out: dict[tuple[str, str], list] = {}
    arrays = [frame[c].tolist() for c in cols]
    for u, i, y, v, src, fl, ref in zip(*arrays, strict=True):
        out.setdefault((u, i), []).append((int(y), v, str(src), fl or "", ref or ""))
    return out


def _notes(store: Store, ind: Indicator, lines, members, lang: str) -> tuple[str, ...]:
    notes: list[str] = []
    level_of = {m.unit_id: m.level for m in members}
    for ln in lines:
        sources = {p.source for p in ln.observed}
        for s in ind.series_for(ln.country, level_of[ln.unit_id]):
            note = label(s.comparability, lang)
            if not note or source_label(store, s.source) not in sources:
                continue
            text = f"{country_label(store, ln.country, lang)}: {note}"
            if text not in notes:
                notes.append(text)
    return tuple(notes)


def _order(catalog: Catalog, ids) -> list[str]:
    return sorted(
        ids, key=lambda i: (catalog[i].goal == 0, catalog[i].goal, catalog[i].target or "~", i)
    )


def compare(store: Store, catalog: Catalog, query: CompareQuery) -> Comparison:
    """The comparison ``query`` asks for; unknown units and indicators are left out and named in
    :attr:`Comparison.notices`. Without indicators it shows the map's headline indicator that the
    units have (infant mortality, else extreme poverty, else poverty)."""
    lang = lang_or_default(query.lang)
    notices = []
    members, unknown = [], []
    for uid in query.units:
        try:
            unit = store.unit(uid)
        except (KeyError, TypeError, ValueError):
            unknown.append(uid)
            continue
        members.append(_member(store, unit, lang))
    if query.malformed_units or unknown:
        notices.append(
            t("compare.notice.unknown_units", lang, ids=_shown([*query.malformed_units, *unknown]))
        )
    if query.surplus_units:
        notices.append(
            t(
                "compare.notice.too_many_units",
                lang,
                max=MAX_UNITS,
                ids=_shown(query.surplus_units),
            )
        )
    unknown_i = [i for i in query.indicators if i not in catalog.indicators]
    if query.malformed_indicators or unknown_i:
        notices.append(
            t(
                "compare.notice.unknown_indicators",
                lang,
                ids=_shown([*query.malformed_indicators, *unknown_i]),
            )
        )
    if query.surplus_indicators:
        notices.append(
            t(
                "compare.notice.too_many_indicators",
                lang,
                max=MAX_INDICATORS,
                ids=_shown(query.surplus_indicators),
            )
        )
    if query.bad_framework:
        notices.append(t("compare.notice.framework", lang))

    have = set()
    for m in members:
        have |= set(store.indicators(m.country, m.level))
    have &= set(catalog.indicators)
    available = tuple((i, label(catalog[i].label, lang)) for i in _order(catalog, have))
    chosen = [i for i in query.indicators if i in catalog.indicators]
    if not chosen:
        chosen = [next((i for i in DEFAULT_INDICATORS if i in have), None)] if members else []
        chosen = [i for i in chosen if i]

    rows = _rows(store, [m.unit_id for m in members], chosen)
    panels = []
    for ind_id in chosen:
        ind = catalog[ind_id]
        lines, no_data = [], []
        for m in members:
            ln = _line(store, ind, m, rows.get((m.unit_id, ind_id), []), query.framework, lang)
            if ln.observed:
                lines.append(ln)
            else:
                no_data.append(m.name)
        panels.append(
            Panel(
                id=ind_id,
                label=label(ind.label, lang),
                unit=catalog.unit_label(ind.unit, lang),
                decimals=ind.decimals,
                comparable_across_countries=ind.comparable_across_countries,
                countries=tuple(dict.fromkeys(ln.country for ln in lines)),
                notes=_notes(store, ind, lines, members, lang),
                lines=tuple(lines),
                no_data=tuple(no_data),
            )
        )
    return Comparison(
        query=query,
        shown=CompareQuery(tuple(m.unit_id for m in members), tuple(chosen), query.framework, lang),
        lang=lang,
        framework_label=t(f"target.framework.{query.framework}", lang),
        members=tuple(members),
        panels=tuple(panels),
        available=available,
        notices=tuple(notices),
    )

"""The data page, as plain data: for each country, what the atlas can and cannot say.

:func:`data_truth` builds one :class:`CountryTruth` per country of the store from three places and
nothing else: the catalog (indicators, their series, levels, years, comparability notes in the
reader's language), the store (the years and intervals actually stored, the sources' producer
and dataset from the manifest) and the build's quality report (units per level, join rates,
values left out, missing-value codes met and, when the build wrote them, value flags).

Every statement is derived from those facts, never written for a country: one stored year means
no change or progress can be computed; a series at admin-1 level has no municipal values; no
interval stored means the uncertainty cannot be shown; subnational series (and national series of
indicators the catalog does not mark comparable) come from national producers with their own
definitions, so they are not comparable across countries. No Dash here: ``layouts/data_page.py``
renders the sections.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from atlas.catalog import Catalog, Indicator, Series
from atlas.flags import FLAG_REASONS
from atlas.geography import LEVELS
from atlas.i18n import label, messages, number, t
from atlas.method.rollup import MIN_COVERAGE
from atlas.places import country_label
from atlas.profile import unit_kind
from atlas.store import Store
from atlas.text import source_label, year_ranges

#: The derived statements, by code: those that say what the atlas *can* show come first.
CAN = ("change", "interval", "comparable")
CANNOT = (
    "single_year",
    "no_values",
    "admin1_only",
    "national_only",
    "no_interval",
    "not_comparable",
)
#: How an admin-1 value of a municipal series can be obtained, in the order the page lists them.
ADMIN1_BASES = ("published", "producer_weights", "population")
#: The quality report's name for a blank missing-value code (an empty cell or null).
BLANK = ""


@dataclass(frozen=True)
class Statement:
    """One thing the atlas can (``can``) or cannot say about an indicator, derived from data."""

    code: str
    can: bool
    text: str


@dataclass(frozen=True)
class SeriesTruth:
    """One catalog series: its source and the years of it the store holds."""

    source_id: str
    source: str  # "producer, dataset"
    variable: str
    years: tuple[int, ...]
    join_rate: float | None  # the source's share of codes joined to units (quality report)
    units_without_data: int | None
    comparability: str


@dataclass(frozen=True)
class IndicatorTruth:
    """One indicator of a country at one level."""

    indicator: str
    label: str
    level: str
    years: tuple[int, ...]  # the years the store holds
    years_text: str
    ci_years: tuple[int, ...]  # the years with the producer's confidence interval
    comparable: bool
    series: tuple[SeriesTruth, ...]
    statements: tuple[Statement, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(s.code for s in self.statements)


@dataclass(frozen=True)
class CountryTruth:
    """One section of the page; ``iso3`` is its anchor."""

    iso3: str
    name: str
    units: tuple[tuple[str, str, int], ...]  # (level, its label, units)
    indicators: tuple[IndicatorTruth, ...]
    out_of_range: int
    duplicates: int
    missing_codes: tuple[tuple[str, int], ...]  # (code as shown, cells met)
    #: (reason, its label, indicator id, indicator label, values flagged); empty when the
    #: quality report has no flags
    flags: tuple[tuple[str, str, str, str, int], ...]
    has_flags: bool  # the quality report has a ``flags`` key (even an empty one)
    #: the admin-1 values of municipal series by how they were obtained (geodata/rollups.py):
    #: (basis, what it is in the reader's words, values); empty when there are none
    admin1_values: tuple[tuple[str, str, int], ...] = ()
    #: the heading of those values and the rule for showing a roll-up, in the reader's words
    #: ("" without admin-1 values)
    admin1_title: str = ""
    admin1_rule: str = ""

    def at(self, level: str) -> tuple[IndicatorTruth, ...]:
        return tuple(i for i in self.indicators if i.level == level)

    @property
    def levels(self) -> tuple[str, ...]:
        return tuple(lvl for lvl in LEVELS if self.at(lvl))

    @property
    def subnational(self) -> tuple[IndicatorTruth, ...]:
        return tuple(i for i in self.indicators if i.level != "country")

    @property
    def with_change(self) -> tuple[IndicatorTruth, ...]:
        """Subnational indicators with two stored years or more: change and progress computable."""
        return tuple(i for i in self.subnational if len(i.years) >= 2)

    @property
    def single_year(self) -> tuple[IndicatorTruth, ...]:
        return tuple(i for i in self.subnational if len(i.years) == 1)


def flag_label(reason: str, lang: str) -> str:
    key = f"datatruth.flag.{reason}"
    return t(key, lang) if key in messages() else reason


def _ci_years(store: Store, indicator: str, country: str, level: str) -> tuple[int, ...]:
    """The stored years in which at least one value has the producer's confidence interval."""
    cube = store.cube(indicator, country, level)
    if cube is None:
        return ()
    has = np.isfinite(cube.ci_low).any(axis=0)
    return tuple(y for y, h in zip(cube.years, has, strict=True) if h)


def statements(
    ind: Indicator,
    country: str,
    level: str,
    years: tuple[int, ...],
    ci_years: tuple[int, ...],
    lang: str,
) -> tuple[Statement, ...]:
    """What can and cannot be said about ``ind`` in ``country`` at ``level``, from its facts."""
    out: list[Statement] = []

    def add(code: str, **values) -> None:
        out.append(Statement(code, code in CAN, t(f"datatruth.say.{code}", lang, **values)))

    if len(years) >= 2:
        add("change", first=years[0], last=years[-1], n=len(years))
    elif len(years) == 1:
        add("single_year", year=years[0])
    else:
        add("no_values")
    if level == "admin1":
        add("admin1_only", kind=unit_kind(country, level, lang))
    elif level == "country":
        add("national_only")
    if ci_years:
        add("interval", years=year_ranges(ci_years))
    elif years:
        add("no_interval")
    comparable = ind.comparable_across_countries and level == "country"
    add("comparable" if comparable else "not_comparable")
    out.sort(key=lambda s: not s.can)
    return tuple(out)


def _series_truth(
    store: Store, s: Series, stored: tuple[int, ...], sources: Mapping[str, Mapping], lang: str
) -> SeriesTruth:
    q = sources.get(s.source, {})
    rate = q.get("join_rate")
    without = q.get("units_without_data")
    return SeriesTruth(
        source_id=s.source,
        source=source_label(store, s.source),
        variable=s.variable,
        years=tuple(y for y in s.years if y in stored),
        join_rate=float(rate) if rate is not None else None,
        units_without_data=int(without) if without is not None else None,
        comparability=label(s.comparability, lang),
    )


def _missing_codes(sources: Mapping[str, Mapping], lang: str) -> tuple[tuple[str, int], ...]:
    met: dict[str, int] = {}
    for entry in sources.values():
        for codes in (entry.get("missing_codes_met") or {}).values():
            for code, n in codes.items():
                met[code] = met.get(code, 0) + int(n)
    blank = t("datatruth.blank_code", lang)
    return tuple((blank if c == BLANK else c, n) for c, n in sorted(met.items()) if n)


def country_truth(store: Store, catalog: Catalog, country: str, lang: str) -> CountryTruth:
    """The section of ``country``: its levels, every catalog series of it with the years stored,
    what each indicator can and cannot say, and the quality report's counts and flags."""
    quality = store.quality(country)
    national = store.quality("national")
    sources = {**national.get("sources", {}), **quality.get("sources", {})}
    flags = quality.get("flags") or {}
    indicators = []
    for level in LEVELS:
        for ind in catalog:
            series = ind.series_for(country, level)
            if not series:
                continue
            years = tuple(store.years(ind.id, country, level))
            ci_years = _ci_years(store, ind.id, country, level)
            indicators.append(
                IndicatorTruth(
                    indicator=ind.id,
                    label=label(ind.label, lang),
                    level=level,
                    years=years,
                    years_text=year_ranges(years) if years else t("common.no_data", lang),
                    ci_years=ci_years,
                    comparable=ind.comparable_across_countries and level == "country",
                    series=tuple(_series_truth(store, s, years, sources, lang) for s in series),
                    statements=statements(ind, country, level, years, ci_years, lang),
                )
            )
    order = {r: i for i, r in enumerate(FLAG_REASONS)}
    flag_rows = tuple(
        (reason, flag_label(reason, lang), ind_id, _indicator_label(catalog, ind_id, lang), int(n))
        for reason, by_ind in sorted(flags.items(), key=lambda kv: (order.get(kv[0], 99), kv[0]))
        for ind_id, n in sorted(by_ind.items())
        if n
    )
    units = quality.get("units") or {
        lvl: len(store.layer(country, lvl)) for lvl in store.levels(country)
    }
    return CountryTruth(
        iso3=country,
        name=country_label(store, country, lang),
        units=tuple(
            (lvl, t(f"level.{lvl}", lang), int(units[lvl])) for lvl in LEVELS if lvl in units
        ),
        indicators=tuple(indicators),
        out_of_range=len(quality.get("out_of_range", [])),
        duplicates=len(quality.get("duplicates", [])),
        missing_codes=_missing_codes(quality.get("sources", {}), lang),
        flags=flag_rows,
        has_flags="flags" in quality,
        admin1_values=_admin1_values(store, country, lang),
        **_admin1_texts(store, country, lang),
    )


def _admin1_texts(store: Store, country: str, lang: str) -> dict[str, str]:
    if not store.admin1_bases(country):
        return {}
    kind = unit_kind(country, "admin1", lang)
    return {
        "admin1_title": t("datatruth.admin1.title", lang, kind=kind),
        "admin1_rule": t(
            "datatruth.admin1.rule", lang, kind=kind, share=number(100 * MIN_COVERAGE, 0, lang)
        ),
    }


def _admin1_values(store: Store, country: str, lang: str) -> tuple[tuple[str, str, int], ...]:
    counts = store.admin1_bases(country)
    return tuple(
        (b, t(f"datatruth.admin1.{b}", lang, kind=unit_kind(country, "admin1", lang)), counts[b])
        for b in ADMIN1_BASES
        if counts.get(b)
    )


def _indicator_label(catalog: Catalog, indicator: str, lang: str) -> str:
    try:
        return label(catalog[indicator].label, lang)
    except KeyError:
        return indicator


def data_truth(store: Store, catalog: Catalog, lang: str) -> list[CountryTruth]:
    """One section per country of the store, in the store's order."""
    return [country_truth(store, catalog, c, lang) for c in store.countries()]

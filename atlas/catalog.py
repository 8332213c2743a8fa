"""The indicator catalog: harmonised indicators and, per country, where their values come from.

Declared in TOML files in ``atlas/catalog/``:

* ``indicators.toml`` — ``[units.<key>]`` labels and ``[[indicator]]`` definitions (id, MDG goal and
  target, labels and definitions in es/pt/en, unit, direction, decimals, valid range);
* ``<ISO3>.toml`` and ``national.toml`` — ``[[series]]``: for one indicator in one country, the
  source id (declared in ``geodata/sources/``), the source variable, the years, the producer's own
  definition and a comparability note in es/pt/en.

Deprivations are kept as published ("% without piped water", direction ``lower``): nothing is inverted.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from atlas.i18n import LANGS

CATALOG_DIR = Path(__file__).parent / "catalog"
DIRECTIONS = ("higher", "lower", "none")
#: The eight Millennium Development Goals, and 0 for context indicators (population, area).
GOALS = tuple(range(9))


@dataclass(frozen=True)
class Series:
    """Where one indicator's values come from in one country at one level."""

    indicator: str
    country: str
    source: str
    variable: str
    level: str
    years: tuple[int, ...]
    year_map: dict[int, int]
    scale: float
    valid_range: tuple[float, float] | None
    definition: str
    comparability: dict[str, str]
    #: The producer's own weight for rolling the values up (a variable of the same source, e.g.
    #: CONEVAL's ``poblacion``, MSP's ``Nacimientos``); empty: the store's population.
    weight: str = ""
    #: The least producer weight (births, deaths, pupils...) for a stable value: a value whose
    #: weight is under it is kept as published but flagged ``few_events`` (unstable rate).
    min_weight: float | None = None
    #: False where values of different years cannot be compared (income in each year's current
    #: prices): no change view, no progress (the catalog's comparability note says why).
    comparable_years: bool = True
    #: False where the series' values must not be compared with the indicator's other series in
    #: the same country (another edition or method): change and progress stay within it.
    joins_other_series: bool = True
    #: A value under this fraction of the median of the unit's own series is flagged
    #: ``collapse`` (a producer's file whose counts lose digits in some rows); None: no such rule.
    collapse_below: float | None = None

    def reference_year(self, source_year: int) -> int | None:
        """The year the value refers to, or None when the row is not kept."""
        year = self.year_map.get(source_year, source_year) if self.year_map else source_year
        return year if year in self.years else None


@dataclass(frozen=True)
class Indicator:
    id: str
    goal: int
    target: str
    unit: str
    direction: str
    decimals: int
    valid_range: tuple[float, float]
    label: dict[str, str]
    short: dict[str, str]
    definition: dict[str, str]
    comparable_across_countries: bool = False
    #: A value of 0 cannot be right at this level (no child attends school): flagged, kept.
    zero_implausible: bool = False
    #: Indicators beside whose implausible zero (same unit and year) a 0 of this one is flagged.
    zero_implausible_with: tuple[str, ...] = ()
    series: tuple[Series, ...] = field(default_factory=tuple)

    def countries(self, level: str | None = None) -> list[str]:
        return sorted({s.country for s in self.series if level is None or s.level == level})

    def comparable_years(self, country: str, level: str | None = None) -> bool:
        """Whether the country's values of different years can be compared (change, progress)."""
        return all(s.comparable_years for s in self.series_for(country, level))

    def joinable(self, country: str, level: str, source_a: str, source_b: str) -> bool:
        """Whether values of two sources of the country's series may be compared (a change, a
        progress): always within one source; across sources unless one says it does not join."""
        if source_a == source_b:
            return True
        series = {s.source: s for s in self.series_for(country, level)}
        return all(series[s].joins_other_series for s in (source_a, source_b) if s in series)

    def series_for(self, country: str, level: str | None = None) -> list[Series]:
        return [
            s for s in self.series if s.country == country and (level is None or s.level == level)
        ]


@dataclass(frozen=True)
class Catalog:
    indicators: dict[str, Indicator]
    units: dict[str, dict[str, str]]

    def __getitem__(self, indicator_id: str) -> Indicator:
        try:
            return self.indicators[indicator_id]
        except KeyError:
            raise KeyError(f"Indicator {indicator_id!r} is not in the catalog.") from None

    def __iter__(self):
        return iter(self.indicators.values())

    def all_series(self) -> list[Series]:
        return [s for ind in self.indicators.values() for s in ind.series]

    def unit_label(self, unit: str, lang: str) -> str:
        return self.units.get(unit, {}).get(lang, unit)


def _lang_table(d: dict | None, where: str) -> dict[str, str]:
    d = d or {}
    return {lang: str(d.get(lang, "")) for lang in LANGS}


def load_catalog(directory: Path = CATALOG_DIR) -> Catalog:
    """Read every TOML file of the catalog folder and check that it is consistent."""
    units: dict[str, dict[str, str]] = {}
    raw_indicators: list[dict] = []
    raw_series: list[tuple[str, dict]] = []
    for path in sorted(directory.glob("*.toml")):
        with path.open("rb") as fh:
            data = tomllib.load(fh)
        units.update(data.get("units", {}))
        raw_indicators.extend(data.get("indicator", []))
        country = data.get("country", path.stem)
        raw_series.extend((country, s) for s in data.get("series", []))

    indicators: dict[str, dict] = {}
    for d in raw_indicators:
        if d["id"] in indicators:
            raise ValueError(f"Indicator {d['id']!r} is defined twice in the catalog.")
        if d["direction"] not in DIRECTIONS:
            raise ValueError(f"Indicator {d['id']!r}: direction must be one of {DIRECTIONS}.")
        if d["goal"] not in GOALS:
            raise ValueError(
                f"Indicator {d['id']!r}: goal must be one of {GOALS}, not {d['goal']!r}."
            )
        if d["unit"] not in units:
            raise ValueError(f"Indicator {d['id']!r}: unit {d['unit']!r} has no [units] entry.")
        indicators[d["id"]] = d

    series_by_ind: dict[str, list[Series]] = {k: [] for k in indicators}
    for file_country, s in raw_series:
        ind = s["indicator"]
        if ind not in indicators:
            raise ValueError(f"Series for {file_country} names unknown indicator {ind!r}.")
        vr = s.get("valid_range")
        series_by_ind[ind].append(
            Series(
                indicator=ind,
                country=s.get("country", file_country),
                source=s["source"],
                variable=str(s["variable"]),
                level=s.get("level", "municipality"),
                years=tuple(int(y) for y in s["years"]),
                year_map={int(k): int(v) for k, v in s.get("year_map", {}).items()},
                scale=float(s.get("scale", 1.0)),
                valid_range=(float(vr[0]), float(vr[1])) if vr else None,
                definition=s.get("definition", ""),
                comparability=_lang_table(s.get("comparability"), ind),
                weight=str(s.get("weight", "")),
                min_weight=float(s["min_weight"]) if "min_weight" in s else None,
                comparable_years=bool(s.get("comparable_years", True)),
                joins_other_series=bool(s.get("joins_other_series", True)),
                collapse_below=float(s["collapse_below"]) if "collapse_below" in s else None,
            )
        )

    out: dict[str, Indicator] = {}
    for ind_id, d in indicators.items():
        out[ind_id] = Indicator(
            id=ind_id,
            goal=int(d["goal"]),
            target=str(d.get("target", "")),
            unit=d["unit"],
            direction=d["direction"],
            decimals=int(d.get("decimals", 1)),
            valid_range=(float(d["valid_range"][0]), float(d["valid_range"][1])),
            label=_lang_table(d.get("label"), ind_id),
            short=_lang_table(d.get("short") or d.get("label"), ind_id),
            definition=_lang_table(d.get("definition"), ind_id),
            comparable_across_countries=bool(d.get("comparable_across_countries", False)),
            zero_implausible=bool(d.get("zero_implausible", False)),
            zero_implausible_with=tuple(d.get("zero_implausible_with", ())),
            series=tuple(series_by_ind[ind_id]),
        )
    for ind in out.values():
        unknown = [i for i in ind.zero_implausible_with if i not in out]
        if unknown:
            raise ValueError(f"Indicator {ind.id!r}: zero_implausible_with names {unknown}.")
        for s in ind.series:
            if s.min_weight is not None and not s.weight:
                raise ValueError(
                    f"Series {ind.id}/{s.country}: min_weight needs the producer's weight."
                )
    return Catalog(indicators=out, units=units)


@lru_cache(maxsize=1)
def catalog() -> Catalog:
    """The project's catalog, read once per process (it is immutable)."""
    return load_catalog()

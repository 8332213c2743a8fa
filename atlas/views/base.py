"""The shape every map view has, and what the page computes the same way for all of them.

A view (value, change, gap, status, ...) is one :class:`MapView` subclass in its own module of
this package, registered in :mod:`atlas.views`. It says which controls it needs, when it makes
sense for an indicator, its metric (number per unit, text, label, decimals), its classes and
legend, how the ranking sorts and labels it, its table columns and hover rows, and its text
alternative. :func:`compute` asks the registered view and builds the :class:`ViewData` every
panel reads; nothing outside this package tests a view's name.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, ClassVar

import numpy as np
import pandas as pd

from atlas.catalog import Indicator
from atlas.classify import Classes, classify, palette
from atlas.i18n import label, number, numbers, t
from atlas.store import Layer, Store, Values
from atlas.urlstate import CLASSIFICATIONS, State

if TYPE_CHECKING:
    from atlas.method import Target


@dataclass(frozen=True)
class LegendEntry:
    label: str
    colour: str
    count: int


@dataclass(frozen=True)
class Metric:
    """What a view maps: a number per unit (NaN = no data), its text and its label."""

    values: np.ndarray
    text: list[str]
    label: str
    #: For a categorical metric (values 1..k), the key of each category, best first.
    categories: tuple[str, ...] = ()


@dataclass(frozen=True)
class Column:
    """A column of the data table beyond rank, name, admin-1 and value: a heading, whether it
    holds numbers (right-aligned) and the cell text of the unit at a layer index."""

    head: str
    numeric: bool
    cell: Callable[[int], str]


@dataclass(frozen=True)
class ViewData:
    state: State
    indicator: Indicator
    layer: Layer
    metric: np.ndarray  # the mapped number per unit (NaN = no data); status rank in status view
    metric_text: list[str]  # hover / table text of the metric
    value: np.ndarray  # the indicator in the chosen year
    value_text: list[str]
    ci_low: np.ndarray
    ci_high: np.ndarray
    classes: np.ndarray  # 0 = no data, 1..k
    colours: list[str]  # colour of class 1..k
    legend: list[LegendEntry]
    progress: pd.DataFrame | None  # progress fields per unit (views that assess progress)
    status_text: list[str] | None
    target_text: list[str] | None
    source_id: str
    source: str
    metric_label: str
    unit_label: str
    title: str
    caption: str
    alt_text: str
    notes: list[tuple[str, str]]  # (heading, text)
    #: why each unit's value is flagged ("" = not flagged; None = none is) and that in words
    flag: np.ndarray | None = None
    flag_text: list[str] | None = None
    #: the upper bound of each class 1..k (ascending): a value from elsewhere (a contributed
    #: one, atlas/overlays.py) is classed as the view's own would be
    breaks: tuple[float, ...] = ()

    @property
    def flagged(self) -> np.ndarray:
        """True where the unit's value (or, for a change, its base value) is flagged: shown, but
        left out of the ranking, the status counts and inequality."""
        if self.flag is None:
            return np.zeros(len(self.layer), dtype=bool)
        return np.asarray(self.flag != "", dtype=bool)

    @property
    def kind(self) -> MapView:
        """The registered view that computed this data."""
        from atlas.views import REGISTRY  # the registry imports this module

        return REGISTRY[self.state.view]


@dataclass(frozen=True)
class Availability:
    """What decides whether a view makes sense for a state: the indicator, its years and (asked
    only by the views that need it, since it costs a catalog look-up) the target."""

    indicator: Indicator
    years: list[int]
    target_of: Callable[[], Target]
    #: False where the country's values of different years cannot be compared (current prices)
    comparable_years: bool = True

    @cached_property
    def target(self) -> Target:
        return self.target_of()


@dataclass(frozen=True)
class MetricInput:
    """What a view's :meth:`MapView.metric` may read."""

    store: Store
    state: State
    indicator: Indicator
    values: Values
    value_text: list[str]
    progress: pd.DataFrame | None
    name: str  # the indicator's label in the language
    unit_label: str


def short_name(ind: Indicator, lang: str) -> str:
    return label(ind.short, lang) or label(ind.label, lang)


def indicator_axis(view: ViewData, lang: str) -> str:
    """Short indicator name with its unit ("Mortalidad infantil (por 1.000 nacidos vivos)")."""
    return f"{short_name(view.indicator, lang)} ({view.unit_label})"


class MapView:
    """One map view. Subclasses set :attr:`name` and override what differs from the defaults,
    which are those of a view that maps the indicator's own value."""

    #: The URL's ``m`` value; its label is the message ``views.name.<name>``.
    name: ClassVar[str] = ""
    #: Controls the view needs besides indicator and year: ``"base_year"`` (a start year) and
    #: ``"framework"`` (a target: MDG, SDG, national or local).
    controls: ClassVar[frozenset[str]] = frozenset()
    #: Classification methods the view honours; others fall back to quantiles with a notice.
    classifications: ClassVar[tuple[str, ...]] = CLASSIFICATIONS
    #: Whether the metric is the indicator's value itself (else hover and table show both).
    metric_is_value: ClassVar[bool] = False
    #: Whether the ranking draws the value's confidence interval (only where x is the value).
    ranking_ci: ClassVar[bool] = False
    #: Whether the ranking's x axis has a zero line (signed metrics).
    zeroline: ClassVar[bool] = False
    #: Whether the metric is built from the year's (and base year's) values, so that a flagged
    #: value is drawn in the flagged class, not by its value (value and change; the gap and the
    #: status come from the progress, which leaves flagged values out).
    masks_flagged: ClassVar[bool] = False

    # -- when it makes sense ------------------------------------------------------------------

    def available(self, a: Availability) -> bool:
        return True

    @property
    def assesses_progress(self) -> bool:
        """Views with a target compute each unit's progress (the target, gap and status)."""
        return "framework" in self.controls

    # -- the metric ---------------------------------------------------------------------------

    def metric(self, m: MetricInput) -> Metric:
        raise NotImplementedError

    def decimals(self, ind: Indicator) -> int | None:
        """Decimals of the metric's numbers; None for a categorical metric (no numeric legend)."""
        return ind.decimals

    # -- classes and legend -------------------------------------------------------------------

    def classes(self, state: State, metric: Metric, ind: Indicator) -> tuple[Classes, list[str]]:
        """Classes of the metric and the colour of each class (1..k)."""
        values, breaks = metric.values, list(state.breaks) or None
        cls = classify(values, state.classes, state.classification, breaks)
        name = "OrRd" if state.palette == "auto" else state.palette
        return cls, palette(len(cls.breaks), name, reverse=ind.direction == "higher")

    def legend(
        self, cls: Classes, colours: list[str], ind: Indicator, lang: str, metric: Metric
    ) -> list[LegendEntry]:
        """One entry per class (the no-data entry is added by :func:`compute`)."""
        edges = numbers([cls.lower, *cls.breaks], self.decimals(ind), lang)
        return [
            LegendEntry(f"{edges[i]} – {edges[i + 1]}", c, n)
            for i, (c, n) in enumerate(zip(colours, cls.counts, strict=True))
        ]

    def no_data_label(self, lang: str) -> str:
        return t("common.no_data", lang)

    # -- ranking ------------------------------------------------------------------------------

    def sort_keys(self, view: ViewData) -> tuple[np.ndarray, str]:
        """The primary sort key (ascending = better; NaN = not ranked) and which end of x is
        best: ``"low"``, ``"high"`` or ``""`` (no normative direction: highest first)."""
        direction = view.indicator.direction
        sign = 1.0 if direction == "lower" else -1.0
        best = "low" if direction == "lower" else ("high" if direction == "higher" else "")
        return sign * np.asarray(view.metric, dtype=float), best

    def ranking_x(self, view: ViewData) -> np.ndarray:
        """The number the ranking plots per unit."""
        return np.asarray(view.metric, dtype=float)

    def x_decimals(self, view: ViewData) -> int:
        """Decimals of :meth:`ranking_x` in labels and hover."""
        d = self.decimals(view.indicator)
        return view.indicator.decimals if d is None else d

    def x_suffix(self) -> str:
        """Text after a plotted number (" %" for shares)."""
        return ""

    def ranking_title(self, view: ViewData, lang: str) -> str:
        return t("panels.ranking.title", lang, indicator=view.metric_label, year=view.state.year)

    def x_title(self, view: ViewData, lang: str) -> str:
        return indicator_axis(view, lang)

    # -- table and hover ----------------------------------------------------------------------

    def table_columns(self, view: ViewData, lang: str) -> list[Column]:
        """Columns after the value in the year."""
        return []

    def hover_rows(self, view: ViewData, lang: str) -> list[tuple[str, list[str], str]]:
        """Rows of the map's hover after the metric: (label, text per unit, unit suffix)."""
        if self.metric_is_value:
            return []
        return [(f"{t('panel.value', lang)} {view.state.year}", view.value_text, view.unit_label)]

    # -- in words -----------------------------------------------------------------------------

    def alt_text(self, view: ViewData, country_name: str) -> str:
        """The map in words: the extremes and the median, then the units per class."""
        lang, metric = view.state.lang, np.asarray(view.metric, dtype=float)
        n_missing = int((~np.isfinite(metric)).sum())
        if self.masks_flagged:  # the extremes and the median of the values that can be read
            metric = np.where(view.flagged, np.nan, metric)
        ok = np.isfinite(metric)
        if not ok.any():
            return t("map.no_values", lang, country=country_name)
        lo, hi = int(np.nanargmin(metric)), int(np.nanargmax(metric))
        intro = alt_intro(
            view,
            "map.alt_text",
            country_name,
            min_name=view.layer.names[lo],
            min_value=view.metric_text[lo],
            max_name=view.layer.names[hi],
            max_value=view.metric_text[hi],
            median=number(float(np.nanmedian(metric)), self.decimals(view.indicator), lang),
            n_missing=n_missing,
        )
        return f"{intro} {alt_classes(view.legend, lang)}"


def alt_intro(view: ViewData, key: str, country_name: str, **values) -> str:
    """The first sentence of a text alternative: the message ``key`` with the metric, the
    country and the year (and ``values``)."""
    lang = view.state.lang
    return t(
        key, lang, indicator=view.metric_label, country=country_name, year=view.state.year, **values
    )


def alt_classes(legend: Sequence[LegendEntry], lang: str) -> str:
    """ "Units per class: a: n; b: m." for a text alternative."""
    return t(
        "views.alt_classes",
        lang,
        classes="; ".join(f"{e.label}: {number(e.count, 0, lang)}" for e in legend),
    )


def signed(values: np.ndarray, decimals: int, lang: str) -> list[str]:
    """Numbers with a "+" before positive ones (changes)."""
    return [
        ("+" if x > 0 else "") + s
        for x, s in zip(values, numbers(values, decimals, lang), strict=True)
    ]

"""The status view: each unit's progress class towards the target (categorical)."""

from __future__ import annotations

import numpy as np

from atlas.catalog import Indicator
from atlas.classify import Classes
from atlas.i18n import t
from atlas.method import STATUSES
from atlas.urlstate import State
from atlas.views.base import LegendEntry, Metric, MetricInput, ViewData, alt_classes, alt_intro
from atlas.views.target import TargetView, status_labels

#: Status colours, ordered best to worst (ColorBrewer PuOr, distinguishable with colour blindness).
STATUS_COLOURS = {
    "achieved": "#542788",
    "on_track": "#998ec3",
    "improving_fast": "#542788",
    "improving": "#998ec3",
    "improving_slowly": "#fdb863",
    "must_accelerate": "#f1a340",
    "stagnation_regression": "#b35806",
    "not_achieved": "#7f3b08",
    "worsening": "#b35806",
}
#: The high-contrast palette's status colours (presentation mode on a washed-out projector): any two
#: of one framework's statuses stay apart after a contrast reduction (atlas/colour.py).
STATUS_CONTRAST = {
    "achieved": "#00396b",
    "on_track": "#00ceff",
    "improving_fast": "#00396b",
    "improving": "#00ceff",
    "improving_slowly": "#ffd08a",
    "must_accelerate": "#ffd08a",
    "stagnation_regression": "#d5400e",
    "not_achieved": "#3e1f00",
    "worsening": "#d5400e",
}
STATUS_ORDER = [s for s in STATUSES if s != "insufficient_data"]


class Status(TargetView):
    name = "status"
    ranking_ci = True

    def metric(self, m: MetricInput) -> Metric:
        """The class rank among the classes present (1 = best), NaN without a verdict."""
        status = m.progress["status"]
        present = tuple(s for s in STATUS_ORDER if (status == s).any())
        rank = {s: i + 1 for i, s in enumerate(present)}
        idx = np.array([rank.get(s, 0) for s in status], dtype="int16")
        values = np.where(idx > 0, idx, np.nan).astype(float)
        label = t("views.status.label", m.state.lang, indicator=m.name)
        return Metric(values, status_labels(status, m.state.lang), label, categories=present)

    def decimals(self, ind: Indicator) -> None:
        return None  # categories

    def classes(self, state: State, metric: Metric, ind: Indicator) -> tuple[Classes, list[str]]:
        idx = np.nan_to_num(metric.values, nan=0.0).astype("int16")
        k = len(metric.categories)
        cls = Classes(
            breaks=tuple(float(i) for i in range(1, k + 1)),
            lower=1.0,
            index=idx,
            counts=tuple(int((idx == i + 1).sum()) for i in range(k)),
            no_data=int((idx == 0).sum()),
        )
        colours = STATUS_CONTRAST if state.palette == "contrast" else STATUS_COLOURS
        return cls, [colours[s] for s in metric.categories]

    def legend(self, cls, colours, ind, lang, metric) -> list[LegendEntry]:
        return [
            LegendEntry(t(f"target.status.{s}", lang), colours[i], cls.counts[i])
            for i, s in enumerate(metric.categories)
        ]

    def sort_keys(self, view: ViewData) -> tuple[np.ndarray, str]:
        best = "low" if view.indicator.direction == "lower" else "high"
        return np.asarray(view.metric, dtype=float), best  # class rank, 1 = best

    def ranking_x(self, view: ViewData) -> np.ndarray:
        return np.asarray(view.value, dtype=float)  # within a class, by value

    def alt_text(self, view: ViewData, country_name: str) -> str:
        """The classes in words (a map whose units all lack enough data says how many)."""
        intro = alt_intro(view, "views.status.alt", country_name)
        return f"{intro} {alt_classes(view.legend, view.state.lang)}"

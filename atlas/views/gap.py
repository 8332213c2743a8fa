"""The gap view: the share of the required change still to go to the target (0 % = met)."""

from __future__ import annotations

import math

import numpy as np

from atlas.catalog import Indicator
from atlas.classify import Classes, classify, palette
from atlas.i18n import numbers, t
from atlas.urlstate import State
from atlas.views.base import Availability, LegendEntry, Metric, MetricInput, ViewData
from atlas.views.target import TargetView

#: Target-based classes on the share of the required change still to go.
GAP_BREAKS = (0.0, 25.0, 50.0, 75.0, 100.0)


class Gap(TargetView):
    name = "gap"

    def available(self, a: Availability) -> bool:
        return super().available(a) and a.target.is_numeric

    def metric(self, m: MetricInput) -> Metric:
        lang = m.state.lang
        values = np.clip(m.progress["gap_share"].to_numpy(float) * 100, 0, None)
        gaps = numbers(m.progress["gap"].to_numpy(float), m.indicator.decimals, lang)
        text = [
            t("views.gap.text", lang, share=s, gap=g, unit=m.unit_label) if math.isfinite(v) else s
            for v, s, g in zip(values, numbers(values, 0, lang), gaps, strict=True)
        ]
        return Metric(values, text, t("views.gap.label", lang, indicator=m.name))

    def decimals(self, ind: Indicator) -> int:
        return 0  # whole percentages

    def classes(self, state: State, metric: Metric, ind: Indicator) -> tuple[Classes, list[str]]:
        cls = classify(metric.values, method="manual", manual=list(GAP_BREAKS))
        return cls, palette(len(cls.breaks), "contrast" if state.palette == "contrast" else "OrRd")

    def legend(self, cls, colours, ind, lang, metric) -> list[LegendEntry]:
        legend = super().legend(cls, colours, ind, lang, metric)
        if legend and cls.breaks[0] == 0.0:
            legend[0] = LegendEntry(t("views.gap.met", lang), legend[0].colour, legend[0].count)
        return legend

    def sort_keys(self, view: ViewData) -> tuple[np.ndarray, str]:
        return np.asarray(view.metric, dtype=float), "low"

    def x_suffix(self) -> str:
        return " %"

    def x_title(self, view: ViewData, lang: str) -> str:
        return t("views.gap.axis", lang)

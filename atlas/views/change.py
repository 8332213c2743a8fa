"""The change view: the change since a base year, in the indicator's unit (diverging colours)."""

from __future__ import annotations

import numpy as np

from atlas.catalog import Indicator
from atlas.classify import Classes, classify, diverging
from atlas.i18n import t
from atlas.urlstate import State
from atlas.views.base import Availability, Column, MapView, Metric, MetricInput, ViewData, signed


class Change(MapView):
    name = "change"
    controls = frozenset({"base_year"})
    zeroline = True
    masks_flagged = True

    def available(self, a: Availability) -> bool:
        return len(a.years) >= 2 and a.comparable_years

    def metric(self, m: MetricInput) -> Metric:
        s = m.state
        base = m.store.values(s.indicator, s.base_year, s.country, s.level)
        values = m.values.value - base.value
        text = signed(values, m.indicator.decimals, s.lang)
        name = t("views.change.label", s.lang, indicator=m.name, base=s.base_year, year=s.year)
        return Metric(values, text, name)

    def classes(self, state: State, metric: Metric, ind: Indicator) -> tuple[Classes, list[str]]:
        cls = classify(np.asarray(metric.values), state.classes, "symmetric")
        contrast = state.palette == "contrast"
        return cls, diverging(cls.breaks, ind.direction == "lower", contrast=contrast)

    def ranking_title(self, view: ViewData, lang: str) -> str:
        return view.metric_label  # it already names its years

    def x_title(self, view: ViewData, lang: str) -> str:
        return t("views.change.axis", lang, unit=view.unit_label)

    def table_columns(self, view: ViewData, lang: str) -> list[Column]:
        head = t("views.change.column", lang, base=view.state.base_year, unit=view.unit_label)
        return [Column(head, True, view.metric_text.__getitem__)]

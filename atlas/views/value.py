"""The value view: the indicator in the chosen year."""

from __future__ import annotations

from atlas.urlstate import CLASSIFICATIONS
from atlas.views.base import MapView, Metric, MetricInput


class Value(MapView):
    name = "value"
    # Target-based classes are shares of the required change still to go: the gap view's.
    classifications = tuple(c for c in CLASSIFICATIONS if c != "target")
    metric_is_value = True
    masks_flagged = True
    ranking_ci = True

    def metric(self, m: MetricInput) -> Metric:
        return Metric(m.values.value, m.value_text, m.name)

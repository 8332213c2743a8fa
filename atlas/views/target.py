"""What the views measured against a target (gap, status) share: the target control, the
progress columns of the table and hover, and "insufficient data" for units without a verdict."""

from __future__ import annotations

import math

from atlas.i18n import number, t
from atlas.method import STATUSES
from atlas.views.base import Availability, Column, MapView, ViewData


class TargetView(MapView):
    controls = frozenset({"framework"})

    def available(self, a: Availability) -> bool:
        # context indicators (population) have no target; nominal values show no progress
        return a.indicator.direction != "none" and a.comparable_years

    def no_data_label(self, lang: str) -> str:
        return t("target.status.insufficient_data", lang)

    def hover_rows(self, view: ViewData, lang: str) -> list[tuple[str, list[str], str]]:
        return [
            *super().hover_rows(view, lang),
            (t("views.target", lang), view.target_text, view.unit_label),
            (_judged(view, t("panel.status", lang), lang), view.status_text, ""),
        ]

    def table_columns(self, view: ViewData, lang: str) -> list[Column]:
        unit, decimals = view.unit_label, view.indicator.decimals
        gap = view.progress["gap"].to_numpy(float)
        share = view.progress["gap_share"].to_numpy(float)
        no_data = t("common.no_data", lang)

        def gap_text(i: int) -> str:
            if not math.isfinite(share[i]):
                return no_data
            text = f"{number(max(share[i] * 100, 0.0), 0, lang)} %"
            if math.isfinite(gap[i]) and gap[i] > 0:
                text += f" ({number(gap[i], decimals, lang)})"
            return text

        return [
            Column(t("panels.table.target", lang, unit=unit), True, view.target_text.__getitem__),
            Column(_judged(view, t("panels.table.gap", lang, unit=unit), lang), False, gap_text),
            Column(
                _judged(view, t("panels.table.status", lang), lang),
                False,
                view.status_text.__getitem__,
            ),
        ]


def _judged(view: ViewData, heading: str, lang: str) -> str:
    """A heading with the year the gap and status are judged at, when it is not the map's year
    (a target whose deadline has passed is judged on the values up to its deadline)."""
    judged = view.progress["latest_year"].dropna().unique()
    if len(judged) == 1 and int(judged[0]) != view.state.year:
        return t("views.judged_at", lang, column=heading, year=int(judged[0]))
    return heading


def status_labels(statuses, lang: str) -> list[str]:
    """Each unit's status in words."""
    labels = {s: t(f"target.status.{s}", lang) for s in STATUSES}
    return [labels[s] for s in statuses]

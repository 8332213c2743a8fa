"""What the atlas page shows for a state: the mapped metric per unit, its classes and colours,
the hover text, the legend, the caption and a text alternative. No Dash, no plotly.

Views (``State.view``):
* ``value``  — the indicator in the chosen year;
* ``change`` — the change since ``base_year`` (in the indicator's unit; diverging colours);
* ``gap``    — the share of the required change still to go to the target (0 % = target met);
* ``status`` — the progress class (categorical).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from atlas import analysis
from atlas.catalog import Catalog, Indicator
from atlas.choices import country_label
from atlas.classify import (
    NO_DATA_COLOUR,
    Classes,
    classify,
    diverging,
    palette,
)
from atlas.i18n import label, number, numbers, t
from atlas.method import STATUSES, target_note
from atlas.store import ALL, Layer, Store
from atlas.urlstate import State

#: Status colours, ordered best to worst (ColorBrewer PuOr, distinguishable with colour blindness).
STATUS_COLOURS = {
    "achieved": "#542788",
    "on_track": "#998ec3",
    "improving_fast": "#542788",
    "improving": "#998ec3",
    "improving_slowly": "#fdb863",
    "must_accelerate": "#f1a340",
    "stagnation_regression": "#b35806",
    "worsening": "#b35806",
}
STATUS_ORDER = [s for s in STATUSES if s != "insufficient_data"]
#: Target-based classes on the share of the required change still to go (gap view).
GAP_BREAKS = (0.0, 25.0, 50.0, 75.0, 100.0)


@dataclass(frozen=True)
class LegendEntry:
    label: str
    colour: str
    count: int


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
    progress: pd.DataFrame | None  # progress fields per unit (gap and status views)
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


def source_label(store: Store, source_id: str) -> str:
    s = store.source(source_id)
    return f"{s['producer']}, {s['dataset']}"


def _status_labels(lang: str) -> dict[str, str]:
    return {s: t(f"target.status.{s}", lang) for s in STATUSES}


def _classes_for(state: State, metric: np.ndarray, ind: Indicator, reverse_good: bool):
    """Classes and colours for value/change/gap metrics (status is handled separately)."""
    k = state.classes
    if state.view == "gap":  # target-based classes (choices.resolve keeps "target" to this view)
        cls = classify(metric, method="manual", manual=list(GAP_BREAKS))
        return cls, palette(len(cls.breaks), "OrRd")
    if state.view == "change":
        cls = classify(metric, k, "symmetric")
        return cls, diverging(cls.breaks, good_is_negative=ind.direction == "lower")
    cls = classify(metric, k, state.classification, list(state.breaks) or None)
    name = "OrRd" if state.palette == "auto" else state.palette
    return cls, palette(len(cls.breaks), name, reverse=reverse_good)


def compute(store: Store, catalog: Catalog, state: State) -> ViewData:
    """The whole view for a resolved state (see :func:`atlas.choices.resolve`)."""
    lang = state.lang
    ind = catalog[state.indicator]
    vals = store.values(state.indicator, state.year, state.country, state.level)
    layer = vals.layer
    value_text = numbers(vals.value, ind.decimals, lang)
    if vals.has_ci:
        ci = numbers(vals.ci_low, ind.decimals, lang), numbers(vals.ci_high, ind.decimals, lang)
        value_text = [
            f"{v} [{lo}–{hi}]" if math.isfinite(x) and math.isfinite(a) else v
            for v, lo, hi, x, a in zip(value_text, *ci, vals.value, vals.ci_low, strict=True)
        ]
    unit_label = catalog.unit_label(ind.unit, lang)
    name = label(ind.label, lang)
    progress = status_text = target_text = None
    notes: list[tuple[str, str]] = []

    tgt = None
    if state.view in ("gap", "status"):
        tgt = analysis.state_target(catalog, state)
        progress = analysis.layer_progress(
            store,
            catalog,
            indicator=state.indicator,
            country=state.country,
            level=state.level,
            until=state.year,
            tgt=tgt,
        )
        labels = _status_labels(lang)
        status_text = [labels[s] for s in progress["status"]]
        target_text = numbers(progress["target_value"].to_numpy(float), ind.decimals, lang)

    if state.view == "value":
        metric = vals.value
        metric_text = value_text
        metric_label = name
        cls, colours = _classes_for(state, metric, ind, reverse_good=ind.direction == "higher")
    elif state.view == "change":
        base = store.values(state.indicator, state.base_year, state.country, state.level)
        metric = vals.value - base.value
        metric_text = [
            ("+" if x > 0 else "") + s
            for x, s in zip(metric, numbers(metric, ind.decimals, lang), strict=True)
        ]
        metric_label = t(
            "views.change_label", lang, indicator=name, base=state.base_year, year=state.year
        )
        cls, colours = _classes_for(state, metric, ind, reverse_good=False)
    elif state.view == "gap":
        metric = np.clip(progress["gap_share"].to_numpy(float) * 100, 0, None)
        metric_text = [
            t("views.gap_text", lang, share=s, gap=g, unit=unit_label) if math.isfinite(m) else s
            for m, s, g in zip(
                metric,
                numbers(metric, 0, lang),
                numbers(progress["gap"].to_numpy(float), ind.decimals, lang),
                strict=True,
            )
        ]
        metric_label = t("views.gap_label", lang, indicator=name)
        cls, colours = _classes_for(state, metric, ind, reverse_good=False)
    else:  # status
        present = [s for s in STATUS_ORDER if (progress["status"] == s).any()]
        rank = {s: i + 1 for i, s in enumerate(present)}
        idx = np.array([rank.get(s, 0) for s in progress["status"]], dtype="int16")
        metric = np.where(idx > 0, idx, np.nan).astype(float)
        metric_text = status_text
        metric_label = t("views.status_label", lang, indicator=name)
        colours = [STATUS_COLOURS[s] for s in present]
        cls = Classes(
            breaks=tuple(float(i) for i in range(1, len(present) + 1)),
            lower=1.0,
            index=idx,
            counts=tuple(int((idx == i + 1).sum()) for i in range(len(present))),
            no_data=int((idx == 0).sum()),
        )
        legend = [LegendEntry(labels[s], colours[i], cls.counts[i]) for i, s in enumerate(present)]

    # Decimals of the metric (gap: whole percentages); status classes are categories.
    decimals = None if state.view == "status" else (0 if state.view == "gap" else ind.decimals)
    if decimals is not None:
        edges = numbers([cls.lower, *cls.breaks], decimals, lang)
        legend = [
            LegendEntry(f"{edges[i]} – {edges[i + 1]}", c, n)
            for i, (c, n) in enumerate(zip(colours, cls.counts, strict=True))
        ]
        if state.view == "gap" and legend and cls.breaks[0] == 0.0:
            legend[0] = LegendEntry(t("views.gap_met", lang), legend[0].colour, legend[0].count)
    no_data_label = (
        t("target.status.insufficient_data", lang)
        if state.view in ("gap", "status")
        else t("common.no_data", lang)
    )
    legend.append(LegendEntry(no_data_label, NO_DATA_COLOUR, cls.no_data))

    source = source_label(store, vals.source_id)
    n_data = int(np.isfinite(metric).sum())
    country_name = country_label(store, state.country, lang)
    title = t("map.legend_title", lang, indicator=metric_label, year=state.year)
    caption = t(
        "map.caption",
        lang,
        indicator=metric_label,
        year=state.year,
        source=source,
        n_data=number(n_data, 0, lang),
        n_units=number(len(layer), 0, lang),
    )
    alt = _alt_text(
        lang,
        metric_label,
        country_name,
        state.year,
        layer,
        metric,
        metric_text,
        legend,
        decimals,
    )
    series = next(
        (s for s in ind.series_for(state.country, state.level) if s.source == vals.source_id), None
    )
    if state.country == ALL:
        notes.append((t("views.all_caveat_title", lang), t("views.all_caveat", lang)))
    if ind.direction != "none":
        notes.append(
            (
                "",
                t(
                    "map.lower_is_better" if ind.direction == "lower" else "map.higher_is_better",
                    lang,
                ),
            )
        )
    if series and series.comparability[lang]:
        notes.append((t("map.comparability", lang), series.comparability[lang]))
    if tgt is not None:
        notes.append(
            (
                t("views.target", lang),
                target_note(tgt, lang),
            )
        )
    return ViewData(
        state=state,
        indicator=ind,
        layer=layer,
        metric=metric,
        metric_text=metric_text,
        value=vals.value,
        value_text=value_text,
        ci_low=vals.ci_low,
        ci_high=vals.ci_high,
        classes=cls.index,
        colours=colours,
        legend=legend,
        progress=progress,
        status_text=status_text,
        target_text=target_text,
        source_id=vals.source_id,
        source=source,
        metric_label=metric_label,
        unit_label=unit_label,
        title=title,
        caption=caption,
        alt_text=alt,
        notes=notes,
    )


def _alt_text(
    lang, metric_label, country_name, year, layer, metric, metric_text, legend, decimals
) -> str:
    """The map in words: the extremes and the median for numbers, then the units per class.
    ``decimals`` None means the metric is categorical (status classes): no extremes then, and
    a map whose units all lack enough data says how many (their values exist)."""
    ok = np.isfinite(metric)
    if not ok.any() and decimals is not None:
        return t("map.no_values", lang, country=country_name)
    classes = t(
        "views.alt_classes",
        lang,
        classes="; ".join(f"{e.label}: {number(e.count, 0, lang)}" for e in legend),
    )
    if decimals is None:
        intro = t(
            "views.alt_categorical", lang, indicator=metric_label, country=country_name, year=year
        )
        return f"{intro} {classes}"
    lo, hi = int(np.nanargmin(metric)), int(np.nanargmax(metric))
    intro = t(
        "map.alt_text",
        lang,
        indicator=metric_label,
        country=country_name,
        year=year,
        min_name=layer.names[lo],
        min_value=metric_text[lo],
        max_name=layer.names[hi],
        max_value=metric_text[hi],
        median=number(float(np.nanmedian(metric)), decimals, lang),
        n_missing=int((~ok).sum()),
    )
    return f"{intro} {classes}"

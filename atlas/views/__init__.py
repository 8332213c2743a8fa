"""What the atlas page shows for a state: the mapped metric per unit, its classes and colours,
the hover text, the legend, the caption and a text alternative. No Dash, no plotly.

The views (``State.view``, the URL's ``m``) are registered below, in the order the page offers
them; each is one module of this package (see :class:`atlas.views.base.MapView`):

* ``value``  — the indicator in the chosen year;
* ``change`` — the change since ``base_year`` (in the indicator's unit; diverging colours);
* ``gap``    — the share of the required change still to go to the target (0 % = target met);
* ``status`` — the progress class (categorical).

Adding a view is one module, its messages (``views.name.<name>`` and its own) and one line in
:data:`REGISTRY`.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import replace

import numpy as np

from atlas import analysis
from atlas.catalog import Catalog
from atlas.classify import FLAGGED_COLOUR, NO_DATA_COLOUR
from atlas.flags import reason_texts as flag_texts
from atlas.i18n import label, number, numbers, t
from atlas.memo import for_object
from atlas.method import target_note
from atlas.places import country_label
from atlas.store import ALL, Store, Values
from atlas.text import source_label
from atlas.urlstate import State
from atlas.views.base import (
    Availability,
    Column,
    LegendEntry,
    MapView,
    Metric,
    MetricInput,
    ViewData,
    indicator_axis,
    short_name,
)
from atlas.views.change import Change
from atlas.views.gap import Gap
from atlas.views.status import STATUS_COLOURS, STATUS_ORDER, Status
from atlas.views.target import status_labels
from atlas.views.value import Value

__all__ = [
    "REGISTRY",
    "STATUS_COLOURS",
    "STATUS_ORDER",
    "Availability",
    "Column",
    "LegendEntry",
    "MapView",
    "Metric",
    "ViewData",
    "compute",
    "indicator_axis",
    "short_name",
    "source_label",
]


class Registry:
    """The map views by name, in the order the page offers them."""

    def __init__(self, *views: MapView):
        self._views = {v.name: v for v in views}
        if len(self._views) != len(views) or "" in self._views:
            raise ValueError("Every view needs a name of its own.")

    def __getitem__(self, name: str) -> MapView:
        return self._views[name]

    def __contains__(self, name: object) -> bool:
        return name in self._views

    def __iter__(self) -> Iterator[MapView]:
        return iter(self._views.values())

    def names(self) -> tuple[str, ...]:
        return tuple(self._views)


REGISTRY = Registry(Value(), Change(), Gap(), Status())


def _flags(store: Store, state: State, vals: Values, kind: MapView):
    """Each unit's flag (the year's, else the base year's for a view that compares with one) and
    its reason in words; (None, None) when no value shown is flagged."""
    flag, ref, weight = vals.flag, vals.flag_ref, vals.weight
    if "base_year" in kind.controls and state.base_year:
        base = store.values(state.indicator, state.base_year, state.country, state.level)
        if base.flag is not None:
            own = flag if flag is not None else np.full(len(base.flag), "", dtype=object)
            use_base = (own == "") & (base.flag != "")
            flag = np.where(use_base, base.flag, own)
            ref = np.where(use_base, base.flag_ref, ref if ref is not None else "")
            bw = base.weight if base.weight is not None else np.full(len(own), np.nan)
            weight = np.where(use_base, bw, weight if weight is not None else np.nan)
    if flag is None or not (flag != "").any():
        return None, None
    texts = flag_texts(store, flag, ref, weight, state.lang, len(flag))
    return flag, texts


def _admin1_note(store: Store, state: State, layer) -> list[tuple[str, str]]:
    """At admin-1, how many of the year's values are averages of municipalities computed by the
    atlas and how many the producer's published figures (none when the store holds the
    producer's own admin-1 series)."""
    bases = [store.admin1_basis(state.indicator, u, state.year) for u in layer.unit_ids]
    published = sum(1 for b in bases if b is not None and b["basis"] == "published")
    rolled = sum(1 for b in bases if b is not None and b["basis"] != "published")
    if not rolled:
        return []
    lang = state.lang
    text = t(
        "map.admin1_rollups",
        lang,
        n=number(rolled, 0, lang),
        published=number(published, 0, lang),
    )
    return [(t("map.admin1_rollups_title", lang), text)]


#: The fields of a state :func:`compute` reads (tests/atlas/test_views.py checks the views' code
#: reads no other): two states equal on these give the same view but for ``ViewData.state``.
VIEW_FIELDS = (
    "country",
    "level",
    "indicator",
    "year",
    "view",
    "base_year",
    "framework",
    "local_value",
    "local_year",
    "classification",
    "classes",
    "breaks",
    "palette",
    "lang",
)
#: Views kept per store and catalog (a Brazil view is about 2 MB).
MEMO_SIZE = 12


def view_key(catalog: Catalog, state: State) -> tuple:
    """What a view depends on besides the store: two states with the same key have the same
    view (but for ``ViewData.state``); the key of :func:`compute`'s memo and of memos of what is
    derived from a view alone."""
    return (id(catalog), tuple(getattr(state, f) for f in VIEW_FIELDS))


def compute(store: Store, catalog: Catalog, state: State) -> ViewData:
    """The whole view for a resolved state (see :func:`atlas.choices.resolve`); the last
    :data:`MEMO_SIZE` views of a store are kept (:mod:`atlas.memo`), so the page's meta tags and
    its view callback, or a room of readers on one link, compute it once per worker."""
    key = view_key(catalog, state)
    memo = for_object(store, "views", MEMO_SIZE)
    view = memo.get_or_compute(key, lambda: _compute(store, catalog, state))
    return view if view.state == state else replace(view, state=state)


def _compute(store: Store, catalog: Catalog, state: State) -> ViewData:
    lang = state.lang
    kind = REGISTRY[state.view]
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
    progress = status_text = target_text = tgt = None
    if kind.assesses_progress:
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
        status_text = status_labels(progress["status"], lang)
        target_text = numbers(progress["target_value"].to_numpy(float), ind.decimals, lang)

    metric = kind.metric(
        MetricInput(store, state, ind, vals, value_text, progress, name, unit_label)
    )
    flag, flag_text = _flags(store, state, vals, kind)
    # A view of the values themselves classes the unflagged ones and draws the flagged ones in a
    # class of their own ("⚠ flagged"), so an unstable rate neither sets the breaks nor reads as
    # a level; views from the progress (which leaves flagged values out) class every unit.
    masked = np.zeros(len(vals.value), dtype=bool)
    if flag is not None and kind.masks_flagged:
        masked = (flag != "") & np.isfinite(metric.values)
    classified = replace(metric, values=np.where(masked, np.nan, metric.values))
    cls, colours = kind.classes(state, classified, ind)
    legend = kind.legend(cls, colours, ind, lang, classified)
    classes = cls.index
    if masked.any():
        classes = np.where(masked, len(colours) + 1, classes).astype(cls.index.dtype)
        colours = [*colours, FLAGGED_COLOUR]
        legend.append(LegendEntry(t("flags.legend", lang), FLAGGED_COLOUR, int(masked.sum())))
    no_data = cls.no_data - int(masked.sum())
    legend.append(LegendEntry(kind.no_data_label(lang), NO_DATA_COLOUR, no_data))
    source = source_label(store, vals.source_id)
    n_data = int(np.isfinite(metric.values).sum())
    title = t("map.legend_title", lang, indicator=metric.label, year=state.year)
    caption = t(
        "map.caption",
        lang,
        indicator=metric.label,
        year=state.year,
        source=source,
        n_data=number(n_data, 0, lang),
        n_units=number(len(layer), 0, lang),
    )
    notes: list[tuple[str, str]] = []
    series = next(
        (s for s in ind.series_for(state.country, state.level) if s.source == vals.source_id), None
    )
    if state.country == ALL:
        notes.append((t("views.all_caveat_title", lang), t("views.all_caveat", lang)))
    if state.level == "admin1":
        notes.extend(_admin1_note(store, state, layer))
    if ind.direction != "none":
        key = "map.lower_is_better" if ind.direction == "lower" else "map.higher_is_better"
        notes.append(("", t(key, lang)))
    if series and series.comparability[lang]:
        notes.append((t("map.comparability", lang), series.comparability[lang]))
    if tgt is not None:
        notes.append((t("views.target", lang), target_note(tgt, lang)))
    if flag is not None:
        n_flagged = number(int((flag != "").sum()), 0, lang)
        notes.append((t("flags.title", lang), t("flags.note", lang, n=n_flagged)))
    data = ViewData(
        state=state,
        indicator=ind,
        layer=layer,
        metric=metric.values,
        metric_text=metric.text,
        value=vals.value,
        value_text=value_text,
        ci_low=vals.ci_low,
        ci_high=vals.ci_high,
        classes=classes,
        colours=colours,
        legend=legend,
        progress=progress,
        status_text=status_text,
        target_text=target_text,
        source_id=vals.source_id,
        source=source,
        metric_label=metric.label,
        unit_label=unit_label,
        title=title,
        caption=caption,
        alt_text="",
        notes=notes,
        flag=flag,
        flag_text=flag_text,
        breaks=cls.breaks,
    )
    alt = kind.alt_text(data, country_label(store, state.country, lang))
    return replace(data, alt_text=alt)

"""The upload page's preview: the validated values of an upload drawn as a small map beside the
official layer of the same indicator, country, level and (nearest) year, with the official
map's classes and colours, so the two read alike. Drawn on the server as SVG by
:mod:`atlas.render` (no browser work), each with a caption (the official one: its source and
year; the upload's: "preview, not published") and a text alternative.

The maps show the area the upload covers: the state when every unit is in one (a single
municipality is then visible among its neighbours), else the units' bounding box, else (a
country-wide file) the country. The legend counts and the text alternative are those of the
covered units on both maps, so they compare.

Plain Python (no Dash, no database). Cost: the official view is :func:`atlas.views.compute`'s
(kept per store), the geometry :mod:`atlas.render`'s; a Brazil-wide preview takes 1.3 s of CPU
on a store opened afresh, 0.1 s after (``python -m bench.upload``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from atlas import render
from atlas.catalog import Catalog
from atlas.classify import FLAGGED_COLOUR, NO_DATA_COLOUR, class_of
from atlas.contrib.validation import Report
from atlas.i18n import label, number, t
from atlas.place import focus_bounds
from atlas.places import country_label
from atlas.store import Store
from atlas.urlstate import State
from atlas.views import REGISTRY, LegendEntry, ViewData, compute
from atlas.views.base import Metric, alt_classes

#: Covering more than this share of the country's states, the map shows the whole country (its
#: outlines are then the renderer's cached ones).
WHOLE_COUNTRY_SHARE = 0.5


@dataclass(frozen=True)
class PreviewMap:
    """One map of the preview: its SVG markup (no fixed size: it fills its column), the caption
    under it and its text alternative (also the SVG's ``desc``)."""

    kind: str  # "official" or "upload"
    svg: str
    caption: str
    alt: str


@dataclass(frozen=True)
class Preview:
    """The two maps (the official one None when the store has no layer of the indicator for the
    country and level), the year and level shown, and how many units the upload covers there."""

    year: int
    level: str
    covered: int
    official: PreviewMap | None
    upload: PreviewMap
    official_year: int | None = None
    official_link: str = ""


def _chosen(report: Report, store: Store) -> tuple[int, str, dict[str, float]] | None:
    """The year (the latest of the clean rows), the level (that of most of that year's units)
    and the values per unit to draw; None when no row is clean."""
    clean = report.clean
    if clean.empty:
        return None
    year = int(clean["year"].max())
    rows = clean[clean["year"] == year]
    ids = rows["unit_id"].astype(str).to_numpy()
    # each level's layer tells its units apart (store.unit per row costs ms: 5 s for Brazil)
    found = {
        level: store.layer(report.country, level).index.get_indexer(ids) >= 0
        for level in store.levels(report.country)
    }
    if not found or not any(hits.any() for hits in found.values()):
        return None
    level = max(found, key=lambda lv: int(found[lv].sum()))
    values = {u: float(v) for u, v, k in zip(ids, rows["value"], found[level], strict=True) if k}
    return year, level, values


def _official_year(store: Store, indicator: str, country: str, level: str, year: int) -> int | None:
    """The store's year of the indicator nearest to ``year`` (an earlier one on a tie)."""
    years = store.years(indicator, country, level)
    if not years:
        return None
    return min(years, key=lambda y: (abs(y - year), y > year))


def _bounds(store: Store, country: str, level: str, units: list[str]) -> tuple[tuple, bool]:
    """The projected box to show (see the module's docstring) and whether it is the country's."""
    layer = store.layer(country, level)
    codes = layer.admin1_codes[layer.index.get_indexer(units)]
    states = {str(c) for c in codes if c is not None and str(c) not in ("", "nan", "None")}
    all_states = {str(c) for c in layer.admin1_codes if c is not None}
    whole = level == "admin1" or (
        len(all_states) > 1 and len(states) > WHOLE_COUNTRY_SHARE * len(all_states)
    )
    if whole:
        box = list(store.bounds(country))
    elif len(states) == 1:
        box = focus_bounds(store, country, admin1=states.pop())
    else:
        boxes = np.array([b for u in units if (b := store.unit_bounds(u)) is not None])
        if len(boxes):
            box = [*boxes[:, :2].min(axis=0).tolist(), *boxes[:, 2:].max(axis=0).tolist()]
        else:
            box, whole = list(store.bounds(country)), True
    (x0, y0), (x1, y1) = render._mercator([[box[0], box[1]], [box[2], box[3]]]).tolist()
    return (x0, y0, x1, y1), whole


def _bare_view(state: State, ind, layer, colours: list[str], legend: list) -> ViewData:
    """A view of no official value, to draw an upload whose indicator the store lacks there."""
    nan = np.full(len(layer), np.nan)
    empty = [""] * len(layer)
    return ViewData(
        state=state,
        indicator=ind,
        layer=layer,
        metric=nan,
        metric_text=empty,
        value=nan,
        value_text=empty,
        ci_low=nan,
        ci_high=nan,
        classes=np.zeros(len(layer), dtype="int16"),
        colours=colours,
        legend=legend,
        progress=None,
        status_text=None,
        target_text=None,
        source_id="",
        source="",
        metric_label="",
        unit_label="",
        title="",
        caption="",
        alt_text="",
        notes=[],
    )


def _legend(view: ViewData, classes: np.ndarray, covered: np.ndarray) -> list[LegendEntry]:
    """The view's class labels (classes 1..k in order, the flagged class, then "no data") with
    the counts of ``classes`` over the covered units."""
    mine = classes[covered]
    out = []
    for k, entry in enumerate(view.legend, start=1):
        c = 0 if entry.colour == NO_DATA_COLOUR else k
        out.append(LegendEntry(entry.label, entry.colour, int((mine == c).sum())))
    return out


def _alt(what: str, view: ViewData, values: np.ndarray, covered: np.ndarray, lang: str) -> str:
    """The map in words, over the covered units: how many have a value, the lowest, the highest
    and the median, then the units per class."""
    v = np.where(covered, values, np.nan)
    ok = np.isfinite(v)
    decimals = view.indicator.decimals
    if not ok.any():
        intro = t(
            "contrib.preview.alt_none", lang, what=what, n=number(int(covered.sum()), 0, lang)
        )
    else:
        lo, hi = int(np.nanargmin(v)), int(np.nanargmax(v))
        names = view.layer.names
        intro = t(
            "contrib.preview.alt",
            lang,
            what=what,
            n=number(int(ok.sum()), 0, lang),
            covered=number(int(covered.sum()), 0, lang),
            min_name=names[lo],
            min_value=number(float(v[lo]), decimals, lang),
            max_name=names[hi],
            max_value=number(float(v[hi]), decimals, lang),
            median=number(float(np.nanmedian(v)), decimals, lang),
        )
    return f"{intro} {alt_classes(view.legend, lang)}"


def _svg(view: ViewData, geo: render.Geometry, fr: render.Frame, name: str) -> str:
    """The renderer's SVG as markup for the page: no fixed size (it fills its column) and its
    clip path named ``name`` (two maps on one page must not share an id)."""
    body = render.svg(view, geo, fr).decode("utf-8")
    w, h = render.SVG_SIZE
    body = body.replace(f'width="{w}" height="{h}" viewBox', 'class="preview-map" viewBox', 1)
    return body.replace('id="map-area"', f'id="{name}"').replace("url(#map-area)", f"url(#{name})")


def preview(
    store: Store,
    catalog: Catalog,
    report: Report,
    lang: str,
    link: Callable[[State], str] | None = None,
    filename: str = "",
) -> Preview | None:
    """The two maps of ``report``'s clean rows (None when no row is clean or no unit has
    geometry); ``link`` gives the address of the official layer's view in the atlas (written at
    the foot of the official map, and :attr:`Preview.official_link`), ``filename`` is written
    under the upload's."""
    chosen = _chosen(report, store)
    if chosen is None:
        return None
    year, level, values = chosen
    country, indicator = report.country, report.indicator
    ind = catalog[indicator]
    layer = store.layer(country, level)
    pos = layer.index.get_indexer(list(values))
    keep = pos >= 0
    units = [u for u, k in zip(values, keep, strict=True) if k]
    if not units:
        return None
    covered = np.zeros(len(layer), dtype=bool)
    covered[pos[keep]] = True
    uploaded = np.full(len(layer), np.nan)
    uploaded[pos[keep]] = [values[u] for u in units]
    bounds, whole = _bounds(store, country, level, units)
    name = label(ind.short or ind.label, lang)

    official_year = _official_year(store, indicator, country, level, year)
    if official_year is not None:
        state = State(lang=lang, country=country, level=level, indicator=indicator,
                      year=official_year)  # fmt: skip
        view = compute(store, catalog, state)
        official_url = link(state) if link else ""
    else:
        view = None

    # the upload's classes: the official view's (its breaks, the rule its own values follow),
    # or, when the store has no official layer, the value view's default classes of its own
    if view is not None:
        colours = list(view.colours)  # the flagged class's colour last, when there is one
        up = class_of(uploaded, view.breaks).astype(view.classes.dtype)
        base = view
    else:
        state = State(lang=lang, country=country, level=level, indicator=indicator, year=year)
        kind, metric = REGISTRY["value"], Metric(uploaded, [""] * len(layer), "")
        cls, colours = kind.classes(state, metric, ind)
        legend = kind.legend(cls, colours, ind, lang, metric)
        legend.append(LegendEntry(kind.no_data_label(lang), NO_DATA_COLOUR, 0))
        up = cls.index
        base = _bare_view(state, ind, layer, colours, legend)

    geo = render.Geometry(
        units=store.path / "geo" / store.geo_file(country, level, "low"),
        admin1=(
            store.path / "geo" / store.geo_file(country, "admin1", "low")
            if level == "municipality" and "admin1" in store.levels(country)
            else None
        ),
        bounds=bounds,
        whole=whole,
    )
    where = country_label(store, country, lang)
    legend_title = catalog.unit_label(ind.unit, lang)

    official_map = None
    if view is not None:
        legend = _legend(view, np.asarray(view.classes), covered)
        what = t("contrib.preview.official_what", lang, indicator=name, year=official_year)
        oview = replace(view, legend=legend)
        alt = _alt(what, oview, np.asarray(view.value, dtype=float), covered, lang)
        oview = replace(oview, alt_text=alt, state=replace(view.state, unit=""))
        caption = t(
            "contrib.preview.official_caption", lang, source=view.source, year=official_year
        )
        fr = render.Frame(
            title=t("contrib.preview.official_title", lang, indicator=name, year=official_year),
            subtitle=f"{where} · {t(f'level.{level}', lang)}",
            legend_title=legend_title,
            legend=tuple((f"{e.label} ({number(e.count, 0, lang)})", e.colour) for e in legend),
            source=t("render.source", lang, source=view.source, year=official_year),
            url=official_url,
            site=t("app.title", lang),
        )
        official_map = PreviewMap(
            "official", _svg(oview, geo, fr, "preview-official-area"), caption, alt
        )

    up_legend = [e for e in _legend(base, up, covered) if e.colour != FLAGGED_COLOUR]
    uview = replace(
        base,
        classes=up,
        colours=colours,
        legend=up_legend,
        metric=uploaded,
        value=uploaded,
        flag=None,
        flag_text=None,
        state=replace(base.state, unit=""),
    )
    what = t("contrib.preview.upload_what", lang, indicator=name, year=year)
    alt = _alt(what, uview, uploaded, covered, lang)
    uview = replace(uview, alt_text=alt)
    caption = t("contrib.preview.upload_caption", lang, year=year, n=number(len(units), 0, lang))
    fr = render.Frame(
        title=t("contrib.preview.upload_title", lang, indicator=name, year=year),
        subtitle=f"{where} · {t(f'level.{level}', lang)}",
        legend_title=legend_title,
        legend=tuple((f"{e.label} ({number(e.count, 0, lang)})", e.colour) for e in up_legend),
        source=t("contrib.preview.upload_source", lang, filename=filename or "-"),
        url="",
        site=t("app.title", lang),
    )
    upload_map = PreviewMap("upload", _svg(uview, geo, fr, "preview-upload-area"), caption, alt)
    return Preview(
        year,
        level,
        len(units),
        official_map,
        upload_map,
        official_year,
        official_url if view is not None else "",
    )

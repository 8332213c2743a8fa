"""What a choropleth shows, computed without Dash or plotly: classes, colours, legend, hover text,
caption and a text alternative. ``layouts/figures.py`` turns a :class:`MapView` into a figure.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from atlas.catalog import Catalog
from atlas.classify import NO_DATA_COLOUR, classify, palette, stepped_colorscale
from atlas.i18n import label, number, t
from atlas.store import Store


@dataclass(frozen=True)
class LegendEntry:
    label: str
    colour: str
    count: int


@dataclass(frozen=True)
class MapView:
    geo_url: str
    unit_ids: list[str]
    z: list[int]
    colorscale: list[list]
    zmax: int
    customdata: list[list[str]]
    hovertemplate: str
    legend: list[LegendEntry]
    title: str
    caption: str
    alt_text: str
    comparability: str
    direction_note: str
    center: dict[str, float]
    zoom: float


def source_label(store: Store, source_id: str) -> str:
    s = store.source(source_id)
    return f"{s['producer']}, {s['dataset']}"


def view_for_bounds(bounds: list[float]) -> tuple[dict[str, float], float]:
    """Centre and a zoom that fits the bounding box in a map about 700 px wide."""
    minx, miny, maxx, maxy = bounds
    span = max(maxx - minx, (maxy - miny) * 1.3, 1e-3)
    zoom = max(0.0, min(12.0, math.log2(360.0 / span) + 0.6))
    return {"lon": (minx + maxx) / 2, "lat": (miny + maxy) / 2}, round(zoom, 2)


def map_view(
    store: Store,
    catalog: Catalog,
    *,
    country: str,
    level: str,
    indicator: str,
    year: int,
    lang: str,
    geo_prefix: str = "/geo/",
    classes: int = 5,
    method: str = "quantiles",
) -> MapView:
    ind = catalog[indicator]
    vals = store.values(indicator, year, country, level)
    layer = vals.layer
    cls = classify(vals.value, classes, method)
    colours = palette(len(cls.breaks), reverse=ind.direction == "higher")
    unit = catalog.unit_label(ind.unit, lang)
    source = source_label(store, vals.source_id)
    fmt = [number(v, ind.decimals, lang) for v in vals.value]
    if vals.has_ci:
        fmt = [
            f"{f} [{number(lo, ind.decimals, lang)}–{number(hi, ind.decimals, lang)}]"
            if np.isfinite(lo)
            else f
            for f, lo, hi in zip(fmt, vals.ci_low, vals.ci_high, strict=False)
        ]
    customdata = [
        [n, a or "", f] for n, a, f in zip(layer.names, layer.admin1_names, fmt, strict=False)
    ]
    hovertemplate = (
        "<b>%{customdata[0]}</b><br>%{customdata[1]}<br>"
        f"{label(ind.short, lang)}: %{{customdata[2]}} {unit}<br>"
        f"{t('common.year', lang)}: {year}<br>{t('common.source', lang)}: {source}<extra></extra>"
    )
    legend = []
    lower = cls.lower
    for b, c, n in zip(cls.breaks, colours, cls.counts, strict=False):
        legend.append(
            LegendEntry(
                f"{number(lower, ind.decimals, lang)} – {number(b, ind.decimals, lang)}", c, n
            )
        )
        lower = b
    legend.append(LegendEntry(t("common.no_data", lang), NO_DATA_COLOUR, cls.no_data))

    name = label(ind.label, lang)
    country_name = store.country_name(country)
    ok = np.isfinite(vals.value)
    if ok.any():
        i_min = int(np.nanargmin(vals.value))
        i_max = int(np.nanargmax(vals.value))
        alt = t(
            "map.alt_text",
            lang,
            indicator=name,
            country=country_name,
            year=year,
            min_name=layer.names[i_min],
            min_value=fmt[i_min],
            max_name=layer.names[i_max],
            max_value=fmt[i_max],
            median=number(float(np.nanmedian(vals.value)), ind.decimals, lang),
            n_missing=int((~ok).sum()),
        )
    else:
        alt = t("map.no_values", lang, country=country_name)
    series = next((s for s in ind.series_for(country, level) if s.source == vals.source_id), None)
    center, zoom = view_for_bounds(store.manifest["countries"][country]["bounds"])
    return MapView(
        geo_url=geo_prefix + store.geo_file(country, level, "low"),
        unit_ids=list(layer.unit_ids),
        z=[int(z) for z in cls.index],
        colorscale=stepped_colorscale(colours),
        zmax=len(colours),
        customdata=customdata,
        hovertemplate=hovertemplate,
        legend=legend,
        title=t("map.legend_title", lang, indicator=name, year=year),
        caption=t(
            "map.caption",
            lang,
            indicator=name,
            year=year,
            source=source,
            n_data=int(ok.sum()),
            n_units=len(layer),
        ),
        alt_text=alt,
        comparability=label(series.comparability, lang) if series else "",
        direction_note=t(
            "map.lower_is_better" if ind.direction == "lower" else "map.higher_is_better", lang
        )
        if ind.direction != "none"
        else "",
        center=center,
        zoom=zoom,
    )

"""A map view drawn on the server: SVG (vector), a print PNG and a link-preview PNG, each with the
view's title, legend, source, year, licence and address, so an image that travels alone still
says what it shows and where it comes from. No Dash, no plotly, no browser.

The map is drawn from the display geometry the browser gets (the store's ``geo/*.json``, low level
of detail) in Web Mercator, as the page's map; the values, classes, colours and legend are those
of :func:`atlas.views.compute`, so the image and the page agree.

Cost: the geometry of a file is read and projected once (:func:`shapes`), and its outlines are
turned into pixel or SVG coordinates once per frame size; a request then only colours the units
and writes the text. :class:`Renderer` keeps the rendered bytes of the last views by their
canonical URL (a bounded LRU), so a link preview asked for by many platforms is drawn once
(``bench/render.py`` measures it).

Text uses DejaVu Sans, vendored as a subset in ``assets/fonts/`` (``assets/VENDORED.md``): the
PNG looks the same on every server, whatever fonts the deployment has.
"""

from __future__ import annotations

import io
import json
import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import numpy as np
from PIL import Image, ImageColor, ImageDraw, ImageFont
from PIL.Image import Dither

from atlas.catalog import Catalog
from atlas.classify import NO_DATA_COLOUR
from atlas.i18n import number, t
from atlas.place import focus_bounds
from atlas.places import country_label
from atlas.store import Store
from atlas.urlstate import State
from atlas.views import ViewData, compute

FONT_DIR = Path(__file__).resolve().parent.parent / "assets" / "fonts"
FONT_FILES = {False: FONT_DIR / "DejaVuSans.ttf", True: FONT_DIR / "DejaVuSans-Bold.ttf"}
FONT_FAMILY = "'DejaVu Sans', Verdana, Arial, sans-serif"
#: A4 landscape at 300 dpi.
PRINT_SIZE = (3508, 2480)
#: Open Graph / Twitter card image (large summary card).
PREVIEW_SIZE = (1200, 630)
#: The SVG's own size: A4 landscape in CSS pixels (96 dpi); a vector scales to any size.
SVG_SIZE = (1123, 794)
#: What :meth:`Renderer.render` draws: ``svg``, ``png`` (print) and ``preview`` (card).
FORMATS = ("svg", "png", "preview")
MEDIA_TYPES = {"svg": "image/svg+xml", "png": "image/png", "preview": "image/png"}
BORDER = "#ffffff"
ADMIN1_BORDER = "#333333"
SELECTED_BORDER = "#000000"
TEXT = "#212529"
MUTED = "#555555"


class RenderError(RuntimeError):
    """The renderer cannot draw (its font files are missing)."""


# -- geometry, read and projected once ---------------------------------------------------------


@dataclass(frozen=True)
class Shapes:
    """A display geometry file in Web Mercator (degrees of longitude on both axes), as flat arrays
    (a country's first map must not cost a second of Python per ring: it is drawn within a
    request): every ring's points one after another in ``points``, ring ``r`` being
    ``points[starts[r]:starts[r + 1]]``; per feature, its polygons as tuples of ring numbers
    (exterior first)."""

    ids: tuple[str, ...]
    rings: tuple[tuple[tuple[int, ...], ...], ...]
    points: np.ndarray
    starts: np.ndarray
    bounds: tuple[float, float, float, float]
    #: Features by decreasing area: a unit drawn inside another's hole is drawn after it.
    order: tuple[int, ...]
    #: Each feature's box (min x, min y, max x, max y), to leave out those a zoomed map cannot show.
    boxes: np.ndarray


def _mercator(coords) -> np.ndarray:
    a = np.asarray(coords, dtype=float)[:, :2]
    lat = np.clip(a[:, 1], -85.0, 85.0)
    y = np.degrees(np.log(np.tan(np.pi / 4 + np.radians(lat) / 2)))
    return np.column_stack([a[:, 0], y])


@lru_cache(maxsize=32)
def shapes(path: Path) -> Shapes:
    """The projected features of a display file (content-hashed names: cached for good)."""
    with Path(path).open("rb") as fh:
        features = json.load(fh)["features"]
    ids, rings, coords = [], [], []
    for f in features:
        geom = f.get("geometry") or {}
        parts = geom.get("coordinates") or []
        if geom.get("type") == "Polygon":
            parts = [parts]
        elif geom.get("type") != "MultiPolygon":
            continue
        polys = []
        for part in parts:
            numbers = []
            for ring in part or ():
                if len(ring) >= 3:
                    numbers.append(len(coords))
                    coords.append(np.asarray(ring, dtype=float)[:, :2])
            if numbers:
                polys.append(tuple(numbers))
        if polys:
            ids.append(str(f.get("id", "")))
            rings.append(tuple(polys))
    if not rings:
        raise ValueError(f"No polygons in {path}.")
    lengths = np.fromiter((len(c) for c in coords), dtype=np.int64, count=len(coords))
    starts = np.concatenate([[0], np.cumsum(lengths)])
    points = _mercator(np.concatenate(coords))
    x, y = points[:, 0], points[:, 1]
    # shoelace area of every ring at once: each point against the one before it in its ring
    prev = np.arange(len(points)) - 1
    prev[starts[:-1]] = starts[1:] - 1
    ring_area = np.abs(np.add.reduceat(x * y[prev] - y * x[prev], starts[:-1])) / 2
    areas = [sum(ring_area[poly[0]] for poly in polys) for polys in rings]
    # each feature's rings are consecutive: its box from its rings' boxes
    first = np.array([polys[0][0] for polys in rings])
    ring_lo = np.column_stack(
        [np.minimum.reduceat(x, starts[:-1]), np.minimum.reduceat(y, starts[:-1])]
    )
    ring_hi = np.column_stack(
        [np.maximum.reduceat(x, starts[:-1]), np.maximum.reduceat(y, starts[:-1])]
    )
    boxes = np.column_stack(
        [np.minimum.reduceat(ring_lo, first, axis=0), np.maximum.reduceat(ring_hi, first, axis=0)]
    )
    bounds = (*points.min(axis=0).tolist(), *points.max(axis=0).tolist())
    order = tuple(np.argsort(-np.asarray(areas), kind="stable").tolist())
    return Shapes(tuple(ids), tuple(rings), points, starts, tuple(bounds), order, boxes)


Box = tuple[float, float, float, float]  # x, y, width, height on the canvas


def _fit(bounds: tuple[float, float, float, float], box: Box) -> tuple[float, float, float]:
    """Scale and offsets that fit ``bounds`` (projected) in ``box``, centred, north up."""
    minx, miny, maxx, maxy = bounds
    x, y, w, h = box
    scale = min(w / max(maxx - minx, 1e-9), h / max(maxy - miny, 1e-9))
    ox = x + (w - (maxx - minx) * scale) / 2 - minx * scale
    oy = y + (h - (maxy - miny) * scale) / 2 + maxy * scale
    return scale, ox, oy


def _canvas(ring: np.ndarray, fit: tuple[float, float, float]) -> np.ndarray:
    scale, ox, oy = fit
    return np.column_stack([ring[:, 0] * scale + ox, oy - ring[:, 1] * scale])


def _visible(fit: tuple[float, float, float], box: Box) -> np.ndarray:
    """The projected extent ``box`` shows under ``fit``: (min x, min y, max x, max y)."""
    scale, ox, oy = fit
    x, y, w, h = box
    return np.array(
        [(x - ox) / scale, (oy - y - h) / scale, (x + w - ox) / scale, (oy - y) / scale]
    )


def _pixels(shp: Shapes, fit: tuple[float, float, float]) -> tuple[list[int], np.ndarray]:
    """Every ring in whole pixels, a point repeating the one before it in its ring dropped: the
    flat x, y list of all rings and where each ring starts in it (in points)."""
    px = np.rint(_canvas(shp.points, fit)).astype(np.int32)
    keep = np.ones(len(px), dtype=bool)
    keep[1:] = (px[1:] != px[:-1]).any(axis=1)
    keep[shp.starts[:-1]] = True
    kept = np.concatenate([[0], np.cumsum(keep)])[shp.starts]
    return px[keep].ravel().tolist(), kept


def _outlines(shp: Shapes, kind: str, fit, keep: np.ndarray | None) -> tuple:
    """Per feature (an empty entry where ``keep`` is False): ``svg`` its path data (rings closed,
    holes by the even-odd rule, to 0.1 px); ``fill`` the exterior rings of its polygons in whole
    pixels as flat x, y lists (PNG fills; a polygon under 3 pixels as its first point); ``line``
    all its rings in whole pixels (PNG outlines)."""
    out = []
    if kind == "svg":
        flat = np.round(_canvas(shp.points, fit), 1).tolist()
        starts = shp.starts.tolist()
    else:
        flat, kept = _pixels(shp, fit)
        starts = kept.tolist()
    for k, polys in enumerate(shp.rings):
        if keep is not None and not keep[k]:
            out.append("" if kind == "svg" else ())
            continue
        if kind == "svg":
            parts = []
            for r in (r for poly in polys for r in poly):
                c = flat[starts[r] : starts[r + 1]]
                parts.append("M" + " ".join(f"{x:g},{y:g}" for x, y in c) + "Z")
            out.append("".join(parts))
        elif kind == "fill":
            rings = [flat[2 * starts[poly[0]] : 2 * starts[poly[0] + 1]] for poly in polys]
            out.append(tuple(r if len(r) >= 6 else r[:2] for r in rings))
        else:
            rings = [flat[2 * starts[r] : 2 * starts[r + 1]] for poly in polys for r in poly]
            out.append(tuple(r for r in rings if len(r) >= 4))
    return tuple(out)


def _in_sight(path: Path, kind: str, bounds: tuple[float, ...], box: Box) -> tuple:
    """:func:`_outlines` of the features of ``path`` in sight when ``bounds`` is fitted to
    ``box`` (an islet outside the country's frame is left out, as on the atlas page)."""
    shp = shapes(path)
    fit = _fit(bounds, box)
    x0, y0, x1, y1 = _visible(fit, box)
    b = shp.boxes
    keep = (b[:, 2] >= x0) & (b[:, 0] <= x1) & (b[:, 3] >= y0) & (b[:, 1] <= y1)
    return _outlines(shp, kind, fit, keep)


#: A whole country's outlines: computed once per file, kind, frame and frame size.
_whole = lru_cache(maxsize=32)(_in_sight)


def outlines(path: Path, kind: str, bounds: tuple[float, ...], box: Box, whole: bool) -> tuple:
    """:func:`_outlines` of ``path`` fitted to ``bounds`` in ``box``: the features in sight,
    cached when ``whole`` (the country's frame), not for a map zoomed to a selection."""
    return (_whole if whole else _in_sight)(path, kind, bounds, box)


# -- fonts and text ------------------------------------------------------------------------------


@lru_cache(maxsize=64)
def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    path = FONT_FILES[bold]
    if not path.exists():
        raise RenderError(
            f"Font file {path} is missing: restore assets/fonts/ from the repository "
            "(see assets/VENDORED.md)."
        )
    return ImageFont.truetype(str(path), size)


def wrap(text: str, size: int, width: float, bold: bool = False, max_lines: int = 3) -> list[str]:
    """``text`` broken at spaces into lines at most ``width`` wide in the font; the last line
    ends with "…" when the text needs more than ``max_lines``."""
    f = font(size, bold)
    lines: list[str] = []
    for word in text.split():
        if lines and f.getlength(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    if len(lines) > max_lines:
        last = " ".join(lines[max_lines - 1 :])
        while last and f.getlength(last + "…") > width:
            last = last[:-1]
        lines = [*lines[: max_lines - 1], last.rstrip() + "…"]
    return lines or [""]


# -- what goes around the map ---------------------------------------------------------------


@dataclass(frozen=True)
class Frame:
    """The words around the map: title, subtitle, legend (label with count, colour), source."""

    title: str
    subtitle: str
    legend_title: str
    legend: tuple[tuple[str, str], ...]
    source: str
    url: str
    site: str  # the atlas's name in the view's language, at the foot


def frame(store: Store, view: ViewData, url: str) -> Frame:
    """The title, legend and source line of ``view``, the page's own words; ``url`` is the
    view's address (absolute)."""
    state, lang = view.state, view.state.lang
    try:
        licence = store.source(view.source_id).get("licence", "")
    except KeyError:
        licence = ""
    source = t("render.source", lang, source=view.source, year=state.year)
    if licence:
        source = f"{source} · {t('render.licence', lang, licence=licence)}"
    legend = tuple((f"{e.label} ({number(e.count, 0, lang)})", e.colour) for e in view.legend)
    subtitle = f"{country_label(store, state.country, lang)} · {t(f'level.{state.level}', lang)}"
    decimals = view.kind.decimals(view.indicator)
    legend_title = view.unit_label if decimals is not None else t(f"views.name.{state.view}", lang)
    return Frame(view.title, subtitle, legend_title, legend, source, url, t("app.title", lang))


@dataclass(frozen=True)
class Layout:
    """Where each part goes on a canvas of ``size`` (font sizes in the canvas's pixels)."""

    size: tuple[int, int]
    margin: int
    title_size: int
    subtitle_size: int
    legend_size: int
    footer_size: int
    map_box: Box
    legend_x: int
    title_lines: tuple[str, ...]
    footer_lines: tuple[str, ...]


def layout(fr: Frame, size: tuple[int, int]) -> Layout:
    """A page: title and subtitle on top, the map on the left, the legend on the right, the
    source and address at the foot; sizes follow the canvas's height."""
    w, h = size
    m = round(h * 0.04)
    ts, ss, ls, fs = (max(9, round(h * k)) for k in (0.042, 0.026, 0.024, 0.019))
    title = wrap(fr.title, ts, w - 2 * m, bold=True, max_lines=2)
    footer = [
        *wrap(fr.source, fs, w - 2 * m, max_lines=2),
        *wrap(fr.url, fs, w - 2 * m, max_lines=1),
        fr.site,
    ]
    top = m + len(title) * ts * 1.25 + ss * 2
    bottom = h - m - len(footer) * fs * 1.35 - m * 0.5
    legend_x = round(w * 0.70)
    box = (m, top, legend_x - 1.5 * m, max(bottom - top, 10))
    return Layout(size, m, ts, ss, ls, fs, box, legend_x, tuple(title), tuple(footer))


# -- drawing --------------------------------------------------------------------------------


def _colours(view: ViewData, shp: Shapes) -> list[str]:
    """The fill of each feature of ``shp``: its unit's class colour, "no data" grey otherwise."""
    by_class = [NO_DATA_COLOUR, *view.colours]
    pos = view.layer.index.get_indexer(list(shp.ids))
    classes = np.asarray(view.classes)
    return [
        by_class[int(classes[p])]
        if p >= 0 and 0 <= int(classes[p]) < len(by_class)
        else NO_DATA_COLOUR
        for p in pos
    ]


@dataclass(frozen=True)
class Geometry:
    """The display files of a view (its units and, over municipalities, the admin-1 outlines)
    and the projected box the map shows: the layer's extent, or the selection's as the page
    zooms to it (:func:`atlas.place.focus_bounds`: the selected unit with its neighbours, else
    the admin-1 filter)."""

    units: Path
    admin1: Path | None
    bounds: tuple[float, ...]
    whole: bool


def geometry(store: Store, state: State) -> Geometry:
    units = store.path / "geo" / store.geo_file(state.country, state.level, "low")
    admin1 = None
    if state.level == "municipality" and "admin1" in store.levels(state.country):
        admin1 = store.path / "geo" / store.geo_file(state.country, "admin1", "low")
    # the map's own frame: the country's (without its remote islets, as the atlas page fits it),
    # or the selection's
    whole = not (state.unit or state.admin1)
    lon0, lat0, lon1, lat1 = focus_bounds(store, state.country, state.unit, state.admin1)
    (x0, y0), (x1, y1) = _mercator([[lon0, lat0], [lon1, lat1]]).tolist()
    return Geometry(units, admin1, (x0, y0, x1, y1), whole)


def svg(view: ViewData, geo: Geometry, fr: Frame) -> bytes:
    """The view as an SVG document: one ``path`` per unit (its id in ``data-id``, its name in a
    ``title``), admin-1 outlines, the selection, title, legend and source as text."""
    lay = layout(fr, SVG_SIZE)
    w, h = SVG_SIZE
    shp = shapes(geo.units)
    paths = outlines(geo.units, "svg", geo.bounds, lay.map_box, geo.whole)
    fills = _colours(view, shp)
    x, y, bw, bh = lay.map_box
    names = dict(zip(view.layer.unit_ids, view.layer.names, strict=True))
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" '
        f'viewBox="0 0 {w} {h}" font-family="{FONT_FAMILY}" role="img" '
        f"aria-label={quoteattr(fr.title)}>",
        f"<title>{escape(fr.title)}</title>",
        f"<desc>{escape(view.alt_text)}</desc>",
        f'<rect width="{w}" height="{h}" fill="#ffffff"/>',
        f'<clipPath id="map-area"><rect x="{x:g}" y="{y:.1f}" width="{bw:g}" height="{bh:.1f}"/>'
        "</clipPath>",
        '<g clip-path="url(#map-area)">',
        f'<g class="units" stroke="{BORDER}" stroke-width="0.3" fill-rule="evenodd">',
    ]
    for k in shp.order:
        if not paths[k]:  # out of sight of a map zoomed to the selection
            continue
        uid = shp.ids[k]
        out.append(
            f'<path data-id={quoteattr(uid)} fill="{fills[k]}" d="{paths[k]}">'
            f"<title>{escape(str(names.get(uid, uid)))}</title></path>"
        )
    out.append("</g>")
    if geo.admin1 is not None:
        outline = "".join(outlines(geo.admin1, "svg", geo.bounds, lay.map_box, geo.whole))
        out.append(
            f'<path class="admin1" fill="none" stroke="{ADMIN1_BORDER}" stroke-width="0.8" '
            f'd="{outline}"/>'
        )
    sel = view.state.unit
    if sel and sel in shp.ids:
        d = paths[shp.ids.index(sel)]
        out.append(
            f'<path class="selected" fill="none" stroke="{SELECTED_BORDER}" stroke-width="2" '
            f'd="{d}"/>'
        )
    out.append("</g>")
    out.extend(_svg_text(lay, fr))
    out.append("</svg>")
    return "\n".join(out).encode("utf-8")


def _svg_line(x: float, y: float, size: int, text: str, bold=False, fill=TEXT, cls="") -> str:
    weight = ' font-weight="bold"' if bold else ""
    klass = f' class="{cls}"' if cls else ""
    return (
        f'<text x="{x:g}" y="{y:.1f}" font-size="{size}"{weight} fill="{fill}"{klass}>'
        f"{escape(text)}</text>"
    )


def _svg_text(lay: Layout, fr: Frame) -> list[str]:
    out = []
    for kind, x, y, size, text, bold, fill in _text_items(lay, fr):
        if kind == "swatch":
            out.append(
                f'<rect class="swatch" x="{x:g}" y="{y:.1f}" width="{size}" height="{size}" '
                f'fill="{fill}" stroke="#999999" stroke-width="0.5"/>'
            )
        else:
            out.append(_svg_line(x, y, size, text, bold, fill, kind))
    return out


def _text_items(lay: Layout, fr: Frame):
    """What is written where, the same for SVG and PNG: (kind, x, baseline y or top of a swatch,
    font size or swatch side, text, bold, colour)."""
    w, h = lay.size
    m = lay.margin
    y = m + lay.title_size
    for line in lay.title_lines:
        yield "title", m, y, lay.title_size, line, True, TEXT
        y += lay.title_size * 1.25
    yield "subtitle", m, y + lay.subtitle_size * 0.2, lay.subtitle_size, fr.subtitle, False, MUTED
    ls = lay.legend_size
    x = lay.legend_x
    y = lay.map_box[1] + ls
    width = w - m - x
    for line in wrap(fr.legend_title, ls, width, bold=True, max_lines=2):
        yield "legend-title", x, y, ls, line, True, TEXT
        y += ls * 1.3
    y += ls * 0.3
    sw = round(ls * 1.1)
    for text, colour in fr.legend:
        lines = wrap(text, ls, width - sw * 1.6, max_lines=2)
        yield "swatch", x, y - ls * 0.95, sw, "", False, colour
        for line in lines:
            yield "legend", x + sw * 1.6, y, ls, line, False, TEXT
            y += ls * 1.3
        y += ls * 0.35
    fs = lay.footer_size
    y = h - m - (len(lay.footer_lines) - 1) * fs * 1.35
    for line in lay.footer_lines:
        yield "source", m, y, fs, line, False, MUTED
        y += fs * 1.35


@lru_cache(maxsize=256)
def _rgb(colour: str) -> tuple[int, ...]:
    """``#rrggbb`` or ``rgb(r, g, b)`` (the palettes' two forms) as a tuple."""
    return ImageColor.getrgb(colour)[:3]


def _palette(colours: list[str]) -> Image.Image:
    """A palette image of the map's own colours, its borders and ramps from each text colour to
    white (the font's anti-aliasing): a palette PNG keeps every class colour exact and small."""
    ramps = [
        tuple(round(a + (255 - a) * k / 15) for a in _rgb(c))
        for c in (TEXT, MUTED)
        for k in range(16)
    ]
    entries = [_rgb(c) for c in (*colours, BORDER, ADMIN1_BORDER, SELECTED_BORDER, "#999999")]
    flat = [v for rgb in dict.fromkeys([*entries, *ramps]) for v in rgb]
    pal = Image.new("P", (1, 1))
    pal.putpalette(flat + flat[:3] * (256 - len(flat) // 3))
    return pal


def png(view: ViewData, geo: Geometry, fr: Frame, size: tuple[int, int]) -> bytes:
    """The view as a palette PNG of ``size`` pixels whose class colours are the page's own."""
    lay = layout(fr, size)
    img = Image.new("RGB", size, "#ffffff")
    draw = ImageDraw.Draw(img)
    shp = shapes(geo.units)
    fills = _colours(view, shp)
    exteriors = outlines(geo.units, "fill", geo.bounds, lay.map_box, geo.whole)
    # hairline borders between units on a print and on a map zoomed to a selection (in a card,
    # whole, they would whiten a dense region)
    thin = size[1] >= 1500 or not geo.whole
    for k in shp.order:
        fill = _rgb(fills[k])
        for ring in exteriors[k]:
            if len(ring) >= 6:
                draw.polygon(ring, fill=fill, outline=BORDER if thin else None)
            elif len(ring) == 2:
                draw.point(ring, fill=fill)
    line = max(1, round(size[1] / 800))
    if geo.admin1 is not None:
        for rings in outlines(geo.admin1, "line", geo.bounds, lay.map_box, geo.whole):
            for ring in rings:
                draw.line([*ring, *ring[:2]], fill=ADMIN1_BORDER, width=line)
    sel = view.state.unit
    if sel and sel in shp.ids:
        for ring in outlines(geo.units, "line", geo.bounds, lay.map_box, geo.whole)[
            shp.ids.index(sel)
        ]:
            draw.line([*ring, *ring[:2]], fill=SELECTED_BORDER, width=line * 3)
    x, y, bw, bh = lay.map_box  # what a zoomed map draws beyond its area is cut off
    w, h = size
    for cut in ([0, 0, w, y], [0, y + bh, w, h], [0, 0, x, h], [x + bw, 0, w, h]):
        draw.rectangle(cut, fill="#ffffff")
    for kind, x, y, fsize, text, bold, fill in _text_items(lay, fr):
        if kind == "swatch":
            draw.rectangle([x, y, x + fsize, y + fsize], fill=_rgb(fill), outline="#999999")
        else:
            draw.text((x, y), text, font=font(fsize, bold), fill=fill, anchor="ls")
    out = io.BytesIO()
    dpi = round(size[0] / (297 / 25.4))  # the width of an A4 page in landscape
    exact = img.quantize(palette=_palette([NO_DATA_COLOUR, *view.colours]), dither=Dither.NONE)
    exact.save(out, format="PNG", compress_level=6, dpi=(dpi, dpi))
    return out.getvalue()


# -- the renderer ---------------------------------------------------------------------------


class Renderer:
    """Draws views and keeps the bytes of the last ``cache_size`` (format, view URL) pairs, at
    most ``cache_bytes`` in all (a Brazil SVG is about 1.4 MB, a print PNG 0.2 MB, a preview
    30 kB), the least recently used going first.

    The key is the view's canonical URL (the URL builder's, defaults left out, so two links to
    the same view share an entry) with the store's fingerprint: identical in every gunicorn
    worker, and a new store never serves an old image."""

    def __init__(
        self, store: Store, catalog: Catalog, cache_size: int = 64, cache_bytes: int = 32 << 20
    ):
        self.store, self.catalog = store, catalog
        self.cache_size, self.cache_bytes = cache_size, cache_bytes
        self._cache: OrderedDict[tuple[str, str, str], bytes] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def key(self, fmt: str, url: str) -> tuple[str, str, str]:
        return (self.store.fingerprint, fmt, url)

    def render(self, state: State, fmt: str, url: str) -> bytes:
        """``state`` (resolved, :func:`atlas.choices.resolve`, with an indicator) drawn as
        ``fmt`` (:data:`FORMATS`); ``url`` is its canonical absolute address, written on it."""
        if fmt not in FORMATS:
            raise ValueError(f"Unknown image format {fmt!r}; one of {', '.join(FORMATS)}.")
        key = self.key(fmt, url)
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None:
                self._cache.move_to_end(key)
                return hit
        body = draw(self.store, self.catalog, state, fmt, url)
        with self._lock:
            if key not in self._cache:
                self._cache[key] = body
                self._bytes += len(body)
            self._cache.move_to_end(key)
            while len(self._cache) > self.cache_size or self._bytes > self.cache_bytes:
                self._bytes -= len(self._cache.popitem(last=False)[1])
        return body

    def cached(self) -> int:
        """How many rendered files the cache holds."""
        return len(self._cache)


def draw(store: Store, catalog: Catalog, state: State, fmt: str, url: str) -> bytes:
    """One view drawn as ``fmt``, without the cache."""
    view = compute(store, catalog, state)
    geo = geometry(store, state)
    fr = frame(store, view, url)
    if fmt == "svg":
        return svg(view, geo, fr)
    if fmt == "preview":
        return png(view, geo, fr, PREVIEW_SIZE)
    return png(view, geo, fr, PRINT_SIZE)

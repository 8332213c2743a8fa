"""A report chart (:class:`atlas.unit_report.Chart`) as a small SVG image.

Drawn on the server as plain SVG text, so the report shows and prints its charts without
JavaScript, at any resolution, on a slow connection (about 1.5 kB each) and identically on screen,
in the browser's PDF and in a test. Colours are Okabe–Ito (colour-blind safe) and every line also
has its own dash pattern and marker, so no line is told apart by colour alone:

- the unit: solid blue line with dots (a flagged value: a hollow grey dot, not joined);
- its state: orange dashed line; its country: dark grey dotted line;
- a contributed series (users' data beside the official one): vermilion long-dashed line with
  square markers, drawn under the unit's official line;
- the target: green dash-dot line from the baseline year to the deadline, with a diamond at the
  deadline.

The image's text alternative is :func:`atlas.unit_report.chart_summary`.
"""

from __future__ import annotations

import math
from urllib.parse import quote
from xml.sax.saxutils import escape

from atlas.i18n import number
from atlas.unit_report import ROLES, Chart

WIDTH, HEIGHT = 260, 120
LEFT, RIGHT, TOP, BOTTOM = 40, 10, 8, 20  # margins around the plot area
#: role -> (colour, width, dash pattern, marker radius)
STYLE = {
    "unit": ("#0072B2", 2.2, "", 2.8),
    "admin1": ("#E69F00", 1.6, "5 3", 0.0),
    "country": ("#444444", 1.6, "1.5 2.5", 0.0),
    "contributed": ("#D55E00", 1.8, "7 3", 2.6),
    "target": ("#009E73", 1.6, "6 2 1.5 2", 0.0),
}
#: Roles whose markers are squares (the others' are dots), so no line is told by colour alone.
SQUARES = ("contributed",)
FLAGGED = "#8a8a8a"
FONT = 'font-family="system-ui,Segoe UI,Roboto,Arial,sans-serif" font-size="10"'


def nice_ticks(lo: float, hi: float, n: int = 3) -> list[float]:
    """About ``n`` round tick values covering ``[lo, hi]`` (steps of 1, 2 or 5 x 10^k); a range
    too narrow to divide (one value) is widened by 5 % of its size around it."""
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return []
    lo, hi = min(lo, hi), max(lo, hi)
    if hi - lo <= 1e-9 * max(1.0, abs(lo), abs(hi)):
        pad = 0.05 * max(1.0, abs(lo))
        lo, hi = lo - pad, hi + pad
    raw = (hi - lo) / max(1, n - 1)
    exponent = math.floor(math.log10(raw))
    step = next(m * 10.0**exponent for m in (1, 2, 5, 10) if m * 10.0**exponent >= raw)
    decimals = max(0, 1 - exponent)
    first = math.floor(lo / step)
    ticks = []
    k = first
    while True:
        ticks.append(round(k * step, decimals))
        if k * step >= hi - 1e-9 * step:
            break
        k += 1
    return ticks


def _y_range(c: Chart) -> tuple[list[float], int]:
    values = [p.value for ln in c.lines for p in ln.points]
    if c.target_value is not None:
        values.append(c.target_value)
    lo, hi = min(values), max(values)
    if lo >= 0 and lo <= 0.5 * hi:  # a rate or a share: its axis starts at zero
        lo = 0.0
    ticks = nice_ticks(lo, hi)
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0
    decimals = max(0, -math.floor(math.log10(step))) if step < 1 else 0
    return ticks, decimals


def svg(c: Chart, lang: str) -> str:
    """The chart as an SVG document (no text alternative inside: the page gives it)."""
    y0, y1 = c.years
    if y1 == y0:
        y0, y1 = y0 - 1, y1 + 1
    ticks, dec = _y_range(c)
    vlo, vhi = ticks[0], ticks[-1]
    pw, ph = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(year: float) -> float:
        return LEFT + (year - y0) / (y1 - y0) * pw

    def y(value: float) -> float:
        return TOP + (vhi - value) / (vhi - vlo) * ph if vhi > vlo else TOP + ph / 2

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}">'
    ]
    for v in ticks:  # gridlines and their labels
        yy = y(v)
        out.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{yy:.1f}" y2="{yy:.1f}" '
            'stroke="#d9d9d9" stroke-width="0.8"/>'
        )
        out.append(
            f'<text x="{LEFT - 4}" y="{yy + 3.5:.1f}" text-anchor="end" fill="#333" {FONT}>'
            f"{escape(number(v, dec, lang))}</text>"
        )
    for year, anchor in ((y0, "start"), (y1, "end")):
        out.append(
            f'<text x="{x(year):.1f}" y="{HEIGHT - 5}" text-anchor="{anchor}" fill="#333" '
            f"{FONT}>{year}</text>"
        )
    if c.target_value is not None and c.target_year is not None:
        colour, width, dash, _ = STYLE["target"]
        start = c.baseline_year if c.baseline_year is not None else y0
        ty = y(c.target_value)
        out.append(
            f'<line x1="{x(start):.1f}" x2="{x(c.target_year):.1f}" y1="{ty:.1f}" y2="{ty:.1f}" '
            f'stroke="{colour}" stroke-width="{width}" stroke-dasharray="{dash}"/>'
        )
        tx = x(c.target_year)
        out.append(
            f'<path d="M{tx:.1f} {ty - 4:.1f}L{tx + 4:.1f} {ty:.1f}L{tx:.1f} {ty + 4:.1f}'
            f'L{tx - 4:.1f} {ty:.1f}Z" fill="{colour}"/>'
        )
    for ln in (ln for role in ROLES for ln in c.lines_of(role)):
        colour, width, dash, radius = STYLE[ln.role]
        kept = [p for p in ln.points if not p.flagged]
        if len(kept) > 1:
            pts = " ".join(f"{x(p.year):.1f},{y(p.value):.1f}" for p in kept)
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            out.append(
                f'<polyline points="{pts}" fill="none" stroke="{colour}" '
                f'stroke-width="{width}" stroke-linecap="round"{dash_attr}/>'
            )
        for p in ln.points:
            r = radius or (1.8 if len(kept) == 1 else 0.0)
            if not r:
                continue
            if p.flagged:
                out.append(
                    f'<circle cx="{x(p.year):.1f}" cy="{y(p.value):.1f}" r="{r}" fill="#fff" '
                    f'stroke="{FLAGGED}" stroke-width="1.2"/>'
                )
            else:
                out.append(_marker(ln.role, x(p.year), y(p.value), r, colour))
    out.append("</svg>")
    return "".join(out)


def data_uri(document: str) -> str:
    """An SVG document as an ``<img src>`` (UTF-8, percent-encoded: smaller than base64)."""
    return "data:image/svg+xml;charset=utf-8," + quote(document, safe="=:/,;.-\"'")


def _marker(role: str, cx: float, cy: float, r: float, colour: str) -> str:
    """A value's marker: a square for the :data:`SQUARES` roles, else a dot."""
    if role in SQUARES:
        return (
            f'<rect x="{cx - r:.1f}" y="{cy - r:.1f}" width="{2 * r:.1f}" height="{2 * r:.1f}" '
            f'fill="{colour}"/>'
        )
    return f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{r}" fill="{colour}"/>'


def legend_swatch(role: str) -> str:
    """A short sample of a line's style (the report's legend), as an SVG document."""
    colour, width, dash, radius = STYLE[role]
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    marker = _marker(role, 14, 5, radius, colour) if radius else ""
    if role == "target":
        marker = f'<path d="M24 1L28 5L24 9L20 5Z" fill="{colour}"/>'
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 28 10" width="28" height="10">'
        f'<line x1="1" x2="27" y1="5" y2="5" stroke="{colour}" stroke-width="{width}"'
        f"{dash_attr}/>{marker}</svg>"
    )

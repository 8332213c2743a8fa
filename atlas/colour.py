"""Colour difference on a washed-out projector: CIEDE2000 after a contrast reduction.

The criterion the presentation mode's palettes meet (tests/atlas/test_colour.py): after every
sRGB channel is pulled to 60 % of its distance from mid-grey (``c' = 0.5 + 0.6 (c - 0.5)``, a
projector in a lit room), the CIEDE2000 colour difference between adjacent classes of a legend
is at least 10 (about five "just noticeable differences"; 0.3 is what the change map's two
near-white classes had).

No installed library computes CIEDE2000 (neither colour-science nor scikit-image is a
dependency), so :func:`delta_e_2000` is the published formula, checked against the reference
pairs of G. Sharma, W. Wu and E. N. Dalal, "The CIEDE2000 color-difference formula:
implementation notes, supplementary test data, and mathematical observations", Color Research
& Application 30 (1), 2005.
"""

from __future__ import annotations

import math

#: Share of its distance from mid-grey each channel keeps on a low-contrast display.
LOW_CONTRAST = 0.6
#: Least CIEDE2000 difference between adjacent classes after that reduction.
MIN_DELTA_E = 10.0

_WHITE = (0.95047, 1.0, 1.08883)  # D65


def hex_to_rgb(colour: str) -> tuple[float, float, float]:
    """``#rrggbb`` or ``rgb(r, g, b)`` -> sRGB channels in 0..1."""
    c = colour.strip()
    if c.startswith("#") and len(c) == 7:
        return tuple(int(c[i : i + 2], 16) / 255 for i in (1, 3, 5))
    if c.startswith("rgb(") and c.endswith(")"):
        r, g, b = (float(x) for x in c[4:-1].split(","))
        return r / 255, g / 255, b / 255
    raise ValueError(f"Not a colour: {colour!r}")


def reduce_contrast(rgb, keep: float = LOW_CONTRAST) -> tuple[float, float, float]:
    """Each sRGB channel pulled towards mid-grey, keeping ``keep`` of its distance."""
    return tuple(0.5 + keep * (c - 0.5) for c in rgb)


def rgb_to_lab(rgb) -> tuple[float, float, float]:
    """sRGB (0..1) -> CIELAB (D65)."""

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb)
    xyz = (
        0.4124564 * r + 0.3575761 * g + 0.1804375 * b,
        0.2126729 * r + 0.7151522 * g + 0.0721750 * b,
        0.0193339 * r + 0.1191920 * g + 0.9503041 * b,
    )

    def f(t: float) -> float:
        return t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29

    fx, fy, fz = (f(v / w) for v, w in zip(xyz, _WHITE, strict=True))
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def delta_e_2000(lab1, lab2) -> float:
    """CIEDE2000 difference between two CIELAB colours (kL = kC = kH = 1)."""
    l1, a1, b1 = lab1
    l2, a2, b2 = lab2
    c_mean = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_mean**7 / (c_mean**7 + 25**7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p = math.degrees(math.atan2(b1, a1p)) % 360 if c1p else 0.0
    h2p = math.degrees(math.atan2(b2, a2p)) % 360 if c2p else 0.0
    dl = l2 - l1
    dc = c2p - c1p
    if c1p * c2p == 0:
        dh = 0.0
    elif abs(h2p - h1p) <= 180:
        dh = h2p - h1p
    elif h2p - h1p > 180:
        dh = h2p - h1p - 360
    else:
        dh = h2p - h1p + 360
    dH = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dh / 2))
    l_mean = (l1 + l2) / 2
    cp_mean = (c1p + c2p) / 2
    if c1p * c2p == 0:
        hp_mean = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        hp_mean = (h1p + h2p) / 2
    elif h1p + h2p < 360:
        hp_mean = (h1p + h2p + 360) / 2
    else:
        hp_mean = (h1p + h2p - 360) / 2
    t = (
        1
        - 0.17 * math.cos(math.radians(hp_mean - 30))
        + 0.24 * math.cos(math.radians(2 * hp_mean))
        + 0.32 * math.cos(math.radians(3 * hp_mean + 6))
        - 0.20 * math.cos(math.radians(4 * hp_mean - 63))
    )
    d_theta = 30 * math.exp(-(((hp_mean - 275) / 25) ** 2))
    r_c = 2 * math.sqrt(cp_mean**7 / (cp_mean**7 + 25**7))
    s_l = 1 + 0.015 * (l_mean - 50) ** 2 / math.sqrt(20 + (l_mean - 50) ** 2)
    s_c = 1 + 0.045 * cp_mean
    s_h = 1 + 0.015 * cp_mean * t
    r_t = -math.sin(math.radians(2 * d_theta)) * r_c
    return math.sqrt(
        (dl / s_l) ** 2 + (dc / s_c) ** 2 + (dH / s_h) ** 2 + r_t * (dc / s_c) * (dH / s_h)
    )


def washed_out_difference(colour1: str, colour2: str, keep: float = LOW_CONTRAST) -> float:
    """CIEDE2000 between two colours as a display keeping ``keep`` of the contrast shows them."""
    lab1, lab2 = (rgb_to_lab(reduce_contrast(hex_to_rgb(c), keep)) for c in (colour1, colour2))
    return delta_e_2000(lab1, lab2)


def least_adjacent_difference(colours: list[str], keep: float = LOW_CONTRAST) -> float:
    """The smallest washed-out difference between neighbours in a legend (inf for < 2)."""
    pairs = zip(colours, colours[1:], strict=False)
    return min((washed_out_difference(a, b, keep) for a, b in pairs), default=math.inf)

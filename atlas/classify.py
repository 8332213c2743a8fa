"""Classification of values into map classes, and colour-blind-safe palettes.

Breaks come from mapclassify (quantiles, equal interval), from jenkspy (natural breaks) or are
given by hand. Class 0 is reserved for "no data"; classes 1..k carry values.

A link can ask for any of these on Brazil's 5,564 municipalities, so each must stay well under the
two seconds of CPU a request may cost (tests/app/test_budget.py): mapclassify's Fisher-Jenks is pure
Python without numba (34-85 s there, a worker killed), jenkspy's C implementation of the same
exact algorithm gives the same breaks in under 0.1 s (bench/timings.py).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import jenkspy
import mapclassify
import numpy as np
from plotly.colors import diverging as plotly_diverging
from plotly.colors import sequential

NO_DATA_COLOUR = "#d9d9d9"
#: Units whose value is flagged (atlas/flags.py) in a view of the values: a mid grey, darker than
#: "no data" and outside every palette; the legend and the hover say why (never colour alone).
FLAGGED_COLOUR = "#8c8c8c"
#: ColorBrewer sequential palettes: they vary in lightness, so they read for colour-blind people too.
#: "contrast", for a washed-out projector (presentation mode): lightness and hue both change from
#: class to class, so that neighbours stay apart after a contrast reduction to 60 % (atlas/colour.py
#: states and tests/atlas/test_colour.py checks the criterion). Index 0 is never drawn
#: (:func:`palette` starts at 1), so it repeats the lightest colour.
CONTRAST = [
    "#f5ffc4",
    "#f5ffc4",
    "#e3c648",
    "#f08c00",
    "#ff3000",
    "#ff0018",
    "#dd0045",
    "#9a0063",
    "#49005e",
    "#0d0a34",
]
PALETTES = {
    "OrRd": sequential.OrRd,
    "PuBu": sequential.PuBu,
    "YlGnBu": sequential.YlGnBu,
    "contrast": CONTRAST,
}
DEFAULT_PALETTE = "OrRd"
#: The two sides of the high-contrast diverging palette, each dark -> light: brown-orange (bad)
#: and blue-cyan (good); their light ends differ in hue, not only in lightness.
CONTRAST_BAD = ["#3e2f00", "#785300", "#ba7800", "#f8a34b", "#ffd8a3"]
CONTRAST_GOOD = ["#00396b", "#006ab3", "#009dea", "#00ceff", "#5cfcff"]


#: Most classes a map may have (the URL's ``n`` is capped at this by atlas/urlstate.py).
MAX_CLASSES = 9
#: Most values the exact natural breaks are computed on: its cost grows with k * n**2 (about
#: 0.4 s at this size, 9 classes). Larger than any layer of the store (Brazil's municipalities,
#: 5,564); a larger input is classified on this many evenly spaced order statistics, whose breaks
#: can differ slightly from the exact ones.
MAX_EXACT_VALUES = 12_000


@dataclass(frozen=True)
class Classes:
    breaks: tuple[float, ...]  # upper bound of each class, ascending
    lower: float  # lowest value classified
    index: np.ndarray  # class per unit, 0 = no data, 1..k
    counts: tuple[int, ...]  # units per class (k entries)
    no_data: int


def _quantiles(v: np.ndarray, k: int) -> np.ndarray:
    """Quantile breaks. Where ties leave fewer distinct quantiles than ``k`` (most municipalities
    at 100 % coverage), mapclassify warns and merges classes: that merge is the answer wanted
    (the legend then shows fewer classes), so its warning is not passed on. The breaks are
    ``mapclassify.Quantiles(v, k).bins``, from the function that classifier calls: the
    classifier's fit statistics (sums of squares, per-class lists), never shown, cost more than
    the breaks (1.7 of 2.3 ms on Brazil's municipalities)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Not enough unique values", UserWarning)
        return mapclassify.classifiers.quantile(v, k=k)


def classify(
    values: np.ndarray, k: int = 5, method: str = "quantiles", manual: list[float] | None = None
) -> Classes:
    values = np.asarray(values, dtype="float64")
    ok = np.isfinite(values)
    index = np.zeros(len(values), dtype="int16")
    if not ok.any():
        return Classes((), float("nan"), index, (), int(len(values)))
    v = values[ok]
    distinct = np.unique(v)
    k = max(1, min(int(k), MAX_CLASSES, len(distinct)))  # a crafted k costs nothing more
    if method == "manual" and manual:
        bins = np.array(sorted(manual) + ([v.max()] if v.max() > max(manual) else []))
    elif k == 1:
        bins = np.array([v.max()])
    elif method == "symmetric" and v.min() < 0 < v.max():
        bins = _symmetric(v, k)
    elif method == "symmetric":  # one sign only: plain quantiles, coloured by sign
        bins = _quantiles(v, k)
    elif method == "natural_breaks":
        bins = natural_breaks(v, k)
    elif method == "equal_interval":
        bins = mapclassify.EqualInterval(v, k=k).bins
    else:
        bins = _quantiles(v, k)
    bins = np.unique(bins)
    if len(bins) and bins[-1] < v.max():  # manual breaks below the maximum: one more class
        bins = np.append(bins, v.max())
    index[ok] = class_of(v, bins)
    counts = tuple(int((index == c).sum()) for c in range(1, len(bins) + 1))
    return Classes(tuple(float(b) for b in bins), float(v.min()), index, counts, int((~ok).sum()))


def class_of(values, breaks) -> np.ndarray:
    """The class (1..k) of each finite value under ``breaks`` (each class's upper bound,
    ascending): the rule :func:`classify` applies, so a value from elsewhere (a contributed one)
    is classed as the map's own; above the last break is the last class, NaN is 0 (no data)."""
    v = np.asarray(values, dtype="float64")
    bins = np.asarray(breaks, dtype="float64")
    out = np.zeros(v.shape, dtype="int16")
    ok = np.isfinite(v)
    if len(bins):
        out[ok] = np.minimum(np.searchsorted(bins, v[ok], side="left") + 1, len(bins))
    return out


def natural_breaks(v: np.ndarray, k: int) -> np.ndarray:
    """Fisher-Jenks optimal breaks (upper bound of each class), as mapclassify.FisherJenks gives
    them, by jenkspy's compiled implementation. ``v`` is finite and has at least ``k`` distinct
    values (:func:`classify` ensures both). Above :data:`MAX_EXACT_VALUES` values the breaks are
    those of evenly spaced order statistics (the extremes kept), so the cost stays bounded."""
    k = max(2, min(int(k), MAX_CLASSES))
    v = np.sort(np.asarray(v, dtype="float64"))
    if v.size > MAX_EXACT_VALUES:
        v = v[np.linspace(0, v.size - 1, MAX_EXACT_VALUES).round().astype(int)]
    k = min(k, len(np.unique(v)))
    if k < 2:
        return np.array([v[-1]])
    return np.asarray(jenkspy.jenks_breaks(v, n_classes=k), dtype="float64")[1:]


def _symmetric(v: np.ndarray, k: int) -> np.ndarray:
    """Breaks symmetric around 0 (for changes): quantiles of |x| mirrored, 0 a break."""
    m = max(1, k // 2)
    mags = np.quantile(np.abs(v), np.linspace(0, 1, m + 1)[1:])
    mags = np.unique(np.maximum(mags, 1e-12))
    return np.concatenate([-mags[::-1][1:], [0.0], mags])


def diverging(
    breaks: tuple[float, ...], good_is_negative: bool, contrast: bool = False
) -> list[str]:
    """Colours for classes with these upper bounds: one hue below 0, the other above, darker
    away from 0. The teal side (BrBG) is the good side, the brown side the bad one; ``contrast``
    takes the high-contrast sides (:data:`CONTRAST_GOOD`, :data:`CONTRAST_BAD`)."""
    base = plotly_diverging.BrBG  # 11 colours: brown ... neutral ... teal
    bounds = list(breaks)
    neg = [b for b in bounds if b <= 0]
    pos = [b for b in bounds if b > 0]
    bad, good = base[:5], base[6:][::-1]  # each ordered dark -> light
    if contrast:
        bad, good = CONTRAST_BAD, CONTRAST_GOOD

    def side(n, hues):  # dark (far from 0) -> light (near 0)
        if n == 0:
            return []
        idx = np.linspace(0, len(hues) - 1, n).round().astype(int)
        return [hues[i] for i in idx]

    neg_hues, pos_hues = (good, bad) if good_is_negative else (bad, good)
    return side(len(neg), neg_hues) + side(len(pos), pos_hues)[::-1]


def palette(k: int, name: str = DEFAULT_PALETTE, reverse: bool = False) -> list[str]:
    """k colours spread over a ColorBrewer sequential palette, light to dark (or reversed)."""
    base = PALETTES[name]
    if k <= 0:
        return []
    idx = (
        np.linspace(1, len(base) - 1, k).round().astype(int) if k > 1 else np.array([len(base) - 1])
    )
    colours = [base[i] for i in idx]
    return colours[::-1] if reverse else colours


def stepped_colorscale(colours: list[str]) -> list[list]:
    """A stepped scale for integer z in 0..k: 0 is 'no data', each class a flat band."""
    k = len(colours)
    steps = [NO_DATA_COLOUR, *colours]
    n = k + 1
    scale = []
    for i, c in enumerate(steps):
        scale.append([i / n, c])
        scale.append([(i + 1) / n, c])
    return scale

"""Classification of values into map classes, and colour-blind-safe palettes.

Breaks come from mapclassify (quantiles, natural breaks, equal interval) or are given by hand.
Class 0 is reserved for "no data"; classes 1..k carry values.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import mapclassify
import numpy as np
from plotly.colors import diverging as plotly_diverging
from plotly.colors import sequential

NO_DATA_COLOUR = "#d9d9d9"
#: Units whose value is flagged (atlas/flags.py) in a view of the values: a mid grey, darker than
#: "no data" and outside every palette; the legend and the hover say why (never colour alone).
FLAGGED_COLOUR = "#8c8c8c"
#: ColorBrewer sequential palettes: they vary in lightness, so they read for colour-blind people too.
PALETTES = {"OrRd": sequential.OrRd, "PuBu": sequential.PuBu, "YlGnBu": sequential.YlGnBu}
DEFAULT_PALETTE = "OrRd"


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
    (the legend then shows fewer classes), so its warning is not passed on."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Not enough unique values", UserWarning)
        return mapclassify.Quantiles(v, k=k).bins


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
    k = max(1, min(k, len(distinct)))
    if method == "manual" and manual:
        bins = np.array(sorted(manual) + ([v.max()] if v.max() > max(manual) else []))
    elif k == 1:
        bins = np.array([v.max()])
    elif method == "symmetric" and v.min() < 0 < v.max():
        bins = _symmetric(v, k)
    elif method == "symmetric":  # one sign only: plain quantiles, coloured by sign
        bins = _quantiles(v, k)
    elif method == "natural_breaks":
        bins = mapclassify.FisherJenks(v, k=k).bins
    elif method == "equal_interval":
        bins = mapclassify.EqualInterval(v, k=k).bins
    else:
        bins = _quantiles(v, k)
    bins = np.unique(bins)
    if len(bins) and bins[-1] < v.max():  # manual breaks below the maximum: one more class
        bins = np.append(bins, v.max())
    cls = np.searchsorted(bins, v, side="left") + 1
    index[ok] = np.minimum(cls, len(bins))
    counts = tuple(int((index == c).sum()) for c in range(1, len(bins) + 1))
    return Classes(tuple(float(b) for b in bins), float(v.min()), index, counts, int((~ok).sum()))


def _symmetric(v: np.ndarray, k: int) -> np.ndarray:
    """Breaks symmetric around 0 (for changes): quantiles of |x| mirrored, 0 a break."""
    m = max(1, k // 2)
    mags = np.quantile(np.abs(v), np.linspace(0, 1, m + 1)[1:])
    mags = np.unique(np.maximum(mags, 1e-12))
    return np.concatenate([-mags[::-1][1:], [0.0], mags])


def diverging(breaks: tuple[float, ...], good_is_negative: bool) -> list[str]:
    """Colours for classes with these upper bounds: one hue below 0, the other above, darker
    away from 0. The teal side (BrBG) is the good side, the brown side the bad one."""
    base = plotly_diverging.BrBG  # 11 colours: brown ... neutral ... teal
    bounds = list(breaks)
    neg = [b for b in bounds if b <= 0]
    pos = [b for b in bounds if b > 0]
    bad, good = base[:5], base[6:][::-1]  # each ordered dark -> light

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

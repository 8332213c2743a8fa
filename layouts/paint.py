"""A switch within one layer as numbers: the map's and the ranking's changes in one compact
message that the browser unpacks into the same two figure patches (assets/atlas.js
``atlas.paint``).

A switch of indicator, year, view or classification on a large layer (Brazil's 5,564
municipalities) used to send each unit's hover texts for the map and, for the ranking, each
unit's value and display row: the same numbers twice, as text and as numbers, and a permutation
that the values themselves almost determine. Here each number travels once:

* ``v``: the number of the map's first hover column (the metric) per unit, to the ``d``
  decimals its text shows, as a whole number of 10**-d (12.3 travels as 123: shorter, and
  whole numbers cost a third of the CPU of decimals to write as JSON); the browser divides it
  back (the same double: both sides divide one exact integer by an exact power of ten) and
  writes the text again (:func:`fmt`, the same digits and separators as
  :func:`atlas.i18n.numbers`); a text it would not write so (no data, a flag) travels as
  itself in ``fix`` (or as the column's one ``none`` text).
* the ranking's x is ``v`` where the unit is ranked (``unranked`` lists the units with a number
  but no rank: flagged values); its row is the unit's place when the ranked units are sorted by x
  in the ranking's direction, ties in the order ``tie`` gives (0 for most units).
* the ranking's colours are the map's classes of the ranked units (0 elsewhere).

Every part is checked here against the figures the server would otherwise send (:func:`unpack`
is the browser's unpacking, in Python): a part the browser would not rebuild exactly travels as
it is, so the page never differs from a first load of the same view. Only the arrays change form:
everything else (colour scale, hover template, the selection, the ranking's layout) is sent as
the patches sent it.
"""

from __future__ import annotations

import numpy as np

from atlas.i18n import SEPARATORS, lang_or_default, numbers, rounded

#: Above this many ``fix`` entries a column travels as texts (it is not a column of numbers).
MAX_FIXES = 0.2


def fmt(value: float, decimals: int, lang: str) -> str:
    """``value`` as the browser writes it (assets/atlas.js ``atlas.fmt``): fixed decimals,
    thousands grouped, the language's separators, "-" before a negative number. For a number
    with at most ``decimals`` decimals (the numbers sent) it is :func:`atlas.i18n.numbers`."""
    return numbers([value], decimals, lang)[0]


def _decimals(texts: list[str], lang: str) -> int | None:
    """The decimals of the first text that writes a number; None if none does."""
    thousands, decimal = SEPARATORS[lang_or_default(lang)]
    for text in texts:
        plain = text.replace(thousands, "").replace(decimal, ".").lstrip("-")
        whole, _, frac = plain.partition(".")
        if whole.isdigit() and (not frac or frac.isdigit()):
            return len(frac)
    return None


def number_column(numbers_: np.ndarray, texts: list[str], lang: str) -> dict | None:
    """A hover column as numbers: ``numbers_`` (the unrounded values its ``texts`` write) to
    the texts' ``d`` decimals, in whole 10**-d (``v``), the text of the units without a number
    (``none``) and the texts the browser would not write from ``v`` (``fix``); None when it is
    not such a column."""
    d = _decimals(texts, lang)
    if d is None:
        return None
    values = rounded(numbers_, d)
    scaled = np.rint(values * 10.0**d) + 0.0  # -0.0 + 0.0 is 0.0: an integer has no sign of zero
    ok = np.abs(scaled) < 2.0**53  # a whole number a double holds exactly (NaN is not)
    # written from what the browser reads (a rounded "-0" comes back as 0, and travels as text)
    written = np.asarray(numbers(scaled / 10.0**d, d, lang), dtype=object)
    same = ok & (written == np.asarray(texts, dtype=object))
    others = np.flatnonzero(~same)
    # the one text sent once: the commonest of the units without a number (no data), else of
    # the others
    counts: dict[str, int] = {}
    for i in others.tolist():
        counts[texts[i]] = counts.get(texts[i], 0) + 1 + len(texts) * (not ok[i])
    none = max(counts, key=counts.get) if counts else ""
    fix = {i: texts[i] for i in others.tolist() if texts[i] != none}
    if len(fix) > MAX_FIXES * len(texts):
        return None
    v = np.where(same, scaled, 0).astype(np.int64).astype(object)
    v[~same] = None
    return {"v": v.tolist(), "d": d, "none": none, "fix": fix}


def column_values(column: dict) -> np.ndarray:
    """A number column's values (NaN where a text travels instead), as the browser reads them."""
    return _floats(column["v"]) / 10.0 ** column["d"]


def column_texts(column: dict, lang: str) -> list[str]:
    """The texts the browser writes for a number column (``atlas.paint``)."""
    none, d = column["none"], column["d"]
    fix = {int(i): text for i, text in column["fix"].items()}  # JSON's keys are texts
    written = numbers(column_values(column), d, lang)
    return [
        fix.get(i, none) if v is None else w
        for i, (v, w) in enumerate(zip(column["v"], written, strict=True))
    ]


def _floats(values: list) -> np.ndarray:
    """A JSON list of numbers and nulls as floats (null as NaN)."""
    return np.array(values, dtype=float)  # numpy reads None as NaN


def _order(x: np.ndarray, direction: int, tie: np.ndarray) -> np.ndarray:
    """Each ranked unit's row (float, NaN for the others) when the units with an x are sorted
    by x in ``direction`` (1 up, -1 down), then ``tie``, then layer order (``atlas.paint``)."""
    ranked = np.flatnonzero(np.isfinite(x))
    order = ranked[np.lexsort((ranked, tie[ranked], direction * x[ranked]))]
    rows = np.full(len(x), np.nan)
    rows[order] = np.arange(len(order))
    return rows


def _direction_and_ties(x: np.ndarray, y: np.ndarray) -> tuple[int, np.ndarray] | None:
    """The direction and ties under which :func:`_order` gives the rows ``y``, if any."""
    if not np.array_equal(np.isfinite(x), np.isfinite(y)):
        return None
    ranked = np.flatnonzero(np.isfinite(y))
    ranked = ranked[np.argsort(y[ranked], kind="stable")]
    xs = x[ranked]
    steps = np.diff(xs)
    direction = 1 if (steps >= 0).all() else -1
    if direction == -1 and not (steps <= 0).all():
        return None
    # within a run of equal x, the units already in layer order share a tie number: a new
    # number starts where the layer order goes back (most runs need none; a long run of equal
    # values in layer order is all 0)
    new_run = np.concatenate(([True], steps != 0))
    back = np.concatenate(([False], np.diff(ranked) < 0)) & ~new_run
    count = np.cumsum(back)
    start = np.maximum.accumulate(np.where(new_run, np.arange(len(ranked)), 0))
    tie = np.zeros(len(x), dtype=int)
    if len(ranked):
        tie[ranked] = count - count[start]
    if not np.array_equal(_order(x, direction, tie), y, equal_nan=True):
        return None
    return direction, tie


def _plain(values: np.ndarray) -> list:
    """Floats as a JSON list: whole numbers as ints, NaN as None."""
    out = values.astype(object)
    whole = np.isfinite(values) & (values == np.round(values))
    out[whole] = values[whole].astype(int)
    out[~np.isfinite(values)] = None
    return out.tolist()


def _ranking_x(v: np.ndarray, unranked: list[int]) -> np.ndarray:
    x = v.copy()
    x[unranked] = np.nan
    return x


def _ranking_colour(x: np.ndarray, z: np.ndarray) -> np.ndarray:
    return np.where(np.isfinite(x), z, 0)


def encode(map_values: dict, metric, selection: list[str], ranking: dict, lang: str) -> dict | None:
    """The compact message for a switch: ``map_values`` as :func:`layouts.figures.trace_values`
    gives them (customdata as rows of texts, the first the ``metric``'s), the selection's
    locations and the layer-ordered ranking figure (a dict). None when the metric's texts are not
    numbers the browser can write (the patches then go as they are)."""
    rows = np.asarray(map_values["customdata"], dtype=str)
    if rows.ndim != 2 or not rows.size:
        return None
    columns = rows.T
    first = number_column(metric, columns[0].tolist(), lang)
    if first is None:
        return None
    v = column_values(first)
    z = np.asarray(map_values["z"], dtype=int)
    trace = ranking["data"][0]
    x, y = _floats(trace["x"]), _floats(trace["y"])
    marker = dict(trace["marker"])
    colour = np.asarray(marker.pop("color"), dtype=float)
    rank: dict = {
        "marker": marker,
        "error_x": trace.get("error_x"),
        "hovertemplate": trace.get("hovertemplate"),
        "selected": ranking["data"][1],
        "layout": ranking["layout"],
    }
    has_x, has_v = np.isfinite(x), np.isfinite(v)
    if (has_x <= has_v).all() and np.array_equal(x[has_x], v[has_x]):  # x is v where ranked
        rank["unranked"] = np.flatnonzero(has_v & ~has_x).tolist()
    else:
        rank["x"] = _plain(x)
    order = _direction_and_ties(x, y)
    if order is None:
        rank["y"] = _plain(y)
    else:
        rank["direction"], tie = order
        rank["tie"] = tie.tolist() if tie.any() else None
    if not np.array_equal(_ranking_colour(x, z), colour):
        rank["color"] = _plain(colour)
    return {
        "map": {
            **{k: val for k, val in map_values.items() if k not in ("z", "customdata")},
            "selected": selection,
        },
        "z": z.tolist(),
        "columns": [first, *({"texts": c.tolist()} for c in columns[1:])],
        "lang": lang,
        "ranking": rank,
    }


def unpack(message: dict) -> dict:
    """The arrays the browser rebuilds from a message (``atlas.paint``, in Python): the map's
    ``z`` and ``customdata`` and the ranking's ``x``, ``y`` and marker colours (NaN where the
    browser has null)."""
    lang = message["lang"]
    columns = [column_texts(c, lang) if "v" in c else list(c["texts"]) for c in message["columns"]]
    customdata = [list(r) for r in zip(*columns, strict=True)]
    rank = message["ranking"]
    v = column_values(message["columns"][0])
    x = _floats(rank["x"]) if "x" in rank else _ranking_x(v, rank["unranked"])
    if "y" in rank:
        y = _floats(rank["y"])
    else:
        tie = np.asarray(rank["tie"] or [0] * len(x), dtype=int)
        y = _order(x, rank["direction"], tie)
    z = np.asarray(message["z"], dtype=int)
    colour = _floats(rank["color"]) if "color" in rank else _ranking_colour(x, z)
    return {"z": message["z"], "customdata": customdata, "x": x, "y": y, "color": colour}

"""A switch within a large layer sent as numbers (layouts/paint.py): what the browser rebuilds
(``unpack``, the Python twin of assets/atlas.js ``atlas.paint``; the browser test
tests/browser/test_atlas_page.py::test_brw017 checks the two agree) equals the patches the server
would otherwise send, for hand-made layers and for every view of Brazil's municipalities."""

from __future__ import annotations

import gzip
import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from atlas import panels as panel_data
from atlas.i18n import numbers, rounded
from atlas.urlstate import State as ViewState
from atlas.views import compute
from layouts import figures, paint, panels


def _ranking_figure(x: np.ndarray, y: np.ndarray, colour: np.ndarray) -> dict:
    def plain(a):
        return [None if not np.isfinite(v) else v for v in a.tolist()]

    return {
        "data": [
            {"x": plain(x), "y": plain(y), "marker": {"color": plain(colour), "size": 5}},
            {"type": "scatter", "x": [], "y": []},
        ],
        "layout": {"height": None},
    }


def _layer(values, lang="es", direction=-1, decimals=1, no_data="sin datos"):
    """A map's trace values and a layer-ordered ranking for ``values`` (NaN = no data), ranked
    by the exact values in ``direction`` as atlas.panels.ranking does."""
    metric = np.asarray(values, dtype=float)
    texts = numbers(metric, decimals, lang)
    z = np.where(np.isfinite(metric), 1 + (np.nan_to_num(metric) > np.nanmedian(metric)), 0)
    has = np.flatnonzero(np.isfinite(metric))
    order = has[np.lexsort((has, direction * metric[has]))]
    y = np.full(len(metric), np.nan)
    y[order] = np.arange(len(order))
    x = np.where(np.isfinite(metric), rounded(metric, decimals), np.nan)
    colour = np.where(np.isfinite(metric), z, 0)
    trace = {
        "z": z.tolist(),
        "zmin": -0.5,
        "zmax": 2.5,
        "colorscale": [[0, "#ccc"], [1, "#000"]],
        "customdata": [[t] for t in texts],
        "hovertemplate": "%{customdata[0]}",
    }
    return trace, metric, _ranking_figure(x, y, colour)


def _check(trace, metric, ranking, lang="es"):
    message = paint.encode(trace, metric, [], ranking, lang)
    assert message is not None
    # what travels is JSON
    message = json.loads(json.dumps(message))
    got = paint.unpack(message)
    assert got["customdata"] == [list(r) for r in trace["customdata"]]
    assert got["z"] == list(trace["z"])
    first = ranking["data"][0]
    for key, want in (("x", first["x"]), ("y", first["y"]), ("color", first["marker"]["color"])):
        want = np.array([np.nan if v is None else v for v in want], dtype=float)
        assert np.array_equal(got[key], want, equal_nan=True), key
    return message


def test_pnt001_numbers_are_written_back_as_the_texts_were():
    for lang in ("es", "pt", "en"):
        for v in (0.0, 1.5, -2.25, 1234.5, 1234567.0, -0.04):
            for d in (0, 1, 2):
                r = float(rounded([v], d)[0])
                assert paint.fmt(r, d, lang) == numbers([v], d, lang)[0]


def test_pnt002_a_layer_with_ties_gaps_and_no_data_unpacks_exactly():
    values = [12.34, 12.31, 12.36, np.nan, 0.0, 0.0, 0.0, 55.5, 12.3, 7.75, 7.65, np.nan]
    message = _check(*_layer(values))
    # the rows follow from the numbers: no rows, no x, no colours travel
    rank = message["ranking"]
    assert "y" not in rank and "x" not in rank and "color" not in rank
    assert rank["direction"] == -1
    column = message["columns"][0]
    assert column["none"] == "sin datos" and column["fix"] == {}


def test_pnt003_rows_the_numbers_cannot_give_travel_as_they_are():
    trace, metric, ranking = _layer([3.0, 1.0, 2.0, 4.0])
    ranking["data"][0]["y"] = [0, 2, 1, 3]  # not an order of x
    message = _check(trace, metric, ranking)
    assert message["ranking"]["y"] == [0, 2, 1, 3]


def test_pnt004_texts_that_are_not_the_number_travel_as_fixes():
    trace, metric, ranking = _layer([3.0, 1.0, 2.0, 4.0, np.nan])
    trace["customdata"][2] = ["2,0 (estimado)"]
    message = _check(trace, metric, ranking)
    assert message["columns"][0]["fix"] == {"2": "2,0 (estimado)"}


def test_pnt005_a_column_of_words_is_not_sent_as_numbers():
    trace, metric, ranking = _layer([3.0, 1.0])
    trace["customdata"] = [["alto"], ["bajo"]]
    assert paint.encode(trace, metric, [], ranking, "es") is None


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.floats(-1e5, 1e5, allow_nan=False),
            st.sampled_from([0.0, 0.05, 0.25, 12.35, 2.675, np.nan]),
        ),
        min_size=1,
        max_size=60,
    ),
    st.sampled_from(["es", "en"]),
    st.sampled_from([-1, 1]),
    st.integers(0, 3),
)
def test_pnt006_any_layer_unpacks_to_the_figures(values, lang, direction, decimals):
    if not np.isfinite(np.asarray(values, dtype=float)).any():
        values = [*values, 1.0]
    trace, metric, ranking = _layer(values, lang, direction, decimals)
    minus_zero = sum(_negative_zero(t) for (t,) in trace["customdata"])
    if minus_zero > paint.MAX_FIXES * len(values):
        # "-0" texts travel as texts (test_pnt012): past a fifth of the layer, the column may
        # go as texts and the patches as they are
        if paint.encode(trace, metric, [], ranking, lang) is None:
            return
    _check(trace, metric, ranking, lang=lang)


def _negative_zero(text: str) -> bool:
    return text.startswith("-") and set(text) <= set("-0.,")


def test_pnt012_a_value_written_minus_zero_travels_as_its_text():
    """-0.04 to one decimal is "-0,0": the whole number sent for it (0) has no sign, so the
    browser would write "0,0"; the text travels as it is."""
    trace, metric, ranking = _layer([-0.04, 3.0, 1.0, 2.0, 4.0, 0.0, np.nan])
    message = _check(trace, metric, ranking)
    column = message["columns"][0]
    assert column["none"] == "sin datos" and column["fix"] == {"0": "-0,0"}
    assert column["v"] == [None, 30, 10, 20, 40, 0, None] and column["d"] == 1


# -- Brazil's municipalities, every view -------------------------------------------------------


@pytest.mark.realdata
@pytest.mark.parametrize(
    "view, indicator, lang",
    [
        ("value", "infant_mortality", "es"),
        ("value", "poverty_extreme", "en"),
        ("change", "infant_mortality", "pt"),
        ("gap", "infant_mortality", "es"),
        ("status", "infant_mortality", "es"),
    ],
)
def test_pnt010_brazil_switches_unpack_to_the_server_figures(store, catalog, view, indicator, lang):
    state = ViewState(
        lang=lang, country="BRA", indicator=indicator, year=2010, view=view, base_year=1991
    )
    v = compute(store, catalog, state)
    rows = panel_data.ranking(v)
    ranking = panels.ranking_figure(rows, v, lang)
    assert panels.layer_ordered(rows)
    trace = figures.trace_values(v)
    message = paint.encode(trace, v.metric, figures.selection(v), ranking, lang)
    if view in ("gap", "status"):  # texts that are not numbers: the patches go as they are
        assert message is None
        return
    _check(trace, v.metric, ranking, lang)
    if view == "value":  # the numbers once, the rows from them: well under 20 kB on the wire
        body = json.dumps(message, separators=(",", ":")).encode()
        assert len(gzip.compress(body, 6)) < 18_000
        assert "y" not in message["ranking"] and "x" not in message["ranking"]

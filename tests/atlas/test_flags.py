"""A flagged value (kept as published) is shown with its reason wherever it appears (map hover,
unit panel, table, profile) and left out of the ranking, the status counts, inequality and the
progress: on the tiny store, whose BRA1200042 illiteracy 2010 is flagged "inherited"."""

from __future__ import annotations

import math

import numpy as np
import pytest

from atlas import panels
from atlas.analysis import layer_progress
from atlas.classify import FLAGGED_COLOUR
from atlas.flags import MARK
from atlas.i18n import LANGS, t
from atlas.profile import profile
from atlas.urlstate import State
from atlas.views import compute
from layouts import figures
from layouts import panels as lp
from tests.fixtures.tiny_store import INHERITED
from tests.fixtures.tree import texts

UNIT, YEAR, PARENT = INHERITED


def _state(view: str = "value", lang: str = "es", **kw) -> State:
    base = dict(
        lang=lang,
        country="BRA",
        level="municipality",
        indicator="illiteracy",
        year=YEAR,
        view=view,
        base_year=1991,
    )
    return State(**{**base, **kw})


@pytest.fixture(scope="module")
def where(tiny_store):
    return int(tiny_store.layer("BRA", "municipality").index.get_loc(UNIT))


@pytest.mark.parametrize("lang", LANGS)
def test_flv001_the_view_says_why_and_names_the_unit_copied(tiny_store, catalog, where, lang):
    view = compute(tiny_store, catalog, _state(lang=lang))
    assert view.flagged.sum() == 1 and view.flagged[where]
    parent = tiny_store.unit(PARENT)
    assert view.flag_text[where].startswith(MARK)
    assert f"{parent['name']} ({parent['code']})" in view.flag_text[where]
    assert all(text == "" for i, text in enumerate(view.flag_text) if i != where)
    # the value is kept (hover, table) and drawn in the flagged class, not by its level
    assert math.isfinite(view.value[where]) and view.metric_text[where] == view.value_text[where]
    assert view.classes[where] == len(view.colours) and view.colours[-1] == FLAGGED_COLOUR
    entry = next(e for e in view.legend if e.colour == FLAGGED_COLOUR)
    assert entry.label == t("flags.legend", lang) and entry.count == 1
    assert sum(e.count for e in view.legend) == len(view.layer)
    assert any(MARK in text for _, text in view.notes)
    # the status view classes every unit by its status (its progress left the value out)
    status = compute(tiny_store, catalog, _state("status", lang=lang))
    assert FLAGGED_COLOUR not in status.colours and status.classes[where] > 0


def test_flv002_a_change_from_a_flagged_base_year_is_flagged_too(tiny_store, catalog, where):
    view = compute(tiny_store, catalog, _state("change", year=2010, base_year=2010))
    assert view.flagged[where]
    clean = compute(tiny_store, catalog, _state("change", year=2000, base_year=1991))
    assert clean.flag is None and not clean.flagged.any()


def test_flv003_the_ranking_and_table_leave_it_out_but_show_why(tiny_store, catalog, where):
    view = compute(tiny_store, catalog, _state())
    r = panels.ranking(view, selected=UNIT)
    assert UNIT not in r.unit_ids and r.n_flagged == 1
    assert r.n_ranked == len(view.layer) - 1 and r.n_no_data == 0
    assert r.selected_flag == view.flag_text[where]
    order, ranks = panels.table_order(view)
    assert order[-1] == where and ranks[-1] == 0
    table = texts(lp.data_table(view, "es", page_size=100))
    assert view.flag_text[where] in table
    fig = lp.ranking_figure(r, view, "es")
    assert view.flag_text[where] in str(fig.layout.title.text)


def test_flv004_the_map_hover_carries_the_reason(tiny_store, catalog, where):
    view = compute(tiny_store, catalog, _state())
    trace = figures._trace_values(view)
    assert trace["customdata"][where][-1].startswith("<br>" + MARK)
    assert all(row[-1] == "" for i, row in enumerate(trace["customdata"]) if i != where)
    last = len(trace["customdata"][0]) - 1
    assert f"%{{customdata[{last}]}}" in trace["hovertemplate"]


def test_flv005_status_counts_and_inequality_leave_it_out(tiny_store, catalog, where):
    view = compute(tiny_store, catalog, _state("status", framework="mdg2015"))
    s = panels.summary(tiny_store, catalog, view)
    assert sum(share.units for share in s.statuses) == len(view.layer) - 1
    assert s.gini_units == len(view.layer) - 1
    values = view.value.copy()
    values[where] = np.nan
    weights = tiny_store.layer("BRA", "municipality").population
    ok = np.isfinite(values)
    assert s.gini == pytest.approx(panels.gini_columns(values[ok, None], weights[ok, None])[0])


def test_flv006_progress_uses_the_other_years_only(tiny_store, catalog, where):
    p = layer_progress(
        tiny_store, catalog, indicator="illiteracy", country="BRA", level="municipality"
    )
    assert p.iloc[where]["latest_year"] == 2000
    assert p.drop(index=UNIT)["latest_year"].eq(YEAR).all()


def test_flv007_unit_panel_and_profile_show_the_reason(tiny_store, catalog, where):
    view = compute(tiny_store, catalog, _state())
    d = panels.unit_detail(tiny_store, catalog, view, UNIT)
    assert d.flag_text == view.flag_text[where]
    assert d.series_flags[d.series_years.index(YEAR)] == d.flag_text
    assert d.flag_text in texts(lp.unit_panel(d, view, "es"))
    prof = profile(tiny_store, catalog, UNIT, "es")
    obs = {o.year: o for o in prof.indicator("illiteracy").observations}
    assert obs[YEAR].flag == d.flag_text and obs[2000].flag == ""
    assert prof.indicator("illiteracy").progress.latest_year == 2000

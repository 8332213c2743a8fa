"""The panels beside the map: ranking, summary, selected unit (atlas/panels.py) and their Dash
components and figures (layouts/panels.py), on the real store."""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from atlas import panels
from atlas.analysis import population_near
from atlas.i18n import LANGS, messages, t
from atlas.method import gini, rollup
from atlas.urlstate import State
from atlas.views import ViewData, compute
from layouts import panels as lp
from tests.conftest import ROOT
from tests.fixtures.tree import texts

BRA_UNITS = 5564
ACRE = "12"


def state(view: str = "value", **kw) -> State:
    base = dict(
        lang="es",
        country="BRA",
        level="municipality",
        indicator="infant_mortality",
        year=2010,
        view=view,
        base_year=1991,
    )
    return State(**{**base, **kw})


@pytest.fixture(scope="module")
def views(store, catalog) -> dict[str, ViewData]:
    return {v: compute(store, catalog, state(v)) for v in ("value", "change", "gap", "status")}


def _find(component, kind: str) -> list:
    """Every component of type ``kind`` (e.g. "Tr") in the tree."""
    out = []
    if isinstance(component, list | tuple):
        for c in component:
            out += _find(c, kind)
        return out
    if component is None or isinstance(component, str | int | float):
        return out
    if type(component).__name__ == kind:
        out.append(component)
    return out + _find(getattr(component, "children", None), kind)


# --------------------------------------------------------------------------------------------
# ranking


def test_pnl001_ranking_is_complete_and_direction_aware(views, store, catalog):
    for name, view in views.items():
        r = panels.ranking(view)
        assert len(r) == int(np.isfinite(view.metric).sum()) == BRA_UNITS, name
        assert len(set(r.unit_ids)) == len(r)
        assert r.rank[0] == 1 and (np.diff(r.rank) >= 0).all()
        assert r.breaks == [] and r.n_omitted == 0
    # infant mortality: lower is better -> lowest value first; change: most negative first
    assert (np.diff(panels.ranking(views["value"]).x) >= 0).all()
    assert (np.diff(panels.ranking(views["change"]).x) >= 0).all()
    # gap: smallest share of the required change still to go first
    assert (np.diff(panels.ranking(views["gap"]).metric) >= 0).all()
    # status: best class first, then the best value within a class
    r = panels.ranking(views["status"])
    assert (np.diff(r.metric) >= 0).all()
    for cls in np.unique(r.metric):
        assert (np.diff(r.x[r.metric == cls]) >= 0).all()
    assert np.array_equal(
        r.x, views["status"].value[views["status"].layer.index.get_indexer(r.unit_ids)]
    )
    # higher is better -> highest first
    hv = compute(store, catalog, state(indicator="school_attendance_primary"))
    rh = panels.ranking(hv)
    assert (np.diff(rh.x) <= 0).all() and rh.best_first == "high"
    # no normative direction: highest first, and the ranking says there is no "best"
    pv = compute(store, catalog, state(indicator="population"))
    rp = panels.ranking(pv)
    assert (np.diff(rp.x) <= 0).all() and rp.best_first == ""


def test_pnl002_ties_share_a_rank(views):
    r = panels.ranking(views["value"])
    same = (np.diff(r.x) == 0) & (np.diff(r.rank) == 0)
    assert same.any()  # Brazil has many equal rates at one decimal
    # a rank is the number of better units plus one
    for i in (0, 1, 2, 100, len(r) - 1):
        assert r.rank[i] == 1 + int((r.x < r.x[i]).sum())


def test_pnl003_admin1_filter(views, store):
    view = views["value"]
    r = panels.ranking(view, admin1=ACRE)
    layer = view.layer
    assert len(r) == int((layer.admin1_codes == ACRE).sum()) == 22
    assert set(r.admin1_names) == {"Acre"}
    assert r.rank[0] == 1 and (np.diff(r.x) >= 0).all()
    assert r.n_ranked == 22 and r.admin1 == ACRE


def test_pnl004_top_n_keeps_best_and_worst_with_a_break(views):
    view = views["value"]
    full = panels.ranking(view)
    r = panels.ranking(view, top=10)
    assert len(r) == 20
    assert r.unit_ids[:10] == full.unit_ids[:10] and r.unit_ids[10:] == full.unit_ids[-10:]
    assert r.breaks == [10] and r.break_counts == [BRA_UNITS - 20] == [r.n_omitted]
    assert list(r.position) == [*range(10), *range(11, 21)] and r.rows == 21
    assert list(r.rank[10:]) == list(full.rank[-10:])
    # N larger than half the units: everything, no break
    assert len(panels.ranking(view, admin1=ACRE, top=11)) == 22


def test_pnl005_selected_unit_is_always_shown_and_flagged(views, store, catalog):
    view = views["value"]
    full = panels.ranking(view)
    uid = full.unit_ids[2500]  # in the middle: dropped by top=5 but for the selection
    r = panels.ranking(view, top=5, selected=uid)
    assert len(r) == 11 and r.selected == uid
    i = r.selected_index
    assert r.unit_ids[i] == uid and r.is_selected.sum() == 1 and r.is_selected[i]
    assert r.rank[i] == full.rank[2500]
    assert len(r.breaks) == 2 and sum(r.break_counts) == r.n_omitted == BRA_UNITS - 11
    # a unit outside the admin-1 filter is placed where it would rank, flagged, not ranked
    sp = "BRA3550308"  # São Paulo
    r = panels.ranking(view, admin1=ACRE, selected=sp)
    assert len(r) == 23 and sp in r.unit_ids
    i = r.selected_index
    assert r.rank[i] == 0 and r.is_selected[i]
    assert (np.diff(r.x) >= 0).all()  # still in order
    others = np.delete(r.rank, i)
    assert list(others) == list(panels.ranking(view, admin1=ACRE).rank)
    # a selected unit without data cannot be drawn: it is named instead
    cv = compute(store, catalog, state(country="CHL", indicator="infant_mortality", year=2023))
    missing = cv.layer.unit_ids[~np.isfinite(cv.value)][0]
    r = panels.ranking(cv, selected=missing)
    assert missing not in r.unit_ids and r.selected_index is None
    assert r.selected_missing == cv.layer.names[cv.layer.index.get_loc(missing)]
    assert r.n_no_data == 2


def test_pnl006_ci_and_colours_follow_the_view(store, catalog, views):
    cv = compute(store, catalog, state(country="CHL", indicator="poverty", year=2022))
    r = panels.ranking(cv)
    idx = cv.layer.index.get_indexer(r.unit_ids)
    assert r.has_ci
    assert np.allclose(r.ci_low, cv.ci_low[idx], equal_nan=True)
    assert np.allclose(r.ci_high, cv.ci_high[idx], equal_nan=True)
    change = compute(
        store,
        catalog,
        state("change", country="CHL", indicator="poverty", year=2022, base_year=2017),
    )
    assert not panels.ranking(change).has_ci
    for view in views.values():
        r = panels.ranking(view)
        idx = view.layer.index.get_indexer(r.unit_ids)
        assert r.colours == [view.colours[c - 1] for c in view.classes[idx]]
        assert r.text == [view.metric_text[i] for i in idx]


# --------------------------------------------------------------------------------------------
# summary


def test_pnl007_country_value_is_the_population_weighted_mean(store, catalog, views):
    view = views["value"]
    s = panels.summary(store, catalog, view)
    pop = population_near(store, "BRA", 2010)
    x = view.value
    ok = np.isfinite(pop) & np.isfinite(x)
    expected = float(np.sum(pop[ok] * x[ok]) / np.sum(pop[ok]))
    assert s.value == pytest.approx(expected, rel=1e-12)
    ref = rollup(pd.DataFrame({"unit_id": view.layer.unit_ids, "value": x, "population": pop}))
    assert s.value == pytest.approx(float(ref["value"].iloc[0]), rel=1e-12)
    assert s.units_counted == int(ref["units_counted"].iloc[0]) == BRA_UNITS
    assert s.units_missing == [] and s.weighted and s.population_year == 2010
    assert s.population_counted == pytest.approx(float(ref["population_counted"].iloc[0]))
    # the producer's weights (SINIM's implied births for Chile's infant mortality) give the value;
    # units without a value or a weight are named
    cv = compute(store, catalog, state(country="CHL", indicator="infant_mortality", year=2023))
    cs = panels.summary(store, catalog, cv)
    cube = store.cube("infant_mortality", "CHL", "municipality")
    w = cube.weights[:, cube.column(2023)]
    ok = np.isfinite(w) & np.isfinite(cv.value)
    assert cs.basis == "producer_weights"
    assert cs.value == pytest.approx(float(np.sum(w[ok] * cv.value[ok]) / np.sum(w[ok])))
    assert cs.units_missing == cv.layer.unit_ids[~ok].tolist() and len(cs.units_missing) == 2
    assert cs.units_counted == cs.units - 2 and len(cs.missing_names) == 2


def test_pnl008_admin1_filter_and_national_reference(store, catalog):
    view = compute(store, catalog, state(admin1=ACRE))
    s = panels.summary(store, catalog, view)
    m = view.layer.admin1_codes == ACRE
    pop = population_near(store, "BRA", 2010)[m]
    assert s.units == 22 and s.scope_name == "Acre"
    assert s.value == pytest.approx(float(np.sum(pop * view.value[m]) / pop.sum()))
    nat = store.series("BRA", "infant_mortality")
    row = nat[nat["year"] == 2010].iloc[0]
    assert s.national_year == 2010 and s.national_value == pytest.approx(row["value"])
    assert s.national_source.startswith(store.source(row["source_id"])["producer"])


def test_pnl009_status_shares_sum_to_one(store, catalog, views):
    assert panels.summary(store, catalog, views["value"]).statuses == []
    for name in ("gap", "status"):
        s = panels.summary(store, catalog, views[name])
        assert s.statuses
        assert sum(x.unit_share for x in s.statuses) == pytest.approx(1.0)
        assert sum(x.population_share for x in s.statuses) == pytest.approx(1.0)
        assert sum(x.units for x in s.statuses) == BRA_UNITS
        counts = views[name].progress["status"].value_counts()
        assert {x.status: x.units for x in s.statuses} == counts.to_dict()
    # filtered to one state
    s = panels.summary(store, catalog, compute(store, catalog, state("status", admin1=ACRE)))
    assert sum(x.units for x in s.statuses) == 22
    assert sum(x.unit_share for x in s.statuses) == pytest.approx(1.0)


def test_pnl010_gini_and_its_trend(store, catalog, views):
    view = views["value"]
    s = panels.summary(store, catalog, view)
    cube = store.cube("infant_mortality", "BRA", "municipality")
    assert [y for y, _ in s.gini_trend] == list(cube.years) == [1991, 2000, 2010]
    pop = population_near(store, "BRA", 2010)
    assert s.gini == pytest.approx(gini(view.value, pop), rel=1e-9)
    # every unit has every year: the balanced trend is the plain yearly Gini
    assert s.gini_balanced and s.gini_units == BRA_UNITS
    for y, g in s.gini_trend:
        j = cube.years.index(y)
        assert g == pytest.approx(
            gini(cube.values[:, j], population_near(store, "BRA", y)), rel=1e-9
        )
    assert s.gini_direction == "falling"  # 0.26 -> 0.18: convergence
    # an unbalanced layer (Colombian dropout, units missing in early years) still gives a year each
    cv = compute(store, catalog, state(country="COL", indicator="dropout_primary", year=2022))
    cs = panels.summary(store, catalog, cv)
    assert [y for y, _ in cs.gini_trend] == store.years("dropout_primary", "COL", "municipality")
    assert not cs.weighted  # Colombia's municipalities have no population series
    # the flagged values (COL97777's empty record) are left out
    assert cv.flagged.any()
    assert cs.gini == pytest.approx(gini(np.where(cv.flagged, np.nan, cv.value)), rel=1e-9)


@settings(max_examples=60, deadline=None)
@given(
    arrays(np.float64, (12, 3), elements=st.sampled_from([np.nan, 0.0]) | st.floats(1e-3, 1e3)),
    arrays(np.float64, (12, 3), elements=st.sampled_from([np.nan, 0.0]) | st.floats(1e-2, 1e7)),
)
def test_pnl011_vectorised_gini_equals_the_method(x, w):
    """Also with the values' own order given (a cube's, NaN last, units without a weight left
    where they are): the same Gini."""
    g = panels.gini_columns(x, w)
    given_order = panels.gini_columns(x, w, np.argsort(x, axis=0, kind="stable"))
    for j in range(x.shape[1]):
        ref = gini(x[:, j], w[:, j])
        if math.isnan(ref):
            assert math.isnan(g[j]) and math.isnan(given_order[j])
        else:
            assert g[j] == pytest.approx(ref, rel=1e-9, abs=1e-12)
            assert given_order[j] == pytest.approx(ref, rel=1e-9, abs=1e-12)


def test_pnl012_admin1_weights_sum_the_municipalities(store):
    layer = store.layer("BRA", "admin1")
    w, years = panels.population_weights(store, layer, [2010, 1991])
    assert years == [2010, 1991]
    mun = store.layer("BRA", "municipality")
    by = pd.Series(population_near(store, "BRA", 2010)).groupby(mun.admin1_codes).sum()
    assert np.allclose(w[:, 0], by.reindex(layer.admin1_codes).to_numpy())
    # no population anywhere (Uruguay's departments): NaN, and the summary says "simple mean"
    w, years = panels.population_weights(store, store.layer("URY", "admin1"), [2010])
    assert np.isnan(w).all() and years == [None]


# --------------------------------------------------------------------------------------------
# one unit


def test_pnl014_unit_detail_matches_the_store(store, catalog, views):
    d = panels.unit_detail(store, catalog, views["value"], "BRA1200013")
    unit = store.unit("BRA1200013")
    series = store.series("BRA1200013", "infant_mortality")
    assert (d.name, d.admin1_name, d.country) == (unit["name"], unit["admin1_name"], "BRA")
    assert d.name == "Acrelândia" and d.unit_id == "BRA1200013"
    assert d.series_years == series["year"].tolist() == [1991, 2000, 2010]
    assert d.series_values == pytest.approx(series["value"].tolist())
    assert d.value == pytest.approx(series.loc[series["year"] == 2010, "value"].iloc[0])
    assert d.source_id == "bra_atlas2013" and d.year == 2010
    nat = store.series("BRA", "infant_mortality")
    assert d.national_years == nat["year"].tolist()
    assert d.national_values == pytest.approx(nat["value"].tolist())
    assert d.status is None and d.rate_required is None
    # progress (status view): the view's row, rates in % per year
    d = panels.unit_detail(store, catalog, views["status"], "BRA1200013")
    p = views["status"].progress.loc["BRA1200013"]
    assert d.status == p["status"] and d.status_text
    assert (d.baseline_year, d.deadline) == (1991, 2015)
    assert d.baseline_value == pytest.approx(p["baseline_value"])
    assert d.target_value == pytest.approx(p["target_value"])
    assert d.rate_unit == "percent"
    assert d.rate_observed == pytest.approx(p["cagr"] * 100)
    assert d.rate_required == pytest.approx(p["cagr_still_required"] * 100)
    assert d.year_reached == pytest.approx(p["year_reached"])
    # not a unit of this layer
    assert panels.unit_detail(store, catalog, views["value"], "CHL13101") is None
    assert panels.unit_detail(store, catalog, views["value"], "") is None


# --------------------------------------------------------------------------------------------
# layouts


def test_pnl015_ranking_figure(views):
    view = views["value"]
    r = panels.ranking(view, selected="BRA1200013")
    fig = lp.ranking_figure(r, view, "es")
    main = fig.data[0]
    # every unit of the layer in the layer's order, drawn where it ranks (lean points: names and
    # ids are the layer's, the same for every indicator, so a switch patches values only)
    layer = view.layer
    assert main.type == "scatter" and len(main.x) == len(layer) == BRA_UNITS
    assert main.text is None and list(main.hovertext) == list(layer.names)
    assert main.customdata is None  # a click names its row of the layer
    y = dict(zip(layer.unit_ids, main.y, strict=True))
    assert [y[u] for u in r.unit_ids] == r.position.tolist()
    unranked = set(layer.unit_ids) - set(r.unit_ids)
    assert all(y[u] is None for u in unranked)
    assert lp.ranking_key(r, view) == "BRA:municipality"
    assert fig.layout.separators == ",."
    sel = fig.data[1]  # the selected unit drawn again on top
    assert list(sel.customdata) == ["BRA1200013"] and sel.marker.size > 10
    assert any("Acrelândia" in a.text for a in fig.layout.annotations)
    assert "2010" in fig.layout.title.text
    assert "Fuente" in main.hovertemplate and view.source in main.hovertemplate
    assert fig.layout.height is None  # too many points for names: the container's height
    # a small set: bars, names as tick labels, height from the rows, error bars from the CI
    r = panels.ranking(view, admin1=ACRE, top=5, selected="BRA1200013")
    fig = lp.ranking_figure(r, view, "en")
    assert lp.ranking_key(r, view) == ""  # its own rows: always sent whole
    assert fig.data[0].type == "bar" and len(fig.data[0].y) == len(r)
    assert fig.layout.separators == ".,"
    assert any("Acrelândia" in tk for tk in fig.layout.yaxis.ticktext)
    assert fig.layout.height >= 22 * r.rows
    assert any("omit" in a.text or "left out" in a.text for a in fig.layout.annotations)
    # medium set: dots (not WebGL), names
    fig = lp.ranking_figure(panels.ranking(view, admin1="11"), view, "pt")  # Rondônia: 52
    assert fig.data[0].type == "scatter" and len(fig.layout.yaxis.ticktext) == 52


def test_pnl016_ranking_figure_ci_and_empty(store, catalog):
    cv = compute(store, catalog, state(country="CHL", indicator="poverty", year=2022))
    fig = lp.ranking_figure(panels.ranking(cv, admin1="01"), cv, "es")
    assert fig.data[0].error_x.array is not None
    empty = panels.ranking(cv, admin1="ZZ")
    fig = lp.ranking_figure(empty, cv, "es")
    assert not fig.data and "No hay unidades" in fig.layout.annotations[0].text


def test_pnl017_data_table(views):
    view = views["value"]
    table = lp.data_table(view, "es")
    rows = _find(table, "Tbody")[0].children
    assert len(rows) == 50
    caption = _find(table, "Caption")
    assert caption and "5.564" in texts(caption)
    heads = _find(_find(table, "Thead"), "Th")
    assert len(heads) == 4 and all(h.scope == "col" for h in heads)
    assert rows[0].children[1].scope == "row"
    assert "Página 1 de 112" in texts(table)
    buttons = _find(table, "Button")
    assert [b.id for b in buttons] == [
        {"type": "table-page", "dir": "prev"},
        {"type": "table-page", "dir": "next"},
    ]
    assert buttons[0].disabled and not buttons[1].disabled
    # sorted like the ranking
    r = panels.ranking(view)
    assert [texts(row.children[1]) for row in rows] == r.names[:50]
    # last page (and beyond: clamped), filtered, and the gap view's extra columns
    last = lp.data_table(view, "en", page=500)
    assert len(_find(last, "Tbody")[0].children) == BRA_UNITS - 111 * 50
    assert "Page 112 of 112" in texts(last) and _find(last, "Button")[1].disabled
    acre = lp.data_table(view, "es", admin1=ACRE)
    assert len(_find(acre, "Tbody")[0].children) == 22
    gap = lp.data_table(views["gap"], "pt", page_size=10)
    assert len(_find(_find(gap, "Thead"), "Th")) == 7
    assert len(_find(gap, "Tbody")[0].children) == 10


def test_pnl018_summary_cards_and_unit_panel(store, catalog, views):
    view = views["status"]
    cards = lp.summary_cards(panels.summary(store, catalog, view), view, "es")
    text = texts(cards)
    assert "Promedio ponderado por población: Brasil, 2010" in text
    assert "Cuentan 5.564 de 5.564 unidades" in text
    assert "Referencia nacional" in text and "14,8" in text
    assert "Meta alcanzada: 937 unidades" in text
    assert "disminuye entre 1991 y 2010 (convergencia)" in text
    assert len(_find(cards, "Card")) == 4
    d = panels.unit_detail(store, catalog, view, "BRA1200013")
    panel = lp.unit_panel(d, view, "es")
    text = texts(panel)
    assert "Acrelândia" in text and "Acre, Brasil" in text
    # both paces in the terms of the status (atlas.place.pace): a relative rate, on-track level
    assert "Ritmo observado 1991–2010: baja 4,0 % por año (tasa relativa" in text
    assert "meta de 2015: bajar 4,6 % por año (tasa relativa" in text
    assert "Situación:" in text and "Fuente:" in text
    # The national reference beside the unit's value names its source too.
    assert re.search(
        r"Referencia nacional \(2010\): 14,8 por 1\.000 nacidos vivos\. Fuente: \w", text
    )

    def profile_links(panel):
        return [a.href for a in _find(panel, "A") if "/unit/" in (a.href or "")]

    assert profile_links(panel) == ["/unit/BRA1200013"]
    assert profile_links(lp.unit_panel(d, view, "en")) == ["/unit/BRA1200013?lang=en"]
    empty = texts(lp.unit_panel(None, None, "es"))
    assert "Haga clic en un municipio del mapa o del ranking, o búsquelo por nombre" in empty


def test_pnl019_every_country_renders(store, catalog):
    """Smoke test: each country's first assessable indicator, every view, every language."""
    for country in store.countries():
        for level in store.levels(country):
            inds = [
                i
                for i in store.indicators(country, level)
                if i in catalog.indicators and catalog[i].direction != "none"
            ]
            if not inds:
                continue
            ind = inds[0]
            years = store.years(ind, country, level)
            for view_name, lang in zip(
                ("value", "change", "gap", "status"), LANGS + ("es",), strict=True
            ):
                if view_name == "change" and len(years) < 2:
                    continue
                s = State(
                    lang=lang,
                    country=country,
                    level=level,
                    indicator=ind,
                    year=years[-1],
                    view=view_name,
                    base_year=years[0],
                )
                view = compute(store, catalog, s)
                r = panels.ranking(view, top=3, selected=str(view.layer.unit_ids[0]))
                lp.ranking_figure(r, view, lang)
                lp.summary_cards(panels.summary(store, catalog, view), view, lang)
                d = panels.unit_detail(store, catalog, view, str(view.layer.unit_ids[0]))
                lp.unit_panel(d, view, lang)
                lp.data_table(view, lang)


# --------------------------------------------------------------------------------------------
# messages


def test_pnl020_panel_messages_parse_and_are_complete():
    path = ROOT / "atlas" / "messages_panels.toml"
    assert set(tomllib.loads(path.read_text())) == {"panels"}, "one namespace: panels.*"
    # the i18n loader reads the file
    flat = {k: v for k, v in messages().items() if k.startswith("panels.")}
    assert flat
    for key, entry in flat.items():
        assert set(entry) == set(LANGS), key
        fields = {lang: set(re.findall(r"{(\w+)}", entry[lang])) for lang in LANGS}
        assert fields["es"] == fields["pt"] == fields["en"], key
    # every panels.* key the code uses exists
    used = set()
    for p in (ROOT / "atlas" / "panels.py", ROOT / "layouts" / "panels.py"):
        used |= set(re.findall(r"""["'](panels\.[a-z0-9_.]+)["']""", Path(p).read_text()))
    used |= {f"panels.summary.trend_{d}" for d in ("falling", "rising", "stable")}
    assert not sorted(k for k in used if k not in flat)


def test_pnl021_chile_poverty_change_agrees_with_the_national_casen_series(store, catalog):
    """2017 -> 2022: the comunas' weighted mean falls with the national CASEN figure beside it.

    SINIM's CASEN 2020 values stored at 2017 once made this view show most comunas "rising"
    while the national series fell; each end of the change must sit on the national figure.
    """
    change = compute(
        store,
        catalog,
        state("change", country="CHL", indicator="poverty", year=2022, base_year=2017),
    )
    base = compute(store, catalog, state(country="CHL", indicator="poverty", year=2017))
    now, then = panels.summary(store, catalog, change), panels.summary(store, catalog, base)
    assert (now.national_year, then.national_year) == (2022, 2017)
    assert now.value == pytest.approx(now.national_value, abs=0.5)
    assert then.value == pytest.approx(then.national_value, abs=0.5)
    assert now.value - then.value < 0 and now.national_value - then.national_value < 0
    # most comunas fall too (263 of 345; the old years had 202 of 345 "rising 2015 -> 2017")
    assert np.sum(change.metric < 0) > np.sum(change.metric > 0)


def test_pnl030_the_national_card_cautions_only_against_another_source(store, catalog):
    note = t("panels.summary.national_note", "es")
    col = compute(store, catalog, state(country="COL", indicator="unmet_basic_needs", year=2018))
    cards = texts(lp.summary_cards(panels.summary(store, catalog, col), col, "es"))
    assert "14,3" in cards and note not in cards  # DANE's own national figure, same source
    bra = compute(store, catalog, state())
    cards = texts(lp.summary_cards(panels.summary(store, catalog, bra), bra, "es"))
    assert note in cards  # Gapminder's national series beside the Atlas Brasil values


def test_pnl040_a_summary_is_kept_with_its_view_and_reads_no_other_field(store, catalog):
    """The summary's memo is keyed on the view's fields and the admin-1 filter: its code reads
    no other field of the state, a unit selected or a tab turned gets the same summary, and
    another filter or year its own."""
    import inspect

    from atlas.views import VIEW_FIELDS
    from tests.atlas.test_views import _state_fields_read

    read = _state_fields_read(inspect.getsource(panels._summary))
    assert read <= {*VIEW_FIELDS, "admin1"}, read
    base = state()
    first = panels.summary(store, catalog, compute(store, catalog, base))
    for other in (replace(base, unit="BRA3550308"), replace(base, tab="table", top=10)):
        assert panels.summary(store, catalog, compute(store, catalog, other)) is first
    acre = panels.summary(store, catalog, compute(store, catalog, replace(base, admin1=ACRE)))
    assert acre.scope_name != first.scope_name and acre.units < first.units
    later = panels.summary(store, catalog, compute(store, catalog, replace(base, year=2000)))
    assert later.year == 2000 and first.year == 2010

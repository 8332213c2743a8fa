"""The unit profile: values, national reference, progress and comparability of one unit; its page."""

from __future__ import annotations

import json
import math

import pytest
from dash import html
from plotly.utils import PlotlyJSONEncoder

from atlas.profile import profile
from atlas.urlstate import State, parse
from geodata.registry import copy_markers
from layouts import profile_page
from tests.fixtures.tree import nodes

UNIT = "BRA1200013"  # Acrelândia (Acre)


@pytest.fixture(scope="module")
def acre(store, catalog):
    return profile(store, catalog, UNIT, "en")


def _text(node) -> str:
    if isinstance(node, (str, int, float)):
        return str(node)
    children = getattr(node, "children", None)
    if children is None:
        return ""
    return " ".join(_text(c) for c in (children if isinstance(children, list) else [children]))


def test_prf001_infant_mortality_values_equal_the_store(acre, store):
    assert acre.name == "Acrelândia" and acre.admin1_name == "Acre" and acre.country == "BRA"
    ind = acre.indicator("infant_mortality")
    assert ind is not None and ind.goal == 4
    assert ind.years == (1991, 2000, 2010)
    rows = store.series(UNIT, "infant_mortality")
    for o in ind.observations:
        stored = rows.loc[rows["year"] == o.year, "value"].iat[0]
        assert o.value == pytest.approx(stored)
        assert o.source_id == rows.loc[rows["year"] == o.year, "source_id"].iat[0]
        assert o.source  # a producer and data set, never empty
    assert ind.unit == "per 1,000 live births" and ind.label


def test_prf002_progress_under_the_global_mdg_target(acre):
    pr = acre.indicator("infant_mortality").progress
    assert pr.framework == "mdg2015"
    assert pr.status in {"achieved", "on_track", "must_accelerate", "stagnation_regression"}
    assert pr.status_label and pr.status_help
    assert pr.baseline_year == 1991 and pr.baseline_value == pytest.approx(39.43)
    # MDG 4.A: reduce by two thirds
    assert pr.target_value == pytest.approx(39.43 / 3) and pr.deadline == 2015
    assert pr.rate_still_required is not None and pr.rate_still_required < 0


def test_prf003_national_reference_and_comparability(acre, store):
    ind = acre.indicator("infant_mortality")
    nat = store.series("BRA", "infant_mortality")
    assert ind.national.year == int(nat["year"].max())
    assert ind.national.value == pytest.approx(nat["value"].iat[-1])
    assert ind.comparability and all(note.strip() for note in ind.comparability)


def test_prf004_goals_in_menu_order_and_context_not_assessed(acre):
    goals = [g.goal for g in acre.goals]
    assert goals == sorted(goals, key=lambda g: (g == 0, g)) and goals[-1] == 0
    assert acre.indicator("population").progress is None
    assert acre.population == 12538 and acre.population_year == 2010 and acre.population_source


@pytest.mark.parametrize("unit_id", ["NOPE", "", "BRA", "../../etc", "x" * 500, None, 12])
def test_prf005_unknown_id_is_none_and_the_page_says_not_found(tiny_store, catalog, unit_id):
    p = profile(tiny_store, catalog, unit_id, "es")
    if unit_id == "BRA":  # the country itself is a unit of the store
        assert p is not None and p.level == "country"
        return
    assert p is None
    page = profile_page.layout(p, "es", unit_id=str(unit_id))
    assert "no encontrado" in json.dumps(page, cls=PlotlyJSONEncoder)


def test_prf006_layout_renders_heading_tables_and_map_link(acre):
    page = profile_page.layout(acre, "en")
    found = list(nodes(page))
    h1 = [n for n in found if isinstance(n, html.H1)]
    assert len(h1) == 1 and h1[0].children == "Acrelândia"
    tables = [n for n in found if isinstance(n, html.Caption)]
    assert len(tables) == len(acre.goals)
    assert all(th.scope in ("col", "row") for th in found if isinstance(th, html.Th))
    link = next(n for n in found if getattr(n, "id", None) == profile_page.MAP_LINK_ID)
    state = parse(link.href.split("?", 1)[1], profile_page.MAP_DEFAULTS)
    assert state == State(
        lang="en",
        country="BRA",
        level="municipality",
        indicator="infant_mortality",
        year=2010,
        unit=UNIT,
    )
    text = _text(page)
    assert acre.indicator("infant_mortality").progress.status_label in text
    assert "1991" in text and "Brazil" in text and "Municipalities like yours" in text
    # values formatted for the language, sources shown
    assert "39.4" in text and "PNUD Brasil" in text
    assert all(isinstance(n.href, str) for n in found if isinstance(n, html.A))


@pytest.mark.parametrize("unit_id", ["COL11001", "URY01", "BRA35", "CHL13101", "PER150101", "BRA"])
def test_prf007_every_kind_of_unit_renders_in_every_language(store, catalog, unit_id):
    for lang in ("es", "pt", "en"):
        p = profile(store, catalog, unit_id, lang)
        page = profile_page.layout(p, lang)
        json.dumps(page, cls=PlotlyJSONEncoder)
        for ind in p.indicators:
            assert all(math.isfinite(o.value) for o in ind.observations)


def test_prf008_one_value_per_indicator_unit_and_year_over_the_whole_store(store, catalog):
    """The store keeps one value per (unit, indicator, year): where two catalog series give the
    same one, the build keeps the first declared and counts the others in the quality report.
    Every profile's main series then has one value a year, each named by its producer."""
    obs = store._obs
    dup = obs[obs.duplicated(["unit_id", "indicator_id", "year"], keep=False)]
    assert dup.empty, dup.groupby(["indicator_id", "year"])["source_id"].unique().head(20)
    units = store._units
    sample = units[units["level"] != "municipality"]["unit_id"].tolist()
    sample += units[units["level"] == "municipality"].groupby("country")["unit_id"].first().tolist()
    for unit_id in [*sample, "MEX20067"]:
        p = profile(store, catalog, unit_id, "es")
        for ind in p.indicators:
            assert len(set(ind.years)) == len(ind.years), (unit_id, ind.id, ind.years)
            for o in ind.observations:
                assert copy_markers(o.source) == [], (unit_id, ind.id, o.source)


def test_prf009_two_series_with_the_same_year_say_which_is_which(store, catalog):
    """Mexico 2010: CONEVAL's 1990-2010 food poverty and its 2010-2020 extreme income-poverty line
    both have 2010 for a municipio; each row names its own series (label and producer's dataset)."""
    p = profile(store, catalog, "MEX20067", "es")
    food = p.indicator("poverty_extreme")
    line = p.indicator("poverty_welfare_line_extreme")
    assert 2010 in food.years and 2010 in line.years
    assert food.value(2010) != line.value(2010)
    food_sources = [s for s, _ in food.sources()]
    line_sources = [s for s, _ in line.sources()]
    assert food_sources == [
        "CONEVAL, Indicadores de pobreza, pobreza por ingresos, rezago social y GINI a nivel "
        "municipal 1990, 2000, 2005 y 2010"
    ]
    assert line_sources == ["CONEVAL, Medición de la pobreza municipal 2010–2020"]
    assert food.label != line.label
    page = _text(profile_page.layout(p, "es"))
    for source in food_sources + line_sources:
        assert source in page
    assert "via" not in page.split() and ".csv" not in page


def test_prf010_the_framework_note_takes_its_years_from_targets_toml():
    import re

    from atlas.i18n import LANGS, messages
    from atlas.method import frameworks
    from atlas.profile import FRAMEWORK, framework_note

    fw = frameworks()[FRAMEWORK]
    for lang in LANGS:
        template = messages()["profile.framework_note"][lang]
        assert not re.search(r"\b(19|20)[0-9]{2}\b", template), lang
        note = framework_note(lang)
        assert str(fw.baseline_year) in note and str(fw.deadline) in note

"""The state level (admin-1) of every country: offered with its indicators, and the status,
ranking, inequality and unit panel work there (values from geodata/rollups.py)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from atlas import choices, datatruth, panels
from atlas.urlstate import State
from atlas.views import compute


def _view(store, catalog, **kw):
    base = dict(lang="es", level="admin1", view="value", base_year=None)
    return compute(store, catalog, State(**{**base, **kw}))


@pytest.mark.parametrize(
    ("country", "expected"),
    [
        ("BRA", {"infant_mortality", "poverty_extreme", "illiteracy"}),
        ("MEX", {"poverty_multidimensional", "poverty_extreme", "illiteracy"}),
    ],
)
def test_adm001_state_level_is_offered_with_its_indicators(store, catalog, country, expected):
    assert "admin1" in [lvl for lvl, _ in choices.level_choices(store, country, "es")]
    groups = choices.indicator_choices(store, catalog, country, "admin1", "es")
    offered = {ind for _, items in groups for ind, _ in items}
    assert expected <= offered
    municipal = set(choices.available_indicators(store, catalog, country, "municipality"))
    assert municipal - offered <= {"population", "gini"}  # every averageable municipal indicator
    state = choices.resolve(
        State(country=country, level="admin1", indicator="poverty_extreme"), store, catalog
    )
    assert (state.level, state.indicator, state.invalid) == ("admin1", "poverty_extreme", ())


def test_adm002_status_and_ranking_at_state_level(store, catalog):
    view = _view(
        store, catalog, country="BRA", indicator="poverty_extreme", year=2010, view="status"
    )
    statuses = view.progress["status"].to_numpy(dtype=object)
    assert len(statuses) == 27
    assert (statuses != "insufficient_data").sum() >= 20  # 1991-2010 roll-ups: a trend each
    summary = panels.summary(store, catalog, view)
    assert sum(s.units for s in summary.statuses) == 27
    assert math.isfinite(summary.gini) and 0 < summary.gini < 1  # inequality between states
    ranking = panels.ranking(view)
    assert ranking.n_ranked + ranking.n_no_data + ranking.n_flagged == 27
    assert ranking.n_ranked >= 20


def test_adm003_unit_panel_says_how_a_state_value_was_obtained(store, catalog):
    view = _view(store, catalog, country="BRA", indicator="infant_mortality", year=2010)
    d = panels.unit_detail(store, catalog, view, "BRA12")
    assert d is not None and d.name == "Acre"
    assert "ponderado por población" in d.basis_text and "22 municipios" in d.basis_text
    assert np.isfinite(d.value) and len(d.series_years) >= 3
    view = _view(store, catalog, country="COL", indicator="unmet_basic_needs", year=2018, lang="en")
    d = panels.unit_detail(store, catalog, view, "COL05")
    assert d.basis_text == "Figure published by the producer for this area."
    municipal = _view(
        store, catalog, country="BRA", level="municipality", indicator="illiteracy", year=2010
    )
    assert panels.unit_detail(store, catalog, municipal, "BRA1200013").basis_text == ""


def test_adm004_data_page_says_how_state_values_were_obtained(store, catalog):
    col = datatruth.country_truth(store, catalog, "COL", "es")
    bases = {b: n for b, _, n in col.admin1_values}
    assert set(bases) == {"published", "producer_weights"}  # DANE's figures; SISPRO's births
    assert bases["published"] >= 33 * 2 * 5  # NBI and its components, 2005 and 2018
    assert col.admin1_title == "Valores por departamento de las series municipales"
    assert "50 %" in col.admin1_rule
    bra = datatruth.country_truth(store, catalog, "BRA", "en")
    assert [b for b, _, _ in bra.admin1_values] == ["population"]
    assert bra.admin1_values[0][2] == sum(store.admin1_bases("BRA").values())
    ury = datatruth.country_truth(store, catalog, "URY", "es")
    assert ury.admin1_values == () and ury.admin1_rule == ""  # admin-1 series of its own


def test_adm005_state_map_notes_say_its_values_are_averages(store, catalog):
    view = _view(store, catalog, country="BRA", indicator="infant_mortality", year=2010)
    notes = dict(view.notes)
    assert notes["Valores por unidad"].startswith("27 son promedios de sus municipios")
    col = _view(store, catalog, country="COL", indicator="housing_inadequate", year=2018)
    assert "Valores por unidad" not in dict(col.notes)  # DANE's published figures only
    ury = _view(store, catalog, country="URY", indicator="infant_mortality", year=2010)
    assert "Valores por unidad" not in dict(ury.notes)  # MSP's own department series
    municipal = _view(
        store, catalog, country="BRA", level="municipality", indicator="infant_mortality", year=2010
    )
    assert "Valores por unidad" not in dict(municipal.notes)

"""atlas.views on the built store: every control the page offers gives a coherent view."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from atlas import choices, urlstate
from atlas.profile import profile
from atlas.urlstate import State
from atlas.views import REGISTRY, compute, source_label
from geodata.registry import copy_markers


def _view(store, catalog, **kw):
    base = dict(lang="en", country="BRA", level="municipality", indicator="infant_mortality")
    state = choices.resolve(State(**{**base, **kw}), store, catalog)
    return state, compute(store, catalog, state)


@pytest.mark.parametrize("palette", urlstate.PALETTES)
def test_vw001_every_palette_the_page_offers_draws_the_map(tiny_store, catalog, palette):
    state, view = _view(tiny_store, catalog, year=2010, palette=palette)
    assert state.invalid == ()
    assert len(view.legend) >= 2 and all(e.colour.startswith(("#", "rgb")) for e in view.legend)


def test_vw002_target_classes_belong_to_the_gap_view(tiny_store, catalog):
    # On values they would sort mortality rates into "% of the change still to go" classes.
    state, view = _view(tiny_store, catalog, year=2010, classification="target")
    assert state.classification == "quantiles" and "classification" in state.invalid
    bounds = [e.label for e in view.legend if "–" in e.label]
    for label in bounds:
        low, high = (float(x.replace(",", "")) for x in label.split("–"))
        assert low <= high, label
    state, view = _view(tiny_store, catalog, year=2010, view="gap", classification="target")
    assert state.invalid == () and state.classification == "target"


def test_vw003_country_names_follow_the_language_everywhere_on_the_page(store, catalog):
    names = dict(choices.country_choices(store, "en"))
    assert names["BRA"] == "Brazil" and names["MEX"] == "Mexico" and names["PER"] == "Peru"
    assert dict(choices.country_choices(store, "pt"))["COL"] == "Colômbia"
    _, view = _view(store, catalog, year=2010)
    assert "in Brazil" in view.alt_text  # not the store's "Brasil"


def test_vw004_the_status_map_in_words_counts_classes_instead_of_a_median_of_ranks(store, catalog):
    _, view = _view(store, catalog, year=2010, view="status")
    assert view.alt_text.startswith("Map of ") and "median" not in view.alt_text
    assert "Target achieved: 937" in view.alt_text
    _, view = _view(store, catalog, year=2010, view="gap")
    assert re.search(r"median \d+\b(?![.,]\d)", view.alt_text)  # whole percentages, as the legend


def test_vw005_every_palette_has_a_name_in_each_language():
    from atlas.i18n import LANGS, t

    for p in urlstate.PALETTES:
        if p != "auto":
            assert all(p in t(f"palette.{p}", lang) for lang in LANGS)


def test_vw006_a_status_map_with_one_observation_per_unit_is_not_a_map_without_data(store, catalog):
    _, view = _view(store, catalog, country="PER", indicator="poverty", year=2018, view="status")
    assert "no data" not in view.alt_text and "Insufficient data: 1,891" in view.alt_text


@pytest.mark.parametrize("country", ["BRA", "CHL", "COL", "MEX", "PER", "URY", "ALL"])
@pytest.mark.parametrize("name", REGISTRY.names())
def test_vw007_every_registered_view_gives_a_whole_view_wherever_it_is_offered(
    store, catalog, name, country
):
    kind = REGISTRY[name]
    state = choices.resolve(State(lang="pt", country=country, level="", view=name), store, catalog)
    if name not in choices.allowed_views(store, catalog, state):
        assert state.view == "value"  # a view the data cannot give falls back, with a notice
        return
    view = compute(store, catalog, state)
    n = len(view.layer)
    assert view.kind is kind and len(view.metric) == len(view.metric_text) == n
    assert sum(e.count for e in view.legend) == n
    assert len(view.legend) == len(view.colours) + 1  # one entry per class, then "no data"
    assert all(0 <= c <= len(view.colours) for c in view.classes)
    for column in kind.table_columns(view, "pt"):
        assert column.head and all(isinstance(column.cell(i), str) for i in range(n))
    for label, texts, _ in kind.hover_rows(view, "pt"):
        assert label and len(texts) == n
    primary, best = kind.sort_keys(view)
    assert len(primary) == n and best in ("low", "high", "")
    assert kind.x_title(view, "pt") and kind.ranking_title(view, "pt") and view.alt_text
    assert kind.name in dict(choices.view_choices("pt"))


def test_vw008_each_view_shows_the_fields_of_its_own_controls():
    for kind in REGISTRY:
        shown = choices.shown_fields(kind.name, "local", "quantiles")
        assert shown["base_year"] == ("base_year" in kind.controls)
        assert shown["framework"] == shown["local_target"] == ("framework" in kind.controls)
    assert choices.shown_fields("value", "mdg2015", "manual")["breaks"]


def test_vw009_every_source_line_a_reader_sees_names_the_producer_not_the_copy(store, catalog):
    """Map caption, hover, ranking, cards and unit panel all take source_label: over every source
    of the store it is "producer, dataset" without a copy's route, file, sheet or package."""
    for source_id in store.manifest["sources"]:
        text = source_label(store, source_id)
        assert text and copy_markers(text) == [], (source_id, text)
        assert "via" not in text.lower().split(), (source_id, text)
    assert all("via" not in s for s in store.manifest["sources"].values())
    _, view = _view(store, catalog, country="MEX", indicator="poverty_multidimensional_extreme")
    assert view.source == "CONEVAL, Medición de la pobreza municipal 2010–2020"


def test_vw010_values_in_each_years_current_prices_offer_no_change_and_no_progress(store, catalog):
    ind = catalog["income_per_capita"]
    assert not ind.comparable_years("PER") and ind.comparable_years("BRA")
    peru = State(country="PER", level="municipality", indicator="income_per_capita", year=2012)
    assert len(store.years("income_per_capita", "PER", "municipality")) >= 2
    assert choices.allowed_views(store, catalog, peru) == ["value"]
    brazil = State(country="BRA", level="municipality", indicator="income_per_capita", year=2010)
    assert {"change", "status"} <= set(choices.allowed_views(store, catalog, brazil))
    # the profile shows the values and no progress
    p = profile(store, catalog, "PER010101", "es").indicator("income_per_capita")
    assert len(p.observations) >= 2 and p.progress is None


def test_vw011_a_series_that_does_not_join_the_others_keeps_changes_and_progress_within_it(
    store, catalog
):
    from atlas.analysis import joined_years, layer_progress

    years = store.years("human_development_index", "PER", "municipality")
    assert years == [2003, 2007, 2010, 2011, 2012, 2019]
    assert joined_years(store, catalog, "human_development_index", "PER", "municipality", 2019) == [
        2019
    ]
    assert joined_years(store, catalog, "human_development_index", "PER", "municipality", 2012) == [
        2003,
        2007,
        2010,
        2011,
        2012,
    ]
    # a change asked to end in 2019 ends at the last year with earlier years of its own series
    asked = State(
        country="PER", level="municipality", indicator="human_development_index", view="change"
    )
    state = choices.resolve(asked, store, catalog)
    assert (state.year, state.base_year) == (2012, 2003)
    assert choices.base_years(store, catalog, replace(state, year=2019)) == []
    # progress to 2019 has one usable observation per district; to 2012, the PNUD series
    p19 = layer_progress(
        store, catalog, indicator="human_development_index", country="PER", level="municipality"
    )
    assert p19["status"].eq("insufficient_data").all()
    p12 = layer_progress(
        store,
        catalog,
        indicator="human_development_index",
        country="PER",
        level="municipality",
        until=2012,
    )
    assert (
        p12["latest_year"].dropna().eq(2012).all() and p12["baseline_year"].dropna().ge(2003).all()
    )


def test_vw012_a_status_judged_at_the_deadline_says_so_beside_a_later_map_year(store, catalog):
    state = choices.resolve(
        State(country="MEX", indicator="water_no_piped", year=2020, view="status"), store, catalog
    )
    view = compute(store, catalog, state)
    p = view.progress
    assert set(p.loc[p["status"] != "insufficient_data", "latest_year"]) == {2015}
    heads = [c.head for c in view.kind.table_columns(view, "es")]
    assert heads[-1] == "Situación (en 2015)" and heads[-2].endswith("(en 2015)")
    hover = [name for name, _, _ in view.kind.hover_rows(view, "en")]
    assert hover[-1].endswith("(in 2015)")
    # on the deadline's own map year nothing is added
    at = compute(store, catalog, replace(state, year=2015))
    assert [c.head for c in at.kind.table_columns(at, "es")][-1] == "Situación"


def _state_fields_read(source: str, names=("state",)) -> set[str]:
    import ast

    return {
        node.attr
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Attribute)
        and (
            (isinstance(node.value, ast.Name) and node.value.id in names)
            or (isinstance(node.value, ast.Attribute) and node.value.attr in names)  # view.state.x
        )
    }


def test_vw013_a_view_is_computed_once_per_store_and_reads_only_its_fields(tiny_store, catalog):
    """The memo keys a view on VIEW_FIELDS: the views' code (and the target it asks for) reads
    no other field of the state, and a state differing elsewhere gets the same numbers under its
    own state."""
    import inspect
    from dataclasses import replace
    from pathlib import Path

    import atlas.views as views
    from atlas import analysis, choices

    read = set()
    for path in Path(views.__file__).parent.glob("*.py"):
        read |= _state_fields_read(path.read_text())
    read |= _state_fields_read(inspect.getsource(analysis.state_target))
    assert read <= set(views.VIEW_FIELDS), read - set(views.VIEW_FIELDS)

    state = choices.resolve(
        urlstate.parse("?c=BRA&i=infant_mortality", urlstate.State(), {"BRA", "URY"}),
        tiny_store,
        catalog,
    )
    first = views.compute(tiny_store, catalog, state)
    assert views.compute(tiny_store, catalog, state) is first  # computed once
    other = replace(state, unit="BRA1100011", tab="table")
    again = views.compute(tiny_store, catalog, other)
    assert again.state == other and again.metric is first.metric
    english = views.compute(tiny_store, catalog, replace(state, lang="en"))
    assert english.title != first.title  # another field of the key: computed anew

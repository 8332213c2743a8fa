"""URL state: every control round-trips, defaults stay out of links, bad input never raises."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from atlas import urlstate
from atlas.urlstate import (
    CLASSIFICATIONS,
    FRAMEWORKS,
    LAYERS,
    LEVELS,
    PALETTES,
    TABS,
    State,
    parse,
    serialise,
)
from atlas.views import REGISTRY

DEFAULTS = State(lang="es", country="BRA", indicator="infant_mortality")
COUNTRIES = {"BRA", "CHL", "COL", "MEX", "PER", "URY"}

years = st.one_of(st.none(), st.integers(1900, 2100))
states = st.builds(
    State,
    lang=st.sampled_from(["es", "pt", "en"]),
    country=st.sampled_from(sorted(COUNTRIES)),
    level=st.sampled_from(LEVELS),
    indicator=st.from_regex(r"[a-z0-9_]{1,30}", fullmatch=True),
    year=years,
    view=st.sampled_from(REGISTRY.names()),
    base_year=years,
    framework=st.sampled_from(FRAMEWORKS),
    local_value=st.one_of(
        st.none(), st.floats(-1e6, 1e6, allow_nan=False).map(lambda x: float(f"{x:g}"))
    ),
    local_year=years,
    classification=st.sampled_from(CLASSIFICATIONS),
    classes=st.integers(2, 9),
    breaks=st.lists(
        st.floats(-1e6, 1e6, allow_nan=False).map(lambda x: float(f"{x:g}")), max_size=8
    ).map(lambda b: tuple(sorted(b))),
    palette=st.sampled_from(PALETTES),
    unit=st.one_of(st.just(""), st.from_regex(r"(BRA|MEX|COL)[0-9]{2,7}", fullmatch=True)),
    admin1=st.one_of(st.just(""), st.from_regex(r"[0-9]{2}", fullmatch=True)),
    top=st.sampled_from([0, 10, 25, 50]),
    tab=st.sampled_from(TABS),
    big=st.booleans(),
    present=st.booleans(),
    slide=st.integers(0, 99),
    layers=st.sets(st.sampled_from(LAYERS)).map(lambda s: tuple(n for n in LAYERS if n in s)),
)


@settings(max_examples=300, deadline=None)
@given(states)
def test_url001_every_control_round_trips(state):
    assert parse(serialise(state, DEFAULTS), DEFAULTS, COUNTRIES) == state


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_url002_any_query_string_parses_without_raising(text):
    state = parse(text, DEFAULTS, COUNTRIES)
    assert state.lang in ("es", "pt", "en") and state.view in REGISTRY.names()


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(list(urlstate.KEYS.values()) + ["v", "zz"]), st.text(max_size=30)
    )
)
def test_url003_any_values_for_known_keys_parse_and_are_named_when_invalid(params):
    from urllib.parse import urlencode

    state = parse("?" + urlencode(params), DEFAULTS, COUNTRIES)
    for name in state.invalid:
        assert name in urlstate.KEYS


def test_url004_defaults_are_omitted_and_links_are_short():
    assert serialise(DEFAULTS, DEFAULTS) == ""
    s = State(lang="es", country="BRA", indicator="infant_mortality", year=2010)
    assert serialise(s, DEFAULTS) == "?v=1&y=2010"


def test_url005_invalid_values_fall_back_and_are_reported():
    s = parse("?c=ZZZ&y=year&m=fly&n=40&k=magic&u=../etc", DEFAULTS, COUNTRIES)
    assert (s.country, s.year, s.view, s.classes, s.classification, s.unit) == (
        "BRA",
        None,
        "value",
        5,
        "quantiles",
        "",
    )
    assert set(s.invalid) == {"country", "year", "view", "classes", "classification", "unit"}


def test_url006_version_key_and_migrations_apply_in_order(monkeypatch):
    calls = []

    def to_v2(params):
        calls.append("v1->v2")
        if "ind" in params:
            params["i"] = params.pop("ind")
        return params

    monkeypatch.setattr(urlstate, "MIGRATIONS", [to_v2])
    s = parse("?v=1&ind=poverty", DEFAULTS, COUNTRIES)
    assert calls == ["v1->v2"] and s.indicator == "poverty"
    assert parse("?v=2&i=gini", DEFAULTS, COUNTRIES).indicator == "gini" and calls == ["v1->v2"]


def test_url007_unicode_digits_are_invalid_not_a_crash():
    s = parse("?y=%C2%B2&n=%D9%A3&top=%C2%B9&v=%C2%B2", DEFAULTS, COUNTRIES)
    assert s.year is None and s.classes == 5 and s.top == 0
    assert {"year", "classes", "top"} <= set(s.invalid)


def test_url008_presentation_mode_and_the_tour_are_keys_of_version_1():
    s = parse("?v=1&present=1&s=2", DEFAULTS, COUNTRIES)
    assert (s.present, s.slide, s.invalid) == (True, 2, ())
    assert serialise(replace(DEFAULTS, present=True), DEFAULTS) == "?v=1&present=1"
    bad = parse("?present=yes&s=-1&tour=1.%21", DEFAULTS, COUNTRIES)
    assert (bad.present, bad.slide, bad.tour) == (False, 0, "")
    assert set(bad.invalid) == {"present", "slide", "tour"}
    assert urlstate.VERSION == 1 and urlstate.MIGRATIONS == []  # new keys, no meaning changed


def test_url009_the_map_layers_are_a_key_of_version_1_in_drawing_order():
    s = parse("?v=1&layers=experiences,contributed,experiences", DEFAULTS, COUNTRIES)
    assert (s.layers, s.invalid) == (("contributed", "experiences"), ())
    assert (
        serialise(replace(DEFAULTS, layers=("experiences",)), DEFAULTS) == "?v=1&layers=experiences"
    )
    for bad in ("tiles", "contributed,tiles", ",", "x" * 300):
        s = parse(f"?layers={bad}", DEFAULTS, COUNTRIES)
        assert (s.layers, s.invalid) == ((), ("layers",)), bad

"""No link is expensive: random valid and invalid values of every URL key, on Brazil's
municipalities (the largest layer: 5,564 units) and the other countries and levels, cost what the
server computes for them less than the two-second CPU budget (atlas/budget.py), and raise nothing
but the exceptions the app handles.

What the server computes for a map link is what its requests run: the router's page, the history
callback's controls and the view callback (compute, classes, map, ranking, table); for the files,
the unit page and the API, the Flask route itself. CPU is ``time.process_time`` of this process
(the test client runs each request in this thread). The examples are the same on every run
(``derandomize``), so a failure here reproduces; the links known to be the costliest are also
checked by name (fzc005), whatever the random draw reaches.
"""

from __future__ import annotations

import string
import time
from urllib.parse import urlencode

import pytest
from dash.exceptions import PreventUpdate
from hypothesis import HealthCheck, currently_in_test_context, event, given, settings
from hypothesis import strategies as st

from app import AppContext, create_app
from atlas import api, budget, choices, classify, tour, urlstate
from atlas.geography import LEVELS
from atlas.settings import settings as atlas_settings
from atlas.views import REGISTRY
from callbacks.history import restore
from callbacks.map import update_view
from callbacks.router import render

FUZZ = settings(
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
BRA = "BRA"
COUNTRIES = ("BRA", "CHL", "COL", "MEX", "PER", "URY")
JUNK = st.one_of(
    st.sampled_from(
        [
            "",
            "-1",
            "0",
            "1e309",
            "nan",
            "inf",
            "-0",
            "99999999",
            "9" * 60,
            "%00",
            "\u0663",
            "<script>",
            "null",
            "[]",
            "a,b",
            "1,,2",
            "BRA",
            "brA3550308",
            "__group__x",
            "..",
            "²",
        ]
    ),
    st.text(max_size=30),
    st.text(alphabet=string.printable, min_size=150, max_size=400),
)
#: A 20-slide tour across the six countries (the longest a link may carry).
FULL_TOUR = tour.encode(
    [tour.Slide(f"v=1&c={c}&i=illiteracy&m=status", f"s{c}") for c in COUNTRIES] * 3
    + [tour.Slide("v=1&c=BRA&i=income_per_capita&y=2010&k=natural_breaks&n=9", "renda")] * 2
)


def either(valid: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Mostly valid values (the costly paths), sometimes junk (the handled ones)."""
    return st.one_of(valid, valid, valid, JUNK)


def years() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(["1991", "2000", "2005", "2010", "2015", "2030"]),
        st.integers(1900, 2100).map(str),
    )


def numbers() -> st.SearchStrategy[str]:
    return st.floats(-1e6, 1e6, allow_nan=False).map(lambda x: f"{x:g}")


#: Valid values of each URL key but the country, level, indicator, classification, unit and
#: admin-1 (drawn per country by draw_link).
KEYS = {
    "lang": st.sampled_from(["es", "pt", "en"]),
    "y": years(),
    "m": st.sampled_from(REGISTRY.names()),
    "y0": years(),
    "f": st.sampled_from(urlstate.FRAMEWORKS),
    "lv": numbers(),
    "ly": years(),
    "n": st.integers(2, classify.MAX_CLASSES).map(str),
    "b": st.lists(numbers(), min_size=1, max_size=12).map(",".join),
    "p": st.sampled_from(urlstate.PALETTES),
    "top": st.sampled_from([str(n) for n in (*choices.TOP_CHOICES, 10000)]),
    "tab": st.sampled_from(urlstate.TABS),
    "big": st.sampled_from(["0", "1"]),
    "present": st.sampled_from(["0", "1"]),
    "tour": st.just(FULL_TOUR),
    "s": st.integers(0, 25).map(str),
    "layers": st.sampled_from(["contributed", "experiences", "contributed,experiences"]),
    "v": st.just("1"),
}


@pytest.fixture(scope="module")
def ctx(store, catalog):
    return AppContext(store=store, catalog=catalog, conf=atlas_settings())


@pytest.fixture(scope="module")
def client(store):
    return create_app(atlas_settings(), store=store).server.test_client()


class Places(dict):
    """(country, level) -> choices; a short repr, as hypothesis prints its test's arguments."""

    def __repr__(self) -> str:
        return f"Places({len(self)} layers)"


@pytest.fixture(scope="module")
def places(store, catalog):
    """(units, admin-1 codes, indicators, indicators with a progress view) of each country and
    level in the store: the progress views (status, gap) cost most, and most indicators have
    none (a link asking for one falls back to the values)."""
    out = Places()
    for (country, level), rows in store.units_table().groupby(["country", "level"]):
        inds = sorted(i.id for i in catalog if country in i.countries(level)) or ["illiteracy"]
        admin1 = sorted(set(rows["admin1_code"]) - {""}) or ["11"]
        progress = [
            i
            for i in inds
            if choices.resolve(
                urlstate.State(country=country, level=level, indicator=i, view="status"),
                store,
                catalog,
            ).view
            == "status"
        ] or inds
        out[country, level] = (sorted(rows["unit_id"])[::7], admin1, inds, progress)
    return out


def draw_link(data, places, country=None, level=None, dirty=None) -> str:
    """A map link: country, level, indicator, view and classification always, each other key
    half of the time; in the ``dirty`` links any value may be junk."""
    dirty = data.draw(st.booleans() if dirty is None else dirty, label="dirty")
    pick = either if dirty else (lambda s: s)
    country = country or data.draw(st.sampled_from([*COUNTRIES, "ALL"]), label="country")
    level = level or data.draw(st.sampled_from(LEVELS), label="level")
    units, admin1, inds, progress = places.get((country, level), places[BRA, "municipality"])
    query = {
        "c": country,
        "l": level,
        "i": data.draw(pick(st.sampled_from(inds) | st.sampled_from(progress)), label="i"),
        "m": data.draw(pick(KEYS["m"]), label="m"),
        # natural breaks, the costliest classification, half of the time
        "k": data.draw(
            pick(st.just("natural_breaks") | st.sampled_from(urlstate.CLASSIFICATIONS)), label="k"
        ),
    }
    others = {k: v for k, v in KEYS.items() if k != "m"}
    for key, valid in {**others, "u": st.sampled_from(units), "a": st.sampled_from(admin1)}.items():
        if data.draw(st.booleans(), label=f"has {key}"):
            query[key] = data.draw(pick(valid), label=key)
    return "?" + urlencode(query)


def note(text: str) -> None:
    """A hypothesis event (how many examples reached the costly paths, shown by
    ``--hypothesis-show-statistics``); nothing outside a hypothesis test."""
    if currently_in_test_context():
        event(text)


def cpu(fn) -> float:
    start = time.process_time()
    fn()
    return time.process_time() - start


def serve_map(ctx, search: str) -> dict[str, float]:
    """CPU seconds of each request a map link makes the server answer."""
    countries = set(ctx.store.countries())
    state = urlstate.parse(search, ctx.default_state, countries)
    resolved = choices.resolve(state, ctx.store, ctx.catalog)
    note(f"view drawn: {bool(resolved.indicator)}, invalid keys: {bool(resolved.invalid)}")
    note(f"view {resolved.view}, classes {resolved.classification}")

    def controls():
        try:
            restore(ctx, "/", search, None)
        except PreventUpdate:  # the view on screen already: Dash answers 204
            pass

    return {
        "page": cpu(lambda: render(ctx, "/", search)),
        "controls": cpu(controls),
        "view": cpu(
            lambda: update_view(ctx, state, None, 0, True, bool(state.unit or state.admin1))
        ),
    }


def get(client, url: str) -> float:
    start = time.process_time()
    resp = client.get(url)
    spent = time.process_time() - start
    note(f"{url.split('?')[0].split('/')[1]} {resp.status_code}")
    assert resp.status_code < 500, (url[:300], resp.status_code)
    return spent


@given(data=st.data())
@settings(FUZZ, max_examples=50)
def test_fzc001_no_brazil_municipality_link_costs_more_than_the_budget(ctx, places, data):
    search = draw_link(data, places, BRA, "municipality")
    spent = serve_map(ctx, search)
    assert max(spent.values()) < budget.BUDGET_S, (search[:300], spent)


@given(data=st.data())
@settings(FUZZ, max_examples=30)
def test_fzc002_no_link_to_another_country_or_level_costs_more_than_the_budget(ctx, places, data):
    search = draw_link(data, places)
    spent = serve_map(ctx, search)
    assert max(spent.values()) < budget.BUDGET_S, (search[:300], spent)


@given(data=st.data())
@settings(FUZZ, max_examples=24)
def test_fzc003_the_files_and_unit_pages_of_any_link_stay_within_the_budget(client, places, data):
    country = data.draw(st.sampled_from([BRA, BRA, "CHL", "COL", "MEX", "PER"]), label="country")
    search = draw_link(data, places, country, "municipality", st.sampled_from([False, False, True]))
    fmt = data.draw(st.sampled_from(["png", "svg", "csv", "xlsx", "preview"]), label="file")
    path = "/preview/view.png" if fmt == "preview" else f"/export/view.{fmt}"
    unit = data.draw(either(st.sampled_from(places[country, "municipality"][0])), label="unit")
    for url in (path + search, f"/unit/{unit}/report.csv{search}", f"/unit/{unit}{search}"):
        spent = get(client, url)
        assert spent < budget.BUDGET_S, (url[:300], spent)


@given(data=st.data())
@settings(FUZZ, max_examples=40)
def test_fzc004_no_api_query_costs_more_than_the_budget(client, places, data):
    units, _admin1, inds, _progress = places[BRA, "municipality"]
    resource = data.draw(
        st.sampled_from(["units", "observations", "progress", "indicators", f"units/{units[0]}"]),
        label="resource",
    )
    optional = {
        "country": st.sampled_from(COUNTRIES),
        "level": st.sampled_from(LEVELS),
        "indicator": st.sampled_from(inds),
        "year": KEYS["y"],
        "unit": st.sampled_from(units),
        "q": st.sampled_from(["a", "sa", "sao", "canela rs", "e" * 100]),
        "framework": KEYS["f"],
        "local_value": KEYS["lv"],
        "local_year": KEYS["ly"],
        "limit": st.sampled_from(["1", "100", "5000"]),
        "offset": st.sampled_from(["0", "5000", "600000", "10000000"]),
        "format": st.sampled_from(["json", "csv"]),
        "lang": KEYS["lang"],
    }
    allowed = api.PARAMETERS["unit" if resource.startswith("units/") else resource]
    known = {k: v for k, v in optional.items() if k in allowed}
    query = data.draw(
        st.one_of(
            st.fixed_dictionaries({}, optional=known),  # mostly the resource's own parameters,
            st.fixed_dictionaries({}, optional={k: either(v) for k, v in known.items()}),
            st.fixed_dictionaries({}, optional={k: either(v) for k, v in optional.items()}),
        ),
        label="query",
    )
    url = f"/api/v1/{resource}?{urlencode(query)}"
    spent = get(client, url)
    assert spent < budget.BUDGET_S, (url[:300], spent)


BRA_NATURAL = "?c=BRA&i=income_per_capita&y=2010&k=natural_breaks&n=9"
COSTLY = [
    BRA_NATURAL,  # 34-85 s with mapclassify's Fisher-Jenks (issue 11)
    BRA_NATURAL + "&top=50&tab=table&u=BRA3550308&big=1",
    BRA_NATURAL + f"&present=1&tour={FULL_TOUR}&s=19&p=contrast",
    "?c=BRA&i=illiteracy&m=status&f=sdg2030&k=natural_breaks&n=9&a=35",
    "?c=BRA&i=illiteracy&m=target&f=local&lv=5&ly=2030&y0=1991&k=natural_breaks&n=9",
    "?c=BRA&i=illiteracy&m=change&y0=1991&k=quantiles&n=9",
    "?c=BRA&i=illiteracy&k=manual&b=" + ",".join(str(x) for x in range(1, 13)),
    "?c=MEX&i=illiteracy&k=natural_breaks&n=9",
    "?c=ALL&l=country&i=illiteracy&k=natural_breaks&n=9",
]


@pytest.mark.parametrize("search", COSTLY)
def test_fzc005_the_links_known_to_be_costliest_stay_within_the_budget(ctx, client, search):
    spent = serve_map(ctx, search)
    for path in ("/export/view.png", "/export/view.xlsx", "/preview/view.png"):
        spent[path] = get(client, path + search)
    assert max(spent.values()) < budget.BUDGET_S, spent

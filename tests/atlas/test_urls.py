"""The URL builder: every path under ``ATLAS_URL_PREFIX``, incoming paths read back into pages,
and no link that can leave the site whatever path a request names."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from atlas.i18n import LANGS
from atlas.settings import settings
from atlas.urls import COMPARE, DATA, EMBED, MAP, METHOD, NOT_FOUND, ROUTES, UNIT, Page, Route, URLs
from atlas.urlstate import State

DEFAULTS = State(lang="es", country="BRA", level="municipality", indicator="infant_mortality")
PREFIXES = ["", "/atlas/"]
#: Paths a request may name that must not steer a link off the site or out of the prefix.
HOSTILE = [
    "//evil.example/x",
    "/\\evil",
    "/%2F%2Fevil",
    "/unit/../../x",
    "/unit/%2F%2Fevil.example",
    "///evil.example",
    "/https://evil.example/",
    "/unit//evil.example",
]


def _urls(prefix: str, default_lang: str = "es") -> URLs:
    conf = settings(url_prefix=prefix, default_lang=default_lang)
    return URLs.from_settings(conf, DEFAULTS)


@pytest.mark.parametrize(
    ("value", "prefix"),
    [
        ("", "/"),
        ("/", "/"),
        ("atlas", "/atlas/"),
        ("/atlas", "/atlas/"),
        ("/atlas/", "/atlas/"),
        ("//atlas//", "/atlas/"),
        (" /odm/atlas ", "/odm/atlas/"),
        ("/odm.v2/", "/odm.v2/"),
        ("//evil.example", "/evil.example/"),  # slashes collapse: a path, never a host
    ],
)
def test_urb001_the_prefix_setting_is_normalised(value, prefix):
    assert settings(url_prefix=value).url_prefix == prefix


@pytest.mark.parametrize(
    "value",
    [
        "http://evil.example/",
        "/at las/",
        "/atlas?x=1",
        "/atlas#x",
        "/../",
        "/a/./b",
        "\\evil",
        "/%2F/",
        "/atlas\"'<",
    ],
)
def test_urb002_a_prefix_that_is_not_a_plain_path_is_refused_with_a_clear_message(
    monkeypatch, value
):
    monkeypatch.setenv("ATLAS_URL_PREFIX", value)
    with pytest.raises(ValueError, match=r"ATLAS_URL_PREFIX must be a path such as /atlas/"):
        settings()


@pytest.mark.parametrize("prefix", ["atlas", "/atlas", "atlas/", "//", "/a//b/", "/a\\b/"])
def test_urb003_the_builder_takes_a_normalised_prefix_only(prefix):
    with pytest.raises(ValueError, match="URL prefix"):
        URLs(prefix=prefix)


@pytest.mark.parametrize("prefix", PREFIXES)
@pytest.mark.parametrize(
    ("build", "path"),
    [
        (lambda u: u.home("es"), ""),
        (lambda u: u.home("pt"), "?lang=pt"),
        (lambda u: u.method("es"), "method"),
        (lambda u: u.method("en"), "method?lang=en"),
        (lambda u: u.unit("BRA1200013", "es"), "unit/BRA1200013"),
        (lambda u: u.unit("BRA1200013", "pt"), "unit/BRA1200013?lang=pt"),
        (lambda u: u.unit("a/b?c", "es"), "unit/a%2Fb%3Fc"),
        (lambda u: u.map(DEFAULTS), ""),
        (lambda u: u.map(State(lang="en", country="MEX", indicator="infant_mortality")), "?v=1&lang=en&c=MEX"),
        (lambda u: u.geo("BRA-admin1-low.0123456789ab.json"), "geo/BRA-admin1-low.0123456789ab.json"),
        (lambda u: u.vendor("0123456789ab", "plotly-atlas.min.js"), "vendor/0123456789ab/plotly-atlas.min.js"),
        (lambda u: u.vendor("0123456789ab", "maplibre/maplibre-gl.mjs"), "vendor/0123456789ab/maplibre/maplibre-gl.mjs"),
        (lambda u: u.asset("atlas.js"), "assets/atlas.js"),
        (lambda u: u.healthz(), "healthz"),
        (lambda u: u.path("geo/<name>"), "geo/<name>"),
        (lambda u: u.path("/geo/<name>"), "geo/<name>"),
    ],
)  # fmt: skip
def test_urb004_every_path_is_built_under_the_prefix(prefix, build, path):
    assert build(_urls(prefix)) == (prefix or "/") + path


@pytest.mark.parametrize("prefix", PREFIXES)
@pytest.mark.parametrize(
    ("path", "page"),
    [
        (None, Page(MAP)),
        ("", Page(MAP)),
        ("method", Page(METHOD)),
        ("unit/BRA1200013", Page(UNIT, "BRA1200013")),
        ("unit/BRA1200013/", Page(UNIT, "BRA1200013")),
        ("unit/%C3%A9", Page(UNIT, "é")),
        ("unit/", Page(NOT_FOUND)),
        ("unit/a/b", Page(NOT_FOUND)),
        ("method/", Page(NOT_FOUND)),
        ("methodology", Page(NOT_FOUND)),
        ("nope", Page(NOT_FOUND)),
    ],
)
def test_urb005_a_pathname_with_the_prefix_is_read_back_into_its_page(prefix, path, page):
    pathname = None if path is None else (prefix or "/") + path
    assert _urls(prefix).route(pathname) == page


@pytest.mark.parametrize(
    ("pathname", "page"),
    [
        ("/atlas", Page(MAP)),  # the prefix without its closing slash
        ("/", Page(NOT_FOUND)),
        ("/method", Page(NOT_FOUND)),
        ("/unit/BRA1200013", Page(NOT_FOUND)),
        ("/atlasx/method", Page(NOT_FOUND)),
        ("/other/atlas/method", Page(NOT_FOUND)),
    ],
)
def test_urb006_a_path_outside_the_prefix_is_not_found(pathname, page):
    assert _urls("/atlas/").route(pathname) == page


@pytest.mark.parametrize("prefix", PREFIXES)
@pytest.mark.parametrize(
    "page",
    [Page(MAP), Page(METHOD), Page(UNIT, "BRA1200013"), Page(UNIT, "a/b"), Page(UNIT, "..")],
)
def test_urb007_a_page_link_routes_back_to_the_same_page(prefix, page):
    urls = _urls(prefix)
    for lang in LANGS:
        href = urls.page(page, lang, DEFAULTS)
        assert urls.route(urlsplit(href).path) == page


@pytest.mark.parametrize("prefix", PREFIXES)
@pytest.mark.parametrize("path", HOSTILE)
def test_urb008_links_from_a_hostile_path_stay_on_the_site_under_the_prefix(prefix, path):
    urls = _urls(prefix)
    pathname = (prefix.rstrip("/") + path) if prefix else path
    for candidate in (path, pathname):
        page = urls.route(candidate)
        for lang in LANGS:
            href = urls.page(page, lang, DEFAULTS)
            parts = urlsplit(href)
            assert href.startswith(prefix or "/") and not href.startswith("//"), href
            assert not parts.scheme and not parts.netloc, href
            assert "evil" not in href or page.name == UNIT, href


@pytest.mark.parametrize("default_lang", LANGS)
def test_urb009_a_link_leaves_out_the_default_language_only(default_lang):
    urls = _urls("/atlas/", default_lang)
    for lang in LANGS:
        href = urls.page(Page(METHOD), lang)
        assert ("lang=" in href) == (lang != default_lang)
        if lang != default_lang:
            assert href == f"/atlas/method?lang={lang}"


# --------------------------------------------------------------------------------------------
# The page registry


def _example(route: Route) -> Page:
    return Page(route.name, "BRA1200013" if route.takes_arg else "")


def test_urb010_the_registry_names_every_page_once_and_the_builder_links_each():
    names = [r.name for r in ROUTES]
    assert names == [MAP, METHOD, UNIT, DATA, COMPARE, EMBED] and len(set(names)) == len(names)
    assert NOT_FOUND not in names
    assert len({r.pattern for r in ROUTES}) == len(ROUTES)


@pytest.mark.parametrize("prefix", PREFIXES)
@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_urb011_every_registered_page_round_trips_under_the_prefix(prefix, route):
    urls = _urls(prefix)
    page = _example(route)
    for lang in LANGS:
        href = urls.page(page, lang)
        assert href.startswith(prefix or "/"), href
        assert urls.route(urlsplit(href).path) == page
        assert ("lang=" in href) == (lang != "es")


@pytest.mark.parametrize("prefix", PREFIXES)
def test_urb012_the_data_page_and_its_country_sections(prefix):
    urls = _urls(prefix)
    home = prefix or "/"
    assert urls.data("es") == home + "data"
    assert urls.data("pt", "BRA") == home + "data?lang=pt#BRA"
    assert urls.page(Page(DATA), "en") == home + "data?lang=en"
    assert urls.route(home + "data") == Page(DATA)
    for unknown in ("data/", "data/BRA", "datas", "data%2F"):
        assert urls.route(home + unknown) == Page(NOT_FOUND), unknown


def test_urb013_a_route_s_argument_may_only_end_its_pattern():
    with pytest.raises(ValueError, match="may only end"):
        Route("x", "a/{arg}/b")
    with pytest.raises(ValueError, match="may only end"):
        Route("x", "/a")
    route = Route("x", "things/{arg}")
    assert route.match("things/a%2Fb") == Page("x", "a/b")
    assert route.match("things/") is None and route.match("things/a/b") is None
    assert route.path("a/b") == "things/a%2Fb"


@pytest.mark.parametrize("prefix", PREFIXES)
def test_urb014_a_units_report_keeps_its_framework_and_local_target_and_its_files_too(prefix):
    urls = _urls(prefix)
    home = prefix or "/"
    assert urls.unit("BRA4304408", "es") == home + "unit/BRA4304408"
    local = State(
        lang="pt", framework="local", indicator="illiteracy", local_value=2.5, local_year=2030,
        country="MEX", unit="X", year=2010,  # the map's fields are not the report's
    )  # fmt: skip
    href = urls.unit("BRA4304408", "pt", local)
    assert href == home + "unit/BRA4304408?v=1&lang=pt&i=illiteracy&f=local&lv=2.5&ly=2030"
    sdg = State(framework="sdg2030", indicator="illiteracy", local_value=2.5)
    assert urls.unit("BRA4304408", "es", sdg) == home + "unit/BRA4304408?v=1&f=sdg2030"
    assert urls.report_file("BRA4304408", "csv", "pt", local) == href.replace(
        "BRA4304408?", "BRA4304408/report.csv?"
    )
    assert urls.report_file("A/B", "xlsx", "es") == home + "unit/A%2FB/report.xlsx"
    # the language links of a report keep its target
    assert urls.page(Page(UNIT, "BRA4304408"), "en", local) == href.replace("lang=pt", "lang=en")
    assert urls.route(home + "unit/BRA4304408/report.csv") == Page(NOT_FOUND)


@pytest.mark.parametrize("prefix", PREFIXES)
def test_urb015_the_embedded_map_takes_the_maps_query(prefix):
    urls = _urls(prefix)
    home = prefix or "/"
    state = State(lang="en", country="MEX", indicator="illiteracy", year=2010, unit="MEX20067")
    assert urls.embed(state) == home + "embed" + urls.map(state).removeprefix(home)
    assert urls.route(home + "embed") == Page(EMBED)
    assert urls.page(Page(EMBED), "pt", state) == urls.embed(
        State(**{**state.__dict__, "lang": "pt", "invalid": ()})
    )

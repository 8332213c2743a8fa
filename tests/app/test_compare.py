"""The compare page without a browser: routed under a prefix, its links (language, remove, add,
indicators, framework) round-tripping through the URL builder, its charts and table, hostile
links, and the links to it from the profile and the map's unit panel."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from app import AppContext, create_app
from atlas import panels as panel_data
from atlas.choices import resolve
from atlas.compare import MAX_UNITS, CompareQuery, compare, parse_query
from atlas.i18n import LANGS
from atlas.profile import profile
from atlas.settings import settings
from atlas.urls import COMPARE, Page
from atlas.urlstate import State
from atlas.views import compute
from callbacks import compare as compare_cb
from callbacks.router import render
from layouts import compare_page, ids, panels, profile_page
from tests.fixtures.tiny_store import MISSING
from tests.fixtures.tree import nodes, texts

PREFIXES = ["", "/atlas/"]
CANELA, OAXACA, AYACUCHO = "BRA4304408", "MEX20067", "PER050101"
LINK = f"?u={CANELA},{OAXACA},{AYACUCHO}&i=infant_mortality,illiteracy&lang=pt"


@pytest.fixture(scope="module")
def contexts(store, catalog):
    return {
        prefix: AppContext(store=store, catalog=catalog, conf=settings(url_prefix=prefix))
        for prefix in PREFIXES
    }


def _pathname(prefix: str, path: str) -> str:
    return prefix.rstrip("/") + path if prefix else path


def _hrefs(page) -> list[str]:
    return [n.href for n in nodes(page) if isinstance(getattr(n, "href", None), str)]


def _lang_links(page) -> list[str]:
    return [n.href for n in nodes(page) if "lang-link" in (getattr(n, "className", "") or "")]


def _graphs(page) -> list:
    return [n for n in nodes(page) if type(n).__name__ == "Graph"]


@pytest.mark.parametrize("prefix", PREFIXES)
def test_cpg001_a_compare_link_renders_and_its_links_round_trip_under_the_prefix(contexts, prefix):
    ctx = contexts[prefix]
    home = prefix or "/"
    page, lang = render(ctx, _pathname(prefix, "/compare"), LINK)
    assert lang == "pt"
    assert len(_graphs(page)) == 2
    # the language links keep the comparison, each in its language
    path = home + "compare?" + LINK[1:].removesuffix("&lang=pt")
    assert _lang_links(page) == [path, path + "&lang=pt", path + "&lang=en"]
    for href in _hrefs(page):
        if href.startswith("#"):
            continue
        assert href.startswith(home) and not href.startswith("//"), href
        parts = urlsplit(href)
        routed = ctx.urls.route(parts.path, "?" + parts.query)
        if routed.name == COMPARE:  # a compare link reads back into the query it was built from
            q = parse_query(routed.query, ctx.urls.default_lang)
            assert ctx.urls.compare(q) == href
            assert set(q.units) <= {CANELA, OAXACA, AYACUCHO}


@pytest.mark.parametrize("prefix", PREFIXES)
def test_cpg002_the_builder_writes_and_the_router_reads_the_same_comparison(contexts, prefix):
    urls = contexts[prefix].urls
    q = CompareQuery((CANELA, OAXACA), ("illiteracy",), "sdg2030", "en")
    href = urls.compare(q)
    assert href == (prefix or "/") + f"compare?u={CANELA},{OAXACA}&i=illiteracy&f=sdg2030&lang=en"
    parts = urlsplit(href)
    page = urls.route(parts.path, "?" + parts.query)
    assert page == Page(COMPARE, query="?" + parts.query)
    assert parse_query(page.query) == q
    for lang in LANGS:
        assert parse_query(urlsplit(urls.page(page, lang)).query).lang == lang


def test_cpg003_the_page_shows_remove_links_and_the_indicators_on_offer(contexts):
    ctx = contexts[""]
    c = compare(ctx.store, ctx.catalog, parse_query(LINK))
    page = compare_page.layout(c, ctx.urls)
    hrefs = _hrefs(page)
    assert f"/compare?u={OAXACA},{AYACUCHO}&i=infant_mortality,illiteracy&lang=pt" in hrefs
    toggles = [n for n in nodes(page) if "compare-toggle" in (getattr(n, "className", "") or "")]
    current = [n for n in toggles if "active" in n.className]
    assert len(current) == 3  # two indicators and the framework
    assert any(n.href.endswith("&i=infant_mortality&lang=pt") for n in toggles)
    text = texts(page)
    assert "Canela" in text and "Oaxaca de Juárez" in text and "Ayacucho" in text
    assert "Não comparável entre países" in text  # illiteracy: Brazil 18+, Mexico 15+


def test_cpg004_the_chart_breaks_at_a_missing_year_and_marks_flagged_values(tiny_store, catalog):
    unit, year = MISSING
    c = compare(tiny_store, catalog, CompareQuery((unit, "BRA1200042"), ("infant_mortality",)))
    fig = compare_page.figure(c.panels[0], c)
    line = next(tr for tr in fig.data if tr.name == c.members[0].name)
    assert line.connectgaps is False
    assert line.y[list(line.x).index(year)] is None  # a break, never zero
    flagged = compare(tiny_store, catalog, CompareQuery(("BRA1200042",), ("illiteracy",)))
    marks = compare_page.figure(flagged.panels[0], flagged).data[0].marker.symbol
    assert marks == ("circle", "circle", "circle-open")
    table = compare_page.table(flagged.panels[0], flagged)
    assert "⚠" in texts(table)


def test_cpg005_the_table_gives_the_source_and_year_of_every_value(tiny_store, catalog):
    unit, year = MISSING
    c = compare(tiny_store, catalog, CompareQuery((unit,), ("infant_mortality",), lang="en"))
    rows = [n for n in nodes(compare_page.table(c.panels[0], c)) if type(n).__name__ == "Tr"][1:]
    assert len(rows) == 3
    cells = [[texts(cell) for cell in row.children] for row in rows]
    gap = next(r for r in cells if r[1] == str(year))
    assert gap[2] == "no data" and gap[3] == ""
    assert all(r[3] for r in cells if r[1] != str(year))


@pytest.mark.parametrize(
    "search",
    [
        "?u=NOPE1,BRA9999999,<b>x</b>&i=infant_mortality",
        "?u=" + ",".join(f"BRA43044{k:02d}" for k in range(0, 40, 2)) + "&i=zzz,Bad!",
        "?u=%FF%FE&i=&f=evil&lang=de",
        "?u=" + "B" * 5000,
        "",
    ],
)
def test_cpg006_hostile_links_give_a_notice_and_keep_the_rest(contexts, search):
    ctx = contexts["/atlas/"]
    page, _ = render(ctx, "/atlas/compare", search)
    text = texts(page)
    assert "Traceback" not in text
    alerts = [n for n in nodes(page) if type(n).__name__ == "Alert"]
    q = parse_query(search)
    assert bool(alerts) == bool(
        search and (q.malformed_units or q.surplus_units or q.bad_framework or "NOPE1" in search)
    )
    members = compare(ctx.store, ctx.catalog, q).members
    assert len(members) <= MAX_UNITS
    assert all(len(a) < 400 for a in (texts(x) for x in alerts))


def test_cpg007_the_add_link_adds_the_chosen_place_and_stays_disabled_otherwise(contexts):
    urls = contexts["/atlas/"].urls
    href, disabled = compare_cb.add_link(urls, f"?u={CANELA}&i=illiteracy", OAXACA, "en")
    assert (href, disabled) == (f"/atlas/compare?u={CANELA},{OAXACA}&i=illiteracy&lang=en", False)
    assert compare_cb.add_link(urls, f"?u={CANELA}", CANELA, "es") == (
        f"/atlas/compare?u={CANELA}",
        True,
    )
    assert compare_cb.add_link(urls, None, None, None) == ("/atlas/compare", True)


def test_cpg008_the_profile_and_the_map_s_unit_panel_link_the_comparison(contexts):
    ctx = contexts["/atlas/"]
    p = profile(ctx.store, ctx.catalog, CANELA, "en")
    page = profile_page.layout(p, "en", unit_id=CANELA, urls=ctx.urls)
    link = next(n for n in nodes(page) if getattr(n, "id", None) == profile_page.COMPARE_LINK_ID)
    assert link.href == f"/atlas/compare?u={CANELA}&i=infant_mortality&lang=en"
    state = resolve(State(lang="pt", country="MEX", indicator="illiteracy"), ctx.store, ctx.catalog)
    view = compute(ctx.store, ctx.catalog, state)
    detail = panel_data.unit_detail(ctx.store, ctx.catalog, view, OAXACA)
    hrefs = _hrefs(panels.unit_panel(detail, view, "pt", ctx.urls))
    assert f"/atlas/compare?u={OAXACA}&i=illiteracy&lang=pt" in hrefs


def test_cpg009_the_search_box_and_add_link_are_wired(tiny_store):
    client = create_app(settings(), store=tiny_store).server.test_client()
    deps = client.get("/_dash-dependencies").get_json()
    outputs = {o for d in deps for o in d["output"].strip(".").split("...")}
    assert f"{ids.COMPARE_SEARCH}.options" in outputs
    assert f"{ids.COMPARE_ADD}.href" in outputs and f"{ids.COMPARE_ADD}.disabled" in outputs
    assert client.get("/compare?u=BRA1200012").status_code == 200

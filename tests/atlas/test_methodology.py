"""The methodology page: complete in es/pt/en, thresholds and sources read from their one place,
every comparability note shown, and the Dash layout carrying the section titles."""

from __future__ import annotations

import string

import pytest

import atlas.method as method
from atlas.catalog import load_catalog
from atlas.i18n import LANGS, messages, number
from atlas.i18n import label as catalog_label
from atlas.method.targets import Thresholds
from atlas.methodology import (
    SECTION_IDS,
    Link,
    Section,
    Table,
    methodology,
    texts,
)
from geodata.registry import load_registry, manifest_sources

#: Entries that may read the same in Spanish and English (proper names, the same word).
SAME_IN_EN = {"method.rules.universal_coverage"}
#: Entries of more than three words that may read the same in Spanish and Portuguese.
SAME_IN_PT = {"method.inequality.m.theil.name"}


@pytest.fixture(scope="module")
def cat():
    return load_catalog()


@pytest.fixture(scope="module")
def sources() -> dict:
    """The registry's sources in the shape of Store.manifest["sources"] (as geodata/build.py)."""
    return manifest_sources(load_registry())


@pytest.fixture(scope="module")
def pages(cat, sources) -> dict[str, list[Section]]:
    return {lang: methodology(lang, cat, sources) for lang in LANGS}


def _section(sections: list[Section], sid: str) -> Section:
    for top in sections:
        for s in top.walk():
            if s.id == sid:
                return s
    raise AssertionError(f"No section {sid!r}.")


def _all_text(sections) -> str:
    return "\n".join(texts(sections))


def _fields(s: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(s) if f}


def _prose() -> dict[str, dict[str, str]]:
    """The ``method.*`` messages: the prose of the page."""
    prose = {k: v for k, v in messages().items() if k.startswith("method.")}
    assert prose
    return prose


def _minimal(value: float, lang: str, max_decimals: int = 4) -> str:
    for d in range(max_decimals + 1):
        if abs(round(value, d) - value) < 1e-9:
            return number(value, d, lang)
    return number(value, max_decimals, lang)


# --------------------------------------------------------------------------------------------
# Translations


def test_mth001_every_entry_has_es_pt_en():
    for key, entry in _prose().items():
        assert set(entry) == set(LANGS), key
        for lang in LANGS:
            assert entry[lang].strip(), f"{key} is empty in {lang}"


def test_mth001_translations_differ_where_they_should():
    for key, entry in _prose().items():
        if key not in SAME_IN_EN:
            assert entry["en"] != entry["es"], f"{key}: English is a copy of Spanish"
        # single words may coincide in Spanish and Portuguese; sentences must not
        if len(entry["es"].split()) > 3 and key not in SAME_IN_PT:
            assert entry["pt"] != entry["es"], f"{key}: Portuguese is a copy of Spanish"


def test_mth001_placeholders_match_across_languages():
    for key, entry in _prose().items():
        fields = {lang: _fields(entry[lang]) for lang in LANGS}
        assert fields["es"] == fields["pt"] == fields["en"], (key, fields)


@pytest.mark.parametrize("lang", LANGS)
def test_mth001_page_renders_every_section(pages, lang):
    sections = pages[lang]
    assert [s.id for s in sections] == list(SECTION_IDS)
    ids = [s.id for top in sections for s in top.walk()]
    assert len(ids) == len(set(ids)), "anchor ids must be unique"
    for s in (s for top in sections for s in top.walk()):
        assert s.title.strip()
        for t in s.tables:
            assert t.caption.strip()
            assert all(len(row) == len(t.header) for row in t.rows), t.caption
    # no placeholder left unfilled, no raw key shown
    text = _all_text(sections)
    assert "{" not in text and "}" not in text


def test_mth001_languages_differ(pages):
    titles = {lang: [s.title for s in pages[lang]] for lang in LANGS}
    assert titles["es"] != titles["pt"] != titles["en"] != titles["es"]
    assert _section(pages["es"], "targets").title == "Marcos de metas"
    assert _section(pages["en"], "targets").title == "Target frameworks"


# --------------------------------------------------------------------------------------------
# Targets, thresholds


@pytest.mark.parametrize("lang", LANGS)
def test_mth002_thresholds_shown_equal_config(pages, lang):
    th = method.thresholds()
    status = _all_text(_section(pages[lang], "status"))
    on, acc = number(th.on_track, 2, lang), number(th.must_accelerate, 2, lang)
    assert f"ρ ≥ {on}" in status
    assert f"{acc} ≤ ρ < {on}" in status
    assert f"ρ < {acc}" in status
    assert f"n < {number(th.min_points, 0, lang)}" in status
    assert number(th.bound_tolerance, 1, lang) in status
    trend = _all_text(_section(pages[lang], "trend-classes"))
    assert f"g ≥ {_minimal(th.trend_fast, lang)}" in trend
    assert f"{_minimal(th.trend_moderate, lang)} ≤ g < {_minimal(th.trend_fast, lang)}" in trend
    assert f"{_minimal(th.trend_slow, lang)} ≤ g < {_minimal(th.trend_moderate, lang)}" in trend
    assert f"g < {_minimal(th.trend_slow, lang)}" in trend
    missing = _all_text(_section(pages[lang], "missing-data"))
    assert number(th.min_points, 0, lang) in missing


def test_mth002_thresholds_are_read_not_written(monkeypatch, cat, sources):
    """Changing the configured thresholds changes the page: nothing is hard-coded."""
    other = Thresholds(
        on_track=0.9,
        must_accelerate=0.2,
        bound_tolerance=0.5,
        min_points=3,
        trend_fast=0.025,
        trend_moderate=0.012,
        trend_slow=0.001,
    )
    monkeypatch.setattr(method, "thresholds", lambda: other)
    for lang in LANGS:
        sections = methodology(lang, cat, sources)
        status = _all_text(_section(sections, "status"))
        assert f"ρ ≥ {number(0.9, 2, lang)}" in status
        assert f"{number(0.2, 2, lang)} ≤ ρ" in status
        assert "90 %" in status and "20 %" in status
        assert number(0.95, 2, lang) not in status
        assert f"n < {number(3, 0, lang)}" in status
        assert number(0.5, 1, lang) in status
        trend = _all_text(_section(sections, "trend-classes"))
        for v in (0.025, 0.012, 0.001):
            assert _minimal(v, lang) in trend
        assert _minimal(0.015, lang) not in trend


@pytest.mark.parametrize("lang", LANGS)
def test_mth003_every_rule_and_citation_is_shown(pages, lang):
    text = _all_text(_section(pages[lang], "targets"))
    for fid in ("mdg2015", "sdg2030", "national"):
        for rule in method.frameworks()[fid].rules:
            assert rule.code in text
            assert rule.citation in text
    for fw in method.frameworks().values():
        assert fw.citation in text
        if fw.deadline:
            assert str(fw.deadline) in text


@pytest.mark.parametrize("lang", LANGS)
def test_mth003_absolute_targets_use_locale_numbers(pages, lang):
    national = _section(pages[lang], "framework-national")
    formulas = {row[4] for t in national.tables for row in t.rows}
    for rule in method.frameworks()["national"].rules:
        spec = rule.spec("lower")
        if spec and spec["kind"] == "absolute":
            v = spec["value"]
            shown = _minimal(v, lang, 3)
            assert f"x* = {shown}" in formulas, (rule.code, shown)


@pytest.mark.parametrize("lang", LANGS)
def test_mth004_baseline_and_rates_sections(pages, lang):
    baseline = _all_text(_section(pages[lang], "baseline"))
    assert str(method.frameworks()["mdg2015"].baseline_year) in baseline
    rates = _section(pages[lang], "rates")
    formulas = {row[1] for t in rates.tables for row in t.rows}
    for f in (
        "x0 + (x* − x0)(t − t0)/(T − t0)",
        "x0 (x*/x0)^((t − t0)/(T − t0))",
        "(xt/x0)^(1/(t − t0)) − 1",
        "ln(x0/xt)/(t − t0)",
        "(x*/xt)^(1/(T − t)) − 1",
    ):
        assert f in formulas
    # the required rate of MDG 4 (ln 3 / 25) is computed, not typed
    assert f"{number(4.39, 2, lang)} %" in _all_text(rates)


# --------------------------------------------------------------------------------------------
# Sources and comparability


@pytest.mark.parametrize("lang", LANGS)
def test_mth005_every_country_source_appears(pages, sources, lang):
    section = _section(pages[lang], "sources")
    countries = {s["country"] for s in sources.values()}
    sub_ids = {s.id for s in section.subsections}
    assert {f"sources-{c.lower()}" for c in countries} == sub_ids
    for c in countries:
        sub = _section(pages[lang], f"sources-{c.lower()}")
        (t,) = sub.tables
        datasets = {row[0] for row in t.rows}
        for sid, s in sources.items():
            if s["country"] != c:
                continue
            assert s["dataset"] in datasets, sid
            row = next(r for r in t.rows if r[0] == s["dataset"])
            assert s["producer"] in row and s["vintage"] in row and s["licence"] in row
            url = row[-1]
            if isinstance(url, Link):  # the address is linked; the rest of the field is its note
                assert url.href.startswith("http") and url.href in s["url"]
                assert url.text and url.text in url.href
                assert " ".join(s["url"].replace(url.href, " ").split()) == url.note
            else:
                assert url == s["url"]


@pytest.mark.parametrize("lang", LANGS)
def test_mth006_every_comparability_note_appears(pages, cat, lang):
    for s in cat.all_series():
        note = s.comparability[lang]
        if not note.strip():
            continue
        sub = _section(pages[lang], f"comparability-{s.country.lower()}")
        (t,) = sub.tables
        indicator = catalog_label(cat[s.indicator].label, lang)
        assert any(row[0] == indicator and row[-1] == note for row in t.rows), (
            s.indicator,
            s.country,
            s.source,
        )


def test_mth006_comparability_rows_match_the_catalog(pages, cat):
    series = [s for s in cat.all_series() if any(s.comparability.values())]
    rows = sum(
        len(t.rows)
        for sub in _section(pages["es"], "comparability").subsections
        for t in sub.tables
    )
    assert rows == len(series)


def test_mth007_required_references_are_cited(pages):
    refs = {lang: _all_text(_section(pages[lang], "references")) for lang in LANGS}
    for lang, text in refs.items():
        for needle in (
            "Candia Baeza",
            "Serie Desarrollo Territorial",
            "SDG Progress Chart",
            "Open SDG",
            "EUSTAT",
            "Statistics Canada",
            "UNICEF",
            "PySAL",
            "Fukuda-Parr",
        ):
            assert needle in text, (lang, needle)
    assert "CESPAP" in refs["es"] and "CESAP" in refs["pt"] and "ESCAP" in refs["en"]


# --------------------------------------------------------------------------------------------
# The Dash layout


def _walk(component):
    yield component
    children = getattr(component, "children", None)
    if children is None:
        return
    if not isinstance(children, list | tuple):
        children = [children]
    for child in children:
        if hasattr(child, "to_plotly_json"):
            yield from _walk(child)
        else:
            yield child


def _strings(component) -> list[str]:
    return [c for c in _walk(component) if isinstance(c, str)]


@pytest.mark.parametrize("lang", LANGS)
def test_mth008_layout_contains_section_titles_and_anchors(pages, lang):
    from dash import html

    from layouts import method_page

    page = method_page.layout(lang, pages[lang])
    strings = set(_strings(page))
    nodes = [c for c in _walk(page) if hasattr(c, "to_plotly_json")]
    heading_ids = {getattr(c, "id", None) for c in nodes if isinstance(c, html.H2 | html.H3)}
    hrefs = {getattr(c, "href", None) for c in nodes if isinstance(c, html.A)}
    for top in pages[lang]:
        for s in top.walk():
            assert s.title in strings, s.title
            assert s.id in heading_ids, s.id
            assert f"#{s.id}" in hrefs, s.id  # table of contents link
    assert sum(isinstance(c, html.H1) for c in nodes) == 1


@pytest.mark.parametrize("lang", LANGS)
def test_mth008_layout_headings_in_order_and_tables_captioned(pages, lang):
    from dash import html

    from layouts import method_page

    page = method_page.layout(lang, pages[lang])
    levels = {html.H1: 1, html.H2: 2, html.H3: 3, html.H4: 4}
    seen = [levels[type(c)] for c in _walk(page) if type(c) in levels]
    assert seen[0] == 1
    for prev, cur in zip(seen, seen[1:], strict=False):
        assert cur <= prev + 1, "a heading level is skipped"
    tables = [c for c in _walk(page) if type(c).__name__ == "Table"]
    n_tables = sum(len(s.tables) for top in pages[lang] for s in top.walk())
    assert len(tables) == n_tables
    for t in tables:
        first = t.children[0]
        assert isinstance(first, html.Caption) and first.children


def test_mth008_layout_formulas_are_code_and_no_mathjax(pages):
    from dash import html

    from layouts import method_page

    page = method_page.layout("es", pages["es"])
    codes = [c.children for c in _walk(page) if isinstance(c, html.Code)]
    assert "x0 + (x* − x0)(t − t0)/(T − t0)" in codes
    assert not any("$$" in s or "\\(" in s for s in _strings(page))


def test_mth008_inline_code_spans():
    from dash import html

    from layouts.method_page import inline

    parts = inline("a `x0` b")
    assert parts[0] == "a " and isinstance(parts[1], html.Code) and parts[2] == " b"
    assert inline("odd ` tick") == ["odd ` tick"]


def test_mth009_unknown_language_falls_back_to_spanish(cat, sources, pages):
    assert [s.title for s in methodology("fr", cat, sources)] == [s.title for s in pages["es"]]


def test_mth009_tables_are_plain_data(pages):
    for top in pages["es"]:
        for s in top.walk():
            for t in s.tables:
                assert isinstance(t, Table)
                for row in t.rows:
                    assert all(isinstance(c, str | Link) for c in row)

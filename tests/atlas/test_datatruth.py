"""The data page's content (atlas.datatruth): a section per country generated from the catalog, the
store and the quality report; statements derived from the data; value flags shown when the
quality report has them and nothing when it has none."""

from __future__ import annotations

import pytest

from atlas.datatruth import CAN, CANNOT, FLAG_REASONS, data_truth, flag_label, statements
from atlas.i18n import LANGS, messages, t
from layouts import data_page
from tests.fixtures.tree import nodes


def _by(section, indicator: str, level: str):
    return next(i for i in section.indicators if i.indicator == indicator and i.level == level)


@pytest.fixture(scope="module")
def tiny(tiny_store, catalog):
    return {c.iso3: c for c in data_truth(tiny_store, catalog, "en")}


# --------------------------------------------------------------------------------------------
# The tiny store


def test_dtr001_a_section_per_country_with_its_units(tiny, tiny_store):
    assert list(tiny) == tiny_store.countries() == ["BRA", "URY"]
    assert [(lvl, n) for lvl, _, n in tiny["BRA"].units] == [("municipality", 10), ("admin1", 2)]
    assert [(lvl, n) for lvl, _, n in tiny["URY"].units] == [("admin1", 3)]
    assert tiny["URY"].name == "Uruguay"


def test_dtr002_statements_are_derived_from_years_level_interval_and_comparability(tiny):
    bra, ury = tiny["BRA"], tiny["URY"]
    infant = _by(bra, "infant_mortality", "municipality")
    assert infant.years == (1991, 2000, 2010)
    assert infant.codes == ("change", "no_interval", "not_comparable")
    assert "3 years, 1991 to 2010" in infant.statements[0].text
    illiteracy = _by(bra, "illiteracy", "municipality")
    assert "interval" in illiteracy.codes and illiteracy.ci_years == (1991, 2000, 2010)
    departments = _by(ury, "infant_mortality", "admin1")
    assert {"change", "admin1_only"} <= set(departments.codes)
    assert "department level only" in " ".join(s.text for s in departments.statements)
    # the national series of an indicator the catalog marks comparable across countries
    national = _by(ury, "infant_mortality", "country")
    assert {"national_only", "comparable"} <= set(national.codes)
    # a catalog series the store holds no value of
    empty = _by(bra, "poverty", "municipality")
    assert empty.years == () and "no_values" in empty.codes
    for section in tiny.values():
        for i in section.indicators:
            assert [s.can for s in i.statements] == sorted(
                (s.can for s in i.statements), key=lambda c: not c
            )
            assert set(i.codes) <= set(CAN) | set(CANNOT)


def test_dtr003_a_single_year_says_no_change_can_be_computed(catalog):
    ind = catalog["infant_mortality"]
    out = statements(ind, "URY", "admin1", (2015,), (2015,), "en")
    # comparable across countries in the catalog, but a department series of a national producer
    assert {s.code for s in out} == {"interval", "single_year", "admin1_only", "not_comparable"}
    single = next(s for s in out if s.code == "single_year")
    assert not single.can and "2015" in single.text and "no change or progress" in single.text


def test_dtr004_flags_are_listed_when_the_quality_report_has_them(tiny, tiny_store, catalog):
    bra = tiny["BRA"]  # the tiny store's one inherited value (tiny_store.INHERITED)
    assert bra.has_flags
    assert {(reason, ind, n) for reason, _, ind, _, n in bra.flags} == {
        ("inherited", "illiteracy", 1)
    }
    assert [r for r, *_ in bra.flags] == sorted((r for r, *_ in bra.flags), key=FLAG_REASONS.index)
    page = data_page.section(bra, "en")
    rows = [n for n in nodes(page) if getattr(n, "data-reason", None)]
    assert [getattr(r, "data-reason") for r in rows] == ["inherited"]
    assert "copied from the unit it was split from" in str(page)


def test_dtr005_an_empty_or_absent_flags_key_says_so_or_nothing(tiny, tiny_store, catalog):
    ury = tiny["URY"]  # the build flagged nothing: the key is there, empty
    assert ury.has_flags and ury.flags == ()
    assert t("datatruth.flags_none", "en") in str(data_page.section(ury, "en"))

    class OlderStore:  # a report written before flags existed: no key
        def __getattr__(self, name):
            return getattr(tiny_store, name)

        def quality(self, country):
            return {k: v for k, v in tiny_store.quality(country).items() if k != "flags"}

    (older,) = [c for c in data_truth(OlderStore(), catalog, "en") if c.iso3 == "URY"]
    assert not older.has_flags and older.flags == ()
    text = str(data_page.section(older, "en"))
    assert t("datatruth.flags_caption", "en") not in text
    assert t("datatruth.flags_none", "en") not in text


def test_dtr006_the_page_is_in_the_reader_s_language(tiny_store, catalog):
    for lang in LANGS:
        sections = data_truth(tiny_store, catalog, lang)
        page = str(data_page.layout(lang, sections, "2026-01-01"))
        assert t("datatruth.title", lang) in page
        statement = _by(sections[0], "infant_mortality", "municipality").statements[0].text
        assert statement == t("datatruth.say.change", lang, n=3, first=1991, last=2010)
    assert flag_label("few_events", "pt") == messages()["datatruth.flag.few_events"]["pt"]
    assert flag_label("a_reason_not_known_yet", "pt") == "a_reason_not_known_yet"


def test_dtr007_each_country_section_is_an_anchor_with_a_captioned_table_per_level(tiny):
    page = data_page.layout("en", list(tiny.values()), "2026-01-01")
    ids = [n.id for n in nodes(page) if getattr(n, "id", None)]
    assert {"BRA", "URY", data_page.CONTENTS_ID} <= set(ids)
    hrefs = [n.href for n in nodes(page) if getattr(n, "href", None)]
    assert {"#BRA", "#URY"} <= set(hrefs)
    levels = [getattr(n, "data-level") for n in nodes(page) if getattr(n, "data-level", None)]
    assert levels == ["municipality", "country", "admin1", "country"]
    captions = [n for n in nodes(page) if type(n).__name__ == "Caption"]
    assert len(captions) == len(levels) + 1  # one per level, and Brazil's flags
    assert "big-type" not in page.className
    assert "big-type" in data_page.layout("en", list(tiny.values()), "", big=True).className


# --------------------------------------------------------------------------------------------
# The real store


@pytest.fixture(scope="module")
def real(store, catalog):
    return {c.iso3: c for c in data_truth(store, catalog, "es")}


def test_dtr010_six_sections_with_units_and_the_quality_counts(real, store):
    assert list(real) == store.countries() and len(real) == 6
    for iso3, section in real.items():
        assert section.units, iso3
        assert all(n > 0 for _, _, n in section.units), iso3
        assert section.out_of_range == len(store.quality(iso3).get("out_of_range", []))
    assert [lvl for lvl, _, _ in real["URY"].units] == ["admin1"]
    assert real["CHL"].out_of_range >= 2  # SINIM's infant mortality 111 and 1000 in 2023


def test_dtr011_every_catalog_series_of_a_country_is_listed_with_its_years(real, store, catalog):
    for iso3, section in real.items():
        for s in catalog.all_series():
            if s.country != iso3:
                continue
            row = _by(section, s.indicator, s.level)
            stored = tuple(store.years(s.indicator, iso3, s.level))
            assert row.years == stored, (iso3, s.indicator, s.level)
            listed = [x for x in row.series if (x.source_id, x.variable) == (s.source, s.variable)]
            assert listed, (iso3, s.indicator, s.source, s.variable)
            assert listed[0].years == tuple(y for y in s.years if y in stored)
            assert listed[0].source and listed[0].join_rate is not None, (iso3, s.source)


def test_dtr012_chile_poverty_shows_its_survey_years(real):
    poverty = _by(real["CHL"], "poverty", "municipality")
    assert poverty.years == (2017, 2020, 2022)
    assert {y for s in poverty.series for y in s.years} == {2017, 2020, 2022}
    sinim = next(s for s in poverty.series if s.variable == "sinim_744_pobreza_casen")
    assert {2017, 2020} <= set(sinim.years)
    assert "change" in poverty.codes
    assert "CASEN 2017" in next(s.comparability for s in poverty.series if s is sinim)


def test_dtr013_statements_follow_the_real_data(real, catalog):
    # Uruguay has departments only: every subnational indicator says so
    assert all("admin1_only" in i.codes for i in real["URY"].subnational)
    for section in real.values():
        for i in section.indicators:
            assert ("single_year" in i.codes) == (len(i.years) == 1)
            assert ("change" in i.codes) == (len(i.years) >= 2)
            comparable = catalog[i.indicator].comparable_across_countries and i.level == "country"
            assert ("comparable" in i.codes) == comparable
        assert len(section.with_change) + len(section.single_year) <= len(section.subnational)

"""The comparison (atlas/compare.py): its URL state read and written back, the lines it draws on the
tiny store (gaps, flags, targets) and on the real store, and hostile links."""

from __future__ import annotations

import pytest

from atlas.compare import (
    MAX_INDICATORS,
    MAX_UNITS,
    CompareQuery,
    compare,
    parse_query,
    query_string,
    toggled_indicator,
    with_unit,
    without_unit,
)
from atlas.i18n import LANGS, messages
from tests.fixtures.tiny_store import INHERITED, MISSING

# --------------------------------------------------------------------------------------------
# URL state


def test_cmp001_a_link_reads_into_a_query_and_writes_back_the_same():
    search = "?u=BRA4304408,MEX20067,PER050101&i=infant_mortality,illiteracy&f=sdg2030&lang=pt"
    q = parse_query(search)
    assert q.units == ("BRA4304408", "MEX20067", "PER050101")
    assert q.indicators == ("infant_mortality", "illiteracy")
    assert (q.framework, q.lang) == ("sdg2030", "pt")
    assert query_string(q) == search
    assert parse_query(query_string(q)) == q


def test_cmp002_defaults_are_left_out_and_ids_upper_cased_once():
    q = parse_query("?u=bra4304408,BRA4304408,%20mex20067%20&lang=es&f=mdg2015")
    assert q.units == ("BRA4304408", "MEX20067")
    assert query_string(q) == "?u=BRA4304408,MEX20067"
    assert query_string(CompareQuery()) == ""
    assert query_string(CompareQuery(lang="es"), default_lang="pt") == "?lang=es"


def test_cmp003_adding_removing_and_toggling_keep_the_rest():
    q = CompareQuery(("BRA1200013",), ("infant_mortality",), "national", "en")
    added = with_unit(q, "URY01")
    assert added.units == ("BRA1200013", "URY01") and added.framework == "national"
    assert with_unit(added, "URY01") == added  # no duplicates
    assert with_unit(q, "") == q
    assert without_unit(added, "BRA1200013").units == ("URY01",)
    assert toggled_indicator(q, "illiteracy").indicators == ("infant_mortality", "illiteracy")
    assert toggled_indicator(q, "infant_mortality").indicators == ()
    full = CompareQuery(tuple(f"BRA{i}" for i in range(MAX_UNITS)))
    assert with_unit(full, "URY01") == full


@pytest.mark.parametrize(
    "search",
    [
        None,
        "",
        "?",
        "u=",
        "?u=,,,&i=,",
        "?u=" + ",".join(["BRA1"] * 5000),
        "?u=%00%FF&i=%ZZ",
        "?u=<script>&i=../../etc&f=<b>&lang=xx",
        "?" + "&".join(f"k{i}=v" for i in range(500)),
        "?u=" + "A" * 100_000,
    ],
)
def test_cmp004_hostile_links_never_raise_and_stay_within_bounds(search):
    q = parse_query(search)
    assert len(q.units) <= MAX_UNITS and len(q.indicators) <= MAX_INDICATORS
    assert q.framework == "mdg2015" and q.lang in LANGS
    assert parse_query(query_string(q)) == q


def test_cmp005_surplus_and_malformed_entries_are_kept_aside_for_the_notice():
    units = [f"BRA12000{k}3" for k in range(1, 9)]
    q = parse_query("?u=" + ",".join([*units, "not a code"]) + "&i=Bad!,illiteracy&f=nope")
    assert q.units == tuple(units[:MAX_UNITS])
    assert q.surplus_units == tuple(units[MAX_UNITS:])
    assert q.malformed_units == ("not a code",)
    assert q.malformed_indicators == ("Bad!",) and q.indicators == ("illiteracy",)
    assert q.bad_framework


# --------------------------------------------------------------------------------------------
# The comparison on the tiny store


def _line(panel, unit_id):
    return next(ln for ln in panel.lines if ln.unit_id == unit_id)


def test_cmp010_a_missing_year_is_a_gap_never_zero(tiny_store, catalog):
    unit, year = MISSING
    c = compare(tiny_store, catalog, CompareQuery((unit, "BRA1200012"), ("infant_mortality",)))
    (panel,) = c.panels
    line = _line(panel, unit)
    assert [p.year for p in line.points] == [1991, 2000, 2010]
    gap = next(p for p in line.points if p.year == year)
    assert gap.value is None and gap.source == ""
    assert all(p.value is not None for p in line.points if p.year != year)
    # the other unit has the year: the same years, no gap
    assert all(p.value is not None for p in _line(panel, "BRA1200012").points)


def test_cmp011_a_flagged_value_is_shown_with_its_reason_and_kept_out_of_the_target(
    tiny_store, catalog
):
    unit, year, ref = INHERITED
    c = compare(tiny_store, catalog, CompareQuery((unit,), ("illiteracy",), lang="en"))
    line = _line(c.panels[0], unit)
    flagged = next(p for p in line.points if p.year == year)
    assert flagged.value is not None and flagged.flag.startswith("⚠ Inherited value")
    assert all(not p.flag for p in line.points if p.year != year)
    # the MDG target comes from the baseline (1991), whatever the flagged 2010 value says
    assert line.target is not None and line.target.baseline_year == 1991
    assert line.target.deadline == 2015


def test_cmp012_the_target_line_follows_the_framework(tiny_store, catalog):
    q = CompareQuery(("BRA1200012",), ("infant_mortality",))
    mdg = _line(compare(tiny_store, catalog, q).panels[0], "BRA1200012").target
    first = compare(tiny_store, catalog, q).panels[0].lines[0].points[0]
    # MDG 4.A: two-thirds down from the 1991 baseline by 2015
    assert mdg.value == pytest.approx(first.value / 3) and mdg.deadline == 2015
    sdg = _line(
        compare(tiny_store, catalog, CompareQuery(q.units, q.indicators, "sdg2030")).panels[0],
        "BRA1200012",
    ).target
    assert sdg is None or sdg.deadline == 2030


def test_cmp013_unknown_units_and_indicators_are_named_and_the_rest_kept(tiny_store, catalog):
    q = parse_query("?u=BRA1200012,BRA9999999,xx!&i=infant_mortality,no_such_thing&lang=pt")
    c = compare(tiny_store, catalog, q)
    assert [m.unit_id for m in c.members] == ["BRA1200012"]
    assert [p.id for p in c.panels] == ["infant_mortality"]
    assert any("BRA9999999" in n and "xx!" in n for n in c.notices)
    assert any("no_such_thing" in n for n in c.notices)
    assert c.shown == CompareQuery(("BRA1200012",), ("infant_mortality",), lang="pt")


def test_cmp014_without_indicators_the_headline_one_is_shown(tiny_store, catalog):
    c = compare(tiny_store, catalog, CompareQuery(("URY01", "BRA1200012")))
    assert [p.id for p in c.panels] == ["infant_mortality"]
    assert {i for i, _ in c.available} >= {"infant_mortality", "illiteracy"}
    assert compare(tiny_store, catalog, CompareQuery()).panels == ()


def test_cmp015_a_unit_without_values_is_named_not_drawn(tiny_store, catalog):
    c = compare(tiny_store, catalog, CompareQuery(("URY01", "BRA1200012"), ("illiteracy",)))
    (panel,) = c.panels
    assert [ln.unit_id for ln in panel.lines] == ["BRA1200012"]
    assert panel.no_data == (c.members[0].name,)


def test_cmp016_two_countries_on_a_series_not_comparable_across_them_carry_a_caution(
    tiny_store, catalog
):
    both = compare(tiny_store, catalog, CompareQuery(("URY01", "BRA1200012")))
    (panel,) = both.panels
    assert panel.countries == ("URY", "BRA")
    assert panel.caution == (not catalog["infant_mortality"].comparable_across_countries)
    one = compare(tiny_store, catalog, CompareQuery(("BRA1200022", "BRA1200012")))
    assert not one.panels[0].caution


def test_cmp017_every_compare_message_is_in_three_languages():
    keys = [k for k in messages() if k.startswith("compare.")]
    assert len(keys) > 20
    for key in keys:
        assert all(messages()[key].get(lang) for lang in LANGS), key


# --------------------------------------------------------------------------------------------
# The real store

CANELA, OAXACA, AYACUCHO = "BRA4304408", "MEX20067", "PER050101"
SIX = ("BRA4304408", "BRA3550308", "BRA3304557", "MEX20067", "MEX09015", "MEX14039")


def test_cmp020_canela_oaxaca_and_ayacucho_side_by_side(store, catalog):
    q = parse_query(f"?u={CANELA},{OAXACA},{AYACUCHO}&i=poverty_extreme,illiteracy&lang=en")
    c = compare(store, catalog, q)
    assert [m.name for m in c.members] == ["Canela", "Oaxaca de Juárez", "Ayacucho"]
    assert c.notices == ()
    poverty = c.panels[0]
    assert {ln.country for ln in poverty.lines} == {"BRA", "MEX", "PER"}
    assert poverty.caution  # national poverty lines differ
    assert len(poverty.notes) == 3 and all(":" in n for n in poverty.notes)
    canela = _line(poverty, CANELA)
    assert [p.year for p in canela.observed] == [1991, 2000, 2010]
    assert all(p.source.startswith("PNUD Brasil") for p in canela.observed)
    assert canela.target is not None and canela.target.deadline == 2015


def test_cmp021_six_brazilian_and_mexican_units_each_draw_with_their_country_s_source(
    store, catalog
):
    # the bench's case (bench/compare.py times it: < 300 ms per request)
    c = compare(store, catalog, CompareQuery(SIX, ("illiteracy", "poverty_extreme")))
    assert len(c.members) == 6 and c.notices == ()
    for panel in c.panels:
        assert [ln.unit_id for ln in panel.lines] == list(SIX)
        for ln in panel.lines:
            producer = "PNUD Brasil" if ln.country == "BRA" else "CON"  # CONAPO, CONEVAL
            assert all(p.source.startswith(producer) for p in ln.observed), ln.name


def test_cmp022_no_target_line_starts_after_its_deadline(store, catalog):
    # Mexico's municipal infant mortality starts in 2020: no MDG 2015 line can be drawn from it
    c = compare(store, catalog, CompareQuery(SIX, ("infant_mortality",)))
    for ln in c.panels[0].lines:
        assert ln.target is None or ln.target.baseline_year < ln.target.deadline
    assert any(ln.country == "MEX" and ln.target is None for ln in c.panels[0].lines)

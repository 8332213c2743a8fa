"""Target frameworks (atlas/method/targets.toml): values, fall-backs, citations, labels (the
``target.*`` messages)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from atlas.catalog import load_catalog
from atlas.i18n import t
from atlas.method import targets
from atlas.method.progress import STATUSES
from atlas.method.targets import load_config, local_target, target_for

ROOT = Path(__file__).resolve().parents[2]
# Rule ids the catalog does not declare yet (the rule waits for the indicator).
PENDING_INDICATORS = {"neonatal_mortality"}


@pytest.mark.parametrize(
    ("framework", "indicator", "direction", "country", "x0", "expected", "origin"),
    [
        ("mdg2015", "under5_mortality", "lower", None, 60, 20, "mdg2015"),
        ("mdg2015", "infant_mortality", "lower", None, 45, 15, "mdg2015"),
        ("mdg2015", "poverty_extreme", "lower", None, 30, 15, "mdg2015"),
        ("mdg2015", "maternal_mortality", "lower", None, 400, 100, "mdg2015"),
        ("mdg2015", "water_piped", "higher", None, 60, 80, "mdg2015"),
        ("mdg2015", "water_no_piped", "lower", None, 40, 20, "mdg2015"),
        ("mdg2015", "sanitation_no_drainage", "lower", None, 35, 17.5, "mdg2015"),
        ("mdg2015", "school_attendance_primary", "higher", None, 80, 100, "mdg2015"),
        ("mdg2015", "illiteracy", "lower", None, 20, 0, "mdg2015"),
        ("mdg2015", "children_out_of_school", "lower", None, 12, 0, "mdg2015"),
        ("sdg2030", "under5_mortality", "lower", None, 60, 25, "sdg2030"),
        ("sdg2030", "maternal_mortality", "lower", None, 90, 70, "sdg2030"),
        ("sdg2030", "poverty_extreme", "lower", None, 10, 3, "sdg2030"),
        ("sdg2030", "poverty", "lower", None, 30, 15, "sdg2030"),
        ("sdg2030", "water_no_piped", "lower", None, 10, 0, "sdg2030"),
        ("national", "poverty_extreme", "lower", "BRA", 25.5, 6.375, "national"),
        ("national", "maternal_mortality", "lower", "BRA", 143, 35, "national"),
        ("national", "infant_mortality", "lower", "COL", 30, 17, "national"),
        ("national", "poverty", "lower", "COL", 50, 28.5, "national"),
        ("national", "poverty_extreme", "lower", "URY", 2, 0, "national"),
        ("national", "infant_mortality", "lower", "URY", 20, 7.8, "national"),
        ("national", "underweight_children", "lower", "PER", 8.8, 4.4, "national"),
        # No documented national commitment: the global MDG rule applies, and says so.
        ("national", "under5_mortality", "lower", "MEX", 60, 20, "mdg2015"),
        ("national", "poverty_extreme", "lower", "CHL", 30, 15, "mdg2015"),
        ("national", "maternal_mortality", "lower", "COL", 400, 100, "mdg2015"),
    ],
)
def test_tgt001_target_values(framework, indicator, direction, country, x0, expected, origin):
    t = target_for(framework, indicator, direction=direction, country=country)
    assert t.is_numeric
    assert t.target_value(x0) == pytest.approx(expected, abs=1e-12)
    assert t.framework == origin
    assert t.citation


def test_tgt002_two_thirds_is_exact():
    t = target_for("mdg2015", "under5_mortality", direction="lower")
    assert t.target_value(60.0) == 20.0  # exact fraction, no 19.999999999999996


@pytest.mark.parametrize(
    ("framework", "indicator", "direction", "country"),
    [
        ("mdg2015", "unemployment", "lower", None),
        ("mdg2015", "income_per_capita", "higher", None),
        ("mdg2015", "poverty_multidimensional", "lower", None),
        ("sdg2030", "infant_mortality", "lower", None),
        ("national", "unemployment", "lower", "BRA"),
    ],
)
def test_tgt003_no_numeric_target_is_trend_only(framework, indicator, direction, country):
    t = target_for(framework, indicator, direction=direction, country=country)
    assert t.kind == "trend" and not t.is_numeric
    assert t.target_value(10.0) is None
    assert t.deadline == targets.frameworks()[framework].deadline


def test_tgt004_periods():
    fw = targets.frameworks()
    assert (fw["mdg2015"].baseline_year, fw["mdg2015"].deadline) == (1990, 2015)
    assert (fw["sdg2030"].baseline_year, fw["sdg2030"].deadline) == (2015, 2030)
    assert (fw["national"].baseline_year, fw["national"].deadline) == (1990, 2015)
    assert target_for("national", "unemployment", direction="lower", country="COL").value == 8.5


def test_tgt005_parity_band():
    t = target_for("mdg2015", "gender_parity_primary", direction="none")
    assert t.kind == "parity" and t.tolerance == 0.03
    assert t.target_value(0.8) == pytest.approx(1.03)


def test_tgt006_rules_name_catalog_indicators_and_resolve_for_their_direction():
    catalog = load_catalog()
    for fw in targets.frameworks().values():
        for rule in fw.rules:
            for ind in rule.indicators:
                if ind in PENDING_INDICATORS:
                    continue
                assert ind in catalog.indicators, f"{fw.id} rule {rule.code}: unknown {ind!r}"
                direction = catalog[ind].direction
                assert rule.spec(direction) is not None, (fw.id, rule.code, ind, direction)


def test_tgt007_national_rules_only_for_documented_countries():
    rules = targets.frameworks()["national"].rules
    assert {r.country for r in rules} == {"BRA", "COL", "PER", "URY"}
    assert all(r.citation for r in rules)


def test_tgt008_local_target():
    t = local_target("under5_mortality", 10, 2030)
    assert (t.kind, t.framework, t.deadline, t.baseline_year) == ("absolute", "local", 2030, None)
    assert t.target_value(99.0) == 10.0
    with pytest.raises(ValueError, match="after the baseline"):
        local_target("under5_mortality", 10, 2010, baseline_year=2015)
    with pytest.raises(ValueError, match="local_target"):
        target_for("local", "under5_mortality", direction="lower")
    with pytest.raises(KeyError, match="does not exist"):
        target_for("mdg2050", "under5_mortality", direction="lower")


@pytest.mark.parametrize("lang", ["es", "pt", "en"])
def test_tgt009_every_status_has_labels(lang):
    fields = targets.threshold_fields(lang)
    for status in STATUSES:
        assert t(f"target.status.{status}", lang).strip()
        assert t(f"target.status_help.{status}", lang, **fields).strip()
    for fw in targets.FRAMEWORKS:
        assert t(f"target.framework.{fw}", lang).strip()


def _printed(fraction: float, lang: str) -> str:
    """A threshold as the help texts print it: 0.015 -> "1,5 %" (es, pt), "1.5 %" (en)."""
    text = f"{fraction * 100:g} %"
    return text if lang == "en" else text.replace(".", ",")


@pytest.mark.parametrize("lang", ["es", "pt", "en"])
def test_tgt010_help_texts_print_the_configured_thresholds(lang):
    def help_(status, th=None):
        return t(f"target.status_help.{status}", lang, **targets.threshold_fields(lang, th))

    th = targets.thresholds()
    on, acc = _printed(th.on_track, lang), _printed(th.must_accelerate, lang)
    fast, moderate = _printed(th.trend_fast, lang), _printed(th.trend_moderate, lang)
    assert on in help_("on_track")
    assert acc in help_("must_accelerate") and on in help_("must_accelerate")
    assert acc in help_("stagnation_regression")
    assert re.search(rf"\b{th.min_points}\b", help_("insufficient_data"))
    assert fast in help_("improving_fast")
    assert moderate in help_("improving") and fast in help_("improving")
    assert moderate in help_("improving_slowly")
    # other thresholds, other texts: no threshold is written in the messages
    other = targets.Thresholds(
        on_track=0.9, must_accelerate=0.2, min_points=3, trend_fast=0.02, trend_moderate=0.01
    )
    assert _printed(0.9, lang) in help_("on_track", other) and on not in help_("on_track", other)
    assert _printed(0.2, lang) in help_("stagnation_regression", other)
    assert re.search(r"\b3\b", help_("insufficient_data", other))
    assert _printed(0.02, lang) in help_("improving_fast", other)
    assert _printed(0.01, lang) in help_("improving_slowly", other)


def test_tgt013_docs_follow_the_thresholds():
    th = targets.thresholds()
    doc = (ROOT / "docs" / "method.md").read_text(encoding="utf-8")
    for number in (th.on_track, th.must_accelerate, th.trend_fast, th.trend_moderate):
        pattern = rf"\b{re.escape(f'{number:g}')}0*\b"
        assert re.search(pattern, doc), f"docs/method.md does not state {number:g}"


def test_tgt011_loader_rejects_bad_rules(tmp_path):
    bad = tmp_path / "t.toml"
    bad.write_text(
        "[framework.mdg2015]\nbaseline_year = 1990\ndeadline = 2015\n"
        '[[framework.mdg2015.rule]]\nindicators = ["x"]\nkind = "ratio"\nfactor = "1/2"\n'
    )
    with pytest.raises(ValueError, match="citation"):
        load_config(bad)
    bad.write_text(
        '[framework.mdg2015]\n[[framework.mdg2015.rule]]\nindicators = ["x"]\n'
        'kind = "halve"\ncitation = "c"\n'
    )
    with pytest.raises(ValueError, match="kind"):
        load_config(bad)
    bad.write_text("[thresholds]\non_trak = 0.9\n")
    with pytest.raises(ValueError, match="on_trak"):
        load_config(bad)


def test_tgt012_notes_for_targets_without_a_rule_are_in_the_readers_language():
    trend = targets.trend_only("population")
    assert targets.target_note(trend, "pt").startswith("Sem meta numérica")
    assert targets.target_note(trend, "es").startswith("Sin meta numérica")
    local = local_target("infant_mortality", 10.0, 2030)
    assert targets.target_note(local, "es").startswith("Valor y año de la meta")
    # A rule's citation is a reference and stays as published.
    mdg = target_for("mdg2015", "infant_mortality", direction="lower")
    assert targets.target_note(mdg, "es") == mdg.citation

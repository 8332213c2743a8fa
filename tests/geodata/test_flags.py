"""Flagged values (geodata/flags.py): each rule on hand-made rows, then the producers' cases the
issue names, in the built store and the quality report."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from atlas.catalog import load_catalog
from geodata import flags
from geodata.build import no_weights


@pytest.fixture(scope="module")
def cat():
    return load_catalog()


def _obs(rows) -> pd.DataFrame:
    """(unit_id, indicator, year, value, source) rows as the build's observations."""
    df = pd.DataFrame(rows, columns=["unit_id", "indicator_id", "year", "value", "source_id"])
    return df.assign(ci_low=np.nan, ci_high=np.nan)


def _weights(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["unit_id", "indicator_id", "year", "weight", "source_id"])


def _flag_of(out: pd.DataFrame, unit: str, indicator: str, year: int) -> str:
    row = out[(out["unit_id"] == unit) & (out["indicator_id"] == indicator) & (out["year"] == year)]
    return str(row["flag"].iat[0])


def test_flg001_a_zero_the_catalog_calls_implausible_is_flagged_other_values_are_not(cat):
    obs = _obs(
        [
            ("BRA1100015", "school_attendance_primary", 1991, 0.0, "bra_atlas2013"),
            ("BRA1100023", "school_attendance_primary", 1991, 0.5, "bra_atlas2013"),
            ("BRA1100015", "poverty_extreme", 1991, 0.0, "bra_atlas2013"),  # a zero that may be
        ]
    )
    out = flags.flag(obs, no_weights(), cat)
    assert out["flag"].tolist() == ["implausible_zero", "", ""]
    assert out["flag_ref"].tolist() == ["", "", ""]


def test_flg002_a_zero_rate_is_implausible_only_where_the_country_rate_expects_five_events(cat):
    # country rate = 10 per 1,000 births: 2,000 births expect 20 deaths, 200 births expect 2
    obs = _obs(
        [
            ("CHL13101", "infant_mortality", 2021, 10.0, "chl_sinim"),
            ("CHL13115", "infant_mortality", 2021, 0.0, "chl_sinim"),
            ("CHL13116", "infant_mortality", 2021, 0.0, "chl_sinim"),
        ]
    )
    w = _weights(
        [
            ("CHL13101", "infant_mortality", 2021, 100_000.0, "chl_sinim"),
            ("CHL13115", "infant_mortality", 2021, 2_000.0, "chl_sinim"),
            ("CHL13116", "infant_mortality", 2021, 200.0, "chl_sinim"),
        ]
    )
    out = flags.flag(obs, w, cat)
    assert _flag_of(out, "CHL13115", "infant_mortality", 2021) == "implausible_zero"
    # 200 births: a zero is plausible, but the series' min_weight (1,000 births) says unstable
    assert _flag_of(out, "CHL13116", "infant_mortality", 2021) == "few_events"
    assert _flag_of(out, "CHL13101", "infant_mortality", 2021) == ""


def test_flg003_a_survey_share_of_zero_is_not_judged_against_the_country_rate(cat):
    obs = _obs(
        [
            ("MEX09001", "poverty_multidimensional_extreme", 2020, 8.0, "mex_coneval"),
            ("MEX09014", "poverty_multidimensional_extreme", 2020, 0.0, "mex_coneval"),
        ]
    )
    w = _weights(
        [
            ("MEX09001", "poverty_multidimensional_extreme", 2020, 1e6, "mex_coneval"),
            ("MEX09014", "poverty_multidimensional_extreme", 2020, 4e5, "mex_coneval"),
        ]
    )
    assert flags.flag(obs, w, cat)["flag"].tolist() == ["", ""]


def test_flg004_a_zero_beside_the_implausible_zero_it_is_paired_with_is_flagged(cat):
    obs = _obs(
        [
            ("COL97777", "pass_rate_primary", 2021, 0.0, "col_men"),
            ("COL97777", "dropout_primary", 2021, 0.0, "col_men"),
            ("COL05001", "dropout_primary", 2021, 0.0, "col_men"),  # a real zero drop-out
            ("COL05001", "pass_rate_primary", 2021, 93.0, "col_men"),
        ]
    )
    out = flags.flag(obs, no_weights(), cat)
    assert _flag_of(out, "COL97777", "pass_rate_primary", 2021) == "implausible_zero"
    assert _flag_of(out, "COL97777", "dropout_primary", 2021) == "implausible_zero"
    assert _flag_of(out, "COL05001", "dropout_primary", 2021) == ""


def test_flg005_percentages_above_100_are_flagged_other_units_are_not(cat):
    obs = _obs(
        [
            ("COL05001", "enrolment_rate_5_16", 2019, 104.2, "col_men"),
            ("COL05002", "enrolment_rate_5_16", 2019, 99.9, "col_men"),
            ("BRA1100015", "infant_mortality", 1991, 120.0, "bra_atlas2013"),  # per 1,000
            ("BRA", "primary_completion", 2010, 104.0, "wdi"),  # a national gross ratio
        ]
    )
    assert flags.flag(obs, no_weights(), cat)["flag"].tolist() == ["above_100", "", "", ""]


def test_flg006_a_readers_flag_comes_first_and_an_unknown_reason_stops(cat):
    obs = _obs([("PER030609", "poverty_extreme", 2013, 124.9, "per_inei_pobreza2013")])
    obs = obs.assign(flag="inherited", flag_ref="PER030606")
    out = flags.flag(obs, no_weights(), cat)
    assert (out["flag"].iat[0], out["flag_ref"].iat[0]) == ("inherited", "PER030606")
    with pytest.raises(ValueError, match="Unknown flag reasons"):
        flags.flag(obs.assign(flag="suspicious"), no_weights(), cat)


def test_flg007_counts_per_country_reason_and_indicator(cat):
    obs = _obs(
        [
            ("COL05001", "enrolment_rate_5_16", 2019, 104.2, "col_men"),
            ("COL05002", "enrolment_rate_5_16", 2019, 101.0, "col_men"),
            ("BRA1100015", "school_attendance_primary", 1991, 0.0, "bra_atlas2013"),
        ]
    )
    out = flags.counts(flags.flag(obs, no_weights(), cat))
    assert out == {
        "COL": {"above_100": {"enrolment_rate_5_16": 2}},
        "BRA": {"implausible_zero": {"school_attendance_primary": 1}},
    }


# ---------------------------------------------------------------------------------------------
# The producers' cases, in the built store


def _stored(store_dir) -> pd.DataFrame:
    return pd.read_parquet(store_dir / "observations.parquet")


def _row(obs, unit, indicator, year):
    r = obs[(obs["unit_id"] == unit) & (obs["indicator_id"] == indicator) & (obs["year"] == year)]
    assert len(r) == 1, (unit, indicator, year)
    return r.iloc[0]


def test_flg008_perus_2013_districts_that_repeat_their_parent_are_flagged_inherited(store_dir):
    obs = _stored(store_dir)
    parent = _row(obs, "PER030606", "poverty_extreme", 2013)
    assert parent["flag"] == ""
    for child in ("PER030609", "PER030610"):
        r = _row(obs, child, "poverty_extreme", 2013)
        assert r["value"] == parent["value"] == pytest.approx(24.92321)  # kept as published
        assert (r["flag"], r["flag_ref"]) == ("inherited", "PER030606")
    # every inherited value equals that of the unit it names
    inherited = obs[obs["flag"] == "inherited"]
    assert len(inherited) >= 16
    ref = obs.set_index(["unit_id", "indicator_id", "year"])["value"]
    for r in inherited.itertuples():
        assert ref[(r.flag_ref, r.indicator_id, r.year)] == r.value


def test_flg009_the_issues_impossible_zeros_are_kept_and_flagged(store_dir):
    obs = _stored(store_dir)
    cases = [
        ("COL97777", "pass_rate_primary", 2021),
        ("COL97777", "pass_rate_primary", 2022),
        ("COL97777", "dropout_primary", 2021),
        ("COL97777", "dropout_primary", 2022),
        ("CHL13115", "infant_mortality", 2021),
        ("BRA1200435", "school_attendance_primary", 1991),
    ]
    for unit, indicator, year in cases:
        r = _row(obs, unit, indicator, year)
        assert r["value"] == 0 and r["flag"] == "implausible_zero", (unit, indicator, year)


def test_flg010_the_quality_report_counts_the_flags_it_stored(store_dir):
    obs = _stored(store_dir)
    expected = flags.counts(obs[obs["unit_id"].str.len() > 3])  # national series: own report
    for iso3 in ("BRA", "CHL", "COL", "MEX", "PER", "URY"):
        report = json.loads((store_dir / "quality" / f"{iso3}.json").read_text())
        assert report["flags"] == expected.get(iso3, {}), iso3
        md = (store_dir / "quality" / f"{iso3}.md").read_text()
        assert "## Flagged values" in md
    assert expected["PER"]["inherited"]["poverty_extreme"] >= 16
    assert expected["COL"]["above_100"]["enrolment_rate_5_16"] > 0


def test_flg011_a_collapse_under_a_fifth_of_the_units_median_is_flagged_where_the_series_says(cat):
    """Colombia's skilled attendance file loses digits of some counts: a value under a fifth of
    the unit's median is flagged ``collapse``; a unit with too few years, another series and the
    same drop in an indicator without the rule are not judged."""
    src = "col_sispro_skilled_attendance"
    rows = [
        ("COL52001", "skilled_birth_attendance", y, v, src)
        for y, v in [(2008, 98.99), (2009, 9.92), (2010, 99.40), (2011, 99.26), (2022, 1.0)]
    ]
    rows += [
        ("COL05001", "skilled_birth_attendance", 2005, 99.4, src),
        ("COL05001", "skilled_birth_attendance", 2006, 9.9, src),
    ]  # two years: no median
    rows += [
        ("BRA1100015", "school_attendance_primary", y, v, "bra_atlas2013")
        for y, v in [(1991, 7.6), (2000, 90.0), (2010, 97.0)]
    ]  # a real rise, no rule for it
    out = flags.flag(_obs(rows), no_weights(), cat)
    assert out["flag"].tolist() == ["", "collapse", "", "", "collapse", "", "", "", "", ""]
    assert cat["skilled_birth_attendance"].series_for("COL", "municipality")[0].collapse_below


def test_flg012_pastos_attended_births_that_lost_a_digit_are_flagged_in_the_store(store_dir):
    obs = _stored(store_dir)
    for year in (2009, 2017, 2020, 2021):
        r = _row(obs, "COL52001", "skilled_birth_attendance", year)
        assert r["value"] == pytest.approx(9.9, abs=0.1) and r["flag"] == "collapse", year
    assert _row(obs, "COL52001", "skilled_birth_attendance", 2010)["flag"] == ""
    assert _row(obs, "COL05001", "skilled_birth_attendance", 2022)["flag"] == "collapse"
    collapsed = obs[obs["flag"] == "collapse"]
    assert set(collapsed["indicator_id"]) == {"skilled_birth_attendance"}
    assert 150 <= len(collapsed) <= 260

"""The indicator catalog: complete labels, units, directions and sources for every claim."""

from __future__ import annotations

import csv
import re

import numpy as np
import pytest

from atlas.analysis import population_near
from atlas.catalog import DIRECTIONS, LANGS, load_catalog
from geodata.registry import load_registry

#: WDI SI.POV.NAHC as Gapminder republishes it: each country's own national poverty series (Chile:
#: CASEN income poverty; Peru: INEI monetary poverty; Mexico: CONEVAL multidimensional poverty).
NATIONAL_POVERTY_FILE = (
    "national/open-numbers_ddf--gapminder--systema_globalis/"
    "ddf--datapoints--alternative_poverty_percent_below_nationally_defined_poverty--by--geo--time.csv"
)


@pytest.fixture(scope="module")
def registry():
    return load_registry()


def test_cat001_every_indicator_has_three_languages_unit_and_direction(catalog):
    for ind in catalog:
        for table in (ind.label, ind.short, ind.definition):
            assert all(table[lang].strip() for lang in LANGS), ind.id
        assert ind.direction in DIRECTIONS
        assert all(catalog.units[ind.unit][lang] for lang in LANGS), ind.unit
        lo, hi = ind.valid_range
        assert lo < hi


def test_cat002_every_series_names_a_declared_source_of_its_country(catalog, registry):
    sources = {s.id: s for c in registry.values() for s in c.sources}
    for s in catalog.all_series():
        assert s.source in sources, f"{s.indicator}/{s.country}: unknown source {s.source}"
        src = sources[s.source]
        assert src.country in (s.country, "national")
        # a series above its source's level holds the producer's own published aggregates
        higher = {"municipality": ("admin1", "country"), "admin1": ("country",)}
        assert s.level == src.level or s.level in higher.get(src.level, ()), (
            f"{s.indicator}/{s.country}: level differs from its source"
        )
        assert src.producer and src.url and src.licence


def test_cat003_every_series_has_years_definition_and_comparability_note(catalog):
    for s in catalog.all_series():
        assert s.years, s
        assert s.definition.strip(), f"{s.indicator}/{s.country} has no producer definition"
        assert all(s.comparability[lang].strip() for lang in LANGS), f"{s.indicator}/{s.country}"


def test_cat004_indicators_with_series_cover_the_mdg_list(catalog):
    claimed = {(s.indicator, s.country) for s in catalog.all_series()}
    for needed in [
        ("poverty_extreme", "BRA"),
        ("under5_mortality", "BRA"),
        ("infant_mortality", "MEX"),
        ("poverty_multidimensional", "MEX"),
        ("illiteracy", "MEX"),
        ("water_no_piped", "MEX"),
        ("unmet_basic_needs", "COL"),
        ("school_attendance_primary", "COL"),
        ("poverty", "PER"),
        ("poverty_extreme", "PER"),
        ("poverty", "CHL"),
        ("infant_mortality", "CHL"),
        ("infant_mortality", "URY"),
        ("water_piped", "BRA"),
        ("population", "MEX"),
    ]:
        assert needed in claimed, needed
    for iso3 in ("BRA", "CHL", "COL", "MEX", "PER", "URY"):
        assert ("under5_mortality", iso3) in claimed, f"national reference missing for {iso3}"


def test_cat005_one_series_per_indicator_country_level_and_year(catalog):
    seen = {}
    for s in catalog.all_series():
        for y in s.years:
            key = (s.indicator, s.country, s.level, y)
            assert key not in seen, f"{key} from {s.source} and {seen[key]}"
            seen[key] = s.source


def test_cat006_deprivations_are_kept_as_published(catalog):
    for ind in catalog:
        text = ind.label["en"].lower()
        if re.search(r"\bwithout\b|\bnot attending\b|\bunmet\b|illiteracy|poverty|mortality", text):
            assert ind.direction == "lower", ind.id


def test_cat007_a_broken_catalog_file_is_refused(tmp_path):
    (tmp_path / "indicators.toml").write_text(
        '[units."%"]\nes = "%"\npt = "%"\nen = "%"\n[[indicator]]\nid = "x"\ngoal = 1\nunit = "%"\n'
        'direction = "up"\nvalid_range = [0, 1]\n'
    )
    with pytest.raises(ValueError, match="direction"):
        load_catalog(tmp_path)
    (tmp_path / "indicators.toml").write_text(
        '[units."%"]\nes = "%"\npt = "%"\nen = "%"\n[[indicator]]\nid = "x"\ngoal = 18\n'
        'unit = "%"\ndirection = "lower"\nvalid_range = [0, 1]\n'
    )
    with pytest.raises(ValueError, match="goal must be one of"):
        load_catalog(tmp_path)


@pytest.mark.parametrize(
    ("country", "indicator", "years"),
    [
        ("CHL", "poverty", [2017, 2020, 2022]),
        ("PER", "poverty", [2018]),
        # 2010 and 2015 have no national figure in the raw folder (WDI starts in 2016).
        ("MEX", "poverty_multidimensional", [2020]),
    ],
)
def test_cat008_survey_series_sit_at_the_year_their_data_show(
    store, raw_dir, country, indicator, years
):
    """Each stored year's population-weighted mean is within 0.5 points of the national series.

    A local estimate published as "the latest survey" (SINIM's CASEN poverty) can land one survey
    early or late; the national figure of the same survey and definition tells which year it is.
    Every stored year with a national figure is checked.
    """
    with (raw_dir / NATIONAL_POVERTY_FILE).open(newline="") as fh:
        national = {
            int(r["time"]): float(r["alternative_poverty_percent_below_nationally_defined_poverty"])
            for r in csv.DictReader(fh)
            if r["geo"] == country.lower()
        }
    cube = store.cube(indicator, country, "municipality")
    assert [y for y in cube.years if y in national] == years
    for year in years:
        x = cube.values[:, list(cube.years).index(year)]
        pop = population_near(store, country, year)
        ok = np.isfinite(x) & np.isfinite(pop)
        mean = float(np.sum(x[ok] * pop[ok]) / np.sum(pop[ok]))
        assert abs(mean - national[year]) <= 0.5, (country, year, round(mean, 2), national[year])

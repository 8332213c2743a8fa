"""atlas.text: helpers shared by the build, the pages and the report."""

from __future__ import annotations

from atlas.text import attribution, fold, year_ranges


def test_txt001_year_ranges_as_each_page_writes_them():
    assert year_ranges([2005, 1997, 1998, 1999, 1999]) == "1997–1999, 2005"  # profile
    assert year_ranges([1990, 1991, 2000], min_run=3) == "1990, 1991, 2000"  # methodology
    assert year_ranges([1990, 1991, 1992], min_run=3) == "1990–1992"
    assert year_ranges([1990, 1991, 2010], dash="-") == "1990-1991, 2010"  # terminal report
    assert year_ranges([]) == ""


def test_txt002_fold_ignores_accents_case_and_punctuation():
    assert fold("Bogotá, D.C.") == "BOGOTA D C"


def test_txt003_attribution_names_the_producer_short_and_the_dataset():
    producer = "CONEVAL — Consejo Nacional de Evaluación de la Política de Desarrollo Social"
    dataset = "Medición de la pobreza municipal 2010–2020"
    assert attribution(producer, dataset) == "CONEVAL, Medición de la pobreza municipal 2010–2020"
    assert attribution("PNUD Brasil, IPEA", " Atlas 2013 ") == "PNUD Brasil, IPEA, Atlas 2013"
    assert attribution("", "") == ""

"""The presentation palettes stay distinguishable on a washed-out projector (atlas/colour.py):
CIEDE2000 >= 10 between adjacent classes after a contrast reduction to 60 % around mid-grey."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from atlas import classify
from atlas.colour import (
    MIN_DELTA_E,
    delta_e_2000,
    least_adjacent_difference,
    washed_out_difference,
)
from atlas.views.status import STATUS_CONTRAST

#: Reference pairs of Sharma, Wu and Dalal (2005), table 1: (Lab 1, Lab 2, CIEDE2000).
SHARMA = [
    ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
    ((50.0, 3.1571, -77.2803), (50.0, 0.0, -82.7485), 2.8615),
    ((50.0, 2.8361, -74.0200), (50.0, 0.0, -82.7485), 3.4412),
    ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
    ((50.0, 2.4900, -0.0010), (50.0, -2.4900, 0.0009), 7.1792),
    ((50.0, 2.4900, -0.0010), (50.0, -2.4900, 0.0011), 7.2195),
    ((50.0, 2.5, 0.0), (50.0, 3.1736, 0.5854), 1.0000),
    ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
    ((50.0, 2.5, 0.0), (61.0, -5.0, 29.0), 22.8977),
    ((50.0, 2.5, 0.0), (56.0, -27.0, -3.0), 31.9030),
    ((50.0, 2.5, 0.0), (58.0, 24.0, 15.0), 19.4535),
    ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
    ((63.0109, -31.0961, -5.8663), (62.8187, -29.7946, -4.0864), 1.2630),
    ((61.2901, 3.7196, -5.3901), (61.4292, 2.2480, -4.9620), 1.8731),
    ((90.8027, -2.0831, 1.4410), (91.1528, -1.6435, 0.0447), 1.4441),
    ((2.0776, 0.0795, -1.1350), (0.9033, -0.0636, -0.5514), 0.9082),
]


@pytest.mark.parametrize(("lab1", "lab2", "expected"), SHARMA)
def test_col001_ciede2000_matches_sharma_reference_values(lab1, lab2, expected):
    assert delta_e_2000(lab1, lab2) == pytest.approx(expected, abs=1e-4)
    assert delta_e_2000(lab2, lab1) == pytest.approx(expected, abs=1e-4)


def test_col002_the_default_palettes_fail_the_criterion_that_contrast_meets():
    """The check can fail: OrRd's and BrBG's near-white classes merge on a washed-out display."""
    assert least_adjacent_difference(classify.palette(9, "OrRd")) < MIN_DELTA_E
    assert (
        least_adjacent_difference(classify.diverging((-3, -2, -1, 0, 1, 2, 3), True)) < MIN_DELTA_E
    )


@pytest.mark.parametrize("k", range(2, 10))
@pytest.mark.parametrize("reverse", [False, True])
def test_col003_contrast_sequential_classes_stay_apart(k, reverse):
    colours = classify.palette(k, "contrast", reverse=reverse)
    assert len(set(colours)) == k
    assert least_adjacent_difference(colours) >= MIN_DELTA_E


@pytest.mark.parametrize("k", range(2, 10))
@pytest.mark.parametrize("good_is_negative", [False, True])
def test_col004_contrast_diverging_classes_stay_apart(k, good_is_negative):
    rng = np.random.default_rng(k)
    values = rng.normal(0, 5, 400)
    cls = classify.classify(values, k, "symmetric")
    colours = classify.diverging(cls.breaks, good_is_negative, contrast=True)
    assert least_adjacent_difference(colours) >= MIN_DELTA_E


def test_col005_contrast_status_colours_stay_apart_pairwise_and_from_the_greys():
    colours = sorted(set(STATUS_CONTRAST.values()))
    for a, b in itertools.combinations(colours, 2):
        assert washed_out_difference(a, b) >= MIN_DELTA_E, (a, b)
    for c in colours:
        for grey in (classify.NO_DATA_COLOUR, classify.FLAGGED_COLOUR):
            assert washed_out_difference(c, grey) >= MIN_DELTA_E, (c, grey)

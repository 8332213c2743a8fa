"""Confidence intervals: distinguishable units, position against a target."""

from __future__ import annotations

import numpy as np
import pytest

from atlas.method.uncertainty import (
    Estimate,
    distinguishable,
    relative_to_target,
    relative_to_target_many,
)


@pytest.mark.parametrize(
    ("a", "b", "overlap", "z"),
    [
        (Estimate(20, 18, 22), Estimate(30, 27, 33), True, True),
        (Estimate(20, 18, 22), Estimate(21, 19, 23), False, False),
        # intervals overlap a little, but the z test separates them (overlap is conservative)
        (Estimate(20, 18, 22), Estimate(24.5, 21.5, 27.5), False, True),
        (Estimate(20), Estimate(30, 27, 33), None, None),
        (Estimate(20, float("nan"), float("nan")), Estimate(30, 27, 33), None, None),
    ],
)
def test_unc001_two_units(a, b, overlap, z):
    assert distinguishable(a, b) is overlap
    assert distinguishable(b, a) is overlap
    assert distinguishable(a, b, method="z") is z


@pytest.mark.parametrize(
    ("est", "target", "expected"),
    [
        (Estimate(12.0, 10.5, 13.4), 15.0, "below"),
        (Estimate(12.0, 10.5, 13.4), 13.0, "not_distinguishable"),
        (Estimate(12.0, 10.5, 13.4), 10.0, "above"),
        (Estimate(12.0), 10.0, "unknown"),
    ],
)
def test_unc002_against_a_target(est, target, expected):
    assert relative_to_target(est, target) == expected
    many = relative_to_target_many(
        [np.nan if est.low is None else est.low], [np.nan if est.high is None else est.high], target
    )
    assert many.tolist() == [expected]


def test_unc003_bad_interval():
    with pytest.raises(ValueError, match="does not contain"):
        Estimate(30, 10, 20)
    with pytest.raises(ValueError, match="method"):
        distinguishable(Estimate(1, 0, 2), Estimate(1, 0, 2), method="t")

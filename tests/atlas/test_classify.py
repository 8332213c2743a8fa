"""Map classes: natural breaks by jenkspy give mapclassify's Fisher-Jenks answer, at a bounded cost.

mapclassify's FisherJenks is the reference (the exact algorithm, pure Python here): it is run only
on samples small enough to take a second or so.
"""

from __future__ import annotations

import warnings

import mapclassify
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from atlas import classify
from atlas.urlstate import State, parse


def reference_bins(values: np.ndarray, k: int) -> np.ndarray:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Numba not installed. Using slow pure python version."
        return np.asarray(mapclassify.FisherJenks(values, k=k).bins, dtype=float)


def gvf(values: np.ndarray, bins) -> float:
    """Goodness of variance fit: 1 - within-class squared deviations / total squared deviations."""
    values = np.asarray(values, dtype=float)
    cls = np.searchsorted(np.asarray(bins, dtype=float), values, side="left")
    within = sum(((values[cls == c] - values[cls == c].mean()) ** 2).sum() for c in np.unique(cls))
    return 1.0 - within / ((values - values.mean()) ** 2).sum()


def test_cls001_natural_breaks_split_hand_made_clusters_where_they_part():
    values = np.array([1, 2, 3, 10, 11, 12, 20, 21, 22, 40.0])
    cls = classify.classify(values, 4, "natural_breaks")
    assert cls.breaks == (3.0, 12.0, 22.0, 40.0)
    assert cls.counts == (3, 3, 3, 1)
    assert reference_bins(values, 4).tolist() == list(cls.breaks)


@pytest.mark.parametrize("seed", range(12))
def test_cls002_natural_breaks_equal_mapclassifys_fisher_jenks(seed):
    """Skewed, normal and heavily tied data (a tie never straddles a break in either)."""
    rng = np.random.default_rng(seed)
    n, k = int(rng.integers(20, 400)), int(rng.integers(2, 10))
    values = [
        rng.normal(size=n),
        np.round(rng.lognormal(size=n), 1),
        rng.integers(0, 12, n).astype(float),
    ][seed % 3]
    k = min(k, len(np.unique(values)))
    cls = classify.classify(values, k, "natural_breaks")
    expected = reference_bins(values, k)
    np.testing.assert_allclose(cls.breaks, expected, rtol=0, atol=0)
    assert gvf(values, cls.breaks) == pytest.approx(gvf(values, expected), abs=1e-12)


def test_cls003_on_a_real_layer_the_breaks_and_their_fit_are_mapclassifys(store, catalog):
    """Brazil's income per capita in 2010, every sixth municipality in order of value (928 values:
    mapclassify takes about a second on them)."""
    from atlas.views import compute

    state = parse("?c=BRA&i=income_per_capita&y=2010", State())
    values = np.asarray(compute(store, catalog, state).metric, dtype=float)
    values = np.sort(values[np.isfinite(values)])[::6]
    assert len(values) > 900
    for k in (5, 9):
        cls = classify.classify(values, k, "natural_breaks")
        expected = reference_bins(values, k)
        assert list(cls.breaks) == expected.tolist()
        assert gvf(values, cls.breaks) == pytest.approx(gvf(values, expected), abs=1e-12)
        assert gvf(values, cls.breaks) > 0.9


def test_cls004_above_the_exact_size_breaks_come_from_a_sample_and_fit_almost_as_well():
    rng = np.random.default_rng(4)
    values = np.concatenate(
        [rng.normal(10, 2, 6_000), rng.normal(40, 5, 6_000), rng.normal(90, 8, 3_000)]
    )
    assert values.size > classify.MAX_EXACT_VALUES
    bins = classify.natural_breaks(values, 5)
    assert len(bins) == 5 and bins[-1] == values.max()
    assert set(bins) <= set(values)  # class bounds are values of the data, as in the exact method
    exact = np.asarray(classify.jenkspy.jenks_breaks(values, n_classes=5))[1:]
    assert gvf(values, bins) == pytest.approx(gvf(values, exact), abs=1e-3)


@pytest.mark.parametrize("method", ["quantiles", "natural_breaks", "equal_interval", "symmetric"])
def test_cls005_a_crafted_class_count_is_capped_at_the_most_a_map_shows(method):
    values = np.random.default_rng(5).normal(size=3_000)
    cls = classify.classify(values, 10**9, method)
    assert 2 <= len(cls.breaks) <= classify.MAX_CLASSES
    assert parse("?n=10", State()).invalid == ("classes",)
    assert parse(f"?n={classify.MAX_CLASSES}", State()).classes == classify.MAX_CLASSES


def test_cls006_natural_breaks_with_fewer_distinct_values_than_classes_give_one_class_each():
    values = np.array([1, 1, 1, 2, 2, 5, 5, 5, np.nan])
    cls = classify.classify(values, 9, "natural_breaks")
    assert cls.breaks == (1.0, 2.0, 5.0)
    assert cls.counts == (3, 2, 3) and cls.no_data == 1
    assert classify.classify(np.array([3.0, 3.0]), 5, "natural_breaks").breaks == (3.0,)


@settings(max_examples=200, deadline=None)
@given(
    arrays(
        float,
        st.integers(1, 300),
        elements=st.one_of(
            st.floats(-1e6, 1e6, allow_nan=False), st.sampled_from([0.0, 100.0, 12.35])
        ),
    ),
    st.integers(2, classify.MAX_CLASSES),
)
def test_cls007_quantile_breaks_are_mapclassifys_quantiles(values, k):
    """The breaks come from the function mapclassify's Quantiles calls (without its fit
    statistics): the same breaks, heavy ties included."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = mapclassify.Quantiles(values, k=k).bins
        assert classify._quantiles(values, k).tolist() == expected.tolist()

"""Polish readers notice: counts in the reader's language, the map's wheel, the loading state."""

from __future__ import annotations

from dataclasses import replace

import pytest

from app import AppContext
from atlas import urlstate
from atlas.settings import settings
from atlas.views import LegendEntry, compute
from callbacks import map as map_cb


@pytest.fixture(scope="module")
def ctx(tiny_store, catalog):
    return AppContext(store=tiny_store, catalog=catalog, conf=settings())


def _parse(ctx, search):
    return urlstate.parse(search, ctx.default_state, set(ctx.store.countries()))


@pytest.mark.parametrize(
    ("lang", "expected"), [("es", "(4.530)"), ("pt", "(4.530)"), ("en", "(4,530)")]
)
def test_pol001_legend_counts_use_the_readers_thousands_separator(ctx, lang, expected):
    view = compute(
        ctx.store,
        ctx.catalog,
        _parse(ctx, f"?c=URY&l=admin1&i=infant_mortality&y=2010&lang={lang}"),
    )
    view = replace(view, legend=[LegendEntry("a – b", "#ffffff", 4530)])
    (item,) = map_cb.legend_items(view)
    assert item.children[-1].children == expected

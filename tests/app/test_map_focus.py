"""Selecting a unit (or filtering a state) moves the map to it: centre and zoom from the unit's
box, values only (no geometry sent again), and the unit's answer at the top of its panel."""

from __future__ import annotations

import json

import pytest
from dash import Patch, no_update

from app import AppContext
from atlas.settings import settings
from atlas.urlstate import State as ViewState
from callbacks import map as map_cb
from layouts import ids
from layouts.figures import FigureDict, view_for_bounds


@pytest.fixture(scope="module")
def ctx(tiny_store, catalog):
    return AppContext(store=tiny_store, catalog=catalog, conf=settings())


def _state(**kw):
    base = dict(lang="en", country="BRA", level="municipality", indicator="illiteracy", year=2010)
    return ViewState(**{**base, **kw})


def _assigned(patch: Patch) -> dict:
    """What a patch assigns, by location."""
    return {
        tuple(op["location"]): op["params"]["value"]
        for op in patch.to_plotly_json()["operations"]
        if op["operation"] == "Assign"
    }


def test_foc001_selecting_a_unit_zooms_with_a_patch_of_values_only(ctx):
    geo = map_cb.update_view(ctx, _state(), None)["geo"]
    out = map_cb.update_view(ctx, _state(unit="BRA1100031"), geo, focus_map=True)
    patch = out["figure"]
    assert isinstance(patch, Patch)
    ops = json.dumps(patch.to_plotly_json(), default=str)
    assigned = _assigned(patch)
    # the unit's one-degree box widened by half on each side: zoomed in, centred on it
    center, zoom = view_for_bounds([-58.5, -10.5, -56.5, -8.5])
    assert assigned[("layout", "map", "zoom")] == zoom
    assert assigned[("layout", "map", "center")] == pytest.approx(center)
    # zoomed past the swap: the detailed files, by URL (no geometry in the patch)
    assert zoom >= geo["detail_zoom"] and out["geo"]["lod"] == "high"
    assert "BRA-municipality-high." in ops and '"type": "Feature' not in ops
    assert len(ops) < 50_000
    # the same state without a selection change leaves the map where the reader put it
    out = map_cb.update_view(ctx, _state(unit="BRA1100031"), geo)
    assert out["geo"] is no_update
    assert not any(loc[0] == "layout" for loc in _assigned(out["figure"]))


def test_foc002_the_state_filter_zooms_to_the_state_and_a_link_opens_zoomed(ctx):
    out = map_cb.update_view(ctx, _state(admin1="12"), None, focus_map=True)
    fig = out["figure"]
    assert isinstance(fig, FigureDict)  # the first view: a full figure, already zoomed
    center, zoom = view_for_bounds([-60, -11, -55, -10])
    assert fig.layout.map.zoom == zoom and fig.layout.map.center.lon == center["lon"]


def test_foc003_the_view_callback_focuses_only_on_selection_changes():
    assert map_cb.FOCUS_INPUTS == {f"{ids.SELECTED}.data", f"{ids.ADMIN1}.value"}
    assert not map_cb.FOCUS_INPUTS & map_cb.TABLE_ONLY_INPUTS

"""Back and Forward: an address the browser went back or forward to sets the controls and the
selection as a fresh page for that address would; the address the view wrote changes nothing."""

from __future__ import annotations

import pytest
from dash.exceptions import PreventUpdate

from app import AppContext, create_app
from atlas import choices, urlstate
from atlas.settings import settings
from callbacks import history
from callbacks.map import CONTROLS
from callbacks.router import render
from layouts import ids
from tests.app.test_app import _find


@pytest.fixture(scope="module")
def ctx(tiny_store, catalog):
    return AppContext(store=tiny_store, catalog=catalog, conf=settings())


def _shown(ctx, search: str) -> str:
    """What the view writes for the address ``search`` (its own form of the link)."""
    state = urlstate.parse(search, ctx.default_state, set(ctx.store.countries()))
    return urlstate.serialise(choices.resolve(state, ctx.store, ctx.catalog), ctx.default_state)


def test_his001_another_address_sets_what_a_fresh_page_for_it_shows(ctx):
    shown = _shown(ctx, "")
    target = "?v=1&c=URY&u=URY02&m=gap&tab=table"
    out = history.restore(ctx, "/", target, shown)
    assert set(out) == set(history.RESTORE_OUTPUTS)
    page, _ = render(ctx, "/", target)
    tree = type("T", (), {"children": page})()
    for name, cid in CONTROLS.items():
        assert out[name] == _find(tree, cid).value, name
    assert out["unit"] == _find(tree, ids.SELECTED).data == "URY02"
    assert out["tab"] == _find(tree, ids.TABS).value
    assert out["country"] == "URY" and out["view"] == _find(tree, ids.VIEW).value
    # the options come with the values, so no dropdown drops a value missing from its options
    assert out["level"] in {o["value"] for o in out["level_options"]}


@pytest.mark.parametrize("search", ["", "?c=URY", "?c=URY&v=1&zz=1"])
def test_his002_the_view_on_screen_or_a_link_to_it_changes_nothing(ctx, search):
    with pytest.raises(PreventUpdate):
        history.restore(ctx, "/", search, _shown(ctx, search))


def test_his003_other_pages_and_odd_input_change_nothing(ctx):
    for pathname, search in (("/method", "?c=URY"), ("/unit/URY02", "?c=URY"), ("/", None)):
        with pytest.raises(PreventUpdate):
            history.restore(ctx, pathname, search, "")


def test_his004_the_app_registers_the_restore_on_the_address(ctx):
    app = create_app(settings(), store=ctx.store)
    restores = [
        cb
        for cb in app.callback_map.values()
        if cb["inputs"] == [{"id": ids.URL, "property": "search"}]
    ]
    assert len(restores) == 1

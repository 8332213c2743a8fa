"""What a page says about itself (atlas/meta.py): title, description, canonical address and the
link-preview tags, per page and language, from the view the address names."""

from __future__ import annotations

import pytest

from atlas.catalog import catalog as load
from atlas.i18n import t
from atlas.meta import MAX_DESCRIPTION, meta_tags, page_meta
from atlas.urls import COMPARE, DATA, EMBED, MAP, METHOD, NOT_FOUND, UNIT, Page, URLs
from atlas.urlstate import State

ORIGIN = "https://atlas.example"
URLS = URLs(map_defaults=State(lang="es", country="BRA", indicator="infant_mortality"))


def _meta(store, page, **state):
    return page_meta(store, load(), page, State(**state), URLS, ORIGIN)


@pytest.mark.parametrize(
    "lang, site", [("es", "Atlas ODM municipal"), ("en", "Municipal MDG Atlas")]
)
def test_met001_a_map_view_is_titled_and_described_as_its_own_map(tiny_store, lang, site):
    from atlas import choices
    from atlas.views import compute

    state = State(lang=lang, country="BRA", indicator="illiteracy", view="status")
    m = _meta(tiny_store, Page(MAP), **state.__dict__ | {"invalid": ()})
    view = compute(tiny_store, load(), choices.resolve(state, tiny_store, load()))
    assert m.title.startswith(view.title) and m.title.endswith(" · " + site)
    assert m.description.startswith(view.alt_text[:40]) and len(m.description) <= MAX_DESCRIPTION
    assert m.url.startswith(ORIGIN + "/?v=1") and "i=illiteracy" in m.url and "m=status" in m.url
    assert m.lang == lang
    embed = _meta(tiny_store, Page(EMBED), **state.__dict__ | {"invalid": ()})
    assert embed.title == m.title and embed.url.startswith(ORIGIN + "/embed?v=1")


def test_met002_a_units_page_names_the_unit_and_where_it_is(tiny_store):
    m = _meta(tiny_store, Page(UNIT, "bra1100011"), lang="pt")
    assert m.title.startswith("São Teste (Estado Exemplo, Brasil): relatório ODM")
    assert "São Teste" in m.description and m.url == ORIGIN + "/unit/BRA1100011?lang=pt"
    missing = _meta(tiny_store, Page(UNIT, "NOPE"), lang="en")
    assert missing.title == t("profile.not_found_title", "en") + " · Municipal MDG Atlas"


@pytest.mark.parametrize("name", [METHOD, DATA, COMPARE, NOT_FOUND])
def test_met003_every_other_page_has_a_title_and_the_sites_description(tiny_store, name):
    for lang in ("es", "pt", "en"):
        m = _meta(tiny_store, Page(name), lang=lang)
        assert " · " in m.title and m.description and m.url.startswith(ORIGIN + "/")


def test_met004_the_tags_carry_open_graph_and_twitter_cards(tiny_store):
    m = _meta(tiny_store, Page(MAP), lang="en", country="BRA", indicator="illiteracy")
    tags = meta_tags(m, "Municipal MDG Atlas")
    by = {t.get("property") or t.get("name"): t["content"] for t in tags}
    assert by["og:title"] == by["twitter:title"] == m.title
    assert by["og:url"] == m.url and by["og:locale"] == "en_US"
    assert by["description"] == by["og:description"] == m.description
    assert by["twitter:card"] == "summary_large_image"
    assert by["og:image"] == by["twitter:image"] == m.image
    assert m.image.startswith(ORIGIN + "/preview/view.png?v=1") and "i=illiteracy" in m.image
    assert by["og:image:width"] == "1200" and by["og:image:height"] == "630"
    plain = _meta(tiny_store, Page(METHOD), lang="en")
    assert plain.image == "" and "og:image" not in {
        t.get("property") for t in meta_tags(plain, "Municipal MDG Atlas")
    }

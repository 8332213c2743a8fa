"""What a page says about itself before any JavaScript runs: its ``<title>``, description, canonical
address and preview image, in the reader's language, for browsers, search engines and link
previews (Open Graph, Twitter cards).

Plain Python, no Dash. :func:`page_meta` takes the routed page and the state its query string
gives (as the router reads them) and returns a :class:`PageMeta`; :func:`meta_tags` turns it into
``<meta>`` attribute dicts. A map view's title and description are the view's own (its title, and
its text alternative with the source), so a shared link previews as exactly what it opens.
"""

from __future__ import annotations

from dataclasses import dataclass

from atlas import choices
from atlas.catalog import Catalog
from atlas.i18n import t
from atlas.places import country_label
from atlas.store import Store
from atlas.urls import COMPARE, DATA, EMBED, MAP, METHOD, UNIT, Page, URLs
from atlas.urlstate import State
from atlas.views import compute

#: Descriptions longer than this are cut at a word (the platforms show about 200 characters).
MAX_DESCRIPTION = 300
#: Open Graph locales of the interface languages.
OG_LOCALES = {"es": "es_LA", "pt": "pt_BR", "en": "en_US"}


@dataclass(frozen=True)
class PageMeta:
    title: str
    description: str
    url: str  # absolute, canonical (the builder's own link to the page)
    lang: str
    image: str = ""  # absolute URL of a preview image of the page, "" for none
    image_alt: str = ""


def _cut(text: str, limit: int = MAX_DESCRIPTION) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _map(store: Store, catalog: Catalog, state: State) -> tuple[str, str, State]:
    resolved = choices.resolve(state, store, catalog)
    country = country_label(store, resolved.country, resolved.lang)
    if not resolved.indicator:
        return country, t("meta.description", resolved.lang), resolved
    view = compute(store, catalog, resolved)
    title = t("meta.map_title", resolved.lang, title=view.title, country=country)
    return title, f"{view.alt_text} {view.caption}", resolved


def page_meta(
    store: Store, catalog: Catalog, page: Page, state: State, urls: URLs, origin: str
) -> PageMeta:
    """The meta of ``page`` shown with ``state`` (parsed from its query string); ``origin`` is
    the scheme and host the request came to (``https://atlas.example``), for absolute URLs."""
    lang = state.lang
    site = t("app.title", lang)
    title, description, image, alt = "", t("meta.description", lang), "", ""
    path = urls.page(page, lang, state)
    if page.name in (MAP, EMBED):
        title, description, resolved = _map(store, catalog, state)
        path = urls.map(resolved) if page.name == MAP else urls.embed(resolved)
        if resolved.indicator:  # the view as the page resolves it: the image draws the same
            image, alt = origin + urls.preview(resolved), title
    elif page.name == UNIT:
        try:
            unit = store.unit(page.unit_id.strip().upper())
        except (KeyError, TypeError, ValueError):
            unit = None
        if unit is not None:
            place = ", ".join(
                x for x in (unit["admin1_name"], country_label(store, unit["country"], lang)) if x
            )
            title = t("meta.unit_title", lang, name=unit["name"], place=place)
            description = t("meta.unit_description", lang, name=unit["name"], place=place)
            path = urls.unit(str(unit["unit_id"]), lang, state)
        else:
            title = t("profile.not_found_title", lang)
    elif page.name == METHOD:
        title = t("nav.method", lang)
    elif page.name == DATA:
        title = t("datatruth.title", lang)
    elif page.name == COMPARE:
        title = t("compare.title", lang)
    else:
        title = t("errors.not_found", lang)
    full = f"{title} · {site}" if title else site
    return PageMeta(
        title=full,
        description=_cut(description),
        url=origin + path,
        lang=lang,
        image=image,
        image_alt=alt,
    )


def meta_tags(m: PageMeta, site: str) -> list[dict[str, str]]:
    """The ``<meta>`` tags of ``m`` as attribute dicts (Open Graph and Twitter card included)."""
    tags = [
        {"name": "description", "content": m.description},
        {"property": "og:type", "content": "website"},
        {"property": "og:site_name", "content": site},
        {"property": "og:title", "content": m.title},
        {"property": "og:description", "content": m.description},
        {"property": "og:url", "content": m.url},
        {"property": "og:locale", "content": OG_LOCALES.get(m.lang, "es_LA")},
        {"name": "twitter:card", "content": "summary_large_image" if m.image else "summary"},
        {"name": "twitter:title", "content": m.title},
        {"name": "twitter:description", "content": m.description},
    ]
    if m.image:
        tags += [
            {"property": "og:image", "content": m.image},
            {"property": "og:image:width", "content": "1200"},
            {"property": "og:image:height", "content": "630"},
            {"property": "og:image:alt", "content": m.image_alt},
            {"name": "twitter:image", "content": m.image},
            {"name": "twitter:image:alt", "content": m.image_alt},
        ]
    return tags

"""Names of places in the reader's language."""

from __future__ import annotations

from atlas.i18n import messages, t
from atlas.store import ALL, Store


def country_label(store: Store, country: str, lang: str) -> str:
    """The country's name in the language (the store's own name for a country without one), or
    "all six countries"."""
    if country == ALL:
        return t("controls.all_countries", lang)
    key = f"country.{country}"
    return t(key, lang) if key in messages() else store.country_name(country)

"""The view's state in the URL query string, and back.

Short readable keys, defaults omitted, a version key (``v``) so that old links can be migrated
when keys change. Parsing never raises: an invalid value falls back to the default and is
reported in ``State.invalid`` so the page can say so.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from urllib.parse import parse_qs, urlencode

from atlas.i18n import LANGS

VERSION = 1
LEVELS = ("municipality", "admin1")
KEYS = {"lang": "lang", "country": "c", "level": "l", "indicator": "i", "year": "y"}


@dataclass(frozen=True)
class State:
    lang: str
    country: str
    level: str = "municipality"
    indicator: str = ""
    year: int | None = None
    invalid: tuple[str, ...] = field(default=(), compare=False)


def parse(search: str | None, defaults: State, valid_countries: set[str] | None = None) -> State:
    """Parse ``?c=BRA&i=...``; unknown keys are ignored, invalid values fall back to defaults."""
    try:
        qs = parse_qs((search or "").lstrip("?"), keep_blank_values=False, max_num_fields=50)
    except ValueError:
        return replace(defaults, invalid=("url",))
    get = lambda k: (qs.get(KEYS[k]) or [None])[0]  # noqa: E731
    invalid = []
    state = defaults
    lang = get("lang")
    if lang is not None:
        if lang in LANGS:
            state = replace(state, lang=lang)
        else:
            invalid.append("lang")
    country = get("country")
    if country is not None:
        c = country.upper()
        if valid_countries is None or c in valid_countries:
            state = replace(state, country=c)
        else:
            invalid.append("country")
    level = get("level")
    if level is not None:
        if level in LEVELS:
            state = replace(state, level=level)
        else:
            invalid.append("level")
    ind = get("indicator")
    if ind is not None:
        if ind.replace("_", "").isalnum() and len(ind) < 64:
            state = replace(state, indicator=ind)
        else:
            invalid.append("indicator")
    year = get("year")
    if year is not None:
        if year.isdigit() and 1900 <= int(year) <= 2100:
            state = replace(state, year=int(year))
        else:
            invalid.append("year")
    return replace(state, invalid=tuple(invalid))


def serialise(state: State, defaults: State) -> str:
    """``?v=1&c=...``, omitting values equal to the defaults (so links stay short)."""
    pairs = []
    for name, key in KEYS.items():
        value = getattr(state, name)
        if value is None or value == "" or value == getattr(defaults, name):
            continue
        pairs.append((key, str(value)))
    return "?" + urlencode([("v", VERSION), *pairs]) if pairs else ""

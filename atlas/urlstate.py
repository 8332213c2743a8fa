"""The view's state in the URL query string, and back.

One module turns state into query parameters and back (as OWID's grapher does): short readable
keys, defaults omitted so links stay short, and a version key ``v`` with an ordered list of
migrations so that a link shared years ago still opens the same view. Parsing never raises: an
invalid value falls back to its default and is named in ``State.invalid`` for a visible notice.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from urllib.parse import parse_qsl, urlencode

from atlas import classify
from atlas.geography import ALL_COUNTRIES, LEVELS
from atlas.i18n import LANGS

VERSION = 1
FRAMEWORKS = ("mdg2015", "sdg2030", "national", "local")
CLASSIFICATIONS = ("quantiles", "natural_breaks", "equal_interval", "target", "manual")
PALETTES = ("auto", *classify.PALETTES)
TABS = ("map", "table")
#: Layers a reader may lay over the official map (atlas/overlays.py), in the order they are drawn.
LAYERS = ("contributed", "experiences")
_ID = re.compile(r"^[a-z0-9_]{1,64}$")
_UNIT = re.compile(r"^[A-Z]{3}[0-9A-Z]{0,9}$")


@dataclass(frozen=True)
class State:
    """Everything a shared link reproduces. Field order = URL key order."""

    lang: str = "es"
    country: str = "BRA"
    level: str = "municipality"
    indicator: str = ""
    year: int | None = None
    view: str = "value"
    base_year: int | None = None
    framework: str = "mdg2015"
    local_value: float | None = None
    local_year: int | None = None
    classification: str = "quantiles"
    classes: int = 5
    breaks: tuple[float, ...] = ()
    palette: str = "auto"
    unit: str = ""
    admin1: str = ""
    top: int = 0
    tab: str = "map"
    big: bool = False
    present: bool = False
    tour: str = ""
    slide: int = 0
    layers: tuple[str, ...] = ()
    invalid: tuple[str, ...] = field(default=(), compare=False)


#: Field -> URL key. Short and readable; never reuse a key for another meaning (add a migration).
KEYS = {
    "lang": "lang",
    "country": "c",
    "level": "l",
    "indicator": "i",
    "year": "y",
    "view": "m",
    "base_year": "y0",
    "framework": "f",
    "local_value": "lv",
    "local_year": "ly",
    "classification": "k",
    "classes": "n",
    "breaks": "b",
    "palette": "p",
    "unit": "u",
    "admin1": "a",
    "top": "top",
    "tab": "tab",
    "big": "big",
    "present": "present",
    "tour": "tour",
    "slide": "s",
    "layers": "layers",
}
assert set(KEYS) == {f.name for f in fields(State)} - {"invalid"}

#: Ordered upgrades of old links: MIGRATIONS[k] turns version k+1... into k+2 (none yet).
MIGRATIONS: list[Callable[[dict[str, str]], dict[str, str]]] = []


def _digits(v: str) -> bool:
    """ASCII digits only: str.isdigit() accepts '²' or Arabic-Indic digits that int() may reject."""
    return bool(re.fullmatch(r"[0-9]{1,6}", v))


def _year(v: str) -> int | None:
    return int(v) if _digits(v) and 1900 <= int(v) <= 2100 else None


def _number(v: str) -> float | None:
    try:
        x = float(v)
    except ValueError:
        return None
    return x if math.isfinite(x) and abs(x) < 1e12 else None


def _breaks(v: str) -> tuple[float, ...] | None:
    parts = [_number(p) for p in v.split(",") if p.strip()]
    if not parts or None in parts or len(parts) > 12:
        return None
    return tuple(sorted(parts))


def _layers(v: str) -> tuple[str, ...] | None:
    """Layers named by comma, each one of :data:`LAYERS` (kept in that order, once each)."""
    names = {p.strip() for p in v.split(",") if p.strip()}
    if not names or not names <= set(LAYERS):
        return None
    return tuple(name for name in LAYERS if name in names)


def _choice(options) -> Callable[[str], str | None]:
    return lambda v: v if v in options else None


def _view(v: str) -> str | None:
    """A registered map view. Imported here, not at the top: the views read :class:`State`."""
    from atlas.views import REGISTRY

    return v if v in REGISTRY else None


def _tour(v: str) -> str | None:
    """A workshop tour (:mod:`atlas.tour`) that decodes. Imported here: the tour reads State."""
    from atlas import tour

    return v if tour.is_valid(v) else None


PARSERS: dict[str, Callable[[str], object]] = {
    "lang": _choice(LANGS),
    "country": lambda v: v.upper() if re.fullmatch(r"[A-Za-z]{3}", v) else None,
    "level": _choice(LEVELS),
    "indicator": lambda v: v if _ID.match(v) else None,
    "year": _year,
    "view": _view,
    "base_year": _year,
    "framework": _choice(FRAMEWORKS),
    "local_value": _number,
    "local_year": _year,
    "classification": _choice(CLASSIFICATIONS),
    "classes": lambda v: int(v) if _digits(v) and 2 <= int(v) <= classify.MAX_CLASSES else None,
    "breaks": _breaks,
    "palette": _choice(PALETTES),
    "unit": lambda v: v.upper() if _UNIT.match(v.upper()) else None,
    "admin1": lambda v: v if re.fullmatch(r"[0-9A-Z]{1,3}", v) else None,
    "top": lambda v: int(v) if _digits(v) and int(v) <= 10000 else None,
    "tab": _choice(TABS),
    "big": lambda v: {"1": True, "0": False}.get(v),
    "present": lambda v: {"1": True, "0": False}.get(v),
    "tour": _tour,
    "slide": lambda v: int(v) if _digits(v) and int(v) < 100 else None,
    "layers": _layers,
}
#: Most characters read of a parameter's value (longer values are cut before parsing).
MAX_VALUE = {"tour": 3001}


def parse(search: str | None, defaults: State, valid_countries: set[str] | None = None) -> State:
    """``?c=BRA&i=...`` -> State. Unknown keys are ignored; invalid values fall back and are named."""
    try:
        pairs = parse_qsl((search or "").lstrip("?"), keep_blank_values=True, max_num_fields=60)
    except ValueError:
        return replace(defaults, invalid=("url",))
    params = dict(pairs)
    version = params.pop("v", str(VERSION))
    if _digits(version):
        for migrate in MIGRATIONS[max(0, int(version) - 1) :]:
            params = migrate(params)
    values, invalid = {}, []
    for name, key in KEYS.items():
        raw = params.get(key)
        if raw is None or raw == "":
            continue
        value = PARSERS[name](raw[: MAX_VALUE.get(name, 200)])
        if name == "country" and value is not None and valid_countries is not None:
            value = value if value in valid_countries or value == ALL_COUNTRIES else None
        if value is None:
            invalid.append(name)
        else:
            values[name] = value
    return replace(defaults, **values, invalid=tuple(invalid))


def _text(value) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, tuple):
        return ",".join(_text(v) for v in value)
    return str(value)


def lang_query(lang: str, default: str) -> str:
    """``?lang=pt`` for a link to another page in ``lang``; empty when it is the default, which
    a link without ``lang`` gets (``ATLAS_DEFAULT_LANG``)."""
    return "" if lang == default else "?" + urlencode({"lang": lang})


def serialise(state: State, defaults: State) -> str:
    """State -> ``?v=1&c=...``; values equal to the defaults are left out."""
    pairs = []
    for name, key in KEYS.items():
        value = getattr(state, name)
        if value is None or value == "" or value == () or value == getattr(defaults, name):
            continue
        pairs.append((key, _text(value)))
    return "?" + urlencode([("v", VERSION), *pairs], safe=",") if pairs else ""

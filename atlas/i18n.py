"""Translation: every user-facing string goes through :func:`t` (es default, pt, en).

One registry of messages, read from ``atlas/messages*.toml`` (key -> es/pt/en; a key may be defined
in one file only). Keys are namespaced by feature (``app.*``, ``map.*``, ``views.*``,
``panels.*``, ``profile.*``, ...), one file per feature where it is large: ``messages_method.toml``
holds the methodology page (``method.*``), ``messages_target.toml`` the labels of the method's
statuses and frameworks (``target.*``). Catalog labels are data, translated in the catalog itself;
:func:`label` reads them. Numbers are formatted with Babel for the locale ("1.234,5" in es and pt,
"1,234.5" in en).
"""

from __future__ import annotations

import math
import tomllib
from functools import lru_cache
from pathlib import Path

import numpy as np
from babel import Locale
from babel.numbers import parse_pattern

from atlas.memo import LRU

LANGS = ("es", "pt", "en")
DEFAULT_LANG = "es"
LANG_NAMES = {"es": "Español", "pt": "Português", "en": "English"}
_LOCALES = {"es": "es", "pt": "pt_BR", "en": "en_US"}
MESSAGES_FILE = Path(__file__).with_name("messages.toml")
MESSAGES_GLOB = "messages*.toml"  # messages.toml plus one file per feature (messages_profile.toml)


def message_files() -> list[Path]:
    return sorted(MESSAGES_FILE.parent.glob(MESSAGES_GLOB))


def _flatten(data: dict, where: str = "") -> dict[str, dict[str, str]]:
    """Nested TOML tables -> ``{"a.b.c": {"es": .., "pt": .., "en": ..}}``."""
    flat: dict[str, dict[str, str]] = {}

    def walk(prefix: str, node: dict) -> None:
        if set(node) <= set(LANGS) and all(isinstance(v, str) for v in node.values()):
            flat[prefix] = dict(node)
            return
        for k, v in node.items():
            if not isinstance(v, dict):
                raise ValueError(f"{where}: {prefix}.{k} must have es, pt and en.")
            walk(f"{prefix}.{k}" if prefix else k, v)

    walk("", data)
    return flat


@lru_cache(maxsize=1)
def messages() -> dict[str, dict[str, str]]:
    """Every message of every ``messages*.toml`` file; a key defined in two files is an error."""
    merged: dict[str, dict[str, str]] = {}
    where: dict[str, str] = {}
    for path in message_files():
        with path.open("rb") as fh:
            flat = _flatten(tomllib.load(fh), path.name)
        for key, entry in flat.items():
            if key in merged:
                raise ValueError(
                    f"Message {key!r} is defined in both {where[key]} and {path.name}."
                )
            merged[key] = entry
            where[key] = path.name
    return merged


def lang_or_default(lang: str | None) -> str:
    return lang if lang in LANGS else DEFAULT_LANG


def t(key: str, lang: str, **values) -> str:
    """The message ``key`` in ``lang`` (falling back to Spanish), with ``{name}`` fields filled."""
    entry = messages().get(key)
    if entry is None:
        raise KeyError(f"Message {key!r} is not in any {MESSAGES_GLOB} file.")
    text = entry.get(lang_or_default(lang)) or entry[DEFAULT_LANG]
    return text.format(**values) if values else text


def label(table: dict[str, str], lang: str) -> str:
    """A catalog label table (es/pt/en) in ``lang``, falling back to Spanish."""
    return table.get(lang_or_default(lang)) or table.get(DEFAULT_LANG, "")


def number(value: float | None, decimals: int, lang: str) -> str:
    """Locale-aware number; missing values read 'no data' in the language, never 0."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return t("common.no_data", lang)
    pattern, locale = _number_format(decimals, lang_or_default(lang))
    return pattern.apply(value, locale)


@lru_cache(maxsize=64)
def _number_format(decimals: int, lang: str):
    """Babel's pattern for ``decimals`` and the language's locale, parsed once (what
    ``babel.numbers.format_decimal`` parses on every call: about half its cost, and a view writes
    a few dozen single numbers)."""
    fmt = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return parse_pattern(fmt), Locale.parse(_LOCALES[lang])


def decimals_needed(value: float, max_decimals: int = 3) -> int:
    """The fewest decimals (at most ``max_decimals``) that write ``value`` in full: 1.5 -> 1."""
    for d in range(max_decimals + 1):
        if abs(round(value, d) - value) < 1e-9:
            return d
    return max_decimals


def percent(fraction: float, lang: str, decimals: int | None = None) -> str:
    """A fraction as a percentage (``0.015`` -> "1,5 %" in es and pt, "1.5 %" in en), with as
    few decimals as it needs (at most two) unless ``decimals`` is given."""
    value = fraction * 100
    return f"{number(value, decimals_needed(value, 2) if decimals is None else decimals, lang)} %"


#: Thousands and decimal separators per language (CLDR: es and pt "1.234,5"; en "1,234.5").
SEPARATORS = {"es": (".", ","), "pt": (".", ","), "en": (",", ".")}


#: Columns of at least this many values are kept once written (:data:`_WRITTEN`).
KEEP_FROM = 1000
#: The last columns written, by the values as written (rounded to the decimals), decimals and
#: language: a view writes its values for the hover, and a switch's paint message writes the
#: same again to check them (layouts/paint.py); the second is a lookup, not 5,564 formats.
_WRITTEN = LRU(8)


def numbers(values, decimals: int, lang: str) -> list[str]:
    """:func:`number` for many values at once, fast enough for 5,564 units per callback.

    Babel's formatter costs ~20 µs a value; this formats with Python and swaps the separators
    of all the texts in one pass. The result equals :func:`number` except that Spanish groups
    4-digit numbers too ("1.234"). A long column is kept by its content (:data:`_WRITTEN`).
    """
    x = np.asarray(values, dtype=float)  # None is NaN
    if x.size < KEEP_FROM:
        return _numbers(x, decimals, lang)
    key = (rounded(x, decimals).tobytes(), decimals, lang)
    return list(_WRITTEN.get_or_compute(key, lambda: _numbers(x, decimals, lang)))


def _numbers(x: np.ndarray, decimals: int, lang: str) -> list[str]:
    thousands, decimal = SEPARATORS[lang_or_default(lang)]
    missing = t("common.no_data", lang)
    table = str.maketrans({",": thousands, ".": decimal})
    if not x.size:
        return []
    gaps = np.isnan(x)
    x = np.where(gaps, 0.0, x)
    # below a thousand (and not rounded up to it) there is nothing to group: printf-style
    # formatting writes the same digits (both round the exact binary value) a third faster
    small = bool(np.all(np.abs(x) < 999.0))
    fmt = f"%.{decimals}f".__mod__ if small else f"{{:,.{decimals}f}}".format
    texts = "\n".join(map(fmt, x.tolist())).translate(table).split("\n")
    for i in np.flatnonzero(gaps).tolist():
        texts[i] = missing
    return texts


def rounded(values, decimals: int) -> np.ndarray:
    """``values`` rounded as :func:`numbers` writes them, NaN kept: the number each text reads
    back as. Python's formatting rounds the exact binary value where numpy's ``round`` scales
    first (12.35 is "12.3" but ``round`` gives 12.4), so the values numpy would put on the
    other side of a half are rounded by formatting. A value so large that its doubles are
    10**-decimals or more apart (and infinity) reads back as itself, and is kept."""
    out = np.array(values, dtype=float)
    with np.errstate(over="ignore", invalid="ignore"):
        ok = np.abs(out) * 10.0**decimals < 2.0**52  # NaN and infinity are not
    scaled = out[ok] * 10.0**decimals
    half = np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6 * np.maximum(1.0, np.abs(scaled)) ** 0.5
    near = np.flatnonzero(ok)[half]
    out[ok] = np.round(out[ok], decimals)
    out[near] = [float(f"{v:.{decimals}f}") for v in np.asarray(values, dtype=float)[near].tolist()]
    return out


def plotly_separators(lang: str) -> str:
    """plotly's ``layout.separators`` (decimal then thousands) for the language."""
    thousands, decimal = SEPARATORS[lang_or_default(lang)]
    return decimal + thousands


#: plotly.js's locale per language, for its toolbar's tooltips and notices (config.locale; the
#: dictionaries are built into assets/vendor/locales/ by jsbundle/build.js). English is plotly's own.
PLOTLY_LOCALES = {"es": "es", "pt": "pt-br", "en": "en"}


def plotly_locale(lang: str) -> str:
    """plotly's ``config.locale`` for the language."""
    return PLOTLY_LOCALES[lang_or_default(lang)]

"""Translation: every user-facing string goes through :func:`t` (es default, pt, en).

Messages live in ``atlas/messages.toml`` and further ``atlas/messages_*.toml`` files, one per
feature (key -> es/pt/en; a key may be defined in one file only). Catalog labels are translated in
the catalog itself; :func:`label` reads them. Numbers are formatted with Babel for the locale
("1.234,5" in es and pt, "1,234.5" in en).
"""

from __future__ import annotations

import math
import tomllib
from functools import lru_cache
from pathlib import Path

from babel.numbers import format_decimal

LANGS = ("es", "pt", "en")
DEFAULT_LANG = "es"
LANG_NAMES = {"es": "Español", "pt": "Português", "en": "English"}
_LOCALES = {"es": "es", "pt": "pt_BR", "en": "en_US"}
MESSAGES_FILE = Path(__file__).with_name("messages.toml")
MESSAGES_GLOB = "messages*.toml"  # messages.toml plus one file per feature (messages_profile.toml)


def message_files() -> list[Path]:
    return sorted(MESSAGES_FILE.parent.glob(MESSAGES_GLOB))


def flatten(data: dict, where: str = "") -> dict[str, dict[str, str]]:
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


def pick(entry: dict[str, str], lang: str, **fields) -> str:
    """One translation of an es/pt/en entry (Spanish as fallback), ``{fields}`` filled in."""
    text = entry.get(lang_or_default(lang)) or entry[DEFAULT_LANG]
    return text.format(**fields) if fields else text


@lru_cache(maxsize=1)
def messages() -> dict[str, dict[str, str]]:
    """Every message of every ``messages*.toml`` file; a key defined in two files is an error."""
    merged: dict[str, dict[str, str]] = {}
    where: dict[str, str] = {}
    for path in message_files():
        with path.open("rb") as fh:
            flat = flatten(tomllib.load(fh), path.name)
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


def t(key: str, lang: str, **kwargs) -> str:
    """The message ``key`` in ``lang`` (falling back to Spanish), with ``{name}`` fields filled."""
    entry = messages().get(key)
    if entry is None:
        raise KeyError(f"Message {key!r} is not in any {MESSAGES_GLOB} file.")
    return pick(entry, lang, **kwargs)


def label(table: dict[str, str], lang: str) -> str:
    """A catalog label table (es/pt/en) in ``lang``, falling back to Spanish."""
    return table.get(lang_or_default(lang)) or table.get(DEFAULT_LANG, "")


def number(value: float | None, decimals: int, lang: str) -> str:
    """Locale-aware number; missing values read 'no data' in the language, never 0."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return t("common.no_data", lang)
    fmt = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return format_decimal(value, format=fmt, locale=_LOCALES[lang_or_default(lang)])


#: Thousands and decimal separators per language (CLDR: es and pt "1.234,5"; en "1,234.5").
SEPARATORS = {"es": (".", ","), "pt": (".", ","), "en": (",", ".")}


def numbers(values, decimals: int, lang: str) -> list[str]:
    """:func:`number` for many values at once, fast enough for 5,564 units per callback.

    Babel's formatter costs ~20 µs a value; this formats with Python and swaps separators. The
    result equals :func:`number` except that Spanish groups 4-digit numbers too ("1.234").
    """
    thousands, decimal = SEPARATORS[lang_or_default(lang)]
    missing = t("common.no_data", lang)
    table = str.maketrans({",": thousands, ".": decimal})
    out = []
    for v in values:
        if v is None or v != v:  # NaN
            out.append(missing)
        else:
            out.append(f"{v:,.{decimals}f}".translate(table))
    return out


def plotly_separators(lang: str) -> str:
    """plotly's ``layout.separators`` (decimal then thousands) for the language."""
    thousands, decimal = SEPARATORS[lang_or_default(lang)]
    return decimal + thousands

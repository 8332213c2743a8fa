"""Translation: every user-facing string goes through :func:`t` (es default, pt, en).

Messages live in ``atlas/messages.toml`` (key -> es/pt/en). Catalog labels are translated in the
catalog itself; :func:`label` reads them. Numbers are formatted with Babel for the locale
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


@lru_cache(maxsize=1)
def messages() -> dict[str, dict[str, str]]:
    with MESSAGES_FILE.open("rb") as fh:
        data = tomllib.load(fh)
    flat: dict[str, dict[str, str]] = {}

    def walk(prefix: str, node: dict) -> None:
        if set(node) <= set(LANGS) and all(isinstance(v, str) for v in node.values()):
            flat[prefix] = node
            return
        for k, v in node.items():
            walk(f"{prefix}.{k}" if prefix else k, v)

    walk("", data)
    return flat


def lang_or_default(lang: str | None) -> str:
    return lang if lang in LANGS else DEFAULT_LANG


def t(key: str, lang: str, **kwargs) -> str:
    """The message ``key`` in ``lang`` (falling back to Spanish), with ``{name}`` fields filled."""
    entry = messages().get(key)
    if entry is None:
        raise KeyError(f"Message {key!r} is not in {MESSAGES_FILE.name}.")
    text = entry.get(lang_or_default(lang)) or entry[DEFAULT_LANG]
    return text.format(**kwargs) if kwargs else text


def label(table: dict[str, str], lang: str) -> str:
    """A catalog label table (es/pt/en) in ``lang``, falling back to Spanish."""
    return table.get(lang_or_default(lang)) or table.get(DEFAULT_LANG, "")


def number(value: float | None, decimals: int, lang: str) -> str:
    """Locale-aware number; missing values read 'no data' in the language, never 0."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return t("common.no_data", lang)
    fmt = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return format_decimal(value, format=fmt, locale=_LOCALES[lang_or_default(lang)])

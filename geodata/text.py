"""Text helpers for the build: proper-casing official names, normalising names for joins."""

from __future__ import annotations

import re

from atlas.text import fold  # noqa: F401  (re-exported: adapters join names with it)

# Articles, prepositions and conjunctions kept in lower case inside Spanish/Portuguese names.
_SMALL = {
    "de",
    "del",
    "la",
    "las",
    "los",
    "el",
    "y",
    "e",
    "da",
    "das",
    "do",
    "dos",
    "en",
    "a",
    "o",
    "al",
}
_ROMAN = re.compile(
    r"^(?=[ivxlcdm]+$)m{0,3}(cm|cd|d?c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$", re.I
)


def proper_case(name: str) -> str:
    """'SAN JOSÉ DE LA MONTAÑA' -> 'San José de la Montaña'; accents are kept as given.

    Small words stay lower case except at the start; Roman numerals stay upper case;
    letters after an apostrophe or hyphen are capitalised ("D'Oeste", "Guadalupe-Victoria").
    """
    if name is None:
        return name
    words = re.split(r"(\s+)", str(name).strip().lower())
    out = []
    for i, w in enumerate(words):
        if not w.strip():
            out.append(w)
            continue
        if i > 0 and w in _SMALL:
            out.append(w)
        elif _ROMAN.match(w):
            out.append(w.upper())
        else:
            out.append(re.sub(r"(^|[-'’(/.])(\w)", lambda m: m.group(1) + m.group(2).upper(), w))
    return "".join(out)

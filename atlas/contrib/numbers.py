"""Numbers as producers write them: "12,5", "1.234,5", "1,234.5", "12.5 %", "2,021".

Which mark is the decimal one is decided per column: a value that can only be read one way
("12,5", "0.75", "1.234,5") settles it for the whole column; a column of values that read
either way ("1.234") follows the country's convention (CLDR, through Babel: a comma in Brazil,
Chile, Colombia and Uruguay, a point in Mexico and Peru).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from babel.numbers import get_decimal_symbol

#: The locale whose number format each country's producers follow.
LOCALES = {
    "BRA": "pt_BR",
    "CHL": "es_CL",
    "COL": "es_CO",
    "MEX": "es_MX",
    "PER": "es_PE",
    "URY": "es_UY",
}
_SPACES = re.compile(r"[\s\u00a0\u202f']")
_PLAIN = re.compile(r"^[+-]?(\d+|\d*[.,]\d+)$")


@cache
def country_decimal(country: str) -> str:
    """The decimal mark of the country's locale ("." where the country is not one of the six)."""
    return get_decimal_symbol(LOCALES[country]) if country in LOCALES else "."


def _strip(text: str) -> str:
    s = _SPACES.sub("", str(text))
    return s[:-1] if s.endswith("%") else s


def _evidence(text: str) -> str | None:
    """The decimal mark a value proves, if it can only be read one way."""
    s = _strip(text).lstrip("+-")
    if "," in s and "." in s:
        return "," if s.rfind(",") > s.rfind(".") else "."
    for mark in (",", "."):
        if s.count(mark) == 1:
            whole, frac = s.split(mark)
            # "1.234" may be a thousand; "12.5", "0.123", "12.3456" cannot
            if len(frac) != 3 or whole in ("", "0", "-0") or len(whole) > 3:
                return mark
    return None


def column_decimal(values: Iterable, country: str) -> tuple[str, bool]:
    """The decimal mark of a column's text values, and whether the values proved it (False:
    the country's convention was assumed)."""
    seen = {e for v in values if isinstance(v, str) and (e := _evidence(v))}
    if len(seen) == 1:
        return seen.pop(), True
    return country_decimal(country), False


def parse_number(value, decimal: str) -> float | None:
    """A cell as a number with ``decimal`` as the decimal mark; None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value) if value == value else None
    s = _strip(value)
    if not s:
        return None
    group = "," if decimal == "." else "."
    if group in s:
        head = s.split(decimal)[0].lstrip("+-")
        if not re.fullmatch(r"\d{1,3}(" + re.escape(group) + r"\d{3})+", head):
            return None
        s = s.replace(group, "")
    if s.count(decimal) > 1:
        return None
    s = s.replace(decimal, ".")
    if not _PLAIN.match(s):
        return None
    try:
        return float(s)
    except ValueError:
        return None

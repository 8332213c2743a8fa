"""A country's units as an upload names them: official codes (with their leading zeros) and names.

Each country's code system, as the store writes its codes: IBGE (Brazil, 7 digits; 6 without
the check digit also seen), CUT (Chile, 5), DIVIPOLA (Colombia, 5), CVEGEO (Mexico, 5), UBIGEO
(Peru, 6), INE department (Uruguay, 2); states, departments and regions have 2 digits. A code a
spreadsheet stored as a number lost its leading zeros (DIVIPOLA ``5001`` for ``"05001"``): it is
padded to the country's width, and the report says how many were.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from atlas.text import fold


@dataclass(frozen=True)
class CodeSystem:
    name: str
    #: digits of a code at each level the store holds
    widths: dict[str, int]
    #: another width seen for municipalities, matched by prefix (IBGE without its check digit)
    short: int | None = None

    @property
    def municipal(self) -> int | None:
        return self.widths.get("municipality")


CODE_SYSTEMS = {
    "BRA": CodeSystem("IBGE", {"municipality": 7, "admin1": 2}, short=6),
    "CHL": CodeSystem("CUT", {"municipality": 5, "admin1": 2}),
    "COL": CodeSystem("DIVIPOLA", {"municipality": 5, "admin1": 2}),
    "MEX": CodeSystem("CVEGEO", {"municipality": 5, "admin1": 2}),
    "PER": CodeSystem("UBIGEO", {"municipality": 6, "admin1": 2}),
    "URY": CodeSystem("INE", {"admin1": 2}),
}
#: The parts a code is split into when a file gives it in several columns (state, then the
#: rest): CVEGEO = CVE_ENT (2) + CVE_MUN (3); UBIGEO = department (2) + province (2) + district (2).
PART_WIDTHS = {
    "BRA": {2: (2, 5)},
    "CHL": {2: (2, 3)},
    "COL": {2: (2, 3)},
    "MEX": {2: (2, 3)},
    "PER": {2: (2, 4), 3: (2, 2, 2)},
    "URY": {},
}

_INTEGRAL = re.compile(r"^\d+(\.0+)?$")


def digits(value) -> str | None:
    """A cell as a code's digits: ``5001``, ``5001.0``, ``"05001"``, ``" 05001 "`` -> digits;
    anything else (letters, a fraction, an empty cell) -> None."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and value >= 0 else None
    if isinstance(value, int):
        return str(value) if value >= 0 else None
    text = str(value).strip().replace(" ", "")
    if not _INTEGRAL.match(text):
        return None
    return text.split(".")[0]


@dataclass(frozen=True)
class Code:
    """A code as written and as the store writes it."""

    written: str
    code: str | None  # the store's code, or None when no unit of the country has it
    padded: bool = False
    short: bool = False  # matched without the check digit (IBGE 6 digits)


class Units:
    """The units of one country (municipalities and states) in a store, by code and by name."""

    def __init__(self, store, country: str, units: pd.DataFrame | None = None):
        """``units``: the store's :meth:`~atlas.store.Store.units_table`, when the caller
        already has it (a validation looks at every country's)."""
        self.country = country
        self.system = CODE_SYSTEMS.get(country, CodeSystem("", {}))
        table = store.units_table() if units is None else units
        table = table[(table["country"] == country) & (table["level"] != "country")]
        self.table: pd.DataFrame = table.reset_index(drop=True)
        self.by_code = dict(zip(self.table["code"].astype(str), self.table["unit_id"], strict=True))
        self.rows = {row["unit_id"]: row for row in self.table.to_dict("records")}

    @cached_property
    def by_short(self) -> dict[str, str]:
        """IBGE codes without their check digit -> unit id (municipalities only)."""
        w = self.system.short
        if not w:
            return {}
        muni = self.table[self.table["level"] == "municipality"]
        return dict(zip(muni["code"].astype(str).str[:w], muni["unit_id"], strict=True))

    @cached_property
    def by_name(self) -> dict[str, list[str]]:
        """Folded name (and other names) -> unit ids; several where a name repeats."""
        out: dict[str, list[str]] = {}
        for row in self.table.itertuples(index=False):
            names = [row.name, *(n for n in str(row.other_names or "").split("|") if n)]
            for n in dict.fromkeys(fold(n) for n in names):
                out.setdefault(n, []).append(row.unit_id)
        return out

    @cached_property
    def admin1_names(self) -> dict[str, str]:
        """Folded state name -> its code."""
        a1 = self.table[self.table["admin1_name"].notna()]
        return {fold(n): str(c) for n, c in zip(a1["admin1_name"], a1["admin1_code"], strict=True)}

    @cached_property
    def choices(self) -> dict[str, str]:
        """unit id -> folded name, for similarity search."""
        return {row.unit_id: fold(row.name) for row in self.table.itertuples(index=False)}

    def resolve(self, written: str) -> Code:
        """The store's code for a code's digits, padding lost leading zeros."""
        if written in self.by_code:
            return Code(written, written)
        for width in sorted(set(self.system.widths.values())):
            if len(written) < width:
                padded = written.zfill(width)
                if padded in self.by_code:
                    return Code(written, padded, padded=True)
        short = self.system.short
        if short and len(written) in (short, short - 1):
            key = written.zfill(short)
            if key in self.by_short:
                unit = self.by_short[key]
                return Code(
                    written, self.rows[unit]["code"], padded=len(written) < short, short=True
                )
        return Code(written, None)

    def join_parts(self, parts: list[str]) -> str | None:
        """A code given in several columns (state + municipality), each part padded."""
        widths = PART_WIDTHS.get(self.country, {}).get(len(parts))
        if not widths or any(len(p) > w for p, w in zip(parts, widths, strict=True)):
            return None
        return "".join(p.zfill(w) for p, w in zip(parts, widths, strict=True))

    def label(self, unit_id: str) -> str:
        row = self.rows[unit_id]
        if row["level"] == "admin1" or not row.get("admin1_name"):
            return str(row["name"])
        return f"{row['name']} ({row['admin1_name']})"

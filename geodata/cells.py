"""Numeric cells of the producers' files: the one place where a cell becomes a number.

Each source declares the missing-value codes its producer writes (``missing_codes`` in
``geodata/sources/<ISO3>.toml``, e.g. ``["n.d.", "ND", ""]``; ``""`` is an empty cell, which also
covers a null in a JSON, Parquet or R file). Every reader turns each numeric column into numbers
with :meth:`MissingCodes.numeric`: a declared code becomes missing and is counted for the quality
report, any other cell that is not a number (an undeclared code, a date, a word, a whole column
that arrives as text) stops the build with the file, the cell and the fix. No cell is dropped
silently.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from numbers import Real
from pathlib import Path
from typing import NoReturn

import numpy as np
import pandas as pd

from geodata.errors import BuildError

#: How many offending cells a BuildError lists (the count is exact).
SHOWN = 5

_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def is_number_text(text: str) -> bool:
    """True for the text of a plain decimal number ("12", "-0.5", "1e3"); False for "nan", "inf"."""
    return _NUMBER.fullmatch(text) is not None


def _grouping(thousands: str, decimal: str) -> re.Pattern:
    """A number whose thousands, if any, are grouped correctly ("1,159" yes, "1,15" no)."""
    t, d = re.escape(thousands), re.escape(decimal)
    return re.compile(rf"[+-]?(?:\d{{1,3}}(?:{t}\d{{3}})+|\d+)(?:{d}\d*)?")


def blank_label(code: str) -> str:
    """How a code is written in reports: the empty code as ``(blank)``, others quoted."""
    return "(blank)" if code == "" else repr(code)


@dataclass
class MissingCodes:
    """A source's declared missing-value codes, and the codes met so far, per file."""

    source_id: str
    declared: tuple[str, ...]
    #: The TOML file that declares the source (named in the fix).
    toml: str
    #: The raw folder, so that counts and messages name files relative to it.
    raw: Path | None = None
    met: dict[str, Counter] = field(default_factory=dict)

    def file_label(self, path: Path | str) -> str:
        path = Path(path)
        if self.raw is not None and path.is_relative_to(self.raw):
            return path.relative_to(self.raw).as_posix()
        return path.as_posix()

    def counts(self) -> dict[str, dict[str, int]]:
        """{file: {code: cells}} for every file read, in the order read (files without a code: {})."""
        return {f: dict(sorted(c.items())) for f, c in self.met.items()}

    def numeric(
        self,
        values: pd.Series,
        file: Path | str,
        where: pd.DataFrame | None = None,
        *,
        column: str | None = None,
        decimal: str = ".",
        thousands: str | None = None,
    ) -> pd.Series:
        """``values`` as float64: numbers kept, declared codes -> NaN (counted), else BuildError.

        ``values`` may hold numbers, text (a CSV read with ``dtype=str, keep_default_na=False``,
        so that pandas converts nothing itself), ``None``/NaN for empty cells, or a mix (cells of
        a workbook). Text is stripped, then parsed with the file's ``decimal`` and ``thousands``
        separators. ``where`` (same index) names each cell in an error: its columns and values,
        e.g. the unit code and year, or the file's line; ``column`` is the file's column name.
        """
        label = self.file_label(file)
        tally = self.met.setdefault(label, Counter())
        values = pd.Series(values, copy=False)
        if pd.api.types.is_bool_dtype(values.dtype):
            self._stop(values, values.index, label, where, column, "a column of booleans")
        if pd.api.types.is_numeric_dtype(values.dtype):
            out = values.astype("float64")
            self._blanks(int(out.isna().sum()), tally, values, out.isna(), label, where, column)
            return out
        out = pd.Series(np.nan, index=values.index, dtype="float64")
        is_null = values.isna()
        is_num = ~is_null & values.map(lambda v: isinstance(v, Real) and not isinstance(v, bool))
        out[is_num] = values[is_num].astype("float64")
        is_text = values.map(lambda v: isinstance(v, str))
        other = ~is_num & ~is_null & ~is_text
        if other.any():
            kinds = sorted({type(v).__name__ for v in values[other]})
            self._stop(values, values.index[other], label, where, column, f"cells of {kinds}")
        text = values[is_text].str.strip()
        is_code = text.isin(self.declared)
        for code, n in text[is_code].value_counts().items():
            tally[code] += int(n)
        blank_text = (text == "") & ~is_code
        null = is_null.copy()
        null[blank_text.index[blank_text]] = True
        self._blanks(int(null.sum()), tally, values, null, label, where, column)
        candidates = text[~is_code & (text != "")]
        if thousands:
            ok = candidates.str.fullmatch(_grouping(thousands, decimal).pattern)
            candidates = candidates.str.replace(thousands, "", regex=False)
        else:
            ok = candidates.str.fullmatch(_NUMBER.pattern.replace(r"\.", re.escape(decimal)))
        bad = candidates.index[~ok.astype(bool)]
        if len(bad):
            self._stop(values, bad, label, where, column, "text that is not a number")
        parsed = candidates.str.replace(decimal, ".", regex=False) if decimal != "." else candidates
        out[parsed.index] = parsed.astype("float64")
        return out

    def _blanks(self, n, tally, values, mask, label, where, column) -> None:
        """Empty cells are missing only where the source declares the empty code ``""``."""
        if not n:
            return
        if "" not in self.declared:
            self._stop(values, values.index[mask], label, where, column, "empty cells")
        tally[""] += n

    def _stop(self, values, bad, label, where, column, what) -> NoReturn:
        shown = []
        for i in bad[:SHOWN]:
            parts = [f"{k} {v}" for k, v in where.loc[i].items()] if where is not None else []
            if column is not None:
                parts.append(f"column {column!r}")
            if where is None:
                parts.append(f"row {i}")
            cell = values.loc[i]
            shown.append(f"{'' if cell is None else cell!r} at {', '.join(parts)}")
        declared = ", ".join(blank_label(c) for c in self.declared) or "none"
        raise BuildError(
            f"Source '{self.source_id}': {len(bad)} cell(s) of a numeric column hold {what}: "
            + "; ".join(shown)
            + f". Declared missing-value codes: {declared}.",
            path=label,
            fix=f"If the cell is the producer's missing-value code, declare it in missing_codes of "
            f"source '{self.source_id}' in {self.toml} (\"\" for empty cells); otherwise the file is "
            "not the producer's original or its layout changed: report the file (see the "
            "country's SOURCE.md).",
        )

"""Where the table is in a sheet: title rows, the header block, the data block and the notes.

Producers' workbooks put a title above the table, a header of several rows (group labels merged
over their columns, then the measures, then sometimes the years) and notes below it. The data
block is found from the cells themselves: each cell is empty, a number (or text that reads as
one: "05001", "12,5"), a missing-value code ("n.d.", "-") or other text. Over the rows with two
cells or more, each column has a kind (mostly numbers, or text) and a fill rate. A data row
fills at least half of the text columns most rows fill (the unit's name, its state's) and
writes no plain text where its column holds numbers, so a header row ("Código", or a row of
years under empty cells) is not one. The data block is the largest cluster of data rows (short gaps allowed: a
blank separator, a subtotal); the header is the run of non-empty rows right above it, up to an
empty row or a title (one cell, or one text merged across the whole width); everything below
the block is notes. Each column's name joins its header cells top-down: "Total / Prop de
Personas en NBI (%)". The caller can override the header rows and the first and last data rows.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from openpyxl.utils.cell import get_column_letter

from atlas.contrib.errors import UploadError

#: Missing-value codes producers write (case-insensitive, after trimming): read as missing,
#: reported, never as zero. "" (an empty cell) is missing too.
MISSING_CODES = frozenset(
    ["nd", "n/d", "n.d.", "n.d", "n. d.", "-", "--", "—", "–", "*", "**", "...", "…", "s/d",
     "s.d.", "na", "n/a", "n.a.", "nan", "null", "sin dato", "sin datos", "sem dados", "x"]
)  # fmt: skip

_NUMBER = re.compile(r"^[+-]?(\d[\d\s.,'\u00a0\u202f]*|[.,]\d+)\s*%?$")

#: Cell classes.
EMPTY, NUMBER, MISSING, TEXT = "E", "N", "M", "T"

#: How many non-data rows may interrupt the data block (a blank line, a state's subtotal).
MAX_GAP = 2
#: At most this many rows form the header block.
MAX_HEADER_ROWS = 6


def is_missing_code(value) -> bool:
    return isinstance(value, str) and value.strip().casefold() in MISSING_CODES


def cell_class(value) -> str:
    if value is None:
        return EMPTY
    if isinstance(value, bool):
        return TEXT
    if isinstance(value, (int, float, datetime, date)):
        return NUMBER
    text = str(value).strip()
    if not text:
        return EMPTY
    if text.casefold() in MISSING_CODES:
        return MISSING
    return NUMBER if _NUMBER.match(text) else TEXT


def clean_text(value) -> str:
    """A header or note cell as one line: newlines and runs of spaces become one space."""
    return re.sub(r"\s+", " ", str(value)).strip()


@dataclass(frozen=True)
class Layout:
    """Where the parts of a sheet are, as 0-based indexes into its grid."""

    header: tuple[int, ...]
    data: tuple[int, ...]
    columns: tuple[int, ...]
    names: tuple[str, ...]
    title: tuple[int, ...]
    notes: tuple[int, ...]


def _nonempty(classes: Sequence[str]) -> list[int]:
    return [j for j, c in enumerate(classes) if c != EMPTY]


def _is_title(row: Sequence, classes: Sequence[str], width: int) -> bool:
    """One cell in the first column, or one text merged across (nearly) the whole width."""
    cells = _nonempty(classes)
    if not cells or width <= 2:
        return False
    if len(cells) == 1:
        return cells[0] == 0
    texts = {clean_text(row[j]) for j in cells}
    return len(texts) == 1 and len(cells) >= 0.9 * width


def _profile(classes: Sequence[Sequence[str]], width: int) -> tuple[list[float], list[str]]:
    """Each column's fill rate and kind over the rows with two cells or more."""
    rows = [r for r in classes if len(r) - r.count(EMPTY) >= 2]
    fill, kind = [], []
    for j in range(width):
        column = [r[j] for r in rows]
        fill.append((len(column) - column.count(EMPTY)) / len(rows) if rows else 0.0)
        numbers, texts = column.count(NUMBER), column.count(TEXT)
        kind.append(NUMBER if numbers and numbers >= texts else TEXT)
    return fill, kind


def _is_data(classes: Sequence[str], numeric: list[int], names: list[int]) -> bool:
    """Numbers somewhere, no plain text in a column of numbers (a header's label, a note), and
    at least half of the text columns nearly every row fills (the unit's name, its state's)."""
    if NUMBER not in classes and MISSING not in classes:
        return False
    if any(classes[j] == TEXT for j in numeric):
        return False
    filled = sum(classes[j] != EMPTY for j in names)
    return 2 * filled >= len(names)


def _clusters(flags: list[bool]) -> list[tuple[int, int]]:
    """Runs of data rows, bridging up to :data:`MAX_GAP` other rows, as (first, last)."""
    runs: list[tuple[int, int]] = []
    start = last = None
    for i, is_data in enumerate(flags):
        if not is_data:
            continue
        if start is None:
            start = last = i
        elif i - last - 1 <= MAX_GAP:
            last = i
        else:
            runs.append((start, last))
            start = last = i
    if start is not None:
        runs.append((start, last))
    return runs


def detect(
    grid: Sequence[Sequence],
    *,
    header_rows: Sequence[int] | None = None,
    first_data_row: int | None = None,
    last_data_row: int | None = None,
    fill_headers: bool = False,
) -> Layout:
    """The layout of ``grid`` (rows of cell values). Overrides are 0-based row indexes.

    ``fill_headers``: carry a group label rightwards over the empty cells of its header row (a
    CSV saved from a workbook keeps a merged label in its first cell only); workbooks pass their
    merged ranges already filled instead.
    """
    classes = [[cell_class(v) for v in row] for row in grid]
    width = max((max(_nonempty(c), default=-1) + 1 for c in classes), default=0)
    if width == 0:
        raise UploadError("no_table")
    classes = [c[:width] + [EMPTY] * (width - len(c)) for c in classes]
    n = len(grid)
    for r in (first_data_row, last_data_row, *(header_rows or ())):
        if r is not None and not 0 <= r < n:
            raise UploadError("bad_rows", row=r + 1, rows=n)
    fill, kind = _profile(classes, width)
    numeric = [j for j in range(width) if kind[j] == NUMBER and fill[j] >= 0.5]
    names = [j for j in range(width) if kind[j] == TEXT and fill[j] >= 0.75]
    flags = [_is_data(c, numeric, names) for c in classes]

    if first_data_row is not None:
        start = first_data_row
        if last_data_row is not None:
            end = last_data_row
        else:
            runs = _clusters(flags[start:])
            end = start + runs[0][1] if runs else n - 1
    elif header_rows:
        start = max(header_rows) + 1
        if start >= n:
            raise UploadError("bad_rows", row=start + 1, rows=n)
        later = [(a, b) for a, b in _clusters(flags) if b >= start]
        end = last_data_row if last_data_row is not None else (later[0][1] if later else n - 1)
    else:
        runs = _clusters(flags)
        if not runs:
            raise UploadError("no_table")
        start, end = max(runs, key=lambda ab: (sum(flags[ab[0] : ab[1] + 1]), -ab[0]))
        if last_data_row is not None:
            end = last_data_row
    if end < start:
        raise UploadError("bad_rows", row=end + 1, rows=n)

    if header_rows is not None:
        header = tuple(sorted(header_rows))
    else:
        above: list[int] = []
        i = start - 1
        # a blank spacer row or two between the header and the data
        while i >= 0 and start - i <= MAX_GAP and not _nonempty(classes[i]):
            i -= 1
        while i >= 0 and len(above) < MAX_HEADER_ROWS:
            if not _nonempty(classes[i]) or _is_title(grid[i], classes[i], width):
                break
            above.append(i)
            i -= 1
        header = tuple(reversed(above))
    data = tuple(i for i in range(start, end + 1) if _nonempty(classes[i]))
    title = tuple(
        i for i in range(0, min(header or (start,))) if _nonempty(classes[i]) and i not in header
    )
    notes = tuple(i for i in range(end + 1, n) if _nonempty(classes[i]))

    used = sorted({j for i in (*header, *data) for j in _nonempty(classes[i])})
    header_cells = [list(grid[i]) + [None] * (width - len(grid[i])) for i in header]
    if fill_headers:
        for row in header_cells[:-1]:
            carry = None
            for j in range(width):
                if cell_class(row[j]) != EMPTY:
                    carry = row[j]
                elif carry is not None and header_cells[-1][j] not in (None, ""):
                    row[j] = carry
                else:
                    carry = None
    names: list[str] = []
    seen: dict[str, int] = {}
    for j in used:
        parts: list[str] = []
        for row in header_cells:
            if cell_class(row[j]) != EMPTY:
                text = clean_text(row[j])
                if not parts or parts[-1] != text:
                    parts.append(text)
        name = " / ".join(parts) or f"({get_column_letter(j + 1)})"
        seen[name] = seen.get(name, 0) + 1
        if seen[name] > 1:
            name = f"{name} ({seen[name]})"
        names.append(name)
    return Layout(
        header=header,
        data=data,
        columns=tuple(used),
        names=tuple(names),
        title=title,
        notes=notes,
    )

"""An uploaded file -> a :class:`Table`: CSV in any common encoding and delimiter, or XLSX.

The file's kind comes from its bytes (:mod:`atlas.contrib.safety`); a workbook is checked for
macros and zip bombs before openpyxl opens it, then its sheet's XML is scanned once (streamed)
for its size, its merged cells and formulas saved without their values, before its cells are
read. The table's place in the sheet is found by :mod:`atlas.contrib.layout`.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import openpyxl
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string, range_boundaries
from openpyxl.xml.functions import iterparse

from atlas.contrib.errors import UploadError
from atlas.contrib.layout import clean_text, detect
from atlas.contrib.safety import Limits, check_workbook, sniff

Cell = str | int | float | None

#: Delimiters tried, in the order that wins a tie: ";" rarely appears inside a value, "," often
#: does (a decimal comma), so "05001;12,5" is two fields.
DELIMITERS = ("\t", ";", ",", "|")
_SAMPLE_LINES = 200
_SHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


@dataclass(frozen=True)
class Table:
    """The data block of an upload: one name per column and the rows under them.

    Row numbers are the file's own (1-based CSV line or Excel row), so a report can say "row
    12" and the producer finds it. Cells are as read: text (every CSV cell), or a workbook's
    numbers; codes keep their leading zeros when the file stored them as text.
    """

    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    row_numbers: tuple[int, ...]
    header_rows: tuple[int, ...]
    kind: str  # "csv" or "xlsx"
    filename: str = ""
    sheet: str | None = None
    sheets: tuple[str, ...] = ()
    encoding: str | None = None
    delimiter: str | None = None
    title: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    #: what the caller overrode, to show beside the detected layout
    overrides: dict = field(default_factory=dict)

    @property
    def first_data_row(self) -> int | None:
        return self.row_numbers[0] if self.row_numbers else None

    def column(self, name: str) -> list[Cell]:
        try:
            j = self.columns.index(name)
        except ValueError:
            raise KeyError(f"Column {name!r} is not in the table.") from None
        return [row[j] for row in self.rows]

    def __len__(self) -> int:
        return len(self.rows)


def read_upload(
    data: bytes,
    filename: str = "",
    *,
    sheet: str | None = None,
    header_rows: Sequence[int] | None = None,
    first_data_row: int | None = None,
    last_data_row: int | None = None,
    limits: Limits | None = None,
) -> Table:
    """The table an uploaded file holds, or :class:`UploadError` naming why it cannot be read.

    ``filename`` is only shown back; the kind is read from the bytes. Overrides are the file's
    own 1-based row numbers: ``header_rows=(9, 10)``, ``first_data_row=11``; ``sheet`` a sheet's
    name (default: the sheet with the largest table).
    """
    limits = limits or Limits.from_settings()
    overrides = {
        k: v
        for k, v in (
            ("sheet", sheet),
            ("header_rows", tuple(header_rows) if header_rows is not None else None),
            ("first_data_row", first_data_row),
            ("last_data_row", last_data_row),
        )
        if v is not None
    }
    rows = {
        "header_rows": None if header_rows is None else [r - 1 for r in header_rows],
        "first_data_row": None if first_data_row is None else first_data_row - 1,
        "last_data_row": None if last_data_row is None else last_data_row - 1,
    }
    kind = sniff(data, limits)
    try:
        if kind == "xlsx":
            table = _read_xlsx(data, sheet, rows, limits)
        else:
            table = _read_csv(data, rows, limits)
    except UploadError:
        raise
    except Exception:  # noqa: BLE001 - the one boundary where any failure becomes a message
        # A damaged file (checked before: no bomb, no macros): openpyxl raises whatever its XML
        # and zip readers raise for one (ParseError, KeyError, zlib.error, IndexError,
        # InvalidFileException...), and the caller must get a message, never a stack trace.
        raise UploadError("corrupt") from None
    return Table(**{**table, "filename": filename, "overrides": overrides})


def _table(grid, layout, row_offset: int = 1) -> dict:
    cols = layout.columns
    rows = tuple(
        tuple(_cell(grid[i][j]) if j < len(grid[i]) else None for j in cols) for i in layout.data
    )

    def lines(indexes):
        out = []
        for i in indexes:
            texts = dict.fromkeys(clean_text(v) for v in grid[i] if v not in (None, ""))
            out.append(" ".join(t for t in texts if t))
        return tuple(x for x in out if x)

    return {
        "columns": layout.names,
        "rows": rows,
        "row_numbers": tuple(i + row_offset for i in layout.data),
        "header_rows": tuple(i + row_offset for i in layout.header),
        "title": lines(layout.title),
        "notes": lines(layout.notes),
    }


def _cell(value) -> Cell:
    if value is None or isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return value.strip() if isinstance(value, str) else value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


# --------------------------------------------------------------------------------------------
# CSV


def decode(data: bytes) -> tuple[str, str]:
    """The text and the encoding it was read with: UTF-8 (with or without BOM), UTF-16 with a
    BOM (Excel's "Unicode text"), else Windows-1252, the Latin-1 that Excel writes on Windows.

    A file that is mostly UTF-8 but breaks somewhere (two files pasted together) is refused,
    naming the line, rather than read as Windows-1252, which would garble every accent.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _text(data.decode("utf-16")), "utf-16"
        except UnicodeDecodeError:
            raise UploadError("encoding") from None
    try:
        return _text(data.decode("utf-8-sig")), "utf-8"
    except UnicodeDecodeError as exc:
        if re.search(rb"[\xc2-\xf4][\x80-\xbf]+", data[: exc.start]):
            line = data[: exc.start].count(b"\n") + 1
            raise UploadError("encoding_mixed", line=line) from None
    try:
        return _text(data.decode("cp1252")), "cp1252"
    except UnicodeDecodeError:
        raise UploadError("encoding") from None


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _text(text: str) -> str:
    """Text, or a refusal when it holds control characters no table has (a binary file)."""
    if _CONTROL.search(text):
        raise UploadError("encoding")
    return text


def sniff_delimiter(text: str) -> str:
    """The delimiter whose field count is the same on most of the first lines (the most
    fields on a tie, then the order of :data:`DELIMITERS`)."""
    lines = [ln for ln in text.splitlines()[:_SAMPLE_LINES] if ln.strip()]
    best, best_score = ",", (-1.0, 0)
    for d in DELIMITERS:
        counts = [len(r) for r in csv.reader(lines, delimiter=d)]
        if not counts:
            continue
        mode, hits = Counter(counts).most_common(1)[0]
        if mode < 2:
            continue
        score = (round(hits / len(counts), 2), mode)
        if score > best_score:
            best, best_score = d, score
    return best


def _read_csv(data: bytes, rows: dict, limits: Limits) -> dict:
    text, encoding = decode(data)
    delimiter = sniff_delimiter(text)
    grid: list[list[str]] = []
    try:
        for record in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            grid.append(record)
            if len(grid) > limits.max_rows:
                raise UploadError("too_many_rows", limit=limits.max_rows)
            if len(record) > limits.max_columns and any(
                v.strip() for v in record[limits.max_columns :]
            ):
                raise UploadError("too_many_columns", limit=limits.max_columns)
    except csv.Error:
        raise UploadError("corrupt") from None
    layout = detect(grid, fill_headers=True, **rows)
    return {**_table(grid, layout), "kind": "csv", "encoding": encoding, "delimiter": delimiter}


# --------------------------------------------------------------------------------------------
# XLSX


@dataclass
class _SheetScan:
    max_row: int = 0
    max_col: int = 0
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    formulas: list[str] = field(default_factory=list)


def _scan_sheet(archive: zipfile.ZipFile, path: str, limits: Limits) -> _SheetScan:
    """One streamed pass over a sheet's XML: the extent of its cells (refused past the limits),
    its merged ranges, and the cells holding a formula without a saved value."""
    scan = _SheetScan()
    with archive.open(path) as src:
        for _event, el in iterparse(src, events=("end",)):
            tag = el.tag
            if tag == f"{_SHEET_NS}c":
                ref = el.get("r")
                v = el.find(f"{_SHEET_NS}v")
                # openpyxl and other writers that do not calculate save a formula with <v/>
                has_value = (v is not None and bool(v.text)) or el.find(
                    f"{_SHEET_NS}is"
                ) is not None
                if el.find(f"{_SHEET_NS}f") is not None and not has_value:
                    scan.formulas.append(ref or "?")
                if has_value and ref:
                    letters, row = coordinate_from_string(ref)
                    col = column_index_from_string(letters)
                    if row > limits.max_rows:
                        raise UploadError("too_many_rows", limit=limits.max_rows)
                    if col > limits.max_columns:
                        raise UploadError("too_many_columns", limit=limits.max_columns)
                    scan.max_row = max(scan.max_row, row)
                    scan.max_col = max(scan.max_col, col)
                el.clear()
            elif tag == f"{_SHEET_NS}row":
                el.clear()
            elif tag == f"{_SHEET_NS}mergeCell":
                ref = el.get("ref")
                if ref and ":" in ref:
                    scan.merges.append(range_boundaries(ref))
    return scan


def _grid(ws, scan: _SheetScan) -> list[list]:
    if scan.max_row == 0:
        return []
    ws.reset_dimensions()
    grid = [
        list(r)
        for r in ws.iter_rows(
            min_row=1, max_row=scan.max_row, max_col=scan.max_col, values_only=True
        )
    ]
    for min_col, min_row, max_col, max_row in scan.merges:
        if min_row > len(grid):
            continue
        top = grid[min_row - 1]
        value = top[min_col - 1] if min_col - 1 < len(top) else None
        if value is None:
            continue
        for r in range(min_row - 1, min(max_row, len(grid))):
            row = grid[r]
            if len(row) < max_col:
                row.extend([None] * (max_col - len(row)))
            for c in range(min_col - 1, max_col):
                row[c] = value
    return grid


def _read_xlsx(data: bytes, sheet: str | None, rows: dict, limits: Limits) -> dict:
    with check_workbook(data, limits) as archive:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            names = tuple(ws.title for ws in wb.worksheets)
            if sheet is not None and sheet not in names:
                raise UploadError("no_sheet", sheet=sheet, sheets=", ".join(names))
            candidates = (
                [sheet]
                if sheet is not None
                else [ws.title for ws in wb.worksheets if ws.sheet_state == "visible"]
                or list(names)
            )
            found: list[tuple[int, str, dict, _SheetScan]] = []
            first_error: UploadError | None = None
            for name in candidates:
                ws = wb[name]
                scan = _scan_sheet(archive, ws._worksheet_path, limits)
                grid = _grid(ws, scan)
                try:
                    layout = detect(grid, **rows)
                except UploadError as exc:
                    first_error = first_error or exc
                    continue
                found.append((len(layout.data), name, _table(grid, layout), scan))
            if not found:
                raise first_error or UploadError("no_table")
            # the sheet with the largest table; the first of equals
            _, name, table, scan = max(found, key=lambda f: (f[0], -candidates.index(f[1])))
            if scan.formulas:
                shown = ", ".join(scan.formulas[:5]) + (" …" if len(scan.formulas) > 5 else "")
                raise UploadError("formulas", count=len(scan.formulas), cells=shown, sheet=name)
        finally:
            wb.close()
    return {**table, "kind": "xlsx", "sheet": name, "sheets": names}

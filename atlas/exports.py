"""The unit's report as data files: CSV and XLSX (Excel), with source, year, licence and the page's
URL in the file itself, so a copy that travels alone still says where each number comes from.

- **CSV**: one row per value shown (the unit's, its state's and its country's lines, each
  contributed series named by its label, and the target), each with its year, source and
  licence and the report's URL; UTF-8 with a byte-order mark (Excel reads the accents), comma
  separated, numbers with a point and no grouping (a machine's format; missing values are empty,
  never 0).
- **XLSX**: a summary sheet (title, page URL, date, framework, the verdict of each indicator),
  the same rows as the CSV, the sources with their licences and official downloads, and, when
  the unit has recorded one, its local plan (name, period, document, each target's row as the
  report shows it).

The map's view (``/export/view.csv`` and ``.xlsx``, :func:`view_csv` and :func:`view_xlsx`): the
rows and columns of the page's table tab (:func:`atlas.panels.table_head`, in its order and
admin-1 filter), after the unit's code and with the value as a number (and its interval where
the source gives one), and a metadata block: title, indicator and its definition, unit of
measure, place and year, the view's notes (target, comparability), source, licence, citation,
the view's URL and the date.

- **CSV**: the metadata as leading lines that begin with ``#`` (``# Fuente,"PNUD, ..."``), then
  the table; text cells are quoted, so ``pandas.read_csv(path, comment="#")`` reads the table
  and nothing else, and a spreadsheet shows the metadata above it.
- **XLSX**: the table on the first sheet (header in row 1: ``pandas.read_excel(path)``), the
  metadata on a second sheet of (field, value) rows.

Text cells that begin with ``= + - @`` (or a tab or carriage return) are prefixed with ``'`` so a
spreadsheet shows them as text and never runs them as a formula (OWASP's CSV injection advice);
numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
import math

import numpy as np
from openpyxl import Workbook
from openpyxl.styles import Font

from atlas.i18n import label, number, t
from atlas.panels import table_head, table_order
from atlas.places import country_label
from atlas.plans import TARGET_COLUMNS
from atlas.unit_report import ROLES, UnitReport
from atlas.views import ViewData

FORMATS = ("csv", "xlsx")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
#: Characters that make a spreadsheet read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DATA_COLUMNS = (
    "unit_id",
    "unit",
    "goal",
    "indicator_id",
    "indicator",
    "measure",
    "series",
    "series_name",
    "year",
    "value",
    "ci_low",
    "ci_high",
    "note",
    "source",
    "licence",
    "url",
)
SUMMARY_COLUMNS = (
    "indicator_id",
    "indicator",
    "measure",
    "year",
    "value",
    "status",
    "target",
    "deadline",
    "observed_pace",
    "required_pace",
    "rank_country",
    "source",
)
SOURCE_COLUMNS = ("source", "years", "licence", "download")


def safe(value):
    """A cell as written: text that a spreadsheet would run as a formula is quoted; numbers and
    empty cells pass; NaN becomes empty (missing is missing, never 0)."""
    if value is None:
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _header(columns, lang: str) -> list[str]:
    return [t(f"report.file.col.{c}", lang) for c in columns]


def data_rows(r: UnitReport, url: str) -> list[list]:
    """Every value the report shows, one row each (see the module docstring), in the order of
    :data:`DATA_COLUMNS`."""
    p, lang = r.profile, r.state.lang
    licences = {s.id: s.licence for s in r.sources_used}
    labels = {s.id: s.label for s in r.sources_used}
    rows = []
    for c in r.charts:
        head = [p.unit_id, p.name, c.goal, c.indicator, c.label, c.unit_label]
        cis = {o.year: (o.ci_low, o.ci_high) for o in c.profile.observations}
        for ln in (ln for role in reversed(ROLES) for ln in c.lines_of(role)):
            series = t(f"report.file.series.{ln.role}", lang)
            for pt in ln.points:
                lo, hi = cis.get(pt.year, (None, None)) if ln.role == "unit" else (pt.low, pt.high)
                rows.append(
                    [
                        *head,
                        series,
                        ln.name,
                        pt.year,
                        pt.value,
                        lo,
                        hi,
                        pt.note,
                        labels.get(pt.source_id, pt.source_id),
                        licences.get(pt.source_id, ""),
                        url,
                    ]
                )
        if c.target_value is not None:
            a = c.answer
            note = a.status_text if a is not None else ""
            rows.append(
                [
                    *head,
                    t("report.file.series.target", lang),
                    r.framework_label,
                    c.target_year,
                    c.target_value,
                    None,
                    None,
                    note,
                    "",
                    "",
                    url,
                ]
            )
    return rows


def summary_rows(r: UnitReport) -> list[list]:
    """One row per indicator: its latest value, verdict, target, paces, rank and source."""
    lang = r.state.lang
    rows = []
    for c in r.charts:
        a = c.answer
        last = c.profile.latest
        if a is None:
            status = c.profile.progress.status_label if c.profile.progress else ""
            rows.append(
                [c.indicator, c.label, c.unit_label, last.year, last.value, status]
                + [None] * 5
                + [last.source]
            )
            continue
        rank = (
            f"{number(a.rank_country.rank, 0, lang)} / {number(a.rank_country.of, 0, lang)}"
            if a.rank_country is not None
            else None
        )
        rows.append(
            [
                c.indicator,
                c.label,
                c.unit_label,
                a.latest_year,
                a.latest_value,
                a.status_text,
                c.target_value,
                c.target_year,
                a.observed_text or None,
                a.required_text or None,
                rank,
                a.source,
            ]
        )
    return rows


def _meta(r: UnitReport, url: str, generated: str) -> list[list]:
    lang, p = r.state.lang, r.profile
    return [
        [t("report.file.title", lang, name=p.name)],
        [t("report.file.page_url", lang), url],
        [t("report.file.generated", lang), generated],
        [t("report.file.framework", lang), r.framework_label],
        [t("report.file.note", lang), t("report.file.note_text", lang)],
        [t("report.comparability", lang)],
    ]


def report_csv(r: UnitReport, url: str) -> bytes:
    """The report's values as CSV (see the module docstring)."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(_header(DATA_COLUMNS, r.state.lang))
    for row in data_rows(r, url):
        w.writerow(["" if (v := safe(x)) is None else v for x in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def report_xlsx(r: UnitReport, url: str, generated: str) -> bytes:
    """The report as an Excel workbook: summary, data and sources sheets."""
    lang = r.state.lang
    wb = Workbook()
    bold = Font(bold=True)
    sheets = (
        (t("report.file.sheet_summary", lang), SUMMARY_COLUMNS, summary_rows(r)),
        (t("report.file.sheet_data", lang), DATA_COLUMNS, data_rows(r, url)),
        (
            t("report.file.sheet_sources", lang),
            SOURCE_COLUMNS,
            [[s.label, s.years, s.licence, s.url] for s in r.sources_used],
        ),
    )
    for k, (name, columns, rows) in enumerate(sheets):
        ws = wb.active if k == 0 else wb.create_sheet()
        ws.title = name[:31]
        if k == 0:  # the summary sheet opens with what the file is and where it comes from
            for line in _meta(r, url, generated):
                ws.append([safe(x) for x in line])
            ws.cell(row=1, column=1).font = bold
            ws.append([])
        ws.append(_header(columns, lang))
        for cell in ws[ws.max_row]:
            cell.font = bold
        for row in rows:
            ws.append([safe(x) for x in row])
    plan = r.local.plan if r.local is not None else None
    if plan is not None:
        ws = wb.create_sheet(t("report.plan.title", lang)[:31])
        period = f"{plan.period_start}–{plan.period_end}"
        ws.append([safe(x) for x in (plan.name, period, plan.document_url)])
        ws.cell(row=1, column=1).font = bold
        ws.append([])
        ws.append([t(key, lang) for key in TARGET_COLUMNS])
        for cell in ws[ws.max_row]:
            cell.font = bold
        for row in plan.rows:
            x = row.progress.target
            texts = row.texts
            cells = [texts.indicator, x.value, x.year, texts.latest, texts.status]
            ws.append([safe(c) for c in (*cells, texts.observed, texts.required)])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# -- the map's view --------------------------------------------------------------------------


def view_table(view: ViewData, lang: str) -> tuple[list[str], list[list]]:
    """The page's table of ``view`` (every page of it): header and rows. Columns: the unit's
    code, then the table tab's (rank, name, admin-1, value in the year as a number), the
    interval's bounds when the source gives them, and the view's own columns as the page
    writes them."""
    head = table_head(view, lang)
    order, ranks = table_order(view, view.state.admin1)
    with_ci = bool(np.isfinite(np.asarray(view.ci_low, dtype=float)).any())
    heads = [t("report.file.col.unit_id", lang), *head.heads[:4]]
    if with_ci:
        heads += [t("report.file.col.ci_low", lang), t("report.file.col.ci_high", lang)]
    heads += head.heads[4:]
    layer = view.layer
    rows = []
    for i, k in zip(order.tolist(), ranks.tolist(), strict=True):
        row = [
            str(layer.unit_ids[i]),
            int(k) if k else None,
            str(layer.names[i]),
            str(layer.admin1_names[i] or ""),
            float(view.value[i]),
        ]
        if with_ci:
            row += [float(view.ci_low[i]), float(view.ci_high[i])]
        row += [c.cell(i) for c in head.extra]
        rows.append(row)
    return heads, rows


def view_meta(store, view: ViewData, url: str, generated: str) -> list[tuple[str, str]]:
    """The metadata block of the view's files: (field, value) pairs."""
    state, lang, ind = view.state, view.state.lang, view.indicator
    try:
        licence = store.source(view.source_id).get("licence", "")
    except KeyError:
        licence = ""
    place = f"{country_label(store, state.country, lang)} · {t(f'level.{state.level}', lang)}"
    meta = [
        (t("exports.meta.title", lang), view.title),
        (t("exports.meta.indicator", lang), label(ind.label, lang)),
        (t("exports.meta.definition", lang), label(ind.definition, lang)),
        (t("exports.meta.unit", lang), view.unit_label),
        (t("exports.meta.place", lang), place),
        (t("exports.meta.year", lang), str(state.year)),
        *((h or t("report.file.note", lang), text) for h, text in view.notes),
        (t("exports.meta.source", lang), view.source),
        (t("exports.meta.licence", lang), licence),
        (
            t("exports.meta.citation", lang),
            t(
                "exports.citation",
                lang,
                title=view.title,
                source=view.source,
                url=url,
                date=generated,
            ),
        ),
        (t("report.file.page_url", lang), url),
        (t("report.file.generated", lang), generated),
        (t("report.file.note", lang), t("report.file.note_text", lang)),
    ]
    return [(k, " ".join(str(v).split())) for k, v in meta]


def _quoted(value) -> str:
    out = io.StringIO()
    csv.writer(out, quoting=csv.QUOTE_NONNUMERIC, lineterminator="").writerow([value])
    return out.getvalue()


def view_csv(store, view: ViewData, url: str, generated: str) -> bytes:
    """The view's table as CSV with its metadata in leading ``#`` lines (module docstring)."""
    lines = [
        f"# {' '.join(k.replace(',', ' ').split())},{_quoted(safe(v) or '')}"
        for k, v in view_meta(store, view, url, generated)
    ]
    out = io.StringIO()
    w = csv.writer(out, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")
    heads, rows = view_table(view, view.state.lang)
    w.writerow([safe(h) for h in heads])
    for row in rows:
        w.writerow(["" if (v := safe(x)) is None else v for x in row])
    return ("\ufeff" + "\r\n".join(lines) + "\r\n" + out.getvalue()).encode("utf-8")


def view_xlsx(store, view: ViewData, url: str, generated: str) -> bytes:
    """The view's table (first sheet) and its metadata (second sheet) as an Excel workbook."""
    lang = view.state.lang
    wb = Workbook()
    bold = Font(bold=True)
    ws = wb.active
    ws.title = t("report.file.sheet_data", lang)[:31]
    heads, rows = view_table(view, lang)
    ws.append([safe(h) for h in heads])
    for cell in ws[1]:
        cell.font = bold
    for row in rows:
        ws.append([safe(x) for x in row])
    meta = wb.create_sheet(t("exports.meta.sheet", lang)[:31])
    for key, value in view_meta(store, view, url, generated):
        meta.append([safe(key), safe(value)])
        meta.cell(row=meta.max_row, column=1).font = bold
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()

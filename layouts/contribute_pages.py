"""The upload page's three steps and a contributed dataset's page, as server-rendered HTML in the
account pages' frame (:func:`layouts.account_pages.page`): plain forms that post to their own
address with the session's CSRF token, no script. Every text comes from the message registry and
every value is escaped.
"""

from __future__ import annotations

from collections.abc import Mapping as MappingType

from atlas.contrib.mapping import Mapping
from atlas.contrib.validation import Problem, Report
from atlas.i18n import decimals_needed, number, t
from atlas.publish import DatasetInfo
from atlas.upload_preview import Preview, PreviewMap
from layouts.forms import esc as _e
from layouts.forms import field, message
from layouts.forms import form as _form
from layouts.forms import hidden as _hidden
from layouts.forms import messages as errors
from layouts.forms import select as _select
from layouts.forms import textarea as _textarea

#: The mapping's roles, in the form's order (``code2``: a code given in two columns).
ROLES = ("code", "code2", "name", "admin1", "year", "value", "low", "high")
#: The meta fields of step 3 (``unit_id``: the contributing unit).
META_FIELDS = ("title", "source", "licence", "method_note", "contact", "unit_id")
REQUIRED = ("source", "licence", "contact")
#: Problem rows shown on the page (the counts cover them all).
SHOWN_ROWS = 50


def step1(
    lang: str,
    action: str,
    csrf: str,
    countries: list[tuple[str, str]],
    indicators: list[tuple[str, str]],
    limit_mb: float,
    chosen: MappingType[str, str] | None = None,
    problems: list[str] | None = None,
) -> str:
    chosen = chosen or {}
    fields = (
        '<div class="mb-3">'
        f'<label class="form-label" for="f-file">'
        f"{_e(t('contrib.page.file', lang, limit_mb=f'{limit_mb:g}'))}</label>"
        '<input class="form-control" id="f-file" name="file" type="file" required '
        'accept=".csv,.txt,.xlsx,text/csv,'
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"></div>'
        + _select("country", t("contrib.page.country", lang), countries, chosen.get("country", ""))
        + _select(
            "indicator",
            t("contrib.page.indicator", lang),
            indicators,
            chosen.get("indicator", ""),
        )
        + _hidden("step", "1")
    )
    return (
        f'<h2 class="h5">{_e(t("contrib.page.step1", lang))}</h2>'
        + errors(problems or [])
        + _form(action, csrf, fields, t("contrib.page.next", lang), multipart=True)
    )


def mapping_values(mapping: Mapping) -> dict[str, str]:
    """A mapping as the form's fields."""
    return {
        "code": mapping.code[0] if mapping.code else "",
        "code2": mapping.code[1] if len(mapping.code) > 1 else "",
        "name": mapping.name or "",
        "admin1": mapping.admin1 or "",
        "year": mapping.year or "",
        "year_value": "" if mapping.year_value is None else str(mapping.year_value),
        "value": mapping.value or "",
        "low": mapping.low or "",
        "high": mapping.high or "",
    }


def _carried(state: MappingType[str, str], names) -> str:
    return "".join(_hidden(n, state.get(n, "")) for n in names)


def step2(
    lang: str,
    action: str,
    csrf: str,
    state: MappingType[str, str],
    columns: tuple[str, ...],
    values: MappingType[str, str],
    summary: str,
    problems: list[str] | None = None,
) -> str:
    options = [("", t("contrib.page.none", lang)), *((c, c) for c in columns)]
    fields = "".join(
        _select(f"m_{role}", t(f"contrib.page.role.{role}", lang), options, values.get(role, ""))
        + (
            field(
                "m_year_value",
                t("contrib.page.role.year_value", lang),
                "number",
                values.get("year_value", ""),
                min="1980",
                max="2100",
            )
            if role == "year"
            else ""
        )
        for role in ROLES
    )
    fields += _carried(state, ("upload", "country", "indicator")) + _hidden("step", "2")
    return (
        f'<h2 class="h5">{_e(t("contrib.page.step2", lang))}</h2>'
        + f"<p>{_e(summary)}</p>"
        + errors(problems or [])
        + _form(action, csrf, fields, t("contrib.page.next", lang))
    )


def _row_problems(problems: tuple[Problem, ...], lang: str) -> str:
    return "<br>".join(_e(p.message(lang)) for p in problems)


def report_html(lang: str, report: Report) -> str:
    """The validation report: the summary, counts by kind, notes, the first problem rows with
    their suggestions."""
    summary = t(
        "contrib.page.summary",
        lang,
        ok=report.ok_rows,
        rows=len(report.rows),
        units=report.matched_units,
    )
    out = f'<p class="lead" id="report-summary">{_e(summary)}</p>'
    if report.counts:
        rows = "".join(
            f"<tr><td>{_e(t(f'contrib.kind.{kind}', lang))}</td><td>{n}</td></tr>"
            for kind, n in report.counts.items()
        )
        out += (
            f'<h3 class="h6">{_e(t("contrib.page.counts", lang))}</h3>'
            f'<table class="table table-sm" id="report-counts"><thead><tr>'
            f'<th scope="col">{_e(t("contrib.page.col.kind", lang))}</th>'
            f'<th scope="col">{_e(t("contrib.page.col.count", lang))}</th>'
            f"</tr></thead><tbody>{rows}</tbody></table>"
        )
    if report.notes:
        items = "".join(f"<li>{_e(n.message(lang))}</li>" for n in report.notes)
        out += f'<h3 class="h6">{_e(t("contrib.page.notes", lang))}</h3><ul>{items}</ul>'
    # what the uploader can fix first; rows outside the account's scope (a national file
    # uploaded by a state's editor: most of them) after, their count is in the table above
    bad = sorted(
        (r for r in report.rows if r.problems),
        key=lambda r: any(p.kind == "outside_scope" for p in r.problems),
    )[:SHOWN_ROWS]
    if bad:
        head = "".join(
            f'<th scope="col">{_e(t(f"contrib.page.col.{c}", lang))}</th>'
            for c in ("row", "unit", "year", "value", "kind")
        )
        rows = "".join(
            f"<tr><td>{r.row}</td><td>{_e(r.unit or '')}</td><td>{_e(r.year or '')}</td>"
            f"<td>{_e('' if r.value is None else number(r.value, decimals_needed(r.value), lang))}</td>"
            f"<td>{_row_problems(r.problems, lang)}</td></tr>"
            for r in bad
        )
        out += (
            f'<h3 class="h6">{_e(t("contrib.page.problem_rows", lang))}</h3>'
            f'<table class="table table-sm" id="report-rows"><thead><tr>{head}</tr></thead>'
            f"<tbody>{rows}</tbody></table>"
        )
    return out


def _figure(lang: str, m: PreviewMap, link: str = "", link_text: str = "") -> str:
    """One preview map: the server's SVG (its ``title`` and ``desc`` name it and describe it for
    a screen reader), its caption, and its text alternative in a details element anyone can
    open."""
    more = f' <a href="{_e(link)}">{_e(link_text)}</a>' if link else ""
    return (
        f'<figure class="col-md-6 preview-figure" id="preview-{m.kind}">{m.svg}'
        f'<figcaption class="small">{_e(m.caption)}{more}</figcaption>'
        f'<details class="small"><summary>{_e(t("contrib.preview.in_words", lang))}</summary><p>{_e(m.alt)}</p>'
        "</details></figure>"
    )


def preview_html(lang: str, preview: Preview | None) -> str:
    """The preview maps, official left and upload right, or why there is none."""
    head = f'<h3 class="h6 mt-4" id="preview-h">{_e(t("contrib.preview.heading", lang))}</h3>'
    if preview is None:
        return head + f'<p role="status">{_e(t("contrib.preview.none", lang))}</p>'
    intro = t("contrib.preview.intro", lang, year=preview.year)
    notes = [intro, t("contrib.preview.counts", lang)]
    if preview.official is None:
        notes.append(t("contrib.preview.no_official", lang))
    figures = ""
    if preview.official is not None:
        figures += _figure(
            lang, preview.official, preview.official_link, t("contrib.preview.see_official", lang)
        )
    figures += _figure(lang, preview.upload)
    return (
        f'<section aria-labelledby="preview-h" id="preview">{head}'
        + "".join(f"<p>{_e(n)}</p>" for n in notes)
        + f'<div class="row">{figures}</div></section>'
    )


def step3(
    lang: str,
    action: str,
    csrf: str,
    state: MappingType[str, str],
    report: Report,
    meta: MappingType[str, str],
    problems: list[str] | None = None,
    preview: str = "",
) -> str:
    """The validation report, the preview maps (``preview``: :func:`preview_html`) and the
    publication's form."""
    fields = ""
    for name in META_FIELDS:
        label = t(f"contrib.page.field.{name}", lang)
        if name in ("source", "method_note"):
            fields += _textarea(name, label, meta.get(name, ""), rows=3)
        else:
            required = "required" if name in REQUIRED else None
            fields += field(name, label, value=meta.get(name, ""), required=required)
    fields += _carried(state, ("upload", "country", "indicator"))
    fields += _carried(state, [f"m_{r}" for r in (*ROLES, "year_value")]) + _hidden("step", "3")
    return (
        f'<h2 class="h5">{_e(t("contrib.page.step3", lang))}</h2>'
        + errors(problems or [])
        + report_html(lang, report)
        + preview
        + f'<h3 class="h6 mt-4">{_e(t("contrib.page.about", lang))}</h3>'
        + _form(action, csrf, fields, t("contrib.page.publish", lang))
    )


def dataset_page(
    lang: str,
    action: str,
    csrf: str,
    info: DatasetInfo,
    country_name: str,
    indicator_name: str,
    api_link: str,
    upload_link: str,
    note: str = "",
    problems: list[str] | None = None,
) -> str:
    head = "".join(
        f'<th scope="col">{_e(t(f"contrib.page.col.{c}", lang))}</th>'
        for c in ("version", "date", "status", "values")
    )
    rows = ""
    for v in info.versions:
        status = "current" if v.current else v.status
        button = ""
        if not v.current:
            button = _form(
                action,
                csrf,
                _hidden("to_version", v.number),
                t("contrib.page.rollback", lang, version=v.number),
            )
        rows += (
            f"<tr><td>{v.number}</td><td>{v.created_at.date().isoformat()}</td>"
            f"<td>{_e(t(f'contrib.page.status.{status}', lang))}</td><td>{v.values}</td>"
            f"<td>{button}</td></tr>"
        )
    about = t(
        "contrib.page.contributor",
        lang,
        place=info.contributor,
        country=country_name,
        indicator=indicator_name,
    )
    return (
        (message(note, "success") if note else "")
        + errors(problems or [])
        + f"<p>{_e(about)}</p>"
        + f"<dl><dt>{_e(t('contrib.page.field.source', lang))}</dt><dd>{_e(info.source)}</dd>"
        + f"<dt>{_e(t('contrib.page.field.licence', lang))}</dt><dd>{_e(info.licence)}</dd>"
        + f"<dt>{_e(t('contrib.page.field.contact', lang))}</dt><dd>{_e(info.contact)}</dd></dl>"
        + f'<h2 class="h5">{_e(t("contrib.page.versions", lang))}</h2>'
        + f'<table class="table table-sm" id="versions"><thead><tr>{head}<th></th></tr></thead>'
        + f"<tbody>{rows}</tbody></table>"
        + f'<p><a href="{_e(api_link)}">{_e(t("contrib.page.api", lang))}</a> · '
        + f'<a href="{_e(upload_link)}">{_e(t("contrib.page.upload_more", lang))}</a></p>'
    )

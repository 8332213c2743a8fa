"""The unit's report at the top of ``/unit/<id>`` (:class:`atlas.unit_report.UnitReport`).

A header answer (the verdicts counted, with their sources and years), the reference-target form
(framework or local target, kept in the page's URL), the downloads (PDF through the browser's
print, CSV and XLSX from ``/unit/<id>/report.<fmt>``), one small trend chart per indicator (an SVG
image with its text alternative, :mod:`atlas.trend_svg`) with the indicator's answer as the map's
unit panel gives it, and the sources with their years and licences. With what users wrote
(:attr:`atlas.unit_report.UnitReport.local`): the contributed lines in the charts and the legend,
the local plan's section (its targets as one-click choices of the target form too) and the
e-network's experiences of the unit.

The print stylesheet (``assets/1_atlas.css``, ``@media print``) lays the report out on at most two
A4 pages: the form, buttons, value tables and peers stay on screen only; the charts are grouped by
goal in a grid whose cards never break across a page.
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from atlas.i18n import number, t
from atlas.local_report import CONTRIBUTED
from atlas.plans import TARGET_COLUMNS
from atlas.trend_svg import data_uri, legend_swatch, svg
from atlas.unit_report import Chart, UnitReport, chart_summary
from atlas.urls import URLs
from atlas.urlstate import FRAMEWORKS, State
from layouts.panels import answer_lines

REPORT_ID = "unit-report"
ANSWER_ID = "report-answer"
FORM_ID = "report-target-form"
PRINT_ID = "report-print"
CSV_ID = "report-csv"
XLSX_ID = "report-xlsx"
CHARTS_ID = "report-charts"
SOURCES_ID = "report-sources"
ALTERNATIVE_ID = "report-alternative"
PLAN_ID = "report-plan"
PLAN_CHOICES_ID = "report-plan-choices"
EXPERIENCES_ID = "report-experiences"
UNAVAILABLE_ID = "report-local-unavailable"


def _chip(colour: str, text: str) -> html.Li:
    return html.Li(
        [html.Span(className="status-light", style={"background": colour}), html.Span(text)],
        className="d-inline-flex align-items-center gap-1 me-3",
    )


def answer_header(r: UnitReport, urls: URLs) -> html.Section:
    """How many targets are achieved, on track, must accelerate or stagnate, and on what."""
    lang = r.state.lang
    body: list = []
    if r.counts:
        body += [
            html.P(t("report.counts_intro", lang, n=r.assessed), className="mb-1"),
            html.Ul(
                [_chip(c.colour, f"{c.count} · {c.label}") for c in r.counts],
                className="list-unstyled mb-1 report-counts",
            ),
        ]
    else:
        body.append(html.P(t("report.no_verdict", lang), className="mb-1"))
        if r.alternative:  # later data may be judged against another framework's targets
            other = State(lang=lang, framework=r.alternative)
            body.append(
                html.P(
                    html.A(
                        t(
                            "report.try_framework",
                            lang,
                            framework=t(f"target.framework.{r.alternative}", lang),
                        ),
                        href=urls.unit(r.profile.unit_id, lang, other),
                        id=ALTERNATIVE_ID,
                    ),
                    className="mb-1 d-print-none",
                )
            )
    extra = []
    if r.insufficient:
        extra.append(t("report.insufficient", lang, n=r.insufficient))
    if r.trends:
        extra.append(t("report.trends", lang, n=r.trends))
    if extra:
        body.append(html.P("; ".join(extra) + ".", className="small mb-1"))
    if r.sources:
        sources = "; ".join(f"{s} ({years})" for s, years in r.sources)
        body.append(
            html.P(t("report.verdict_sources", lang, sources=sources), className="small mb-0")
        )
    if r.local_incomplete:
        body.append(html.P(t("report.local_incomplete", lang), className="small mb-0", role="note"))
    return html.Section(
        [
            html.H2(
                t("report.answer_title", lang, framework=r.framework_label),
                id="report-answer-title",
                className="h5",
            ),
            *body,
        ],
        id=ANSWER_ID,
        className="report-answer mb-3",
        **{"aria-labelledby": "report-answer-title"},
    )


def target_form(r: UnitReport, urls: URLs) -> html.Form:
    """Framework or local target: a plain GET form to the page itself, so the choice lands in
    the URL (shareable, Back restores it) and works without JavaScript."""
    lang, st = r.state.lang, r.state
    local = st.framework == "local"

    def field(label: str, control, width: int) -> dbc.Col:
        return dbc.Col([dbc.Label(label, html_for=control.id), control], md=width)

    first = r.targetable[0][0] if r.targetable else ""
    fields = [
        field(
            t("report.form.framework", lang),
            dbc.Select(
                id="report-f",
                name="f",
                value=st.framework,
                options=[
                    {"label": t(f"target.framework.{f}", lang), "value": f} for f in FRAMEWORKS
                ],
            ),
            3,
        ),
        field(
            t("report.form.indicator", lang),
            dbc.Select(
                id="report-i",
                name="i",
                value=st.indicator if local else first,
                options=[{"label": lbl, "value": i} for i, lbl in r.targetable],
            ),
            4,
        ),
        field(
            t("report.form.value", lang),
            dbc.Input(
                id="report-lv",
                name="lv",
                type="number",
                step="any",
                value=st.local_value if local else None,
            ),
            2,
        ),
        field(
            t("report.form.year", lang),
            dbc.Input(
                id="report-ly",
                name="ly",
                type="number",
                min=2000,
                max=2100,
                step=1,
                value=st.local_year if local else None,
            ),
            2,
        ),
        dbc.Col(dbc.Button(t("report.form.apply", lang), type="submit"), md=1, className="pt-4"),
    ]
    hidden = (
        [] if lang == urls.default_lang else [dcc.Input(type="hidden", name="lang", value=lang)]
    )
    return html.Form(
        [
            html.Fieldset(
                [
                    html.Legend(t("report.form.title", lang), className="h6"),
                    dbc.Row(fields, className="g-2 align-items-end"),
                    html.P(t("report.form.help", lang), className="small text-muted mb-0 mt-1"),
                    *hidden,
                ]
            ),
            *plan_choices(r, urls),
        ],
        id=FORM_ID,
        method="get",
        action=urls.unit(r.profile.unit_id, urls.default_lang),
        className="report-form d-print-none mb-3 p-2 border rounded",
    )


def plan_choices(r: UnitReport, urls: URLs) -> list:
    """The local plan's targets as one-click choices beside the frameworks: each a link to this
    report with that target as its local one (the one shown now marked current)."""
    plan = r.local.plan if r.local is not None else None
    if plan is None or not plan.rows:
        return []
    lang, st = r.state.lang, r.state
    items = []
    for row in plan.rows:
        m = row.map_state
        target = State(
            lang=lang,
            framework="local",
            indicator=m.indicator,
            local_value=m.local_value,
            local_year=m.local_year,
        )
        current = (
            st.framework == "local"
            and st.indicator == m.indicator
            and st.local_value == m.local_value
            and st.local_year == m.local_year
        )
        items.append(
            html.Li(
                html.A(
                    t(
                        "report.plan.choice",
                        lang,
                        indicator=row.texts.indicator,
                        value=row.texts.target,
                        year=m.local_year,
                    ),
                    href=urls.unit(r.profile.unit_id, lang, target),
                    className="btn btn-sm "
                    + ("btn-secondary" if current else "btn-outline-secondary"),
                    **({"aria-current": "true"} if current else {}),
                ),
                className="d-inline-block me-2 mb-1",
            )
        )
    return [
        html.P(
            t("report.plan.choices", lang, name=plan.name),
            id=f"{PLAN_CHOICES_ID}-title",
            className="small mb-1 mt-2",
        ),
        html.Ul(
            items,
            id=PLAN_CHOICES_ID,
            className="list-unstyled mb-0",
            **{"aria-labelledby": f"{PLAN_CHOICES_ID}-title"},
        ),
    ]


def downloads(r: UnitReport, urls: URLs) -> html.Div:
    lang, uid = r.state.lang, r.profile.unit_id
    title = t("report.file.title", lang, name=r.profile.name)
    return html.Div(
        [
            html.Button(
                t("report.download_pdf", lang),
                id=PRINT_ID,
                type="button",
                title=t("report.pdf_help", lang),
                className="btn btn-primary btn-sm",
                **{"data-print": title},
            ),
            *(
                html.A(
                    t(f"report.download_{fmt}", lang),
                    id=link_id,
                    href=urls.report_file(uid, fmt, lang, r.state),
                    className="btn btn-outline-primary btn-sm",
                    download="",
                )
                for fmt, link_id in (("csv", CSV_ID), ("xlsx", XLSX_ID))
            ),
            html.Span(t("report.pdf_help", lang), className="small text-muted"),
        ],
        className="d-flex flex-wrap align-items-center gap-2 mb-3 d-print-none",
    )


def legend(r: UnitReport) -> html.Ul:
    p, lang = r.profile, r.state.lang
    entries = [("unit", p.name)]
    if p.level == "municipality" and p.admin1_name:
        entries.append(("admin1", f"{p.admin1_name} ({p.admin1_kind})"))
    if p.level != "country":
        entries.append(("country", p.country_name))
    entries += [(CONTRIBUTED, name) for name in r.contributed_labels]
    entries.append(("target", f"{t('report.legend.target', lang)} ({r.framework_label})"))
    items = [
        html.Li(
            [html.Img(src=data_uri(legend_swatch(role)), alt="", width=28, height=10), text],
            className="d-inline-flex align-items-center gap-1 me-3",
        )
        for role, text in entries
    ]
    items.append(
        html.Li(
            [
                html.Span("○", className="flag-dot", **{"aria-hidden": "true"}),
                t("report.legend.flagged", lang),
            ],
            className="d-inline-flex align-items-center gap-1",
        )
    )
    return html.Ul(items, className="list-unstyled small mb-2 report-legend")


def chart_card(r: UnitReport, c: Chart, footnotes: str, goals: dict[int, str]) -> html.Figure:
    lang = r.state.lang
    if c.answer is not None:
        verdict = answer_lines(c.answer, lang, named=False, source=False, short=True)
    else:
        last = c.profile.latest
        status = c.profile.progress.status_label if c.profile.progress else ""
        verdict = [
            html.P(
                t(
                    "report.latest",
                    lang,
                    year=last.year,
                    value=number(last.value, c.decimals, lang),
                ),
                className="mb-0",
            ),
            html.P(status or t("report.context", lang), className="mb-0 text-muted"),
        ]
    return html.Figure(
        [
            html.Figcaption(
                [
                    html.Span(goals.get(c.goal, ""), className="report-goal"),
                    html.Strong(c.label),
                    html.Sup(footnotes, className="ms-1"),
                    html.Span(f" ({c.unit_label})", className="text-muted"),
                ],
                className="report-chart-title",
            ),
            html.Img(
                src=data_uri(svg(c, lang)), alt=chart_summary(c, lang), className="report-svg"
            ),
            html.Div(verdict, className="report-verdict"),
        ],
        className="report-chart",
        **{"data-indicator": c.indicator},
    )


def charts(r: UnitReport) -> html.Section:
    lang, p = r.state.lang, r.profile
    index = {s.id: k + 1 for k, s in enumerate(r.sources_used)}

    def notes(c: Chart) -> str:  # the numbers of the unit's sources (and contributed ones)
        shown = (*c.lines_of("unit"), *c.lines_of(CONTRIBUTED))
        return ",".join(
            str(n) for n in sorted({index[pt.source_id] for ln in shown for pt in ln.points})
        )

    goals = {g.goal: g.title for g in p.goals}
    cards = [chart_card(r, c, notes(c), goals) for c in r.charts]
    return html.Section(
        [
            html.H2(t("report.trends_title", lang), id="report-charts-title", className="h5"),
            legend(r),
            html.Div(cards, className="report-grid"),
        ],
        id=CHARTS_ID,
        className="report-charts mb-3",
        **{"aria-labelledby": "report-charts-title"},
    )


def sources(r: UnitReport, page_url: str, generated: str) -> html.Section:
    lang = r.state.lang
    items = [
        html.Li(
            [
                f"{s.label} ({s.years}). ",
                # the licences are in the data files; on paper the list stays short
                html.Span(
                    t("report.licence", lang, licence=s.licence) if s.licence else "",
                    className="d-print-none",
                ),
            ]
        )
        for s in r.sources_used
    ]
    return html.Section(
        [
            html.H2(t("report.sources_title", lang), id="report-sources-title", className="h6"),
            html.Ol(items, className="small mb-1 report-source-list"),
            html.P(t("report.comparability", lang), className="small mb-1"),
            html.P(
                [
                    t("report.generated", lang, date=generated, url=""),
                    html.Span(page_url, className="report-url", **{"data-page-url": "1"}),
                ],
                className="small mb-0 text-muted",
            ),
        ],
        id=SOURCES_ID,
        className="report-sources mb-3",
        **{"aria-labelledby": "report-sources-title"},
    )


def plan_section(r: UnitReport, urls: URLs) -> html.Section | None:
    """The unit's local development plan (None without one): its name, period and document, and
    each target as the plan's page gives it (indicator, target and year, latest official value
    with its year and source, status, observed and required pace), with a link to the map with
    that target as the local framework."""
    plan = r.local.plan if r.local is not None else None
    if plan is None:
        return None
    lang = r.state.lang
    head = [
        html.Strong(plan.name),
        f" ({plan.period_start}–{plan.period_end})",
    ]
    if plan.document_url:
        head += [
            " · ",
            html.A(
                t("localplan.document", lang),
                href=plan.document_url,
                rel="noopener noreferrer",
                target="_blank",
            ),
        ]
    body: list = [html.P(head, className="mb-1")]
    if plan.rows:
        rows = []
        for row in plan.rows:
            x = row.texts
            rows.append(
                html.Tr(
                    [
                        html.Th(x.indicator, scope="row"),
                        html.Td(x.target),
                        html.Td(x.year),
                        html.Td(x.latest),
                        html.Td(x.status),
                        html.Td(x.observed),
                        html.Td(x.required),
                        html.Td(
                            html.A(
                                [
                                    t("report.plan.map_link", lang),
                                    html.Span(
                                        f" ({x.indicator}, {x.year})",
                                        className="visually-hidden",
                                    ),
                                ],
                                href=urls.map(row.map_state),
                                className="report-plan-map",
                            ),
                            className="d-print-none",
                        ),
                    ]
                )
            )
        body.append(
            html.Div(
                dbc.Table(
                    [
                        html.Caption(t("localplan.targets", lang)),
                        html.Thead(
                            html.Tr(
                                [html.Th(t(k, lang), scope="col") for k in TARGET_COLUMNS]
                                + [html.Td(className="d-print-none")]
                            )
                        ),
                        html.Tbody(rows),
                    ],
                    size="sm",
                    className="small mb-1",
                ),
                className="table-responsive",
            )
        )
    else:
        body.append(html.P(t("report.plan.no_targets", lang), className="small mb-1"))
    body.append(html.P(t("report.plan.method", lang), className="small text-muted mb-0"))
    return html.Section(
        [html.H2(t("report.plan.title", lang), id=f"{PLAN_ID}-title", className="h5"), *body],
        id=PLAN_ID,
        className="report-plan mb-3",
        **{"aria-labelledby": f"{PLAN_ID}-title"},
    )


def _period(start: int | None, end: int | None) -> str:
    if start and end:
        return f"{start}–{end}"
    return str(start or end or "")


def experiences_section(r: UnitReport, urls: URLs) -> html.Section | None:
    """The e-network's approved experiences of the unit (title, period, goals, a link to each);
    without any, links to the experiences of similar places in the country and to submit one.
    None when the report was made without the database."""
    if r.local is None or r.local.unavailable:
        return None
    lang, p = r.state.lang, r.profile
    if r.local.experiences:
        items = []
        for v in r.local.experiences:
            period = _period(v.period_start, v.period_end)
            goals = "; ".join(t(f"goal.{g}", lang) for g in v.goals)
            items.append(
                html.Li(
                    [
                        html.A(v.title, href=urls.experience(v.id, lang), className="fw-semibold"),
                        html.Span(
                            " · ".join(x for x in (period, goals) if x),
                            className="d-block small text-body-secondary",
                        ),
                    ],
                    className="mb-1",
                )
            )
        body = [html.Ul(items, className="list-unstyled mb-1")]
    else:
        body = [
            html.P(
                [
                    t("report.experiences.none", lang),
                    " ",
                    html.A(
                        t("report.experiences.similar", lang),
                        href=urls.network("", lang, country=p.country),
                    ),
                    " · ",
                    html.A(t("report.experiences.submit", lang), href=urls.network("submit", lang)),
                ],
                className="small mb-0",
            )
        ]
    return html.Section(
        [
            html.H2(
                t("report.experiences.title", lang),
                id=f"{EXPERIENCES_ID}-title",
                className="h5",
            ),
            *body,
        ],
        id=EXPERIENCES_ID,
        className="report-experiences mb-3" + ("" if r.local.experiences else " d-print-none"),
        **{"aria-labelledby": f"{EXPERIENCES_ID}-title"},
    )


def local_unavailable(r: UnitReport) -> html.P | None:
    """A line saying the users' data could not be read just now (the official report stands)."""
    if r.local is None or not r.local.unavailable:
        return None
    return html.P(
        t("report.local_unavailable", r.state.lang),
        id=UNAVAILABLE_ID,
        className="small text-muted",
        role="note",
    )

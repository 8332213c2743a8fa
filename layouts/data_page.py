"""The data page: the sections of :func:`atlas.datatruth.data_truth` as accessible HTML.

One ``h1``, a list of the countries linking to their sections, then a ``section`` per country
whose ``h2`` carries the country's ISO3 code as its ``id`` (``/data#PER``: the map links there),
an ``h3`` per level with a captioned table of its indicators, and an ``h3`` for what the build
left out or flagged. Tables scroll sideways in their own box; sizes are in rem, so the page
reads at projector size; the comparability notes fold into ``<details>`` (keyboard operable).
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from atlas.datatruth import CountryTruth, IndicatorTruth, SeriesTruth
from atlas.i18n import number, percent, t

CONTENTS_ID = "data-contents"


def _series(s: SeriesTruth, lang: str) -> html.Li:
    parts: list = [html.Span(s.source, className="fw-semibold")]
    if s.years:
        parts.append(f" ({', '.join(map(str, s.years))})")
    if s.join_rate is not None:
        parts.append(
            html.Div(
                t(
                    "datatruth.join",
                    lang,
                    rate=percent(s.join_rate, lang, 1),
                    n=number(s.units_without_data, 0, lang),
                ),
                className="small text-muted",
            )
        )
    return html.Li(parts)


def _says(i: IndicatorTruth, lang: str) -> html.Ul:
    return html.Ul(
        [
            html.Li(
                [
                    html.Span(
                        t("datatruth.can" if s.can else "datatruth.cannot", lang) + ": ",
                        className="fw-semibold " + ("says-can" if s.can else "says-cannot"),
                    ),
                    s.text,
                ],
                **{"data-code": s.code},
            )
            for s in i.statements
        ],
        className="list-unstyled mb-0",
    )


def _notes(i: IndicatorTruth, lang: str) -> list:
    notes = [s for s in i.series if s.comparability]
    if not notes:
        return []
    return [
        html.Details(
            [
                html.Summary(t("datatruth.comparability", lang)),
                *[html.P(s.comparability, className="small mb-1") for s in notes],
            ],
            className="mt-1",
        )
    ]


def _row(i: IndicatorTruth, lang: str) -> html.Tr:
    return html.Tr(
        [
            html.Th(i.label, scope="row"),
            html.Td(i.years_text),
            html.Td(html.Ul([_series(s, lang) for s in i.series], className="ps-3 mb-0")),
            html.Td([_says(i, lang), *_notes(i, lang)]),
        ],
        **{"data-indicator": i.indicator},
    )


def _table(c: CountryTruth, level: str, lang: str) -> html.Div:
    heading = t(f"datatruth.level.{level}", lang)
    return html.Div(
        [
            html.H3(heading, className="h4 mt-3"),
            dbc.Table(
                [
                    html.Caption(t("datatruth.table_caption", lang, level=heading, country=c.name)),
                    html.Thead(
                        html.Tr(
                            [
                                html.Th(t(k, lang), scope="col")
                                for k in (
                                    "datatruth.col.indicator",
                                    "datatruth.col.years",
                                    "datatruth.col.source",
                                    "datatruth.col.says",
                                )
                            ]
                        )
                    ),
                    html.Tbody([_row(i, lang) for i in c.at(level)]),
                ],
                bordered=True,
                responsive=True,
                className="caption-top truth-table",
            ),
        ],
        className="data-level",
        **{"data-level": level},
    )


def _quality(c: CountryTruth, lang: str) -> list:
    codes = ", ".join(f"{code} {number(n, 0, lang)}" for code, n in c.missing_codes)
    out: list = [
        html.H3(t("datatruth.quality", lang), className="h4 mt-3"),
        html.Ul(
            [
                html.Li(t("datatruth.out_of_range", lang, n=number(c.out_of_range, 0, lang))),
                html.Li(t("datatruth.duplicates", lang, n=number(c.duplicates, 0, lang))),
                html.Li(
                    t("datatruth.missing_codes", lang, codes=codes)
                    if codes
                    else t("datatruth.missing_codes_none", lang)
                ),
            ]
        ),
    ]
    if c.flags:
        out.append(
            dbc.Table(
                [
                    html.Caption(t("datatruth.flags_caption", lang)),
                    html.Thead(
                        html.Tr(
                            [
                                html.Th(t("datatruth.col.reason", lang), scope="col"),
                                html.Th(t("datatruth.col.indicator", lang), scope="col"),
                                html.Th(t("datatruth.col.count", lang), scope="col"),
                            ]
                        )
                    ),
                    html.Tbody(
                        [
                            html.Tr(
                                [
                                    html.Th(reason_label, scope="row"),
                                    html.Td(ind_label),
                                    html.Td(number(n, 0, lang)),
                                ],
                                **{"data-reason": reason},
                            )
                            for reason, reason_label, _, ind_label, n in c.flags
                        ]
                    ),
                ],
                bordered=True,
                responsive=True,
                className="caption-top truth-flags",
            )
        )
    elif c.has_flags:
        out.append(html.P(t("datatruth.flags_none", lang)))
    return out


def _admin1(c: CountryTruth, lang: str) -> list:
    """How the state values of the municipal series were obtained, and the rule for showing one."""
    if not c.admin1_values:
        return []
    return [
        html.H3(c.admin1_title, className="h5 mt-3"),
        html.Ul(
            [
                html.Li(t("datatruth.admin1.count", lang, n=number(n, 0, lang), what=what))
                for _, what, n in c.admin1_values
            ],
            className="truth-admin1",
        ),
        html.P(c.admin1_rule, className="small"),
    ]


def section(c: CountryTruth, lang: str) -> html.Section:
    units = html.P(
        [
            html.Span(t("datatruth.units", lang) + ": ", className="fw-semibold"),
            " · ".join(f"{label} {number(n, 0, lang)}" for _, label, n in c.units),
        ]
    )
    summary = [
        t(
            "datatruth.summary_change",
            lang,
            n=number(len(c.with_change), 0, lang),
            total=number(len(c.subnational), 0, lang),
        )
    ]
    if c.single_year:
        names = ", ".join(f"{i.label} ({i.years[0]})" for i in c.single_year)
        summary.append(t("datatruth.summary_single", lang, names=names))
    return html.Section(
        [
            html.H2(c.name, id=c.iso3, tabIndex="-1", className="mt-4"),
            units,
            html.Ul([html.Li(s) for s in summary]),
            *[_table(c, level, lang) for level in c.levels],
            *_admin1(c, lang),
            *_quality(c, lang),
            html.P(
                html.A(t("datatruth.back_to_top", lang), href=f"#{CONTENTS_ID}"),
                className="small",
            ),
        ],
        className="data-country mb-5",
        **{"aria-labelledby": c.iso3},
    )


def layout(
    lang: str, countries: list[CountryTruth], built: str, big: bool = False
) -> dbc.Container:
    """The whole page: title, introduction, the list of countries, a section per country; in
    large type for projectors when ``big`` (``?big=1``, as on the map)."""
    return dbc.Container(
        [
            html.H1(t("datatruth.title", lang), className="mt-3"),
            html.P(t("datatruth.intro", lang, built=built), className="lead"),
            html.Nav(
                [
                    html.H2(t("datatruth.contents", lang), id=CONTENTS_ID, tabIndex="-1"),
                    html.Ul(
                        [html.Li(html.A(c.name, href=f"#{c.iso3}")) for c in countries],
                        className="data-contents-list",
                    ),
                ],
                **{"aria-labelledby": CONTENTS_ID},
            ),
            *[section(c, lang) for c in countries],
        ],
        className="data-page py-3" + (" big-type" if big else ""),
        style={"maxWidth": "80rem", "lineHeight": "1.6"},
    )

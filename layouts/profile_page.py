"""The unit profile page (``/unit/<unit_id>``): a :class:`atlas.profile.Profile` as accessible HTML.

One ``h1`` (the unit's name), key facts as a description list, then one ``h2`` section per MDG
goal with a captioned table: a row per indicator (``th scope="row"``, the label links to the map
showing that indicator with this unit selected), the values by year (one column per year when a
goal has few years, otherwise a list in one cell), the latest national reference, the progress
towards the global MDG target in words, and the source with its years. Comparability notes follow
each table. Missing values read "no data" to screen readers, never 0.
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from atlas.compare import CompareQuery
from atlas.geography import SUBNATIONAL_LEVELS
from atlas.i18n import number, percent, t
from atlas.peer_view import BetterGroup, Feature, Peer
from atlas.peers import BASELINE_WINDOW, BASELINE_YEARS, FEATURES, POPULATION
from atlas.profile import GoalSection, IndicatorProfile, Profile, framework_note
from atlas.text import year_ranges
from atlas.unit_report import UnitReport
from atlas.urls import URLs
from atlas.urlstate import State
from layouts import report as report_layout

#: The map's defaults that :func:`map_href` leaves out of the link (as app.AppContext's).
MAP_DEFAULTS = State(lang="es", country="BRA", level="municipality", indicator="infant_mortality")
#: The links of a page rendered without the app's URL builder (served at /, as AppContext's).
DEFAULT_URLS = URLs(default_lang=MAP_DEFAULTS.lang, map_defaults=MAP_DEFAULTS)
#: A goal with more distinct years than this shows its values as a list in one cell.
MAX_YEAR_COLUMNS = 6
PAGE_ID = "unit-profile"
PEERS_ID = "profile-peers"
MAP_LINK_ID = "profile-map-link"
COMPARE_LINK_ID = "profile-compare-link"


def _capital(s: str) -> str:
    return s[:1].upper() + s[1:]


def map_href(p: Profile, indicator: str | None = None, urls: URLs = DEFAULT_URLS) -> str:
    """The map showing ``indicator`` (default: a headline indicator of the unit) in its latest
    year for this unit, with the unit selected: ``/?v=1&c=...&i=...&y=...&u=...``."""
    ind = p.indicator(indicator) if indicator else p.map_indicator()
    on_map = p.level in SUBNATIONAL_LEVELS
    state = State(
        lang=p.lang,
        country=p.country,
        level=p.level if on_map else "municipality",
        indicator=ind.id if ind else "",
        year=ind.latest.year if ind else None,
        unit=p.unit_id if on_map else "",
    )
    return urls.map(state)


def compare_href(p: Profile, urls: URLs = DEFAULT_URLS) -> str:
    """The compare page with this unit and its headline indicator, ready for more places."""
    ind = p.map_indicator()
    query = CompareQuery((p.unit_id,), (ind.id,) if ind else (), lang=p.lang)
    return urls.compare(query)


def _missing(lang: str) -> list:
    return [
        html.Span("—", **{"aria-hidden": "true"}),
        html.Span(t("common.no_data", lang), className="visually-hidden"),
    ]


def _value(ind: IndicatorProfile, year: int, lang: str) -> list:
    obs = next((o for o in ind.observations if o.year == year), None)
    if obs is None:
        return _missing(lang)
    out: list = [number(obs.value, ind.decimals, lang)]
    if obs.ci_low is not None and obs.ci_high is not None:
        interval = t(
            "profile.interval",
            lang,
            low=number(obs.ci_low, ind.decimals, lang),
            high=number(obs.ci_high, ind.decimals, lang),
        )
        out += [html.Br(), html.Small(f"({interval})", className="text-muted")]
    if obs.flag:  # kept as published, with its reason; not used for the progress
        out += [html.Br(), html.Small(obs.flag, className="flag-note", role="note")]
    return out


def _values_list(ind: IndicatorProfile, lang: str) -> html.Ul:
    return html.Ul(
        [
            html.Li(
                [html.Span(f"{o.year}: "), *_value(ind, o.year, lang)],
                style=None if o.flag else {"whiteSpace": "nowrap"},
            )
            for o in ind.observations
        ],
        className="list-unstyled mb-0 profile-values",
        style={"columns": "2 7rem"} if len(ind.observations) > 6 else None,
    )


def _national(ind: IndicatorProfile, lang: str) -> list:
    ref = ind.national
    if ref is None:
        return _missing(lang)
    return [
        number(ref.value, ind.decimals, lang),
        html.Br(),
        html.Small(f"({ref.year}; {ref.source})", className="text-muted"),
    ]


def _progress(ind: IndicatorProfile, lang: str) -> list:
    pr = ind.progress
    if pr is None:
        return [t("profile.not_assessed", lang)]
    d = ind.decimals
    lines: list[str] = [pr.status_help]
    if pr.kind == "trend" or pr.target_value is None:
        if pr.status == "insufficient_data":  # the trend classes' help says it otherwise
            lines.append(t("profile.no_numeric_target", lang))
        if pr.rate_observed is not None:
            lines.append(
                t("profile.rate_observed", lang, rate=number(100 * pr.rate_observed, 1, lang))
            )
    else:
        if pr.baseline_year is not None and pr.status != "insufficient_data":
            lines.append(
                t(
                    "profile.baseline",
                    lang,
                    year=pr.baseline_year,
                    value=number(pr.baseline_value, d, lang),
                )
            )
        if pr.deadline is not None:
            lines.append(
                t("profile.target", lang, year=pr.deadline, value=number(pr.target_value, d, lang))
            )
        if pr.status != "achieved" and pr.latest_year is not None:
            if pr.rate_still_required is not None:
                rate = number(100 * pr.rate_still_required, 1, lang)
                lines.append(t("profile.rate_required", lang, year=pr.latest_year, rate=rate))
            elif pr.change_still_required is not None:
                change = number(pr.change_still_required, d, lang)
                lines.append(
                    t(
                        "profile.change_required",
                        lang,
                        year=pr.latest_year,
                        change=change,
                        unit=ind.unit,
                    )
                )
    if pr.deadline is not None and pr.latest_year is not None and ind.years[-1] > pr.deadline:
        lines.append(t("profile.assessed_until", lang, year=pr.latest_year))
    return [
        html.Strong(pr.status_label, className=f"status status-{pr.status}"),
        html.Ul([html.Li(x) for x in lines], className="list-unstyled small mb-0"),
    ]


def _sources(ind: IndicatorProfile) -> list:
    items = [html.Li(f"{source} ({year_ranges(years)})") for source, years in ind.sources()]
    return [html.Ul(items, className="list-unstyled small mb-0")]


def _label_cell(p: Profile, ind: IndicatorProfile, lang: str, urls: URLs) -> html.Th:
    return html.Th(
        [
            html.A(
                ind.label,
                href=map_href(p, ind.id, urls),
                title=t("profile.back_to_map", lang),
            ),
            html.Br(),
            html.Small(ind.unit, className="text-muted"),
        ],
        scope="row",
    )


def goal_table(p: Profile, g: GoalSection, lang: str, urls: URLs = DEFAULT_URLS) -> dbc.Table:
    years = g.years
    by_column = len(years) <= MAX_YEAR_COLUMNS
    year_heads = (
        [html.Th(str(y), scope="col") for y in years]
        if by_column
        else [html.Th(t("profile.col_values", lang), scope="col")]
    )
    header = [
        html.Th(t("controls.indicator", lang), scope="col"),
        *year_heads,
        html.Th(t("map.national_reference", lang), scope="col"),
        html.Th(t("profile.col_progress", lang), scope="col"),
        html.Th(t("common.source", lang), scope="col"),
    ]
    rows = []
    for ind in g.indicators:
        values = (
            [html.Td(_value(ind, y, lang), className="text-end") for y in years]
            if by_column
            else [html.Td(_values_list(ind, lang))]
        )
        rows.append(
            html.Tr(
                [
                    _label_cell(p, ind, lang, urls),
                    *values,
                    html.Td(_national(ind, lang)),
                    html.Td(_progress(ind, lang)),
                    html.Td(_sources(ind)),
                ]
            )
        )
    return dbc.Table(
        [
            html.Caption(t("profile.goal_caption", lang, goal=g.title, name=p.name)),
            html.Thead(html.Tr(header)),
            html.Tbody(rows),
        ],
        bordered=True,
        responsive=True,
        size="sm",
        className="caption-top profile-table",
    )


def _notes(g: GoalSection, lang: str) -> list:
    items = []
    for ind in g.indicators:
        parts: list = []
        if ind.comparability:
            parts.append(" ".join(ind.comparability))
        if ind.national is not None and ind.national.comparability:
            parts += [
                " ",
                html.Em(t("map.national_reference", lang) + ": "),
                ind.national.comparability,
            ]
        if parts:
            items.append(html.Li([html.Strong(ind.label + ": "), *parts]))
    if not items:
        return []
    return [
        html.H3(t("map.comparability", lang), className="h6"),
        html.Ul(items, className="small profile-notes"),
    ]


def goal_section(p: Profile, g: GoalSection, lang: str, urls: URLs = DEFAULT_URLS):
    sid = f"goal-{g.goal}"
    return html.Section(
        [html.H2(g.title, id=sid), goal_table(p, g, lang, urls), *_notes(g, lang)],
        **{"aria-labelledby": sid},
        className="profile-goal mb-4",
    )


def key_facts(p: Profile, lang: str) -> html.Section:
    facts: list[tuple[str, object]] = [(t("controls.country", lang), p.country_name)]
    if p.level == "municipality" and p.admin1_name:
        facts.append((_capital(p.admin1_kind), p.admin1_name))
    facts.append((t("profile.kind_label", lang), _capital(p.kind)))
    if p.code:
        facts.append((t("profile.code", lang), p.code))
    if p.population is not None:
        pop = t(
            "profile.population_value",
            lang,
            value=number(p.population, 0, lang),
            year=p.population_year if p.population_year is not None else "?",
        )
        if p.population_source:
            pop = [pop, html.Br(), html.Small(p.population_source, className="text-muted")]
        facts.append((t("profile.population", lang), pop))
    if p.area_km2 is not None:
        facts.append(
            (
                t("profile.area", lang),
                t("profile.area_value", lang, value=number(p.area_km2, 0, lang)),
            )
        )
    items = []
    for term, value in facts:
        items += [html.Dt(term, className="col-sm-3"), html.Dd(value, className="col-sm-9")]
    return html.Section(
        [
            html.H2(t("profile.key_facts", lang), id="key-facts"),
            html.Dl(items, className="row profile-facts"),
        ],
        **{"aria-labelledby": "key-facts"},
        className="mb-4",
    )


def _feature_text(p: Profile, f: Feature, lang: str) -> str:
    label = f"{f.label} ({f.unit})" if f.unit else f.label
    return t(
        "profile.peers_feature",
        lang,
        label=label,
        peer=number(f.peer_value, f.decimals, lang),
        peer_year=f.peer_year,
        name=p.name,
        own=number(f.unit_value, f.decimals, lang),
        own_year=f.unit_year,
    )


def _where(admin1: str, country: str) -> str:
    return ", ".join(x for x in (admin1, country) if x)


def _peer_item(p: Profile, peer: Peer, lang: str, urls: URLs) -> html.Li:
    where = _where(peer.admin1_name, peer.country_name)
    return html.Li(
        [
            html.A(peer.name, href=urls.unit(peer.unit_id, lang), className="peer-link"),
            html.Span(f" · {where}", className="text-muted"),
            html.Ul(
                [html.Li(_feature_text(p, f, lang)) for f in peer.features],
                className="small mb-1 peer-features",
            ),
        ],
        className="peer",
    )


def _better_group(p: Profile, g: BetterGroup, lang: str, urls: URLs) -> html.Div:
    label = f"{g.label} ({g.unit})" if g.unit else g.label
    own = t(
        "profile.better_own",
        lang,
        name=p.name,
        value=number(g.baseline_value, g.decimals, lang),
        year=g.baseline_year,
        pace=percent(g.pace, lang, 1),
        end=g.end_year,
    )
    items = [
        html.Li(
            [
                html.A(f.name, href=urls.unit(f.unit_id, lang), className="peer-link"),
                html.Span(f" · {_where(f.admin1_name, f.country_name)}: ", className="text-muted"),
                t(
                    "profile.better_peer",
                    lang,
                    value=number(f.baseline_value, g.decimals, lang),
                    year=f.baseline_year,
                    pace=percent(f.pace, lang, 1),
                    end=f.end_year,
                ),
            ],
            className="peer",
        )
        for f in g.peers
    ]
    return html.Div(
        [
            html.H4(label, className="h6 mt-2"),
            html.P(own, className="small mb-1"),
            html.Ol(items, className="small"),
        ]
    )


def peers_section(p: Profile, lang: str, urls: URLs = DEFAULT_URLS) -> html.Section:
    """Municipalities like this one, by country, and those that did better from a similar start;
    each peer links to its profile and shows the values that make it similar."""
    peers = p.peers
    method = html.A(t("profile.peers_method", lang), href=urls.method(lang) + "#peers")
    body: list = []
    if peers is None or not peers.available:
        body.append(html.P(t("profile.peers_unavailable", lang), className="text-muted"))
    elif not peers.like:
        body.append(html.P([t("profile.peers_none", lang, name=p.name), " ", method]))
    else:
        labels = {
            f.indicator: f.label for c in peers.like for peer in c.peers for f in peer.features
        }
        named = [labels[i] for i in (*FEATURES, POPULATION) if i in labels]
        body.append(
            html.P(
                [
                    t(
                        "profile.peers_intro",
                        lang,
                        name=p.name,
                        features=", ".join(named),
                    ),
                    " ",
                    method,
                ],
                className="small",
            )
        )
        for c in peers.like:
            body += [
                html.H3(
                    t("profile.peers_in_country", lang, country=c.country_name), className="h6"
                ),
                html.Ol(
                    [_peer_item(p, peer, lang, urls) for peer in c.peers],
                    className="peers-list",
                ),
            ]
    if peers is not None and peers.available:
        body.append(html.H3(t("profile.better_title", lang), className="h5 mt-3", id="better"))
        if peers.better:
            body.append(
                html.P(
                    t(
                        "profile.better_intro",
                        lang,
                        window=percent(BASELINE_WINDOW, lang),
                        name=p.name,
                        years=BASELINE_YEARS,
                    ),
                    className="small",
                )
            )
            body += [_better_group(p, g, lang, urls) for g in peers.better]
        else:
            body.append(html.P(t("profile.better_none", lang, name=p.name), className="small"))
    return html.Section(
        [html.H2(t("profile.peers_title", lang), id="peers"), *body],
        id=PEERS_ID,
        **{"aria-labelledby": "peers"},
        className="mb-4 profile-peers",
    )


def not_found(lang: str, unit_id: str = "", urls: URLs = DEFAULT_URLS) -> dbc.Container:
    children = [html.H1(t("profile.not_found_title", lang), className="mt-3")]
    if unit_id:
        children.append(html.P(t("profile.not_found_text", lang, code=str(unit_id)[:40])))
    children.append(html.P(html.A(t("profile.not_found_hint", lang), href=urls.home(lang))))
    return dbc.Container(children, id=PAGE_ID, className="profile-page py-3")


def layout(
    p: Profile | None,
    lang: str,
    *,
    unit_id: str = "",
    urls: URLs = DEFAULT_URLS,
    report: UnitReport | None = None,
    generated: str = "",
) -> dbc.Container:
    """The profile page; a friendly not-found page for ``None`` (``unit_id`` names the code).

    ``urls`` is the app's URL builder (``ctx.urls``): its prefix, and the defaults that links
    leave out so that they stay short. With ``report`` (the same unit's), the page opens with the
    unit's report (:mod:`layouts.report`, dated ``generated``) and keeps the value tables and the
    peers below it, on screen only.
    """
    if p is None:
        return not_found(lang, unit_id, urls)
    subtitle = [_capital(p.kind)]
    if p.level == "municipality" and p.admin1_name:
        subtitle.append(p.admin1_name)
    if p.level != "country":
        subtitle.append(p.country_name)
    note = html.P(
        [
            framework_note(lang),
            " ",
            html.A(t("profile.method_link", lang), href=urls.method(lang)),
        ],
        className="small",
    )
    body = (
        [note, *[goal_section(p, g, lang, urls) for g in p.goals]]
        if p.goals
        else [html.P(t("profile.no_indicators", lang))]
    )
    peers = [peers_section(p, lang, urls)] if p.peers is not None else []
    if report is not None:
        page_url = urls.unit(p.unit_id, lang, report.state)
        top = [
            report_layout.downloads(report, urls),
            report_layout.answer_header(report, urls),
            report_layout.target_form(report, urls),
            key_facts(p, lang),
            report_layout.charts(report),
            report_layout.plan_section(report, urls),
            report_layout.experiences_section(report, urls),
            report_layout.local_unavailable(report),
            report_layout.sources(report, page_url, generated),
        ]
        top = [part for part in top if part is not None]
        details = html.Section(
            [html.H2(t("report.details_title", lang), id="report-details"), *body, *peers],
            className="d-print-none report-details",
            **{"aria-labelledby": "report-details"},
        )
        body, peers = [*top, details], []
    return dbc.Container(
        [
            html.H1(p.name, className="mt-3"),
            html.P(" · ".join(subtitle), className="lead"),
            html.P(
                [
                    html.A(
                        t("profile.back_to_map", lang),
                        href=map_href(p, urls=urls),
                        id=MAP_LINK_ID,
                        className="btn btn-outline-primary btn-sm",
                    ),
                    " ",
                    html.A(
                        t("compare.link", lang),
                        href=compare_href(p, urls),
                        id=COMPARE_LINK_ID,
                        className="btn btn-outline-primary btn-sm",
                    ),
                ],
                className="d-print-none",
            ),
            *([] if report is not None else [key_facts(p, lang)]),
            *body,
            *peers,
        ],
        id=PAGE_ID,
        className="profile-page py-3",
        style={"maxWidth": "80rem"},
    )

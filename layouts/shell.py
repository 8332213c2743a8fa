"""The app shell: header with navigation and language links, the routed page, the footer.

Every link to another page of the atlas is a plain ``<a>`` (a new document, its page rendered
with the layout: app.first_layout), never a ``dcc.Link``: Dash 4.4's renderer swaps a large page
into the same document in time quadratic in its components (headless Chromium on the benchmark
VM: map -> the data page 83 s, map -> methodology 29 s, against 2-3 s for a new document)."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from atlas.compare import CompareQuery
from atlas.i18n import LANG_NAMES, LANGS, t
from atlas.urls import EMBED, Page, URLs
from atlas.urlstate import State
from layouts import ids


def root(body=None, lang: str | None = None, rendered: str | None = None) -> html.Div:
    """The layout: the location and the container the router fills. With ``body`` (the page
    of the address ``rendered``, in ``lang``) the first page comes rendered in it and the router
    leaves it as it is (app.first_layout)."""
    return html.Div(
        [
            dcc.Location(id=ids.URL, refresh=False),
            dcc.Store(id=ids.LANG, data=lang),
            dcc.Store(id=ids.RENDERED, data=rendered),
            dcc.Store(id=ids.ROUTE),
            html.Div(body, id=ids.PAGE),
        ]
    )


def header(lang: str, urls: URLs, page: Page, state: State | None = None) -> html.Header:
    """Navigation; language links lead to the page the router rendered (``page``; on the map,
    the view ``state``, which the map's view callback keeps up to date as the reader changes
    it) in each language, never to the raw request path. A link leaves ``lang``
    out for the app's default language only, so every language is reachable."""
    langs = [
        html.A(
            code.upper(),
            id=ids.lang_link(code),
            href=urls.page(page, code, state),
            lang=code,
            title=LANG_NAMES[code],
            className="lang-link" + (" active" if code == lang else ""),
            **({"aria-current": "true"} if code == lang else {}),
        )
        for code in LANGS
    ]
    return html.Header(
        dbc.Navbar(
            dbc.Container(
                [
                    html.A(
                        t("app.title", lang),
                        href=urls.home(lang),
                        className="navbar-brand",
                    ),
                    html.Nav(
                        [
                            html.A(
                                t("nav.map", lang),
                                href=urls.home(lang),
                                className="nav-link",
                            ),
                            html.A(
                                t("nav.method", lang),
                                href=urls.method(lang),
                                className="nav-link",
                            ),
                            html.A(
                                t("datatruth.nav", lang),
                                href=urls.data(lang),
                                className="nav-link",
                            ),
                            html.A(
                                t("compare.nav", lang),
                                href=urls.compare(CompareQuery(lang=lang)),
                                className="nav-link",
                            ),
                        ],
                        className="main-nav",
                        **{"aria-label": t("nav.main", lang)},
                    ),
                    html.Nav(
                        [
                            html.Span(t("nav.language", lang) + ":", className="visually-hidden"),
                            *langs,
                        ],
                        className="lang-switch",
                        **{"aria-label": t("nav.language", lang)},
                    ),
                ],
                fluid=True,
            ),
            color="dark",
            dark=True,
        )
    )


def page(lang: str, body, urls: URLs, routed: Page, state: State | None = None) -> list:
    if routed.name == EMBED:  # framed by another site: the map alone, no site chrome
        return [html.Main(body, id="main", lang=lang)]
    return [
        html.A(
            t("common.skip_to_content", lang), href="#main", className="visually-hidden-focusable"
        ),
        header(lang, urls, routed, state),
        html.Main(body, id="main", lang=lang),
        html.Footer(
            [
                html.Small(t("app.footer", lang)),
                " ",
                # the account pages are server-rendered forms (callbacks/accounts.py)
                html.Small(
                    html.A(t("accounts.footer_link", lang), href=urls.account("login", lang))
                ),
            ],
            className="site-footer",
        ),
    ]

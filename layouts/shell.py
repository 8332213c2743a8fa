"""The app shell: header with navigation and language links, the routed page, the footer."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

import dash_bootstrap_components as dbc
from dash import dcc, html

from atlas.i18n import LANG_NAMES, LANGS, t
from atlas.urlstate import lang_query
from layouts import ids


def root() -> html.Div:
    """The static layout: the location and the container the router fills."""
    return html.Div(
        [
            dcc.Location(id=ids.URL, refresh=False),
            dcc.Store(id=ids.LANG),
            html.Div(id=ids.PAGE),
        ]
    )


def header(lang: str, path: str, search: str, default_lang: str) -> html.Header:
    """Navigation; language links keep the current view (only ``lang`` changes). A link leaves
    ``lang`` out for ``default_lang`` only (the app's setting), so every language is reachable."""

    def with_lang(code: str) -> str:
        q = [(k, v) for k, v in parse_qsl((search or "").lstrip("?")) if k != "lang"]
        if code != default_lang:
            q.append(("lang", code))
        return path + ("?" + urlencode(q) if q else "")

    langs = [
        html.A(
            code.upper(),
            href=with_lang(code),
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
                        href="/" + lang_query(lang, default_lang),
                        className="navbar-brand",
                    ),
                    html.Nav(
                        [
                            dcc.Link(
                                t("nav.map", lang),
                                href="/" + lang_query(lang, default_lang),
                                className="nav-link",
                            ),
                            dcc.Link(
                                t("nav.method", lang),
                                href="/method" + lang_query(lang, default_lang),
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


def page(lang: str, path: str, search: str, body, default_lang: str) -> list:
    return [
        html.A(
            t("common.skip_to_content", lang), href="#main", className="visually-hidden-focusable"
        ),
        header(lang, path, search, default_lang),
        html.Main(body, id="main", lang=lang),
        html.Footer(html.Small(t("app.footer", lang)), className="site-footer"),
    ]

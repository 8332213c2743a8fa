"""The app shell: header with navigation and language links, the routed page, the footer."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

import dash_bootstrap_components as dbc
from dash import dcc, html

from atlas.i18n import LANG_NAMES, LANGS, t
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


def header(lang: str, path: str, search: str) -> html.Header:
    """Navigation; language links keep the current view (only ``lang`` changes)."""

    def with_lang(code: str) -> str:
        q = [(k, v) for k, v in parse_qsl((search or "").lstrip("?")) if k != "lang"]
        if code != "es":
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
                        t("app.title", lang), href="/" + _lang_query(lang), className="navbar-brand"
                    ),
                    html.Nav(
                        [
                            dcc.Link(
                                t("nav.map", lang),
                                href="/" + _lang_query(lang),
                                className="nav-link",
                            ),
                            dcc.Link(
                                t("nav.method", lang),
                                href="/method" + _lang_query(lang),
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


def _lang_query(lang: str) -> str:
    return "" if lang == "es" else f"?lang={lang}"


def page(lang: str, path: str, search: str, body) -> list:
    return [
        html.A(
            t("common.skip_to_content", lang), href="#main", className="visually-hidden-focusable"
        ),
        header(lang, path, search),
        html.Main(body, id="main", lang=lang),
        html.Footer(html.Small(t("app.footer", lang)), className="site-footer"),
    ]

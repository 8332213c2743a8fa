"""The map page's share menu: the view's link with a copy button, the embed snippet (an
``<iframe>`` of ``/embed`` with the same query) and links to post the view on social networks or
send it by email. A native ``<details>`` opens it (keyboard and screen readers need no script);
the addresses follow the view on screen (``atlas.share`` in assets/atlas.js, from the page's own
address and title); the copy buttons use the clipboard (``data-copy``, assets/atlas.js)."""

from __future__ import annotations

from dash import dcc, html

from atlas.i18n import t
from atlas.urls import EMBED, ROUTE_BY_NAME, URLs
from layouts import ids

#: The social networks a view can be posted to (the addresses are built in assets/atlas.js).
NETWORKS = (
    ("X", ids.SHARE_X),
    ("Facebook", ids.SHARE_FACEBOOK),
    ("WhatsApp", ids.SHARE_WHATSAPP),
    ("LinkedIn", ids.SHARE_LINKEDIN),
)


def _copy_button(target: str, lang: str) -> html.Button:
    return html.Button(
        t("share.copy", lang),
        type="button",
        className="btn btn-outline-primary btn-sm",
        **{"data-copy": target, "data-copied": t("share.copied", lang)},
    )


def share_menu(lang: str, urls: URLs) -> html.Details:
    links = [
        html.A(name, id=cid, href="#", target="_blank", rel="noopener", className="me-2")
        for name, cid in NETWORKS
    ]
    links.append(html.A(t("share.email", lang), id=ids.SHARE_EMAIL, href="#"))
    return html.Details(
        [
            html.Summary(t("share.button", lang), className="btn btn-outline-secondary btn-sm"),
            html.Div(
                [
                    html.Label(t("share.link", lang), htmlFor=ids.SHARE_URL, className="mb-1"),
                    html.Div(
                        [
                            dcc.Input(
                                id=ids.SHARE_URL,
                                type="text",
                                readOnly=True,
                                className="form-control",
                            ),
                            _copy_button(ids.SHARE_URL, lang),
                        ],
                        className="d-flex gap-1 mb-2",
                    ),
                    html.Label(t("share.embed", lang), htmlFor=ids.SHARE_EMBED, className="mb-1"),
                    html.Div(
                        [
                            dcc.Textarea(
                                id=ids.SHARE_EMBED, readOnly=True, rows=3, className="form-control"
                            ),
                            _copy_button(ids.SHARE_EMBED, lang),
                        ],
                        className="d-flex gap-1 mb-2",
                    ),
                    html.P([t("share.social", lang), ": ", *links], className="mb-0"),
                ],
                className="share-panel",
            ),
        ],
        id=ids.SHARE,
        className="share-menu",
        **{
            "data-embed-path": urls.path(ROUTE_BY_NAME[EMBED].path()),
            "data-embed-title": t("share.embed_title", lang),
            "data-site": t("app.title", lang),
        },
    )

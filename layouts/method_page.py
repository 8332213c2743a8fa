"""The methodology page: the sections of :func:`atlas.methodology.methodology` as accessible HTML.

One ``h1`` (the page title), a table of contents with anchor links, an ``h2`` with an ``id`` per
section and ``h3``/``h4`` for its subsections, so headings never skip a level. Tables are
``dbc.Table`` with a ``<caption>`` above them, column headers ``scope="col"`` and the first cell of
each row ``scope="row"``. Formulas are plain text in ``<code>`` (no MathJax, nothing from a CDN).
Sizes are in rem and the text column is limited in width, so the page reads well at large type;
wide tables scroll sideways inside their own box. The ``lang`` attribute of the page is set by
the shell (``html.Main(lang=...)``); only cells quoted in another language carry their own.
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from atlas.i18n import t
from atlas.methodology import (
    Formulas,
    Items,
    Link,
    Paragraph,
    Section,
    Table,
    page_title,
)

#: Heading tags by depth (the page title is h1; sections start at h2).
_HEADINGS = (html.H2, html.H3, html.H4, html.H5, html.H6)
TOC_ID = "method-contents"


def inline(value: str) -> list:
    """Text with `backtick` spans turned into ``<code>`` (an unmatched backtick stays as is)."""
    parts = value.split("`")
    if len(parts) % 2 == 0:  # odd number of backticks: leave the text alone
        return [value]
    out: list = []
    for i, part in enumerate(parts):
        if not part:
            continue
        out.append(html.Code(part) if i % 2 else part)
    return out


def _cell(value, *, formula: bool, lang: str | None, header: bool = False):
    if isinstance(value, Link):
        content = [html.A(value.text, href=value.href, title=value.href, className="text-break")]
        if value.note:
            content.append(f" {value.note}")
    elif formula and value:
        content = html.Code(value)
    else:
        content = value
    attrs = {"lang": lang} if lang else {}
    if header:
        return html.Th(content, scope="row", **attrs)
    return html.Td(content, **attrs)


def table(t: Table) -> dbc.Table:
    """A :class:`Table` as a captioned, responsive Bootstrap table."""
    body = [
        html.Tr(
            [
                _cell(
                    value,
                    formula=i in t.formula_columns,
                    lang=t.lang_of(i),
                    header=i == 0,
                )
                for i, value in enumerate(row)
            ]
        )
        for row in t.rows
    ]
    return dbc.Table(
        [
            html.Caption(t.caption),
            html.Thead(html.Tr([html.Th(h, scope="col") for h in t.header])),
            html.Tbody(body),
        ],
        bordered=True,
        hover=False,
        responsive=True,
        className="caption-top method-table",
    )


def block(b):
    if isinstance(b, Paragraph):
        return html.P(inline(b.text))
    if isinstance(b, Items):
        tag = html.Ol if b.ordered else html.Ul
        return tag([html.Li(inline(item)) for item in b.items])
    if isinstance(b, Formulas):
        children = []
        for name, formula in b.items:
            children += [html.Dt(inline(name)), html.Dd(html.Code(formula))]
        return html.Dl(children, className="method-formulas")
    if isinstance(b, Table):
        return table(b)
    raise TypeError(f"Unknown block {type(b).__name__}.")


def section(s: Section, lang: str, depth: int = 0):
    heading = _HEADINGS[min(depth, len(_HEADINGS) - 1)]
    children = [heading(s.title, id=s.id, tabIndex="-1")]
    children += [block(b) for b in s.blocks]
    children += [section(sub, lang, depth + 1) for sub in s.subsections]
    if depth == 0:
        children.append(
            html.P(
                html.A(t("method.page.back_to_toc", lang), href=f"#{TOC_ID}"),
                className="small method-back",
            )
        )
    return html.Section(children, **{"aria-labelledby": s.id}, className="method-section mb-4")


def contents(sections: list[Section], lang: str) -> html.Nav:
    """The table of contents: every section, with its subsections nested."""

    def entries(items: list[Section] | tuple[Section, ...]):
        return html.Ol(
            [
                html.Li(
                    [html.A(s.title, href=f"#{s.id}")]
                    + ([entries(s.subsections)] if s.subsections else [])
                )
                for s in items
            ]
        )

    return html.Nav(
        [html.H2(t("method.page.toc", lang), id=TOC_ID, tabIndex="-1"), entries(sections)],
        **{"aria-labelledby": TOC_ID},
        className="method-contents mb-4",
    )


def layout(lang: str, sections: list[Section], data_href: str | None = None) -> dbc.Container:
    """The whole page: title, introduction, a link to the data page (``data_href``), contents,
    sections."""
    see_data = []
    if data_href:
        see_data.append(
            html.P(
                [
                    t("datatruth.method_see", lang) + " ",
                    html.A(t("datatruth.title", lang), href=data_href),
                ]
            )
        )
    return dbc.Container(
        [
            html.H1(page_title(lang), className="mt-3"),
            html.P(inline(t("method.page.intro", lang)), className="lead"),
            *see_data,
            contents(sections, lang),
            *[section(s, lang) for s in sections],
        ],
        className="method-page py-3",
        style={"maxWidth": "64rem", "lineHeight": "1.6"},
    )

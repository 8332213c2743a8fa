"""The e-network's Markdown is sanitised on the server: whatever a writer types, no script,
style, event attribute or javascript: link reaches a reader's page."""

from __future__ import annotations

import pytest

from atlas.network import render_markdown


@pytest.mark.parametrize(
    "text, gone",
    [
        ("hello <script>alert(1)</script> world", ["<script", "alert(1)"]),
        ("<style>body{display:none}</style>text", ["<style", "display:none"]),
        ('<p style="position:fixed">x</p>', ["style="]),
        ('<img src="x" onerror="alert(1)">', ["onerror", "<img"]),
        ('<a href="https://example.org" onclick="alert(1)">x</a>', ["onclick"]),
        # markdown-it leaves a javascript: link as plain text: no link is made of it
        ("[click](javascript:alert(1))", ["href"]),
        ('<a href="javascript:alert(1)">x</a>', ["javascript:"]),
        ('<a href="JaVaScRiPt:alert(1)">x</a>', ["avascript:"]),
        ('<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>', ["data:"]),
        ('<iframe src="https://evil.example"></iframe>', ["<iframe"]),
        ('<svg onload="alert(1)"><circle/></svg>', ["<svg", "onload"]),
        ('<form action="https://evil.example"><input name=a></form>', ["<form", "<input"]),
    ],
)
def test_nmd001_nothing_that_runs_or_restyles_survives(text, gone):
    html = render_markdown(text).lower()
    for needle in gone:
        assert needle.lower() not in html, html


def test_nmd002_markdown_keeps_its_structure_and_safe_links():
    html = render_markdown(
        "## Results\n\n**Infant deaths** fell *a third*.\n\n- one\n- two\n\n"
        "[the report](https://example.org/r.pdf)"
    )
    assert "<strong>Infant deaths</strong>" in html and "<em>a third</em>" in html
    assert "<li>one</li>" in html
    assert 'href="https://example.org/r.pdf"' in html
    assert 'rel="noopener noreferrer nofollow"' in html


def test_nmd003_empty_text_is_empty_html():
    assert render_markdown("") == ""

"""Link previews and framing, without a browser: the index page of every view URL carries its own
title, description and Open Graph / Twitter tags in the reader's language, escaped; only /embed
may be framed by another site."""

from __future__ import annotations

import html
import re

import pytest

from atlas.settings import settings
from tests.fixtures.tree import nodes


def _head(resp) -> dict[str, str]:
    text = resp.data.decode()
    tags = re.findall(r'<meta (?:name|property)="([^"]+)" content="([^"]*)">', text)
    out = {k: html.unescape(v) for k, v in tags}
    out["<title>"] = html.unescape(re.search(r"<title>(.*?)</title>", text, re.S).group(1).strip())
    out["<html lang>"] = re.search(r'<html lang="([a-z]{2})">', text).group(1)
    return out


def test_shr001_a_view_url_previews_as_its_own_map_without_javascript(client):
    head = _head(client.get("/?v=1&c=BRA&i=illiteracy&m=status&lang=en"))
    assert head["<html lang>"] == "en"
    assert head["<title>"].startswith("Progress towards the target") and "Brazil" in head["<title>"]
    assert head["og:title"] == head["twitter:title"] == head["<title>"]
    assert head["og:url"].startswith("http://localhost/?v=1") and "m=status" in head["og:url"]
    assert head["og:locale"] == "en_US" and head["og:description"] == head["description"]
    image = head["og:image"]
    assert image.startswith("http://localhost/preview/view.png?v=1") and "m=status" in image
    resp = client.get(image.removeprefix("http://localhost"))
    assert resp.status_code == 200 and resp.mimetype == "image/png"
    assert len(resp.data) < 600_000  # the platforms' limits (X: 5 MB, WhatsApp: about 600 kB)
    pt = _head(client.get("/unit/BRA1100011?lang=pt"))
    assert pt["<html lang>"] == "pt" and pt["<title>"].startswith("São Teste (Estado Exemplo")


def test_shr002_nothing_from_the_address_reaches_the_page_unescaped(client):
    resp = client.get("/unit/%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E?lang=en")
    text = resp.data.decode()
    assert "<script>alert(1)</script>" not in text
    resp = client.get('/?i="><script>x</script>&lang=xx')
    assert "<script>x</script>" not in resp.data.decode() and resp.status_code == 200


@pytest.mark.parametrize("path", ["/", "/unit/BRA1100011", "/method", "/_dash-layout"])
def test_shr003_every_page_but_the_embed_may_be_framed_by_the_atlas_only(client, path):
    resp = client.get(path)
    assert resp.headers["Content-Security-Policy"].endswith("; frame-ancestors 'self'")
    assert resp.headers["X-Frame-Options"] == "SAMEORIGIN"


def test_shr004_the_embedded_map_may_be_framed_anywhere_and_has_no_site_chrome(client):
    resp = client.get("/embed?v=1&c=BRA&i=illiteracy&lang=en")
    assert resp.status_code == 200
    assert "X-Frame-Options" not in resp.headers
    assert "frame-ancestors" not in resp.headers.get("Content-Security-Policy", "")
    same = client.get("/?v=1&c=BRA&i=illiteracy&lang=en")
    assert _head(resp)["<title>"] == _head(same)["<title>"]


def test_shr005_the_embed_page_is_the_map_its_legend_source_and_a_link_back(tiny_store):
    from app import AppContext
    from atlas.catalog import catalog
    from callbacks.router import render
    from layouts import embed_page
    from tests.fixtures.tree import texts

    ctx = AppContext(store=tiny_store, catalog=catalog(), conf=settings())
    children, lang = render(ctx, "/embed", "?v=1&c=BRA&i=illiteracy&u=BRA1100011&lang=pt")
    assert lang == "pt" and len(children) == 1  # no header, navigation or footer
    assert "Fonte" in texts(children[0])
    link = _find(children[0], embed_page.LINK_ID)
    assert link.href.startswith("/?v=1") and "u=BRA1100011" in link.href and link.target == "_blank"
    graph = _find(children[0], embed_page.MAP_ID)
    assert len(graph.figure["data"][0]["locations"]) == 10 and graph.config["scrollZoom"] is False
    empty, _ = render(ctx, "/embed", "?c=URY&i=nothing_here")
    assert _find(empty[0], embed_page.LINK_ID) is not None


def _find(tree, cid):
    return next((n for n in nodes(tree) if getattr(n, "id", None) == cid), None)


def test_shr006_the_first_load_leaves_out_dashs_datatable_which_the_atlas_never_draws(client):
    from pathlib import Path

    index = client.get("/").get_data(as_text=True)
    scripts = re.findall(r'<script src="([^"]+)"', index)
    assert scripts and not [s for s in scripts if "dash_table" in s]
    assert any("dash_core_components" in s for s in scripts)
    root = Path(__file__).resolve().parents[2]
    code = [
        p for d in ("app.py", "atlas", "layouts", "callbacks") for p in (root / d).rglob("*.py")
    ]
    assert not [p for p in code if "DataTable(" in p.read_text(encoding="utf-8")]

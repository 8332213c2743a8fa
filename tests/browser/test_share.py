"""Share and embed in Chromium: the share menu holds the view's own address, an embed snippet of
the same view and the social links, and follows the view; the embedded map shows in an iframe of
another origin, while the atlas page itself refuses to be framed there."""

from __future__ import annotations

import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import quote

import pytest

from tests.browser.conftest import console_errors, wait_for

pytestmark = pytest.mark.browser

VIEW = "/?v=1&c=BRA&i=illiteracy&y=2000&m=status&u=BRA4304408&lang=pt"
READY = "return document.getElementById('share-url') && document.getElementById('share-url').value"


@pytest.fixture
def other_origin(tmp_path):
    """A page on another origin (another port) that frames URLs given to it."""

    def serve(frames: list[str]) -> str:
        body = "".join(
            f'<iframe id="f{k}" src="{src}" width="900" height="700"></iframe>'
            for k, src in enumerate(frames)
        )
        (tmp_path / "index.html").write_text(f"<!doctype html><html><body>{body}</body></html>")
        handler = partial(SimpleHTTPRequestHandler, directory=str(tmp_path))
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/index.html"

    servers: list = []
    yield serve
    for s in servers:
        s.shutdown()


def test_brw092_the_share_menu_holds_the_views_link_embed_and_posts(browser, server_url):
    browser.get(server_url + VIEW)
    url = wait_for(browser, READY)
    assert url.startswith(server_url + "/?v=1") and "u=BRA4304408" in url and "m=status" in url
    snippet = browser.find_element("id", "share-embed").get_attribute("value")
    assert snippet.startswith(f'<iframe src="{server_url}/embed?v=1') and "m=status" in snippet
    x = browser.find_element("id", "share-x").get_attribute("href")
    assert x.startswith("https://twitter.com/intent/tweet?url=") and quote(url, safe="") in x
    mail = browser.find_element("id", "share-email").get_attribute("href")
    assert mail.startswith("mailto:?subject=")
    title = browser.find_element("id", "map-title").text
    assert browser.title == f"{title} · Atlas ODM municipal"
    # the menu follows the view: another indicator, another link
    browser.execute_script(
        "window.history.pushState({}, '', arguments[0]); window.dispatchEvent(new PopStateEvent('popstate'))",
        VIEW.replace("illiteracy", "poverty_extreme").replace("y=2000", "y=2010"),
    )
    wait_for(
        browser, "return document.getElementById('share-url').value.includes('poverty_extreme')"
    )
    assert console_errors(browser) == []


def test_brw093_the_embed_shows_in_another_origins_iframe_and_the_atlas_page_does_not(
    browser, server_url, other_origin
):
    embed = server_url + "/embed?v=1&c=BRA&i=illiteracy&y=2000&lang=en"
    page = other_origin([embed, server_url + "/?v=1&c=BRA&i=illiteracy&lang=en"])
    browser.get(page)
    browser.switch_to.frame(browser.find_element("id", "f0"))
    wait_for(
        browser,
        "const g = document.querySelector('#embed-map .js-plotly-plot'); return g && g.data && g.data[0].z && g.data[0].z.length",
    )
    assert browser.find_element("css selector", ".embed-title").text.startswith("Adult illiteracy")
    assert len(browser.find_elements("css selector", ".map-legend .legend-item")) >= 2
    link = browser.find_element("id", "embed-open-full")
    assert link.get_attribute("href").startswith(server_url + "/?v=1")
    assert not browser.find_elements("css selector", "header, nav, .site-footer")
    browser.switch_to.default_content()
    browser.switch_to.frame(browser.find_element("id", "f1"))
    # the browser refused to render the framed atlas page: no document of the atlas in it
    assert browser.execute_script("return document.getElementById('map-title')") is None
    assert "Atlas" not in browser.execute_script("return document.title || ''")
    browser.switch_to.default_content()

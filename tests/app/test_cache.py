"""The shared cache of answers: one computation per view however many readers ask, in memory per
process by default, in a real Redis shared by two app instances when ATLAS_CACHE_URL is set; a
new build is never answered from an old one's entries, and a cache that is down costs nothing
but speed."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace

import pytest

from app import create_app
from atlas.settings import settings
from bench.serving import free_port
from tests.app.bodies import router_body

ROUTER_BODY = router_body("/unit/URY01", "?lang=pt")


def _post(client, body=ROUTER_BODY):
    return client.post("/_dash-update-component", json=body)


def test_cch001_a_callback_asked_twice_is_computed_once(tiny_store):
    client = create_app(settings(), store=tiny_store).server.test_client()
    first, second = _post(client), _post(client)
    assert first.status_code == second.status_code == 200
    assert first.headers["X-Atlas-Cache"] == "miss" and second.headers["X-Atlas-Cache"] == "hit"
    assert first.get_data() == second.get_data()
    other = router_body("/unit/URY01", "?lang=en")
    assert _post(client, other).headers["X-Atlas-Cache"] == "miss"  # another question


def test_cch002_an_api_answer_is_kept_by_its_etag_and_host(tiny_store):
    client = create_app(settings(), store=tiny_store).server.test_client()
    url = "/api/v1/units?country=BRA&limit=2"
    a, b = client.get(url), client.get(url)
    assert a.get_data() == b.get_data() and a.headers["ETag"] == b.headers["ETag"]
    assert a.get_json()["next"].startswith("http://localhost/")
    other_host = client.get(url, base_url="http://atlas.example")
    assert other_host.get_json()["next"].startswith("http://atlas.example/")
    bad = client.get("/api/v1/units?country=XXX")
    assert bad.status_code == 400 and client.get("/api/v1/units?country=XXX").status_code == 400


def test_cch004_two_app_processes_share_their_answers_through_redis(tiny_store, redis_url):
    """Two app instances (as two gunicorn workers or two machines) on one Redis: what one
    computed, the other serves."""
    one = create_app(settings(cache_url=redis_url), store=tiny_store).server.test_client()
    two = create_app(settings(cache_url=redis_url), store=tiny_store).server.test_client()
    body = router_body("/unit/URY01", "?lang=es")
    first = _post(one, body)
    assert first.headers["X-Atlas-Cache"] == "miss"
    shared = _post(two, body)
    assert shared.headers["X-Atlas-Cache"] == "hit" and shared.get_data() == first.get_data()
    url = "/api/v1/observations?country=URY&level=admin1&limit=5"
    assert one.get(url).get_data() == two.get(url).get_data()


def test_cch003_answers_of_another_build_are_never_served(tiny_store_dir, redis_url, tmp_path):
    """The same question to an app on another build (another store fingerprint), through the
    same Redis: computed anew, not answered from the first build's entry."""
    from atlas.store import Store

    rebuilt = tmp_path / "store"
    shutil.copytree(tiny_store_dir, rebuilt)
    manifest = json.loads((rebuilt / "manifest.json").read_text())
    manifest["fingerprint"] = "another-build"
    (rebuilt / "manifest.json").write_text(json.dumps(manifest))
    body = router_body("/unit/URY01", "?lang=en")
    old = create_app(settings(cache_url=redis_url), store=Store(tiny_store_dir))
    new = create_app(settings(cache_url=redis_url), store=Store(rebuilt))
    assert _post(old.server.test_client(), body).headers["X-Atlas-Cache"] == "miss"
    assert _post(old.server.test_client(), body).headers["X-Atlas-Cache"] == "hit"
    assert _post(new.server.test_client(), body).headers["X-Atlas-Cache"] == "miss"


def test_cch005_a_cache_that_is_down_costs_speed_not_answers(tiny_store):
    port = free_port()  # nothing listens on it
    client = create_app(
        settings(cache_url=f"redis://127.0.0.1:{port}/0"), store=tiny_store
    ).server.test_client()
    r = _post(client)
    assert r.status_code == 200 and "page" in r.get_json()["response"]
    assert client.get("/api/v1/indicators").status_code == 200


def test_cch006_only_a_redis_address_is_taken_for_the_cache():
    with pytest.raises(ValueError, match="ATLAS_CACHE_URL"):
        settings(cache_url="http://example.org/")
    assert settings(cache_url=" ").cache_url == ""
    assert replace(settings(), cache_size=5).cache_size == 5


def test_cch007_a_cache_size_of_zero_turns_the_cache_off(tiny_store):
    client = create_app(settings(cache_size="0"), store=tiny_store).server.test_client()
    first, second = _post(client), _post(client)
    assert first.get_data() == second.get_data()
    assert "X-Atlas-Cache" not in first.headers and "X-Atlas-Cache" not in second.headers


def test_cch008_a_kept_answer_is_sent_compressed_as_the_browser_accepts(tiny_store):
    import gzip as gz

    import brotli

    client = create_app(settings(), store=tiny_store).server.test_client()
    plain = _post(client)
    assert "Content-Encoding" not in plain.headers
    for accept, decode in (("br, gzip", brotli.decompress), ("gzip", gz.decompress)):
        for _ in range(2):  # compressed when kept, then served as kept
            r = client.post(
                "/_dash-update-component", json=ROUTER_BODY, headers={"Accept-Encoding": accept}
            )
            assert r.headers["Content-Encoding"] == accept.split(",")[0]
            assert r.headers["X-Atlas-Cache"] == "hit"
            assert decode(r.get_data()) == plain.get_data()
            assert "Accept-Encoding" in r.headers["Vary"]


def test_cch009_the_first_layout_is_kept_by_the_address_its_referer_names(tiny_store):
    """The page in the first layout (app.first_layout) is rendered once per address, build and
    day, however many readers open it: the data page costs 0.2 s of CPU to render. The browser
    still never keeps it (the same URL answers another page for another Referer)."""
    client = create_app(settings(), store=tiny_store).server.test_client()

    def layout(referer=None):
        r = client.get("/_dash-layout", headers={"Referer": referer} if referer else {})
        assert r.status_code == 200
        assert r.headers["Cache-Control"] == "no-store" and "Referer" in r.headers["Vary"]
        return r

    data = "http://localhost/data?lang=pt"
    first, second = layout(data), layout(data)
    assert first.headers["X-Atlas-Cache"] == "miss" and second.headers["X-Atlas-Cache"] == "hit"
    assert first.get_data() == second.get_data()
    assert layout("http://localhost/data?lang=en").headers["X-Atlas-Cache"] == "miss"
    assert layout("http://localhost/data?lang=en").get_data() != first.get_data()
    # the empty shell is one answer for every Referer that names no page of this site
    shell = layout()
    assert shell.headers["X-Atlas-Cache"] == "miss"
    for other in ("http://elsewhere.example/data?lang=pt", "javascript:alert(1)", None):
        again = layout(other)
        assert again.headers["X-Atlas-Cache"] == "hit" and again.get_data() == shell.get_data()

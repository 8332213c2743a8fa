"""Store releases (geodata/build.py): each build a folder of its own, ``current`` switched
atomically, a running server kept on the release it loaded, old releases and killed builds'
leftovers removed after the grace period. On the tiny synthetic store: no raw data needed."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from app import create_app
from atlas.settings import settings
from atlas.store import CURRENT, RELEASES, STORE_VERSION, Store, StoreError, resolve
from geodata.__main__ import is_fresh, main
from geodata.build import RELEASE_NAME, clean, fingerprint, publish
from geodata.errors import BuildError
from tests.fixtures import tiny_store
from tests.fixtures.tiny_store import write_tiny_store

HOUR = 3600.0


def _release(out: Path, shift: float = 0.0) -> Path:
    """A build's last steps on the tiny store: write a release beside the others, publish it and
    clean as geodata.build.build does. ``shift`` moves every unit east, so the display geometry
    (and its content-hashed file names) differ from another release's."""
    tmp = out / RELEASES / f".tmp-test-{time.monotonic_ns()}"
    tmp.parent.mkdir(parents=True, exist_ok=True)
    box = tiny_store._box
    tiny_store._box = lambda x, y: box(x + shift, y)
    try:
        write_tiny_store(tmp)
    finally:
        tiny_store._box = box
    release = publish(tmp, out, json.loads((tmp / "manifest.json").read_text()))
    clean(out, grace_hours=24)
    return release


def _geo_url(store: Store) -> str:
    return "/geo/" + store.geo_file("BRA", "municipality", "low")


def _old(path: Path, hours: float) -> Path:
    """Backdate ``path`` (not following a symlink) as if a build had left it ``hours`` ago."""
    t = time.time() - hours * HOUR
    os.utime(path, (t, t), follow_symlinks=False)
    return path


def _name(hours_ago: float, now: float, fp: str = "0123456789abcdef") -> str:
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(now - hours_ago * HOUR)) + "-" + fp


def test_rel001_a_running_server_keeps_its_geometry_after_a_rebuild_and_a_new_one_serves_the_new(
    tmp_path,
):
    out = tmp_path / "store"
    first = _release(out)
    loaded = Store(out)
    old_url = _geo_url(loaded)
    running = create_app(settings(store_dir=str(out)), store=loaded).server.test_client()
    assert running.get(old_url).status_code == 200

    second = _release(out, shift=0.25)  # the rebuild, under the running server
    assert second != first and resolve(out) == second
    new_url = _geo_url(Store(out))
    assert new_url != old_url
    # the running server still answers its pages' geometry, and stays healthy
    r = running.get(old_url)
    assert r.status_code == 200 and r.get_json()["type"] == "FeatureCollection"
    health = running.get("/healthz")
    assert health.status_code == 200 and health.get_json()["fingerprint"] == loaded.fingerprint
    # a process started now loads the new release
    fresh_app = create_app(settings(store_dir=str(out)))
    fresh = fresh_app.server.test_client()
    assert fresh.get(new_url).status_code == 200
    assert fresh.get("/").status_code == 200


def test_rel010_after_a_restart_a_page_drawn_before_keeps_its_geometry_while_its_release_is_kept(
    tmp_path,
):
    """Geometry names carry their content's hash, so the /geo/ route may answer a name from any
    kept release: a reader's page, drawn before the restart, can still fetch its other levels of
    detail. Once the cleanup removes that release, the name is gone (404)."""
    out = tmp_path / "store"
    _release(out)
    old_url = _geo_url(Store(out))
    _release(out, shift=0.25)
    restarted = create_app(settings(store_dir=str(out))).server.test_client()
    r = restarted.get(old_url)
    assert r.status_code == 200 and r.get_json()["type"] == "FeatureCollection"
    _release(out, shift=0.5)
    _release(out, shift=0.75)
    assert restarted.get(old_url).status_code == 200  # replaced within the grace period: kept
    clean(out, grace_hours=24, now=time.time() + 25 * HOUR)
    assert restarted.get(old_url).status_code == 404
    assert restarted.get("/geo/BRA-municipality-low.0123456789ab.json").status_code == 404
    store = Store(out)
    assert store.geo_path(old_url.removeprefix("/geo/")) is None
    for bad in ("../manifest.json", "../../current", ".tmp-x", "..", ""):
        assert store.geo_path(bad) is None


def test_rel002_releases_are_named_by_build_time_and_fingerprint_and_current_is_a_relative_link(
    tmp_path,
):
    out = tmp_path / "store"
    first, second = _release(out), _release(out)  # same fingerprint, maybe the same second
    manifest = json.loads((second / "manifest.json").read_text())
    assert RELEASE_NAME.match(first.name) and RELEASE_NAME.match(second.name)
    assert second.name.startswith(manifest["built_at"].replace("-", "").replace(":", ""))
    assert manifest["fingerprint"] in second.name
    assert sorted([second.name, first.name]) == [first.name, second.name]  # build order
    assert os.readlink(out / CURRENT) == f"{RELEASES}/{second.name}"
    assert not list(out.glob(".current.tmp-*")) and not list((out / RELEASES).glob(".tmp-*"))


def test_rel003_current_never_names_an_incomplete_release(tmp_path):
    out = tmp_path / "store"
    good = _release(out)
    tmp = out / RELEASES / ".tmp-broken"
    write_tiny_store(tmp)
    next((tmp / "geo").glob("BRA-municipality-low.*.json")).unlink()  # as if killed mid-write
    with pytest.raises(BuildError) as err:
        publish(tmp, out, json.loads((tmp / "manifest.json").read_text()))
    assert "incomplete" in str(err.value) and "BRA-municipality-low" in str(err.value)
    assert resolve(out) == good
    assert [p.name for p in (out / RELEASES).iterdir() if not p.name.startswith(".")] == [good.name]
    Store(out)  # still loads


def test_rel004_the_switch_is_one_rename_of_a_whole_release(tmp_path, monkeypatch):
    """At the moment ``current`` changes, the release it names is complete and under its final
    name; before, ``current`` still names the previous release."""
    out = tmp_path / "store"
    first = _release(out)
    seen = []
    real_replace = os.replace

    def replace(src, dst):
        if Path(dst) == out / CURRENT:
            target = Path(src).resolve()
            seen.append((resolve(out), target, RELEASE_NAME.match(target.name) is not None))
            Store(target)  # loads: every file is there
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    second = _release(out, shift=0.5)
    assert seen == [(first, second, True)]


def test_rel005_old_releases_go_after_the_grace_period_keeping_the_two_newest_and_current(
    tmp_path,
):
    out, now = tmp_path / "store", time.time()
    releases = out / RELEASES
    names = [_name(h, now) for h in (100, 50, 20, 1)]  # A, B, C, D
    for n in names:
        (releases / n).mkdir(parents=True)
        (releases / n / "manifest.json").write_text("{}")
    os.symlink(f"{RELEASES}/{names[3]}", out / CURRENT)

    removed = clean(out, grace_hours=24, now=now)
    # A was replaced (by B) 50 h ago; B only 20 h ago (by C); C and D are the two newest
    assert removed == [releases / names[0]]
    assert sorted(p.name for p in releases.iterdir()) == names[1:]
    # ten hours later, B's grace is over too
    assert clean(out, grace_hours=24, now=now + 10 * HOUR) == [releases / names[1]]
    # a release made current again (a roll-back) is never removed, however old
    (out / CURRENT).unlink()
    os.symlink(f"{RELEASES}/{names[2]}", out / CURRENT)
    (releases / _name(0.5, now)).mkdir()
    (releases / _name(0.2, now)).mkdir()
    assert clean(out, grace_hours=24, now=now + 100 * HOUR) == [releases / names[3]]
    assert (releases / names[2]).is_dir()


def test_rel006_a_killed_builds_leftovers_are_removed_by_the_next_build_once_old(tmp_path):
    out = tmp_path / "store"
    _release(out)
    releases = out / RELEASES
    stale = [
        _old(_mkdir(releases / ".tmp-4242"), 30),  # a release being written, then killed
        _old(_symlink(out / ".current.tmp-4242"), 30),  # a pointer being made
        _old(_mkdir(tmp_path / ".store.tmp-99"), 30),  # builds before releases: their swap folders
        _old(_mkdir(tmp_path / ".store.old-99"), 30),
    ]
    (stale[0] / "units.parquet").write_bytes(b"x" * 1000)
    _old(stale[0], 30)
    fresh = _mkdir(releases / ".tmp-4343")  # another build writing right now
    other = _old(_mkdir(tmp_path / ".other.tmp-1"), 30)  # not this store's

    latest = _release(out, shift=0.5)  # the next build
    assert not any(p.exists() or p.is_symlink() for p in stale)
    assert fresh.is_dir() and other.is_dir()
    assert resolve(out) == latest and Store(out).fingerprint


def _mkdir(path: Path) -> Path:
    path.mkdir(parents=True)
    return path


def _symlink(path: Path) -> Path:
    os.symlink(f"{RELEASES}/gone", path)
    return path


def test_rel007_a_plain_store_is_read_as_it_is_and_replaced_by_the_first_release(tmp_path):
    """A store built before releases (files at the top of the folder): loaded as before; the first
    release takes over; the plain files count as the oldest release, so a server loaded on them
    keeps them through the grace period."""
    out = write_tiny_store(tmp_path / "store")
    plain = Store(out)
    assert plain.path == out and plain.root == out
    running = create_app(settings(store_dir=str(out))).server.test_client()
    old_url = _geo_url(plain)

    release = _release(out, shift=0.25)
    assert Store(out).path == release
    assert running.get(old_url).status_code == 200
    latest = _release(out, shift=0.5)
    assert (out / "manifest.json").is_file()  # within the grace period
    assert running.get(old_url).status_code == 200
    # past it, the plain files go (the manifest first), as an old release would; releases stay
    removed = clean(out, grace_hours=24, now=time.time() + 25 * HOUR)
    assert removed[0] == out / "manifest.json" and out / "geo" in removed
    assert sorted(p.name for p in out.iterdir()) == [CURRENT, RELEASES]
    assert (out / RELEASES / release.name).is_dir() and Store(out).path == latest


def test_rel008_a_pointer_to_a_removed_release_is_a_clear_start_up_error(tmp_path):
    out = tmp_path / "store"
    out.mkdir()
    os.symlink(f"{RELEASES}/20260101T000000Z-0123456789abcdef", out / CURRENT)
    with pytest.raises(StoreError) as err:
        Store(out)
    assert "not built" in str(err.value) and "make store" in str(err.value)


def test_rel009_if_stale_reads_the_current_release_and_cleans_on_the_way(tmp_path, capsys):
    raw, out, now = tmp_path / "raw", tmp_path / "store", time.time()
    release = out / RELEASES / _name(0, now, fingerprint(raw))
    release.mkdir(parents=True)
    manifest = {"store_version": STORE_VERSION, "fingerprint": fingerprint(raw)}
    (release / "manifest.json").write_text(json.dumps(manifest))
    assert not is_fresh(raw, out)
    os.symlink(f"{RELEASES}/{release.name}", out / CURRENT)
    assert is_fresh(raw, out)
    leftover = _old(_mkdir(out / RELEASES / ".tmp-4242"), 30)
    args = ["build", "--if-stale", "--raw", str(raw), "--out", str(out), "--grace-hours", "24"]
    assert main(args) == 0
    printed = capsys.readouterr().out
    assert "up to date" in printed and f"removed {leftover}" in printed
    assert not leftover.exists() and release.is_dir()

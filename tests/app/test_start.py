"""Starting the app: a bad store stops `python app.py` and gunicorn with one line; /healthz."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from app import create_app
from atlas.settings import settings
from atlas.store import STORE_VERSION
from tests.conftest import ROOT


def _start(command: list[str], store_dir: Path, **env_vars: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "ATLAS_STORE_DIR": str(store_dir), "PYTHONPATH": str(ROOT), **env_vars}
    return subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def _assert_stopped_with_one_line(run: subprocess.CompletedProcess, problem: str) -> None:
    assert run.returncode != 0
    assert "Traceback" not in run.stderr
    last = run.stderr.strip().splitlines()[-1]
    assert last.startswith("atlas: Data store at ") and problem in last
    assert last.endswith("Run `make store` to rebuild it.")


def test_sta001_python_app_py_without_a_store_exits_with_one_line(tmp_path):
    run = _start([sys.executable, "app.py"], tmp_path / "none")
    _assert_stopped_with_one_line(run, "no manifest.json")


def test_sta002_gunicorn_as_the_procfile_runs_it_stops_on_a_store_of_another_version(
    tiny_store_dir, tmp_path
):
    store = Path(shutil.copytree(tiny_store_dir, tmp_path / "store"))
    manifest = json.loads((store / "manifest.json").read_text())
    (store / "manifest.json").write_text(json.dumps({**manifest, "store_version": 0}))
    web = (ROOT / "Procfile").read_text().split("web:", 1)[1].splitlines()[0]
    args = shlex.split(web)
    assert args == ["gunicorn", "-c", "gunicorn.conf.py"]
    assert "\npreload_app = True\n" in (ROOT / "gunicorn.conf.py").read_text()
    run = _start([sys.executable, "-m", "gunicorn", *args[1:]], store, HOST="127.0.0.1", PORT="0")
    _assert_stopped_with_one_line(run, f"store version 0, this atlas reads version {STORE_VERSION}")


@pytest.fixture
def served(tiny_store_dir, tmp_path):
    """A copy of the tiny store and a test client of the app that loaded it."""
    store = Path(shutil.copytree(tiny_store_dir, tmp_path / "store"))
    return store, create_app(settings(store_dir=str(store))).server.test_client()


def test_sta003_healthz_answers_200_with_the_store_fingerprint_and_version(served):
    store, client = served
    r = client.get("/healthz")
    manifest = json.loads((store / "manifest.json").read_text())
    assert r.status_code == 200 and r.headers["Cache-Control"] == "no-store"
    assert r.get_json() == {
        "status": "ok",
        "fingerprint": manifest["fingerprint"],
        "store_version": STORE_VERSION,
    }


def test_sta004_healthz_answers_503_when_another_build_replaces_the_store(served):
    store, client = served
    manifest = json.loads((store / "manifest.json").read_text())
    (store / "manifest.json").write_text(json.dumps({**manifest, "fingerprint": "0" * 16}))
    r = client.get("/healthz")
    assert r.status_code == 503 and r.get_json()["status"] == "unavailable"
    assert "another build" in r.get_json()["reason"]


def test_sta005_healthz_answers_503_when_the_store_folder_is_removed(served):
    store, client = served
    shutil.rmtree(store)
    r = client.get("/healthz")
    assert r.status_code == 503 and r.headers["Cache-Control"] == "no-store"
    assert r.get_json() == {"status": "unavailable", "reason": f"the store folder {store} is gone"}


def test_sta006_healthz_lives_under_the_url_prefix(tiny_store_dir):
    client = create_app(
        settings(store_dir=str(tiny_store_dir), url_prefix="/atlas/")
    ).server.test_client()
    assert client.get("/atlas/healthz").status_code == 200
    assert client.get("/healthz").status_code == 404


def test_sta010_a_database_that_cannot_be_reached_stops_the_start_with_one_line(tiny_store_dir):
    run = _start(
        [sys.executable, "app.py"],
        tiny_store_dir,
        ATLAS_DATABASE_URL="postgresql://atlas:s3cret@127.0.0.1:1/atlas",
    )
    assert run.returncode != 0 and "Traceback" not in run.stderr
    last = run.stderr.strip().splitlines()[-1]
    assert last.startswith("atlas: Database postgresql+psycopg://atlas:***@127.0.0.1:1/atlas")
    assert "s3cret" not in run.stderr


def test_sta011_the_app_creates_and_upgrades_its_sqlite_database_at_start(tiny_store_dir, tmp_path):
    from atlas.db import Database, heads

    app = create_app(settings(store_dir=str(tiny_store_dir), data_dir=str(tmp_path / "var")))
    assert app.server.test_client().get("/account/login").status_code == 200
    db = Database.from_url(f"sqlite:///{tmp_path / 'var' / 'atlas.sqlite3'}")
    assert db.current() in heads()
    db.dispose()

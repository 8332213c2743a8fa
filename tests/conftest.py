"""Shared fixtures.

Real-data tests read the raw folder (``ATLAS_RAW_DIR``, default ``../shared/data``) and the built
store (``ATLAS_STORE_DIR``, default ``store/``; ``make test`` builds it first). If the store is
missing, it is built once into a temporary folder so that a bare ``pytest`` works too.

Tests that need "a store" but not the real data use ``tiny_store``, a synthetic store written in
well under a second (tests/fixtures/tiny_store.py). Every test whose fixtures reach ``raw_dir``
(``store`` and ``store_dir`` do) is marked ``realdata``, so ``pytest -m "not realdata"``
(``make test-fast``) runs the others without the raw folder.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from bench.serving import free_port

ROOT = Path(__file__).resolve().parents[1]

# CI explores the same examples on every run (a failure there is reproducible, not luck);
# developers' runs keep exploring new ones. Neither has a wall-clock deadline per example: on a
# loaded machine (a build beside the tests) it failed examples that pass, a race with the CPU.
hypothesis_settings.register_profile("ci", derandomize=True, database=None, deadline=None)
hypothesis_settings.register_profile("dev", deadline=None)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") else "dev")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "raw_dir" in item.fixturenames:
            item.add_marker(pytest.mark.realdata)


@pytest.fixture(scope="session")
def raw_dir() -> Path:
    raw = Path(os.environ.get("ATLAS_RAW_DIR", ROOT.parent / "shared" / "data")).resolve()
    if not raw.is_dir():
        pytest.fail(
            f"Raw data folder {raw} not found: set ATLAS_RAW_DIR or put shared/ beside the repo."
        )
    return raw


@pytest.fixture(scope="session")
def store_dir(raw_dir: Path, tmp_path_factory) -> Path:
    from atlas.store import resolve
    from geodata.__main__ import is_fresh
    from geodata.build import build

    # the folder of the release that the store's pointer names (or a plain store's own folder),
    # so tests can read its files by name
    path = Path(os.environ.get("ATLAS_STORE_DIR", ROOT / "store")).resolve()
    if is_fresh(raw_dir, path):
        return resolve(path)
    out = tmp_path_factory.mktemp("store") / "store"
    build(raw_dir, out, log=lambda m: None)
    return resolve(out)


@pytest.fixture(scope="session")
def store(store_dir: Path):
    from atlas.store import Store

    return Store(store_dir)


@pytest.fixture(scope="session")
def catalog():
    from atlas.catalog import load_catalog

    return load_catalog()


@pytest.fixture(scope="session")
def tiny_store_dir(tmp_path_factory) -> Path:
    from tests.fixtures.tiny_store import write_tiny_store

    return write_tiny_store(tmp_path_factory.mktemp("tiny") / "store")


@pytest.fixture(scope="session")
def tiny_store(tiny_store_dir: Path):
    from atlas.store import Store

    return Store(tiny_store_dir)


@pytest.fixture(scope="session")
def redis_url():
    """A real redis-server on a free loopback port, for the tests that share a cache (make test installs
    Debian's redis-server)."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail("Debian's redis-server is needed (make test installs it).")
    port = free_port()
    proc = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    end = time.time() + 10
    while time.time() < end:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    else:
        proc.kill()
        pytest.fail("redis-server did not start")
    yield f"redis://127.0.0.1:{port}/0"
    proc.terminate()
    proc.wait(10)


@pytest.fixture(scope="session", autouse=True)
def _data_dir(tmp_path_factory):
    """Every app and command of the tests writes its database and secret key in a throwaway
    folder, never in the repository's ``var/``."""
    folder = tmp_path_factory.mktemp("data")
    saved = {k: os.environ.get(k) for k in ("ATLAS_DATA_DIR", "ATLAS_DATABASE_URL")}
    os.environ["ATLAS_DATA_DIR"] = str(folder)
    os.environ.pop("ATLAS_DATABASE_URL", None)
    yield folder
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture(scope="session", autouse=True)
def _quick_password_hashes():
    """argon2id at its smallest cost in tests (1 pass over 1 MiB instead of 3 over 64 MiB): the
    same library and code path, a hundred logins a second instead of a few. A hash records its
    own parameters, so verifying works either way; test_acd014 checks the production ones."""
    from argon2 import PasswordHasher

    from atlas import accounts

    production = accounts._hasher
    accounts._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    yield
    accounts._hasher = production


def _postgres_bin() -> Path | None:
    """The bin folder of Debian's newest PostgreSQL (``/usr/lib/postgresql/<major>/bin``), or
    that of the ``pg_ctl`` on the PATH."""
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    if found:
        return found[-1].parent
    pg_ctl = shutil.which("pg_ctl")
    return Path(pg_ctl).parent if pg_ctl else None


@pytest.fixture(scope="session")
def postgres_url():
    """A throwaway PostgreSQL cluster on a free loopback port, in a temporary folder, for the
    session; stopped and removed after it (``make services`` installs Debian's postgresql).
    PostgreSQL refuses to run as root, so as root the cluster belongs to the ``postgres``
    account (which Debian's package creates) or ``nobody``. The URL names its ``postgres``
    database, from which the ``database`` fixture makes one database per test."""
    import pwd
    import tempfile

    bindir = _postgres_bin()
    if bindir is None:
        pytest.fail("Debian's postgresql is needed (make test installs it: make services).")
    prefix: list[str] = []
    folder = Path(tempfile.mkdtemp(prefix="atlas-pg-"))
    if os.geteuid() == 0:
        for name in ("postgres", "nobody"):
            try:
                account = pwd.getpwnam(name)
                break
            except KeyError:
                continue
        else:
            pytest.fail("Running as root, PostgreSQL needs another account (postgres or nobody).")
        os.chown(folder, account.pw_uid, account.pw_gid)
        prefix = ["runuser", "-u", account.pw_name, "--"]
    data, log = folder / "data", folder / "server.log"
    port = free_port()

    def run(*cmd: str) -> None:
        done = subprocess.run([*prefix, *cmd], capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            tail = log.read_text()[-2000:] if log.exists() else ""
            pytest.fail(f"{cmd[0]} failed: {done.stderr.strip()[-2000:]}\n{tail}")

    run(str(bindir / "initdb"), "-D", str(data), "-U", "atlas", "--auth=trust", "-E", "UTF8",
        "--no-locale", "--no-instructions")  # fmt: skip
    options = (
        f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 "
        "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    )
    run(str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options, "-w", "start")
    try:
        yield f"postgresql+psycopg://atlas@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            [*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(folder, ignore_errors=True)


#: The database tests run on both backends: SQLite (a file per test) and PostgreSQL (a database
#: per test in the session's throwaway cluster, ``postgres_url``).
DB_BACKENDS = ["sqlite", "postgresql"]


@contextmanager
def _database(backend: str, folder: Path, request):
    """An empty database's URL: a SQLite file in ``folder``, or a new database in the session's
    PostgreSQL cluster, dropped afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'atlas.sqlite3'}"
        return
    from sqlalchemy import create_engine, text

    server = request.getfixturevalue("postgres_url")
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=DB_BACKENDS)
def database_url(request, tmp_path):
    """An empty database's URL on each backend, one per test."""
    with _database(request.param, tmp_path, request) as url:
        yield url


@pytest.fixture(scope="module", params=DB_BACKENDS)
def module_database_url(request, tmp_path_factory):
    """An empty database's URL on each backend, one per test module (for tests that start an
    app on it once and empty its tables between tests)."""
    with _database(request.param, tmp_path_factory.mktemp("db"), request) as url:
        yield url

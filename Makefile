# Atlas ODM: the two commands of the README.
#   make run   install, build the data store if missing or stale, serve http://127.0.0.1:8050
#   make test  install (incl. Debian chromium for browser tests), build the store, run every test

PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
RAW    ?= $(or $(ATLAS_RAW_DIR),../shared/data)
STORE  ?= $(or $(ATLAS_STORE_DIR),store)

PLOTLY_BUNDLE := assets/vendor/plotly-atlas.min.js

.PHONY: run test test-fast install install-dev browser services store lint bench clean plotly lock audit

# Every package, indirect ones and pip itself included, comes from the lock files: exact versions
# and their sha256 hashes (pip refuses anything else). requirements*.txt stay the hand-edited
# top-level pins; after editing one, `make lock` regenerates the locks.
$(VENV)/bin/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.lock | $(VENV)/bin/python
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	touch $@

$(VENV)/.installed-dev: requirements.lock requirements-dev.lock | $(VENV)/bin/python
	$(PY) -m pip install --quiet --require-hashes -r requirements-dev.lock
	touch $@ $(VENV)/.installed

# Regenerate the locks from requirements*.txt (uv, pinned in requirements-dev.txt). Versions already
# locked are kept unless a top-level pin needs others; `make lock UPGRADE=1` moves every indirect
# dependency to its newest allowed version. The dev lock is constrained by the runtime lock, so
# the two never disagree on a version.
UV_COMPILE = $(VENV)/bin/uv pip compile --quiet --generate-hashes --universal --python-version 3.11 \
	--custom-compile-command "make lock" $(if $(UPGRADE),--upgrade)
lock: $(VENV)/.installed-dev
	$(UV_COMPILE) requirements.txt -o requirements.lock
	$(UV_COMPILE) requirements-dev.txt -c requirements.lock -o requirements-dev.lock

# Known vulnerabilities (PyPI's advisory data) of every locked package; needs the network, so CI
# does not run it (README, "Dependencies").
audit: $(VENV)/.installed-dev
	$(VENV)/bin/pip-audit --strict --disable-pip --require-hashes --progress-spinner off -r requirements-dev.lock

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

store: $(VENV)/.installed
	$(PY) -m geodata build --if-stale --raw "$(RAW)" --out "$(STORE)"

# The plotly.js bundle with only the atlas's traces (jsbundle/README.md). Without npm the app
# falls back to Dash's full plotly.js, so a missing npm is a warning, not an error.
$(PLOTLY_BUNDLE): jsbundle/package-lock.json jsbundle/entry.js jsbundle/build.js jsbundle/maplibre-shim.js jsbundle/choropleth-paint.js
	@if command -v npm >/dev/null 2>&1; then \
		cd jsbundle && npm ci --no-audit --no-fund --loglevel=error && npm run --silent build; \
	else echo "npm not found: the atlas will load Dash's full plotly.js (1.5 MB instead of 0.9 MB)"; fi

plotly: $(PLOTLY_BUNDLE)

# app.py upgrades the database (SQLite in var/ unless ATLAS_DATABASE_URL names one) before serving.
run: store plotly
	ATLAS_STORE_DIR="$(STORE)" $(PY) app.py

# Debian's chromium + chromedriver for the browser tests (root installs them; others are told how).
browser:
	@if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	else echo "Browser tests need Debian's chromium and chromium-driver: sudo apt-get install chromium chromium-driver"; exit 1; fi

# Debian's redis-server and nginx (with its brotli_static module) for the shared-cache and
# several-process tests (tests/app/test_cache.py, test_topology.py start their own on free ports
# and stop them; nothing is left running), and postgresql for the database tests on PostgreSQL
# (tests/conftest.py starts a throwaway cluster with initdb + pg_ctl, on a free port, and
# removes it; the package's own cluster service is not needed).
SERVICE_PACKAGES := redis-server nginx libnginx-mod-http-brotli-static postgresql
services:
	@if command -v redis-server >/dev/null 2>&1 && [ -x /usr/sbin/nginx ] && [ -e /usr/lib/nginx/modules/ngx_http_brotli_static_module.so ] && ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SERVICE_PACKAGES) >/dev/null; \
	else echo "These tests need Debian's redis-server, nginx and postgresql: sudo apt-get install $(SERVICE_PACKAGES)"; exit 1; fi

test: install-dev browser services plotly
	$(PY) -m geodata build --if-stale --raw "$(RAW)" --out "$(STORE)"
	ATLAS_RAW_DIR="$(RAW)" ATLAS_STORE_DIR="$(STORE)" $(PY) -m pytest

# The tests that need neither the raw folder nor the full store, on a tiny synthetic store
# (tests/fixtures/tiny_store.py): under a minute, without ../shared/data.
test-fast: install-dev
	$(PY) -m pytest -m "not realdata"

lint: install-dev
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

bench: store
	ATLAS_RAW_DIR="$(RAW)" $(PY) -m bench.build_and_load

clean:
	rm -rf $(STORE) .pytest_cache

# Quick start: `make run` serves the app with demo data; `make test` runs every test;
# `make test-fast` runs all but the browser and slow tests, in parallel (the inner loop, docs/testing.md).
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)

.PHONY: run test test-fast install pdf-deps browser-deps html-deps lint benchmarks

$(BIN)/.installed: pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

academy/static/build/academy.css: node_modules/.installed academy/static/src/academy.scss
	npm run --silent build
	rm -rf academy/static/govuk && mkdir -p academy/static/govuk
	cp -r node_modules/govuk-frontend/dist/govuk/assets academy/static/govuk/
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js academy/static/govuk/

install: $(BIN)/.installed academy/static/build/academy.css

# WeasyPrint needs Pango and a font; both come from Debian's packages when missing.
pdf-deps:
	@missing=""; \
	ldconfig -p | grep -q 'libpango-1.0.so' || missing="$$missing libpango-1.0-0 libpangoft2-1.0-0"; \
	fc-list 2>/dev/null | grep -qi 'DejaVuSans' || missing="$$missing fonts-dejavu-core fontconfig"; \
	if [ -n "$$missing" ]; then $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; fi

# The browser tests drive Debian's Chromium (Playwright never downloads a browser here).
browser-deps:
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq --no-install-recommends chromium; }

# The Nu HTML Checker (vnu-jar, from npm) runs on the Java from Debian's packages, installed when missing
# (before the npm packages, so vnu-jar's install script finds it instead of downloading a runtime).
html-deps:
	@command -v java >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq --no-install-recommends default-jre-headless; }

run: install pdf-deps
	$(BIN)/flask --app wsgi db upgrade
	$(BIN)/flask --app wsgi academy setup
	ACADEMY_BASE_URL=$${ACADEMY_BASE_URL:-http://127.0.0.1:$(PORT)} $(BIN)/flask --app wsgi run --host 127.0.0.1 --port $(PORT)

test: html-deps install pdf-deps browser-deps
	$(BIN)/python -m pytest

# Everything but the `browser` and `slow` markers, spread over the cores by pytest-xdist.
test-fast: install pdf-deps
	$(BIN)/python -m pytest -m "not browser and not slow" -n auto

# Style, the layer contracts (docs/architecture.md) and the type check.
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy
	$(BIN)/bandit -c pyproject.toml -r academy -q

# The load test (issue 16): 50 users in mixed workflows for 60 s under gunicorn, on SQLite and then on
# PostgreSQL (LOCUST_PG_URL), checking afterwards that every write is stored. A benchmark, not a test:
# run it when the machine is quiet. The figures are in docs/performance-locust.md.
.PHONY: locust
locust: install pdf-deps
	$(BIN)/python benchmarks/locust_run.py --database sqlite
	$(BIN)/python benchmarks/locust_run.py --database postgresql

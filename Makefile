# accord — the two commands a newcomer needs: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.accord-installed
PYTEST_ARGS ?=

.PHONY: demo test lint format bench broker clean-venv

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev,broker,postgres]"
	@touch $(STAMP)

# PactFlow's comparison engine (npm), for the OpenAPI parity test; from the committed lockfile.
# --ignore-scripts: its postinstall patch (patch-package on ajv) fails on a fresh install; it only
# changes how whitespace-only strings become numbers, which no corpus case uses.
SMV := tools/swagger-mock-validator
SMV_STAMP := $(SMV)/node_modules/.accord-installed-lock

$(SMV_STAMP): $(SMV)/package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed for tests/openapi (apt-get install nodejs npm)" >&2; exit 1; }
	cd $(SMV) && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@cp $(SMV)/package-lock.json $(SMV_STAMP)

## make test: create the venv (and the npm tool) if missing and run the whole suite
test: $(STAMP) $(SMV_STAMP)
	$(PY) -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

## make lint: ruff (lint + format check), mypy strict on src/ and broker/, import-linter
## contracts (pyproject.toml), the docs site (strict)
lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy src broker
	$(VENV)/bin/lint-imports
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs build --strict --quiet --site-dir .venv/site

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

## make bench: the benchmarks recorded in docs/benchmarks.md
bench: $(STAMP)
	$(PY) -m benchmarks.matching
	$(PY) -m benchmarks.startup

## make soak: the memory soak (docs/benchmarks.md): a broker process on SQLite and on PostgreSQL
## answers 20,000 mixed requests each; fails if its RSS grows > 10 % after warm-up (~10+ min)
.PHONY: soak
soak: $(STAMP)
	$(PY) -m benchmarks.soak

## make demo: the whole pipeline, narrated, on the embedded SQLite broker
demo: $(STAMP)
	@$(PY) demo/run_demo.py

## make broker: a standing broker on SQLite for you to play with (Ctrl-C stops it)
broker: $(STAMP)
	@echo "accord broker on http://127.0.0.1:9292 (pages at /ui), data in ./accord-broker.sqlite"
	$(VENV)/bin/accord broker serve --host 127.0.0.1 --port 9292 --database-url sqlite:///accord-broker.sqlite

clean-venv:
	rm -rf $(VENV)

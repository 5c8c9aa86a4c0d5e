# newsetl: `make run` builds the warehouse from raw/, `make test` runs every check.
PYTHON ?= python3
UV_VERSION := 0.13.9
VENV := .venv
UV := .tools/bin/uv
BIN := $(VENV)/bin

# Prefect keeps its database in the project, and sends nothing anywhere.
export PREFECT_HOME ?= $(CURDIR)/.prefect
export PREFECT_SERVER_ANALYTICS_ENABLED := false
export DO_NOT_TRACK := 1
# A temporary Prefect server gets 90 s to start (Prefect's 20 s is too short on a loaded 2-core box).
export PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS ?= 90
# uv uses the machine's Python and never downloads one.
export UV_PYTHON_DOWNLOADS := never
export UV_PYTHON := $(shell $(PYTHON) -c 'import sys; print(sys.executable)')

.DEFAULT_GOAL := help
.PHONY: help install run test check lint typecheck unit fast format clean quality

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# The virtualenv is rebuilt only when the lock or the project changes: a second run skips it.
$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --quiet
	touch $@

# Then the parser and the text cleaner compiled by Cython in place (newsetl/text/*.so): the script
# compiles what changed since (~0.7 s when nothing did). newsetl refuses to import a compiled
# module older than its source: see newsetl/compiled.py.
# And the fts extension pinned with DuckDB goes where DuckDB looks by default
# (~/.duckdb/extensions/v1.5.5/<platform>/), so any DuckDB 1.5.5 client on this machine (the
# duckdb CLI, a plain duckdb.connect, DBeaver, Jupyter) searches news.duckdb with no network.
install: $(VENV)/.synced  ## create .venv (uv.lock), compile the parser and text cleaner, install fts
	$(BIN)/python newsetl/compiled.py
	$(BIN)/python -m newsetl.warehouse.install_fts

run: install  ## run the nightly flow once over raw/ into warehouse/
	$(BIN)/newsetl run

# A local Prefect server on 127.0.0.1 (data in .prefect/) serving the deployments; Ctrl-C stops
# both. HOST/PORT move it; with PREFECT_API_URL set it serves against that server instead.
.PHONY: serve
# A local server's address; none with PREFECT_API_URL set (that server is used, none started).
LOCAL_SERVER = $(if $(PREFECT_API_URL),,--host $(or $(HOST),127.0.0.1) --port $(or $(PORT),4200))

serve: install  ## Prefect UI on http://127.0.0.1:4200 with the nightly, backfill, ... deployments
	$(BIN)/python -m flows.serve $(LOCAL_SERVER)

# Issue #22: production without a terminal, tried on this machine: a local server (unless
# PREFECT_API_URL is set), the deployments on the process work pool `newsetl`, the alerts, and a
# Prefect worker polling the pool. Ctrl-C stops the worker, then the server. In production the
# same runs as a systemd service (deploy/, docs/operations.md).
.PHONY: worker
worker: install  ## Prefect server + deployments on the work pool "newsetl" + a worker (as in production)
	$(BIN)/python -m flows.worker start $(LOCAL_SERVER)

# The notebook notebooks/report.py run whole, headless: its charts into report.html beside
# news.duckdb (WAREHOUSE=DIR for another warehouse, REPORT_TERM=word for the trend chart).
.PHONY: report
# One shell word, whatever it holds: 'it'\''s' (REPORT_TERM="Xi's visit").
quote = '$(subst ','\'',$(1))'

report: install  ## draw the charts (notebooks/report.py) into warehouse/report.html, offline
	$(BIN)/python notebooks/report.py $(if $(WAREHOUSE),--warehouse-dir $(call quote,$(WAREHOUSE))) $(if $(REPORT_TERM),--term $(call quote,$(REPORT_TERM)))

lint: install  ## ruff: lint and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install  ## mypy --strict over newsetl/ and flows/
	$(BIN)/mypy

# Two processes: much of the suite waits on Prefect servers and subprocesses, which the other
# process overlaps. A test file runs whole on one of them, so a module's fixtures (a built
# warehouse) are made once. (xdist's loadgroup would keep files that share a server together,
# but it does not group under pytest 9: it renames node ids the way pytest 8 kept them.)
unit: install  ## the whole pytest suite, on two processes
	$(BIN)/pytest -n 2 --dist loadfile --durations=25

# The tests not marked `flow` or `slow`: no Prefect server, warehouse fixture or compiler.
fast: install  ## the fast tests only (no flow, no slow test)
	$(BIN)/pytest -n 2 -q -m "not flow and not slow"

test: lint typecheck unit  ## everything CI runs: lint, types and the whole suite

check: lint typecheck fast  ## the daily loop: lint, types and the fast tests (~45 s of CPU)

quality: install  ## score the text cleaner on 2,000 generated articles (SEED=7, COUNT=2000)
	$(BIN)/python -m devtools quality --count $(or $(COUNT),2000) --seed $(or $(SEED),7)

bench-queries: install  ## time analyst queries on a warehouse of N generated articles (N=100000)
	rm -rf .cache/bench/analyst
	$(BIN)/python bench/analyst_queries.py .cache/bench/analyst --count $(or $(N),100000)

# Issue #7: the nightly run at archive scale. The warehouse (.cache/bench/warehouse-nightly-N-1) is
# made once and reused, growing by each night's files; the table goes to bench/nightly-results.md.
.PHONY: bench-nightly
bench-nightly: install  ## time nightly runs (500 new files) on a warehouse of N articles (N=1000000)
	$(BIN)/python bench/nightly.py --count $(or $(N),1000000)

# Issue #7: a warehouse published to S3 (moto's S3 API on localhost): a full load, its build,
# nights of 500 files, a second machine's pull; the table goes to bench/publish-results.md.
.PHONY: bench-publish
bench-publish: install  ## time publishing the warehouse to S3 (moto on localhost; N=100000)
	$(BIN)/python bench/publish.py --count $(or $(N),100000)

format: install  ## apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:  ## remove the environments, the compiled modules and the built warehouse (raw/ is kept)
	rm -rf $(VENV) .tools .prefect .cache
	find newsetl -name "*.so" -delete
	find warehouse -mindepth 1 ! -name README.md -exec rm -rf {} +

# Issue #7: generate N articles (cached in .cache/bench/), then time the read floor, the crude
# DuckDB peer (bench/crude_duckdb.py) and `newsetl ingest`; the table goes to bench/results.md.
# The crude peer and the plain loads compared with it run in turn REPEAT times (3): medians.
.PHONY: bench
bench: install  ## time ingest against the read floor and a crude DuckDB pipeline (N=20000)
	$(BIN)/python bench/run.py --count $(or $(N),20000) --seed $(or $(SEED),1) --repeat $(or $(REPEAT),3)

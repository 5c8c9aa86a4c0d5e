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
# uv uses the machine's Python and never downloads one.
export UV_PYTHON_DOWNLOADS := never
export UV_PYTHON := $(shell $(PYTHON) -c 'import sys; print(sys.executable)')

.DEFAULT_GOAL := help
.PHONY: help install run test lint typecheck unit format clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# The virtualenv is rebuilt only when the lock or the project changes: a second run skips it.
$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --quiet
	touch $@

install: $(VENV)/.synced  ## create .venv with the locked dependencies (uv.lock)

run: install  ## run the nightly flow once over raw/ into warehouse/
	$(BIN)/newsetl run

lint: install  ## ruff: lint and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install  ## mypy --strict over newsetl/ and flows/
	$(BIN)/mypy

unit: install  ## the pytest suite only
	$(BIN)/pytest

test: lint typecheck unit  ## everything CI runs

format: install  ## apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:  ## remove the environments and the built warehouse (raw/ is kept)
	rm -rf $(VENV) .tools .prefect .cache
	find warehouse -mindepth 1 ! -name README.md -exec rm -rf {} +

# Masthead: `make run` serves the site, `make test` runs every test. Nothing else is needed.
SHELL := /bin/bash
PYTHON_VERSION := $(shell cat .python-version)
PY ?= $(shell command -v pyenv >/dev/null && PYENV_VERSION=$(PYTHON_VERSION) pyenv which python3.13 2>/dev/null || command -v python3.13)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
UV_VERSION := 0.13.9
HOST ?= 127.0.0.1
PORT ?= 8000
export MASTHEAD_SECRET_KEY_FILE ?= $(CURDIR)/var/secret_key

.PHONY: install install-dev run serve migrate demo test test-fast lint bench clean

# `install` brings the runtime packages only (what `make run` and a production install
# need); `install-dev` adds the development group for tests, linters and benchmarks.
install: $(STAMP)
install-dev: $(DEV_STAMP)

$(BIN)/uv:
	@test -n "$(PY)" || { echo "Python $(PYTHON_VERSION) not found: install it (pyenv install $(PYTHON_VERSION))"; exit 1; }
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	@test -x $(BIN)/uv || $(BIN)/python -m pip install -q uv==$(UV_VERSION)

# Reinstalls only when the lock file or project metadata changed.
$(STAMP): uv.lock pyproject.toml | $(BIN)/uv
	$(BIN)/uv sync --frozen --inexact --no-dev --python $(BIN)/python
	@touch $(STAMP)

$(DEV_STAMP): uv.lock pyproject.toml | $(BIN)/uv
	$(BIN)/uv sync --frozen --inexact --group dev --python $(BIN)/python
	@touch $(STAMP) $(DEV_STAMP)

var/secret_key:
	@mkdir -p var
	@$(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > $@
	@chmod 600 $@

migrate: install var/secret_key
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py createcachetable

demo: migrate
	$(BIN)/python manage.py load_demo_content --if-empty

run: demo
	$(BIN)/python manage.py collectstatic --noinput -v 0
	@echo "Masthead on http://$(HOST):$(PORT)/"
	PATH="$(CURDIR)/$(BIN):$$PATH" HOST=$(HOST) PORT=$(PORT) $(BIN)/honcho start -f Procfile

test: install-dev var/secret_key
	$(BIN)/python -m tests.run

lint: install-dev var/secret_key
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy masthead tests bench
	$(BIN)/lint-imports

bench: install-dev
	$(BIN)/python bench/ocr_accuracy.py
	$(BIN)/python bench/ocr_speed.py
	$(BIN)/python bench/ocr_formats.py
	$(BIN)/python bench/receipts.py
	$(BIN)/python bench/receipts_world.py --write
	$(BIN)/python bench/receipts_heads.py --write
	$(BIN)/python bench/receipts_bodies.py --write
	$(BIN)/python bench/ocr_scripts.py --group dev,mixed,minority,latin,check,styles --write

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache

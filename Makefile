# IE Academy. `make help` lists the targets.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
# `make test` runs the suite on one pytest-xdist worker per CPU core; `make test PYTEST_ARGS="-n 0 tests/x"` runs
# in one process, `PYTEST_ARGS="-n 2 --durations=30"` adds the slowest tests to the report.
PYTEST_ARGS ?= -n auto

.DEFAULT_GOAL := help

help: ## List the targets.
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  %-16s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@

system-deps: ## Install the Debian packages the platform needs (CJK font, poppler, chromium, gettext), when missing.
	@./scripts/install-system-deps.sh

install: $(VENV)/.installed $(if $(wildcard package.json),node_modules/.installed) ## Create the virtualenv and install Python and npm dependencies.

compilemessages: install ## Compile the translation catalogues.
	$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules -v 0

messages: install ## Extract strings into locale/, complete the English catalogue and compile (under a lock).
	flock locale/.lock sh -c '$(MANAGE) makemessages -l zh_Hant -l en --ignore=.venv --ignore=node_modules --ignore=tests --ignore=benchmarks --no-obsolete -v 0 && $(MANAGE) complete_english_catalogue && $(MANAGE) compilemessages --ignore=.venv --ignore=node_modules -v 0'

migrate: install ## Apply database migrations.
	$(MANAGE) migrate --no-input -v 0

demo: migrate compilemessages ## Create the development signing key and load the demo content (idempotent).
	$(MANAGE) ensure_signing_key
	$(MANAGE) load_demo

run: system-deps demo ## Set everything up and serve the demo site at http://127.0.0.1:8000 on SQLite.
	$(MANAGE) runserver $(HOST):$(PORT)

check: install ## Django checks, missing migrations, ruff and the import direction (import-linter).
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-logo --no-cache

test: install compilemessages ## Run the whole test suite in parallel (DATABASE_URL selects the database; SQLite by default).
	$(VENV)/bin/pytest $(PYTEST_ARGS)

.PHONY: help system-deps install compilemessages messages migrate demo run check test

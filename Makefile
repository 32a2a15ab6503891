# Surgery Day. `make run` serves the demo; `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Debian packages: libpq-dev and a compiler build psycopg2 from source.
SYSTEM_PACKAGES := libpq-dev gcc make
BROWSER_PACKAGES := chromium fonts-dejavu-core
# The production stack test runs nginx, a private redis-server and pg_dump/pg_restore.
STACK_PACKAGES := nginx redis-server postgresql-client

.DEFAULT_GOAL := help
.PHONY: help install system-deps browser-deps stack-deps run serve test test-browser test-stack test-upgrade lint format bench migrate

help:
	@echo "make run      install, migrate, load demo data and serve on http://$(HOST):$(PORT) (with the notification scheduler)"
	@echo "make test     the whole test suite (set DATABASE_URL to run it on PostgreSQL)"
	@echo "make test-stack  the production stack on 127.0.0.1 (nginx, 2 gunicorn, 2 workers, beat) under load and faults (needs PostgreSQL)"
	@echo "make test-upgrade  migrate databases made by earlier releases, check no row is lost and walk the pages (needs PostgreSQL)"
	@echo "make install  only the set-up: Debian packages, .venv, npm assets"
	@echo "make serve    production-like: gunicorn, the Celery workers (one per queue group) and beat (needs DATABASE_URL, REDIS_URL)"
	@echo "make lint     ruff check and format check"
	@echo "make bench    time matchmaking on a 2,000-learner and a 20,000-learner random day, and confirming 300 pairs"

install: system-deps $(VENV)/.installed static/vendor/.installed

system-deps:
	@scripts/system-packages.sh $(SYSTEM_PACKAGES)
	@command -v npm >/dev/null 2>&1 || scripts/system-packages.sh nodejs npm
	@$(PYTHON) -c "import ensurepip, sysconfig, os, sys; sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()['include'], 'Python.h')))" \
		|| scripts/system-packages.sh python3-venv python3-dev

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

static/vendor/.installed: package.json package-lock.json scripts/vendor-assets.sh
	npm ci --no-audit --no-fund --loglevel=error
	scripts/vendor-assets.sh
	touch $@

browser-deps:
	@scripts/system-packages.sh $(BROWSER_PACKAGES)

stack-deps:
	@scripts/system-packages.sh $(STACK_PACKAGES)

migrate: install
	$(BIN)/python manage.py migrate --noinput

# Without Redis there is no Celery beat: run_scheduler sends due notifications beside
# the web server. Background jobs ignore Ctrl-C, so the trap stops it when runserver ends.
run: migrate
	$(BIN)/python manage.py seed_demo
	@export SITE_URL=$${SITE_URL:-http://$(HOST):$(PORT)}; \
	$(BIN)/python manage.py run_scheduler & scheduler=$$!; \
	trap 'kill $$scheduler 2>/dev/null; wait $$scheduler 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# honcho gives each process a PORT counting up from --port: the web server gets $(PORT).
serve: migrate
	$(BIN)/python manage.py collectstatic --noinput
	HOST=$(HOST) $(BIN)/honcho start --port $(PORT)

test: install browser-deps
	$(BIN)/pytest

test-browser: install browser-deps
	$(BIN)/pytest -m browser

# About two minutes. Makes (and drops) STACK_DATABASE_URL's database (default: DATABASE_URL's
# name + _stack, or postgres://postgres@127.0.0.1:5432/surgeryday_stack) and that name + _restore.
test-stack: install stack-deps
	$(BIN)/python scripts/stack_test.py

# About a minute and a half. Makes (and drops) DATABASE_URL's name + _upgrade.
test-upgrade: install stack-deps
	$(BIN)/python scripts/upgrade_test.py

# Targets: the smaller day in under 1 s, the larger in under 10 s ("seconds" is the solver alone).
bench: install
	@$(BIN)/python manage.py matchmaking_bench --learners 2000 --surgeons 200 --slots-per-surgeon 10 --seed 1
	@$(BIN)/python manage.py matchmaking_bench --learners 20000 --surgeons 2000 --slots-per-surgeon 10 --seed 1
	@$(BIN)/python manage.py matchmaking_bench --confirm-pairs 300

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

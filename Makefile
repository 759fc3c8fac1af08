# The two commands of the README: `make demo` and `make test`. Both start from a clean clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test install install-test browser services-check bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

install: $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt

install-test: $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-test.txt

# Debian's chromium for the browser tests (no browser download: Playwright drives /usr/bin/chromium).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

# Install, migrate, load the seeds and serve on the embedded default (SQLite file, Celery eager).
demo: install
	$(BIN)/python manage.py migrate --verbosity 0
	$(BIN)/python manage.py load_seeds
	@$(BIN)/python manage.py create_local_admin --url http://$(HOST):$(PORT)/admin/
	@echo "Serving Pacta on http://$(HOST):$(PORT)/ (Ctrl-C to stop)"
	$(BIN)/python manage.py runserver --noreload $(HOST):$(PORT)

# Install and run the whole test suite (on SQLite, or on PostgreSQL + Redis when DATABASE_URL / REDIS_URL are set).
test: install-test browser
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: install-test
	$(BIN)/python -m bench.store

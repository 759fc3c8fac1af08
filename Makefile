# The two commands of the README: `make demo` and `make test`. Both start from a clean clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test install install-test browser gettext messages services-check bench

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

# GNU gettext for the catalogue test (tests/test_catalogues.py extracts the messages with xgettext). The compiled
# catalogues (.mo) are committed, so `make demo` needs no gettext.
gettext:
	@command -v xgettext >/dev/null 2>&1 || { \
	  echo "installing Debian's gettext for the catalogue test"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq gettext >/dev/null; }

# After changing a message: extract them into agreements/locale/*/LC_MESSAGES/django.po, translate the new ones
# there (Turkish, Azerbaijani, Russian), then run it again to compile the .mo files Django reads.
messages: install-test gettext
	$(BIN)/python manage.py makemessages -l tr -l az -l ru --no-obsolete --no-location \
	  --ignore=.venv --ignore=tests --ignore=bench --ignore=staticfiles --ignore=seeds --ignore=test-artifacts --ignore=docs
	$(BIN)/python -c "import polib, glob; [polib.pofile(p).save_as_mofile(p[:-3] + '.mo') for p in glob.glob('agreements/locale/*/LC_MESSAGES/django.po')]"

# Install, migrate, load the seeds and serve on the embedded default (SQLite file, Celery eager).
demo: install
	$(BIN)/python manage.py migrate --verbosity 0
	$(BIN)/python manage.py load_seeds
	@$(BIN)/python manage.py create_local_admin --url http://$(HOST):$(PORT)/admin/
	@echo "Serving Pacta on http://$(HOST):$(PORT)/ (Ctrl-C to stop)"
	$(BIN)/python manage.py runserver --noreload $(HOST):$(PORT)

# Install and run the whole test suite (on SQLite, or on PostgreSQL + Redis when DATABASE_URL / REDIS_URL are set).
test: install-test browser gettext
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: install-test
	$(BIN)/python -m bench.store

# The front door. `make run` and `make test` work on a fresh clone.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PYTHON := $(BIN)/python
DEMO_ENV := DJANGO_DEBUG=1

.PHONY: run serve install install-dev test lint format migrations-check browser pdf-libs bench bench-alerts bench-roster loadtest clean

$(BIN)/activate:
	@command -v $(PY) >/dev/null 2>&1 || { echo "$(PY) not found"; exit 1; }
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt $(BIN)/activate
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt requirements.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed pdf-libs

install-dev: $(VENV)/.installed-dev

# Install, migrate, load the demo district, then serve the app with a Celery worker and beat.
run: install
	$(DEMO_ENV) $(PYTHON) manage.py migrate --noinput
	$(DEMO_ENV) $(PYTHON) manage.py seed_demo
	$(MAKE) --no-print-directory serve

serve:
	@mkdir -p var/celery/queue var/celery/processed var/celery/control
	@echo "Serving on http://127.0.0.1:8000 (Ctrl-C stops the server, the worker and beat)"
	@trap 'kill 0' INT TERM EXIT; \
	$(DEMO_ENV) $(BIN)/celery -A sro_program worker -Q alerts --hostname=alerts@%h --loglevel=INFO \
	  --concurrency=1 & \
	$(DEMO_ENV) $(BIN)/celery -A sro_program worker -Q default,reminders --hostname=default@%h --beat \
	  --loglevel=INFO --concurrency=1 --schedule=var/celerybeat-schedule & \
	$(DEMO_ENV) $(PYTHON) manage.py runserver 127.0.0.1:8000

# Browser tests need Debian's chromium (never `playwright install`: no downloads here).
browser:
	@test -x /usr/bin/chromium || { apt-get update -qq && apt-get install -y -qq chromium; }

# Server-side PDFs (WeasyPrint) need Debian's pango, HarfBuzz's subsetter and a font.
pdf-libs:
	@ldconfig -p | grep -q libpango-1.0 && ldconfig -p | grep -q libpangoft2-1.0 && ldconfig -p | grep -q libharfbuzz-subset \
	  && fc-list | grep -qi dejavu || { apt-get update -qq && \
	  apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core; }

# Lint, format, types, migrations, then the suite (mypy reads the settings: debug needs no SECRET_KEY).
test: install-dev browser pdf-libs
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(DEMO_ENV) $(BIN)/mypy
	$(BIN)/djlint templates --lint
	$(PYTHON) manage.py makemigrations --check --dry-run
	$(BIN)/pytest

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(DEMO_ENV) $(BIN)/mypy
	$(BIN)/djlint templates --lint

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: install-dev
	$(PYTHON) manage.py makemigrations --check --dry-run

bench: install-dev
	$(PYTHON) bench/run.py
	$(PYTHON) bench/alert_latency.py

# A school day with Locust (bench/locustfile.py) against gunicorn + PostgreSQL + Redis on
# loopback: the realistic rate, then ten times it, 60 s each; p50/p95 per page.
loadtest: install-dev
	$(PYTHON) bench/loadtest.py

# Alert latency behind 500 queued reminders (PostgreSQL; its own Redis and SMTP server).
bench-alerts: install-dev
	$(PYTHON) bench/alert_latency.py

# The OneRoster import of 50,000 students (PostgreSQL): dry run, first import, re-import.
bench-roster: install-dev
	$(PYTHON) bench/roster_import.py

clean:
	rm -rf $(VENV) var db.sqlite3

# Common Ground: `make run` serves the site on 127.0.0.1:$(PORT); `make test` runs the whole suite.
PYTHON ?= python3
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py

.DEFAULT_GOAL := help
.PHONY: help install install-test run serve migrate demo admin test test-fast browser lint format check bench lock screenshots messages clean

help:
	@echo "make run     set up .venv, migrate, load the demo library, serve on http://127.0.0.1:$(PORT)/"
	@echo "make test    the whole test suite (SQLite; no server needed)"
	@echo "make bench   performance and hardening figures (import rate, page timings, upload"
	@echo "             bombs, a hanging Elasticsearch, a killed import, digests, the page"
	@echo "             cache in-process, HTTP load on"
	@echo "             gunicorn; LOAD_SIZES=34,10000 skips the 100,000-case library)"
	@echo "make admin   create an admin account for /admin/"
	@echo "make lint    ruff check + ruff format --check"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Common Ground needs Python 3.11 or newer (found " + sys.version.split()[0] + "). Set PYTHON=/path/to/python3.11.")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/pip install --quiet -c constraints.txt -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/pip install --quiet -c constraints.txt -e ".[test]"
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

migrate: install
	$(MANAGE) migrate --noinput

demo: migrate
	$(MANAGE) load_demo
	$(MANAGE) search_index update
	$(MANAGE) search_index embed --background

# Links in e-mails and on case pages use BASE_URL: served on another PORT, they follow it.
run serve admin: export BASE_URL ?= http://127.0.0.1:$(PORT)

# The task worker (e-mail delivery, Elasticsearch writes, embedding cases) runs beside the server and stops
# with it.
SERVE_WITH_WORKER = $(MANAGE) db_worker --interval 1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver 127.0.0.1:$(PORT)

run: demo
	@echo ""
	@echo "  Common Ground is running at http://127.0.0.1:$(PORT)/"
	@echo "  Admin (Wagtail): http://127.0.0.1:$(PORT)/admin/ - create your account first with: make admin"
	@echo "  E-mails are printed here by the task worker that runs beside the server."
	@echo ""
	@$(SERVE_WITH_WORKER)

serve: install
	@$(SERVE_WITH_WORKER)

# A superuser who can sign in at once and moderates (cases/management/commands/createsuperuser.py).
admin: migrate
	$(MANAGE) createsuperuser

test: install-test
	$(BIN)/pytest

test-fast: install-test
	$(BIN)/pytest -m "not browser" -x -q

browser: install-test
	$(BIN)/pytest -m browser

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: install
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run

bench: install-test
	$(BIN)/python benchmarks/relevance.py || echo "relevance: under the floors above; the other benchmarks go on"
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/upload_bombs.py
	$(BIN)/python benchmarks/es_hang.py
	$(BIN)/python benchmarks/import_kill.py
	$(BIN)/python benchmarks/import_checks.py
	$(BIN)/python benchmarks/contribution_uploads.py
	$(BIN)/python benchmarks/digests.py
	$(BIN)/python benchmarks/page_cache.py || echo "page_cache: failed (it reads the library make demo loads); the load benchmark goes on"
	$(BIN)/python benchmarks/load.py || echo "load: under the floors above (or a request failed)"

screenshots: install-test
	$(BIN)/python docs/screenshots/take.py

# The interface's translations: collect the strings marked in code and templates into
# locale/<language>/LC_MESSAGES/django.po, then compile the .mo files (both are committed, so
# running the site needs no gettext tools; this target does: apt install gettext).
LOCALES := -l en_GB -l nl -l fr -l de -l es
messages: install
	$(MANAGE) makemessages $(LOCALES) --ignore='.venv/*' --ignore='node_modules/*' \
		--ignore='tests/*' --ignore='benchmarks/*' --ignore='docs/*' --ignore='static/*' --ignore='media/*' \
		--ignore='locale_overrides/*'
	$(MANAGE) compilemessages --ignore='.venv/*' --ignore='node_modules/*'

lock: $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"
	$(BIN)/pip freeze --exclude-editable | grep -v -i '^\(pip\|setuptools\|wheel\)==' > constraints.txt.new
	mv constraints.txt.new constraints.txt

clean:
	rm -rf $(VENV) db.sqlite3 media/ static/ .pytest_cache

# Interlink: the commands a developer and CI use. `make demo` and `make test` are the README's two.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) site/manage.py

.PHONY: demo run worker test test-sqlite test-fast lint format install install-test clean messages

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[server,postgres,demo]"
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

## demo: set up and run a demo node with sample content on http://127.0.0.1:8000
demo: install
	$(PY) scripts/demo.py

## run: the web server alone (development settings)
run: install
	$(MANAGE) runserver 127.0.0.1:8000

## worker: one background worker (deliveries, inbox, index updates, e-mail) with the federation recovery sweep
worker: install
	$(MANAGE) federation_worker

# Test processes in parallel (pytest-xdist); the node tests stay together on one of them.
TEST_WORKERS ?= 2
PYTEST_PARALLEL := -n $(TEST_WORKERS) --dist loadgroup

## test: the whole suite, end-to-end and browser tests included
test: install-test
	$(PY) scripts/test_setup.py
	$(PY) -m pytest $(PYTEST_PARALLEL) $(PYTEST_ARGS)
	$(if $(DATABASE_URL),$(MAKE) --no-print-directory test-sqlite)

## test-sqlite: the suite on SQLite, the embedded default `make demo` runs on, which
## `make test` adds when DATABASE_URL points it at PostgreSQL. The real-node (e2e, faults), browser,
## plugin and Elasticsearch-API engine tests run in the PostgreSQL pass only (they are most
## of its time); tests marked postgres leave themselves out here.
SQLITE_MARKERS := not e2e and not faults and not browser and not plugin and not elasticsearch
test-sqlite: install-test
	DATABASE_URL= $(PY) -m pytest $(PYTEST_PARALLEL) -m "$(SQLITE_MARKERS)" $(PYTEST_ARGS)

## test-fast: skip the slow end-to-end, fault-suite, browser and plugin (distribution) tests while iterating
test-fast: install-test
	$(PY) -m pytest $(PYTEST_PARALLEL) -m "not e2e and not faults and not browser and not plugin" $(PYTEST_ARGS)

## lint: ruff, mypy (federation, search) and Django's migration check, as CI runs them
lint: install-test
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy
	$(MANAGE) makemigrations --check --dry-run

## messages: extract every app's and the site's strings into their catalogues, then compile
I18N_IGNORE := --ignore=tests --ignore=scripts --ignore=bench --ignore=node_modules --ignore=var \
	--ignore=docs --ignore=test-output --ignore=$(VENV) --ignore=venv --ignore='*.egg-info' --ignore='*/migrations/*'
messages: install
	$(MANAGE) makemessages --locale=en --locale=es --locale=it --locale=lv --no-wrap $(I18N_IGNORE)
	$(MANAGE) compilemessages --locale=en --locale=es --locale=it --locale=lv $(I18N_IGNORE)

format: install-test
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

clean:
	rm -rf $(VENV) var node_modules

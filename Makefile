# The two commands of the README: `make run` and `make test`. Everything else supports them.
VENV := .venv
PY := $(VENV)/bin/python
.DEFAULT_GOAL := help

help:
	@echo "make run    - ambiente, migrazioni, dati demo e server su http://127.0.0.1:8000 (SQLite)"
	@echo "make test   - tutta la suite di test (PostgreSQL usa e getta se installato)"
	@echo "make lint   - ruff"
	@echo "make bench  - benchmark"

$(VENV)/.installed: requirements.lock pyproject.toml
	test -x $(PY) || $$(scripts/find-python) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	touch $@

setup: $(VENV)/.installed
	$(PY) manage.py compilemessages --ignore=.venv -v0

run: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver 127.0.0.1:8000

test: setup
	scripts/test

lint: setup
	$(VENV)/bin/ruff check .

bench: setup
	$(PY) bench/eligibility.py

.PHONY: help setup run test lint bench

# The two commands: `make run` and `make test`. Everything else is set-up they do themselves.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test lint bench screenshots system-deps clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(DEV_STAMP): pyproject.toml $(STAMP)
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

run: $(STAMP)
	@mkdir -p data
	@echo "hackrooms: starting on http://$${HACKROOMS_HOST:-127.0.0.1}:$${PORT:-$${HACKROOMS_PORT:-8000}}/"
	@echo "  Create a first forum in the browser at that address, or with:"
	@echo "  curl -s -X POST -H 'Content-Type: application/json' \\"
	@echo "    -d '{\"title\":\"Floods\",\"topic\":\"Crisis communication\",\"rooms\":[{\"title\":\"Room A\",\"challenge\":\"How do we warn people?\"}]}' \\"
	@echo "    http://127.0.0.1:$${PORT:-$${HACKROOMS_PORT:-8000}}/api/forums"
	$(BIN)/hackrooms

# System packages the tests need: a real redis-server, a real Chromium, Node (the client's
# unit tests run with Node's built-in test runner) and a real PostgreSQL server (the store's
# tests start their own in a temporary directory).
system-deps:
	@missing=""; \
	command -v redis-server >/dev/null || missing="$$missing redis-server"; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v node >/dev/null || missing="$$missing nodejs"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing fonts-liberation; \
	fi

test: $(DEV_STAMP) system-deps
	$(BIN)/ruff check .
	$(BIN)/mypy
	node --test tests/client/
	$(BIN)/python -m pytest -q

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

# Refresh the README's pictures from a real browser run.
screenshots: $(DEV_STAMP) system-deps
	HACKROOMS_UPDATE_SCREENSHOTS=1 $(BIN)/python -m pytest -q tests/browser/test_views.py

bench: $(DEV_STAMP)
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis

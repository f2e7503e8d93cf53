# Two entry points: `make serve` runs the assistant, `make test` runs every test.
# Both create .venv on first use; nothing outside the project is needed but Python 3.11+.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: serve test install install-test browser benchmarks load eval

$(BIN)/assistant: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q -e .
	touch $@

install: $(BIN)/assistant

$(VENV)/.test-deps: $(BIN)/assistant
	$(BIN)/pip install -q -e '.[test]'
	touch $@

install-test: $(VENV)/.test-deps

# Browser tests drive Debian's chromium; Playwright cannot download its own browser here.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null) \
	  || echo "chromium could not be installed: browser tests will be skipped"; }

serve: install
	$(BIN)/assistant serve

test: install-test browser
	$(BIN)/python -m pytest

eval: install
	$(BIN)/assistant eval tests/eval/questions.jsonl

# Benchmarks: figures are printed (and kept in benchmarks/README.md), never asserted in tests.
$(VENV)/.bench-deps: $(VENV)/.test-deps
	$(BIN)/pip install -q -e '.[test,bench]'
	touch $@

benchmarks: $(VENV)/.bench-deps
	$(BIN)/python benchmarks/quality.py
	$(BIN)/python benchmarks/speed.py

load: $(VENV)/.bench-deps
	@command -v wrk >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null)
	$(BIN)/python benchmarks/load.py

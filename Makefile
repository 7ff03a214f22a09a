# Two commands matter: `make run` (the demo) and `make test` (the whole suite).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: install run test lint checks pytest bench fuzz clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check --upgrade pip
	$(BIN)/pip install -q --disable-pip-version-check -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/python manage.py migrate --noinput -v 0
	$(BIN)/python manage.py load_demo
	HOST=$(HOST) PORT=$(PORT) sh scripts/serve.sh

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

checks: install
	$(BIN)/python manage.py makemigrations --check --dry-run
	DEBUG=0 SECRET_KEY=ci-deploy-check-$$(date +%s)-a-long-random-looking-secret-value-0123456789 \
		AUDIT_CHAIN_KEY=ci-audit-chain-key-$$(date +%s)-another-long-random-looking-value \
		ALLOWED_HOSTS=registrar.example.edu.cn \
		$(BIN)/python manage.py check --deploy --fail-level WARNING

# The suite runs on every core (pytest-xdist: each worker has its own test database and cache
# keys); PYTEST_WORKERS=0 runs it in one process. Compiled modules, pytest's assertion-rewritten
# plugins among them, are kept under var/pycache: rewriting them again cost each process ~2 s.
PYTEST_WORKERS ?= auto
pytest: install
	PYTHONDONTWRITEBYTECODE= PYTHONPYCACHEPREFIX=$(CURDIR)/var/pycache \
		$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

test: lint checks pytest

# Benchmarks print their figures with a yardstick each and append them to test-artifacts/bench/figures.jsonl;
# each starts from a vacuumed database. They run on PostgreSQL (the default URL below is the local service).
bench: install
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} \
		$(BIN)/python -m pytest benchmarks -m bench -s -o testpaths=benchmarks --ds=registrar.settings $(PYTEST_ARGS)

# Generated-input tests with many more examples than `make test` runs (FUZZ_EXAMPLES per test).
fuzz: install
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-1000} $(BIN)/python -m pytest -m fuzz $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) var test-artifacts

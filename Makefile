# Two commands for a newcomer: `make run` and `make test`. See README.md.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# The public base in media URLs and IIIF ids follows the server's address unless SITE_URL is set.
ifeq ($(strip $(SITE_URL)),)
SITE_URL := http://$(HOST):$(PORT)
endif

.PHONY: run test stack-test install lint migrate demo worker serve messages catalogues clean lock

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -qq --upgrade pip

# Reinstall only when the dependency list changed. Exactly the locked versions, hash-checked (the
# image installs requirements.lock, its runtime subset); then the project itself, editable.
$(VENV)/.installed: pyproject.toml requirements-dev.lock | $(BIN)/python
	$(BIN)/pip install -qq --require-hashes -r requirements-dev.lock
	$(BIN)/pip install -qq --no-deps -e .
	touch $@

# After changing pyproject.toml's dependencies: both lock files again (uv, from PyPI), then
# `make install`. The dev lock is constrained by the runtime one, so CI tests what the image runs.
lock: | $(BIN)/python
	$(BIN)/pip install -qq uv
	$(if $(PIP_CERT),SSL_CERT_FILE=$(PIP_CERT)) $(BIN)/uv pip compile -q pyproject.toml --extra postgres --generate-hashes --universal \
	  --python-version 3.11 -o requirements.lock
	$(if $(PIP_CERT),SSL_CERT_FILE=$(PIP_CERT)) $(BIN)/uv pip compile -q pyproject.toml --all-extras --generate-hashes --universal \
	  --python-version 3.11 -c requirements.lock -o requirements-dev.lock

node_modules/.installed: package.json $(wildcard frontend/*)
	npm install --no-audit --no-fund --loglevel=error
	mkdir -p node_modules
	touch $@

install: $(VENV)/.installed node_modules/.installed

messages: install
	@if ls locale/*/LC_MESSAGES/*.po >/dev/null 2>&1; then \
	  $(BIN)/python manage.py compilemessages --ignore=.venv --ignore=node_modules -v0; fi

# The .po catalogues up to date with the code and templates: new messages added untranslated,
# changed ones marked fuzzy, removed ones dropped (scripts/catalogues.py; docs/translating.md).
# Then translate what is new or fuzzy, and `make messages`.
catalogues: install
	$(BIN)/python scripts/catalogues.py

migrate: install messages
	$(BIN)/python manage.py migrate --noinput -v0

# rebase_media: info.json files written under an earlier HOST/PORT get this run's base.
demo: migrate
	SITE_URL=$(SITE_URL) $(BIN)/python manage.py seed_demo
	SITE_URL=$(SITE_URL) $(BIN)/python manage.py rebase_media

# The archive on its embedded defaults, with a task worker beside it. Two malloc arenas keep the
# worker's memory from creeping up over many large photos (bench/ingest.py prints it; README
# "Serving in production").
run: demo
	@echo "Memories on http://$(HOST):$(PORT)/en/  (demo curator: see README.md)"
	@SITE_URL=$(SITE_URL) MALLOC_ARENA_MAX=2 $(BIN)/python manage.py run_worker --interval 0.5 & WORKER=$$!; \
	 trap "kill $$WORKER 2>/dev/null" EXIT INT TERM; \
	 SITE_URL=$(SITE_URL) $(BIN)/python manage.py runserver --noreload $(HOST):$(PORT)

# The whole suite on SQLite, then the database-specific tests again on PostgreSQL. The runner
# starts a private PostgreSQL cluster and an S3 API server (moto) for the duration.
test: install messages
	$(BIN)/python scripts/with_test_services.py -- \
	  $(BIN)/python -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS) \
	  --then env MEMORIES_TEST_DB=postgres $(BIN)/python -m pytest -n 2 --dist loadgroup -m postgres $(PYTEST_ARGS) \
  --then env MEMORIES_STACK_TEST=1 $(BIN)/python -m pytest -q -p no:cacheprovider tests/stack

# The production-shaped stack on loopback (tests/stack): nginx in front of two gunicorn processes,
# two workers, PostgreSQL, redis-server, moto_server and the OpenSearch stand-in; prints its figures.
stack-test: install messages
	MEMORIES_STACK_TEST=1 $(BIN)/python scripts/with_test_services.py -- \
	  $(BIN)/python -m pytest -q -p no:cacheprovider tests/stack

# Style, and the floors (pyproject.toml [tool.importlinter]: imports run downward only).
lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports

clean:
	rm -rf var/ .pytest_cache

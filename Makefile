# Two commands do the whole set-up: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: run test lint migrate lock clean

run: $(INSTALLED)
	$(BIN)/python -m bot migrate
	$(BIN)/python -m bot run

test: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

migrate: $(INSTALLED)
	$(BIN)/python -m bot migrate

# The environment is made from the lock file, exactly, and remade when the lock changes.
$(INSTALLED): requirements.lock
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Courtyard needs Python 3.11 or newer"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	touch $(INSTALLED)

# Re-resolve the lock file after changing dependencies in pyproject.toml.
lock: $(INSTALLED)
	$(BIN)/uv pip compile pyproject.toml --extra dev --extra train --generate-hashes --universal \
		--python-version 3.11 --quiet -o requirements.lock

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis

# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
ARGS   ?=
GAZETTEER := resources/gazetteer.sqlite

.PHONY: run test lint typecheck contracts unit e2e bench screenshots gazetteer clean dist

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Installed markers: reinstall when pyproject.toml changes.
$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[gazetteer]"
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test,gazetteer]"
	touch $@ $(VENV)/.installed-run

run: $(VENV)/.installed-run $(GAZETTEER)
	$(BIN)/netplanner gui $(ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check netplanner tests bench scripts
	$(BIN)/ruff format --check netplanner tests bench scripts

typecheck: $(VENV)/.installed-test
	$(BIN)/mypy

contracts: $(VENV)/.installed-test
	$(BIN)/lint-imports --no-cache

unit: $(VENV)/.installed-test $(GAZETTEER)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

# The real window under Xvfb, driven through AT-SPI (`unit` runs them too; .ci/run installs
# the Debian packages they need). The window's environment drops QT_QPA_PLATFORM itself.
e2e: $(VENV)/.installed-test $(GAZETTEER)
	$(BIN)/python -m pytest -q tests/e2e

test: lint typecheck contracts unit

bench: $(VENV)/.installed-test
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m bench

screenshots: $(VENV)/.installed-test
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m scripts.screenshots

dist: $(VENV)/.installed-test $(GAZETTEER)
	$(BIN)/python -m pip install --quiet pyinstaller
	$(BIN)/pyinstaller --noconfirm netplanner.spec

$(GAZETTEER): scripts/build_gazetteer.py scripts/gazetteer_tables.py | $(VENV)/.installed-run
	$(BIN)/python -m scripts.build_gazetteer

gazetteer: $(GAZETTEER)

clean:
	rm -rf build dist .pytest_cache .mypy_cache .ruff_cache

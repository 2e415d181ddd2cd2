# Two entry points, each self-contained on a fresh machine with Python 3 and make:
#   make sheets   regenerate output/ from derivations/ (the main job)
#   make test     lint, type-check and run the test suite
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed

.PHONY: sheets test lint bench campaign clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

sheets: $(STAMP)
	$(BIN)/calcproof build

lint: $(STAMP)
	$(BIN)/ruff check src tests derivations bench
	$(BIN)/ruff format --check src tests derivations bench
	$(BIN)/mypy

test: lint
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python bench/run.py

# Long robustness campaigns (a seeded small form of each runs in `make test`).
# One command per line: add further campaigns below.
campaign: $(STAMP)
	$(BIN)/python bench/campaign.py --full --seed 0
	$(BIN)/python bench/run_campaigns.py

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache

# Set-up, site build and tests. `make site` and `make test` work on a fresh machine.
PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DATA   ?= data/example
OUT    ?= _site

.PHONY: mutation-retry setup system-deps site test lint bench mutation clean

setup: $(STAMP)

system-deps:
	bash scripts/system-deps.sh

$(STAMP): pyproject.toml scripts/system-deps.sh package.json
	bash scripts/system-deps.sh
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m ipykernel install --sys-prefix --name finsam --display-name "Python (finsam)"
	npm install --silent --no-audit --no-fund
	touch $(STAMP)

site: setup
	$(BIN)/finsam build --data $(DATA) --out $(OUT)

test: setup
	$(BIN)/ruff check src tests bench notebooks scripts
	$(BIN)/pytest -n 2 --dist loadgroup

lint: setup
	$(BIN)/ruff check src tests bench notebooks scripts
	$(BIN)/ruff format --check src tests bench scripts

bench: setup
	$(BIN)/python bench/run.py

# Mutation testing of the counting, protection and number-formatting code (slow; not in CI).
# Results are kept in mutants/: a second run tries only mutants of changed functions.
mutation: setup
	$(BIN)/python -m pip install --quiet -e '.[dev,mutation]'
	$(BIN)/mutmut run --max-children 2
	$(BIN)/python scripts/mutation_score.py mutants

# Try again the mutants that survived (after adding tests): mutmut keeps every verdict otherwise.
mutation-retry: setup
	$(BIN)/mutmut run --max-children 2 $$($(BIN)/python scripts/mutation_score.py --not-caught mutants)
	$(BIN)/python scripts/mutation_score.py mutants

clean:
	rm -rf _build _site mutants

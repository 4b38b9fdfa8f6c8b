# Two commands set everything up on a fresh machine with Python 3.11+:
#   make run    create .venv, install wellspent (with the pdf extra), appraise and simulate every example and run
#               every example contract, writing out/<name>.json, out/<name>.simulation.json|.html, the business
#               case out/<name>.html|.pdf|.xlsx, and out/contracts/<name>.json|.html|.pdf|.xlsx
#   make test   create .venv, install the dev extras, run ruff, mypy --strict and the whole pytest suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip --disable-pip-version-check -q

.PHONY: run test lint typecheck pytest bench clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "wellspent needs Python 3.11+"'
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(PIP) install -e '.[pdf]'
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(PIP) install -e '.[dev]'
	touch $(VENV)/.installed $@

run: $(VENV)/.installed
	@mkdir -p out
	@for spec in examples/*.yaml; do \
		name=$$(basename $$spec .yaml); \
		$(BIN)/wellspent appraise $$spec --html out/$$name.html --pdf out/$$name.pdf --xlsx out/$$name.xlsx \
			--draws 20000 --seed 1 || exit $$?; \
		$(BIN)/wellspent appraise $$spec --json > out/$$name.json || exit $$?; \
		$(BIN)/wellspent simulate $$spec --draws 20000 --seed 1 --json --html out/$$name.simulation.html \
			> out/$$name.simulation.json || exit $$?; \
		echo "wrote out/$$name.json and out/$$name.simulation.json"; \
	done
	@mkdir -p out/contracts
	@for spec in examples/contracts/*.yaml; do \
		name=$$(basename $$spec .yaml); \
		$(BIN)/wellspent contract $$spec --scenarios --html out/contracts/$$name.html \
			--pdf out/contracts/$$name.pdf --xlsx out/contracts/$$name.xlsx || exit $$?; \
		$(BIN)/wellspent contract $$spec --json --scenarios > out/contracts/$$name.json || exit $$?; \
		echo "wrote out/contracts/$$name.json"; \
	done

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests benchmarks

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy --strict src

pytest: $(VENV)/.installed-dev
	$(BIN)/pytest

test: lint typecheck pytest

bench: $(VENV)/.installed-dev
	$(BIN)/python benchmarks/bench_appraisal.py
	$(BIN)/python benchmarks/bench_contracts.py
	$(BIN)/python benchmarks/bench_simulation.py
	$(BIN)/python benchmarks/bench_memory_search.py

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache

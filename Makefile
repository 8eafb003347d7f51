# Two commands do all the set-up: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install run test lint bench evaluate report clean

# Installs what `make test` needs too: the package with every extra and the test tools ([dev]).
$(STAMP): pyproject.toml
	@echo "Installing summit-extract[dev] into $(VENV) (spaCy and its English model, the readers, Dask, the test tools; a few minutes the first time)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --progress-bar off -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/summit-extract run corpus/articles -o outputs/extractions.jsonl

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check pipeline tests tools
	$(BIN)/ruff format --check pipeline tests tools

bench: $(STAMP)
	$(BIN)/summit-extract bench --source corpus/articles

evaluate: $(STAMP)
	$(BIN)/summit-extract evaluate --run --gold corpus/gold --baseline

report: run
	$(BIN)/summit-extract report outputs/extractions.jsonl --gold corpus/gold -o outputs/report.html

clean:
	rm -rf $(VENV) outputs/*.jsonl outputs/*.html outputs/*.png

# Every target installs what it needs into .venv first; a fresh machine needs
# only Python >= 3.10, pip, git and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
GEN_OUT := .generated/pyrx_synapse_api

.PHONY: setup generate check-generated lint test demo bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

# Writes a fresh generation to .generated/, then replaces src/ with it whole, so
# files the spec no longer describes disappear too.
$(GEN_OUT): $(STAMP) openapi.yaml generator-config.yaml scripts/stamp_generated.py FORCE
	rm -rf .generated && mkdir .generated
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/openapi-python-client generate \
		--path openapi.yaml --config generator-config.yaml \
		--output-path $(GEN_OUT) --meta none --fail-on-warning
	$(BIN)/python scripts/stamp_generated.py $(GEN_OUT)

generate: $(GEN_OUT)
	rm -rf src/pyrx_synapse_api
	mkdir -p src
	mv $(GEN_OUT) src/pyrx_synapse_api
	rm -rf .generated

check-generated: $(GEN_OUT)
	@diff -r src/pyrx_synapse_api $(GEN_OUT) \
		|| (echo "src/ differs from a fresh 'make generate'; run it and commit" && exit 1)
	@rm -rf .generated
	@echo "src/ matches a fresh generation"

lint: $(STAMP)
	$(BIN)/ruff check custom tests scripts examples benchmarks
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m openapi_spec_validator openapi.yaml

test: check-generated lint
	$(BIN)/python -m pytest --cov --cov-report=term --cov-fail-under=95

demo: $(STAMP)
	$(BIN)/python examples/quickstart.py

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) .generated .pytest_cache .mypy_cache .ruff_cache .coverage

FORCE:

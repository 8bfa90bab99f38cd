# Every target creates and reuses its own virtual environment in .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install plan test lint data bench clean

# The pages' scripts and map shapes come from npm (package-lock.json), copied into the
# package's static/vendor folder (not in git): the pages load nothing from the internet.
VENDOR := src/oicplan/web/static/vendor
VENDOR_STAMP := $(VENDOR)/.installed

install: $(STAMP) $(VENDOR_STAMP)

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

$(VENDOR_STAMP): package.json package-lock.json $(STAMP)
	npm ci --no-audit --no-fund
	$(BIN)/python -m oicplan.web.assets node_modules
	touch $(VENDOR_STAMP)

plan: $(STAMP)
	$(BIN)/oicplan plan --scenario zhejiang --out out/zhejiang

# The suite runs in worker processes, one per core (at most TEST_WORKERS), each test file
# on one worker (its module fixtures, such as a made plan, are made once). Each worker
# has its own PostgreSQL database and data folder (tests/conftest.py). TEST_WORKERS=0
# runs it in one process.
TEST_WORKERS ?= 4

test: $(STAMP)
	$(BIN)/pytest $(if $(filter 0,$(TEST_WORKERS)),,-n auto --maxprocesses $(TEST_WORKERS) --dist loadfile)

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports .importlinter --no-cache

data: $(STAMP)
	$(BIN)/oicplan data build --wdi-dir ../shared/data/wdi --wgi-dir ../shared/data/wgi \
		--facts-dir ../shared/data/facts

# Benchmarks compare with peer libraries in the same run (minutes; results: benchmarks/README.md).
bench: $(STAMP)
	$(BIN)/python benchmarks/rerank.py
	$(BIN)/python benchmarks/sensitivity_mc.py
	$(BIN)/python benchmarks/locate_pmedian.py
	$(BIN)/python benchmarks/locate_mclp.py
	$(BIN)/python benchmarks/dask_scaling.py
	$(BIN)/python benchmarks/layout_scale.py
	$(BIN)/python benchmarks/plan_e2e.py
	$(BIN)/python benchmarks/api_load.py

clean:
	rm -rf $(VENV) out

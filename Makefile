# make        build the environment from uv.lock (first time) and run the whole workflow on the
#             shipped cohort; results in results/reconstruction/ (and results/published/)
# make COHORT=path/to/patients.csv [MAP=mapping.yaml] [NAME=label]
#             the same on another cohort (CSV, .xlsx or .ods; MAP: its headers and labels mapped),
#             into results/<label>/ (label: the file's stem by default). Snakemake's output goes to
#             results/make-<label>.log; the terminal gets the progress and the verdict, whose last
#             line is "verdict: match", "mismatch", "input error" or "run error" (exit status 0 only
#             for a match; otherwise make stops with the verdict as its error message, status 2)
# make mapping COHORT=file   write a starting mapping (file.mapping.yaml beside it) from the file's headers
# make clean NAME=label      remove results/<label>/ (everything computed from that cohort); make clean: all results
# make test   run the fast tests (no workflow run); make test-e2e: the end-to-end tests (a few minutes);
#             make test-scheduler: the SLURM test (root, about a minute)
# make lint   ruff (lint, import order, format), snakefmt and snakemake --lint; no file is changed
# make bench  time a cold run, a no-op rerun, a rerun after touching one figure script, a second
#             cohort, one cell of it changed (the loop) and Quarto's floor
# make reconstruct   rebuild data/cohort/patients.csv from the reported numbers
# make report       run the workflow, then write Snakemake's report (results/report.html)
# make verify-certificate [NAME=label]
#             recompute every SHA-256 of results/<label>/codecheck.yml's manifest (label:
#             reconstruction by default); names each changed file and exits 1 on any change
#
# Needs python3 (3.11) and Quarto >= 1.5 (on PATH, or QUARTO=/path/to/quarto). uv is
# installed from PyPI into .tools/ with python3; nothing else is assumed.

SHELL := /bin/bash
.ONESHELL:
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := all

UV_VERSION := 0.13.9
UV := .tools/uv/bin/uv
AXE_VERSION := 4.14.1
AXE := .tools/axe/node_modules/axe-core/axe.min.js
VENV := .venv
CORES ?= 2
SNAKEMAKE := $(VENV)/bin/snakemake --cores $(CORES)

# Quarto: QUARTO if given, else the one on PATH, else the PyPI package quarto-cli in the venv.
QUARTO ?= $(shell command -v quarto 2>/dev/null || echo $(CURDIR)/$(VENV)/bin/quarto)
export PATH := $(CURDIR)/$(VENV)/bin:$(dir $(QUARTO)):$(PATH)

.PHONY: all workflow mapping env quarto test test-e2e test-scheduler bench reconstruct report lint clean verify-certificate

# COHORT (and NAME, MAP) select another cohort file; quoted so that paths with spaces work.
# The cohorts of this run (their results/ folders; by default the file's name without extension,
# other characters than letters, digits, '.', '_' and '-' made '_') and the log of Snakemake's output.
RUN_NAMES := $(if $(COHORT),$(or $(NAME),$(shell basename "$(COHORT)" | sed -E 's/\.[^.]*$$//; s/[^A-Za-z0-9_.-]+/_/g')),reconstruction)
COHORT_CONFIG := $(if $(COHORT),--config "cohort=$(COHORT)" "name=$(RUN_NAMES)" $(if $(MAP),"mapping=$(MAP)"))
RUN_LOG := results/make-$(firstword $(RUN_NAMES)).log
TERMINAL := PYTHONPATH=workflow/scripts $(VENV)/bin/python -m anakinra_replication.terminal

# The workflow's output goes to RUN_LOG (the folders of COHORT and MAP removed: files are named by
# their names only); the terminal shows its progress lines, then the verdict
# (anakinra_replication.terminal), never a Python or Snakemake exception text. Unless every claim
# matches, the verdict line is make's own error message, so that it is the last line make prints:
# `all` expands its recipe only after `workflow` has written VERDICT_FILE.
VERDICT_FILE := results/make-$(firstword $(RUN_NAMES)).verdict
all: workflow
	@$(if $(file <$(VERDICT_FILE)),$(error $(file <$(VERDICT_FILE))))

workflow: env quarto
	@mkdir -p results
	rm -f "$(VERDICT_FILE)"
	echo "Running the workflow on $(RUN_NAMES) (progress below; full log: $(RUN_LOG))"
	set +e
	$(SNAKEMAKE) $(COHORT_CONFIG) 2>&1 | $(TERMINAL) --log "$(RUN_LOG)" --hide "$(COHORT)" --hide "$(MAP)"
	status=$${PIPESTATUS[0]}
	set -e
	$(TERMINAL) --status $$status --log "$(RUN_LOG)" --verdict "$(VERDICT_FILE)" $(foreach n,$(RUN_NAMES),--cohort "$(n)")

# A starting mapping for COHORT: its headers with best guesses, commented from the data dictionary.
mapping: env
	@PYTHONPATH=workflow/scripts $(VENV)/bin/python -m anakinra_replication.starting_mapping "$(COHORT)" $(if $(MAP),"$(MAP)")

env: $(VENV)/.synced

$(UV):
	python3 -m venv .tools/uv
	.tools/uv/bin/pip install --quiet "uv==$(UV_VERSION)"

$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	UV_PROJECT_ENVIRONMENT=$(VENV) $(UV) sync --locked --inexact --compile-bytecode --python python3
	touch $@

quarto: env
	@if [ ! -x "$(QUARTO)" ]; then
	  echo "Quarto not found; installing the PyPI package quarto-cli into $(VENV) ..."
	  $(UV) pip install --python $(VENV)/bin/python quarto-cli || {
	    echo "make: Quarto is missing and could not be installed. Install Quarto >= 1.5 from" \
	         "https://quarto.org/docs/get-started/ (or set QUARTO=/path/to/quarto) and run make again." >&2
	    exit 1; }
	fi
	echo "Quarto $$("$(QUARTO)" --version) at $(QUARTO)"

# make test: the fast tests (no workflow run), one pytest-xdist worker per core. make test-e2e: the
# end-to-end tests, which run the workflow on the small configuration (.test/config) in temporary
# copies, render, and read the documents in a browser and as PDF text (a few minutes; CI runs both).
test: env
	$(VENV)/bin/python -m pytest -m "not slurm and not e2e" -n $(CORES)

test-e2e: env quarto $(AXE)
	$(VENV)/bin/python -m pytest -m e2e

# axe-core, the WCAG checker the browser test injects into the rendered documents (npm registry;
# without npm the accessibility test skips and says why).
$(AXE):
	@command -v npm >/dev/null || { echo "npm not found: the accessibility test will skip"; exit 0; }
	npm install --silent --no-audit --no-fund --prefix .tools/axe "axe-core@$(AXE_VERSION)"

# The scheduler test (tests/test_slurm.py): starts a single-node SLURM as root; about a minute.
test-scheduler: env
	$(VENV)/bin/python -m pytest -m slurm

# Snakemake's own report: every figure and table with its caption (workflow/outputs.yaml), grouped
# by stage, and the run's statistics; it reads the outputs of the run before it.
report: all
	$(SNAKEMAKE) --report results/report.html

lint: env
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/snakefmt --check Snakefile workflow/rules
	$(VENV)/bin/snakemake --lint

bench: env quarto
	bash workflow/benchmark.sh

reconstruct: env
	$(SNAKEMAKE) reconstruct
	cp results/published/reconstruction/patients.csv data/cohort/patients.csv
	cp results/published/reconstruction/patients.csv.sha256 data/cohort/patients.csv.sha256

verify-certificate: env
	PYTHONPATH=workflow/scripts $(VENV)/bin/python -m anakinra_replication.verify_certificate \
	  "results/$(or $(NAME),reconstruction)/codecheck.yml"

# make clean NAME=label: only that cohort's results (patient-level rows included); else everything.
clean:
	@if [ -n "$(NAME)" ]; then
	  case "$(NAME)" in */*|.*|published) echo "make clean: NAME=$(NAME) is not a cohort's label" >&2; exit 1;; esac
	  rm -rf "results/$(NAME)" "results/make-$(NAME).log" "results/make-$(NAME).verdict"
	  echo "Removed results/$(NAME)/ and its log."
	else
	  rm -rf results .snakemake
	fi

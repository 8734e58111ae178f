#!/usr/bin/env bash
# make bench: wall-clock times of the workflow, measured with /usr/bin/time, in a scratch copy
# of the repository so the user's results/ is untouched. Three measurements:
#   1. cold run without rendering (environment present, results/ empty)
#   2. cold run of the whole workflow, rendering included
#   3. no-op rerun (nothing to do)
#   4. rerun after editing one figure script (a comment appended: Snakemake 9 compares contents,
#      so a bare `touch` reruns nothing); that figure and what depends on it rerun
#   5. the death-day enumeration in one process, per layout against lifelines' logrank_test
# Targets on a 2-core machine: no-op <= 3 s; cold run without rendering <= 30 s (the R1
# workflow: cohort to verification, tables and figures); enumeration <= 30 s; ratio >= 100,000.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
snakemake="$root/.venv/bin/snakemake --cores ${CORES:-2}"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
(cd "$root" && git ls-files -z | xargs -0 tar -cf - ) | tar -xf - -C "$scratch"
cd "$scratch"
command -v /usr/bin/time >/dev/null || { echo "benchmark: /usr/bin/time is needed (Debian package: time)" >&2; exit 1; }

measure() {  # measure LABEL COMMAND...: run once, print "LABEL  seconds"
  local label=$1; shift
  /usr/bin/time -f "%e" -o "$scratch/.t" "$@" > "$scratch/.out" 2>&1 || { cat "$scratch/.out"; exit 1; }
  printf '%-52s %6.1f s\n' "$label" "$(cat "$scratch/.t")"
}

no_render="results/verification_summary.txt results/tables/outcomes.csv $(printf 'results/figures/%s.png ' km_survival km_vent_free_survival outcomes)"
identifiability="results/identifiability.json"
echo "Benchmark on $(nproc) cores ($(date -u +%F))"
measure "cold run without rendering (target <= 30 s)" $snakemake $no_render
measure "then the identifiability analysis (enumeration, MC)" $snakemake $identifiability
rm -rf results manuscript/_generated .snakemake
measure "cold run, whole workflow with rendering" $snakemake
measure "no-op rerun (target <= 3 s)" $snakemake
echo "# edited by the benchmark" >> workflow/scripts/km_figure.py
measure "rerun after editing workflow/scripts/km_figure.py" $snakemake
PYTHONPATH=workflow/scripts "$root/.venv/bin/python" -m anakinra_replication.benchmark

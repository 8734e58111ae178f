#!/usr/bin/env bash
# make bench: wall-clock times of the workflow and the tests, measured with /usr/bin/time, in a
# scratch copy of the repository so the user's results/ is untouched:
#   1. cold run of the shipped cohort without rendering (environment present, results/ empty)
#   2. then the identifiability analysis (enumeration, Monte Carlo; shared by every cohort)
#   3. cold run of the whole workflow, rendering included
#   4. no-op rerun (nothing to do but the gate)
#   5. rerun after editing the figure script (a comment appended: Snakemake 9 compares contents,
#      so a bare `touch` reruns nothing); the figures and what depends on them rerun
#   6. a second cohort (a copy of the shipped one under another name): nothing shared reruns
#   7. make test (the fast tests: no workflow run)
#   8. make test-e2e (the end-to-end tests: workflow runs on the small configuration, rendering,
#      browser and PDF checks)
#   9. the death-day enumeration in one process, per layout against lifelines' logrank_test
# Targets on a 2-core machine: no-op <= 3 s; cold run without rendering <= 30 s; enumeration
# <= 30 s; ratio >= 100,000; make test <= 90 s (the project's target; see the README for where it stands).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
snakemake="$root/.venv/bin/snakemake --cores ${CORES:-2}"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
(cd "$root" && git ls-files -z | xargs -0 tar -cf - ) | tar -xf - -C "$scratch"
cd "$scratch"
# A repository of its own (one commit of the files as they are), as the tests of git state expect.
git init -q && git add -A && git -c user.name=bench -c user.email=bench@localhost commit -qm "make bench"
command -v /usr/bin/time >/dev/null || { echo "benchmark: /usr/bin/time is needed (Debian package: time)" >&2; exit 1; }

measure() {  # measure LABEL COMMAND...: run once, print "LABEL  seconds"
  local label=$1; shift
  /usr/bin/time -f "%e" -o "$scratch/.t" "$@" > "$scratch/.out" 2>&1 || { cat "$scratch/.out"; exit 1; }
  printf '%-52s %6.1f s\n' "$label" "$(cat "$scratch/.t")"
}

shipped=results/reconstruction
no_render="$shipped/verification_summary.txt $shipped/tables/outcomes.csv $(printf "$shipped/figures/%s.png " km_survival km_vent_free_survival outcomes)"
identifiability="results/published/identifiability.json"
echo "Benchmark on $(nproc) cores ($(date -u +%F))"
measure "cold run without rendering (target <= 30 s)" $snakemake $no_render
measure "then the identifiability analysis (enumeration, MC)" $snakemake $identifiability
rm -rf results .snakemake
measure "cold run, whole workflow with rendering" $snakemake
measure "no-op rerun (target <= 3 s)" $snakemake
echo "# edited by the benchmark" >> workflow/scripts/draw_figures.py
measure "rerun after editing workflow/scripts/draw_figures.py" $snakemake
cp data/cohort/patients.csv second.csv
measure "a second cohort (shared results reused)" $snakemake --config cohort=second.csv name=second
measure "make test (target <= 90 s)" "$root/.venv/bin/python" -m pytest -q -m "not slurm and not e2e" -n "${CORES:-2}" -p no:cacheprovider
measure "make test-e2e" "$root/.venv/bin/python" -m pytest -q -m e2e -p no:cacheprovider
PYTHONPATH=workflow/scripts "$root/.venv/bin/python" -m anakinra_replication.benchmark

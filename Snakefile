# Replication of Cavalli et al., Lancet Rheumatology 2020: from patient-level data to a
# verified, rendered manuscript. This file only wires; each stage is one file in workflow/rules/.
#   make                                          # the shipped cohort, into results/reconstruction/
#   make COHORT=path/to/file.csv [NAME=label]     # another cohort (e.g. the real data), into results/<label>/
#   snakemake -c2 --config cohort=PATH [name=LABEL]   # the same without make
#   snakemake -c1 reconstruct                     # rebuild the reconstructed cohort (not in the default run)
# Each cohort's document is rendered whatever its verdicts; then the run fails if any claim mismatches.


configfile: "config/config.yaml"


include: "workflow/rules/common.smk"
include: "workflow/rules/data.smk"
include: "workflow/rules/analysis.smk"
include: "workflow/rules/verification.smk"
include: "workflow/rules/identifiability.smk"
include: "workflow/rules/robustness.smk"
include: "workflow/rules/later_evidence.smk"
include: "workflow/rules/figures.smk"
include: "workflow/rules/manuscript.smk"
include: "workflow/rules/provenance.smk"


onsuccess:
    print_summary()


onerror:
    report_failure()


rule verification_gate:
    default_target: True
    input:
        verification=expand(f"{COHORT_DIR}/verification.csv", cohort=COHORTS),
        summaries=expand(f"{COHORT_DIR}/verification_summary.txt", cohort=COHORTS),
        tables=expand(f"{COHORT_DIR}/tables/outcomes.csv", cohort=COHORTS),
        figures=expand(declared_files("figure", "cohort"), cohort=COHORTS),
        documents=expand(f"{COHORT_DIR}/manuscript/index.html", cohort=COHORTS),
        pdfs=expand(f"{COHORT_DIR}/manuscript/index.pdf", cohort=COHORTS),
        supplements=expand(f"{COHORT_DIR}/manuscript/supplement.{{ext}}", cohort=COHORTS, ext=("html", "pdf")),
        certificates=expand(f"{COHORT_DIR}/codecheck.yml", cohort=COHORTS),
        settings=f"{PUBLISHED}/config.json",
        code=package_code("verification_gate"),
    log:
        expand(f"{COHORT_DIR}/logs/verification_gate.log", cohort=COHORTS),
    conda:
        "workflow/envs/replication.yaml"
    params:
        cohorts=list(COHORTS),
    script:
        "workflow/scripts/verification_gate.py"

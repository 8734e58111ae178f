# figures:         every figure of a cohort's document, drawn in one job (one import of seaborn and
#                  matplotlib, not one per figure): Kaplan-Meier curves by arm for each endpoint
#                  (on the reconstruction the image says that the event days are assumed); how
#                  far each recomputed value lies from the printed one (rounding margin); effect
#                  measures and posterior densities (robustness); the early estimate beside the
#                  later evidence.
# tables:          outcomes table (CSV, Markdown) and the manuscript's other tables of every cohort
#                  (verification, statements, evidence classes, the items not imposed, event days).
# assumptions_table: the assumptions of the reconstruction, for its document only (scope
#                  reconstruction: never built for a user's cohort), each with the claims whose
#                  match depends on it (computed from what it fixes) and their evidence.
# The outputs of both are those declared for them in workflow/outputs.yaml (outputs_of, in
# common.smk); those declared with a `report` appear, with its caption, in the report of
# `make report` (snakemake --report), grouped by stage (category).


rule figures:
    input:
        numbers=f"{COHORT_DIR}/numbers.json",
        verification=f"{COHORT_DIR}/verification.csv",
        claims=f"{PUBLISHED}/claims.json",
        robustness=f"{COHORT_DIR}/robustness.json",
        register=f"{PUBLISHED}/later_evidence/register.json",
        comparison=f"{COHORT_DIR}/later_evidence.json",
        code=package_code("draw_figures"),
    output:
        **outputs_of("figures"),
    log:
        f"{COHORT_DIR}/logs/figures.log",
    benchmark:
        f"{COHORT_DIR}/benchmarks/figures.tsv"
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=600,
    params:
        arms=ARMS,
        horizon_days=lookup(within=config, dpath="horizon_days"),
    script:
        "../scripts/draw_figures.py"


rule tables:
    input:
        numbers=f"{COHORT_DIR}/numbers.json",
        claims=f"{PUBLISHED}/claims.json",
        reported=config["claims"],
        verification=f"{COHORT_DIR}/verification.csv",
        code=package_code("make_tables"),
    output:
        **outputs_of("tables"),
    log:
        f"{COHORT_DIR}/logs/tables.log",
    conda:
        ENV
    script:
        "../scripts/make_tables.py"


rule assumptions_table:
    input:
        numbers=f"{COHORT_DIR}/numbers.json",
        claims=f"{PUBLISHED}/claims.json",
        verification=f"{COHORT_DIR}/verification.csv",
        code=package_code("assumptions_table"),
    output:
        **outputs_of("assumptions_table"),
    log:
        f"{COHORT_DIR}/logs/assumptions_table.log",
    conda:
        ENV
    params:
        assumptions=lookup(within=config, dpath="reconstruction/assumptions"),
    script:
        "../scripts/assumptions_table.py"

# figures:         every figure of a cohort's document, drawn in one job (one import of seaborn and
#                  matplotlib, not one per figure): Kaplan-Meier curves by arm for each endpoint
#                  (on the reconstruction the image says that the event days are assumed); how
#                  far each recomputed value lies from the printed one (rounding margin); effect
#                  measures and posterior densities (robustness); the early estimate beside the
#                  later evidence.
# tables:          outcomes table (CSV, Markdown) and the manuscript's other tables.
# Outputs wrapped in report() appear, with the caption of workflow/report/<name>.rst, in the
# report of `make report` (snakemake --report), grouped by stage (category).


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
        **{f"{name}_png": figure_png(name) for name in COHORT_FIGURES},
        **{f"{name}_svg": f"{COHORT_DIR}/figures/{name}.svg" for name in COHORT_FIGURES},
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
        outcomes_csv=report(
            f"{COHORT_DIR}/tables/outcomes.csv",
            caption="../report/outcomes_table.rst",
            category="2. Analysis",
            subcategory="Tables",
            labels={"table": "Outcomes"},
        ),
        outcomes=f"{COHORT_DIR}/tables/outcomes.md",
        verification=report(
            f"{COHORT_DIR}/tables/verification.md",
            caption="../report/verification_table.rst",
            category="3. Verification",
            subcategory="Tables",
            labels={"table": "Verification"},
        ),
        statements=report(
            f"{COHORT_DIR}/tables/statements.md",
            caption="../report/statements_table.rst",
            category="3. Verification",
            subcategory="Tables",
            labels={"table": "Statements"},
        ),
        assumptions=report(
            f"{COHORT_DIR}/tables/assumptions.md",
            caption="../report/assumptions_table.rst",
            category="1. Data",
            subcategory="Tables",
            labels={"table": "Assumptions"},
        ),
        evidence=f"{COHORT_DIR}/tables/evidence.md",
        event_days=f"{COHORT_DIR}/tables/event_days.md",
    log:
        f"{COHORT_DIR}/logs/tables.log",
    conda:
        ENV
    params:
        assumptions=lookup(within=config, dpath="reconstruction/assumptions"),
    script:
        "../scripts/make_tables.py"

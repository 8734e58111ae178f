# km_figure:       Kaplan-Meier curves of one endpoint by arm (seaborn/matplotlib); on the
#                  reconstruction the image says that the event days are assumed.
# outcomes_figure: how far each recomputed value lies from the printed one (rounding margin).
# tables:          outcomes table (CSV, Markdown) and the manuscript's other tables.
# Outputs wrapped in report() appear, with the caption of workflow/report/<name>.rst, in the
# report of `make report` (snakemake --report), grouped by stage (category).


rule km_figure:
    input:
        f"{COHORT_DIR}/numbers.json",
        code=package_code("km_figure"),
    output:
        png=report(
            f"{COHORT_DIR}/figures/km_{{endpoint}}.png",
            caption="../report/km_figure.rst",
            category="2. Analysis",
            subcategory="Figures",
            labels={"figure": "Kaplan-Meier: {endpoint}"},
        ),
        svg=f"{COHORT_DIR}/figures/km_{{endpoint}}.svg",
    log:
        f"{COHORT_DIR}/logs/km_figure_{{endpoint}}.log",
    wildcard_constraints:
        endpoint="|".join(ENDPOINTS),
    conda:
        ENV
    params:
        arms=ARMS,
        horizon_days=lookup(within=config, dpath="horizon_days"),
    script:
        "../scripts/km_figure.py"


rule outcomes_figure:
    input:
        verification=f"{COHORT_DIR}/verification.csv",
        claims=f"{PUBLISHED}/claims.json",
        code=package_code("outcomes_figure"),
    output:
        png=report(
            f"{COHORT_DIR}/figures/outcomes.png",
            caption="../report/outcomes_figure.rst",
            category="3. Verification",
            subcategory="Figures",
            labels={"figure": "Rounding margins"},
        ),
        svg=f"{COHORT_DIR}/figures/outcomes.svg",
    log:
        f"{COHORT_DIR}/logs/outcomes_figure.log",
    conda:
        ENV
    script:
        "../scripts/outcomes_figure.py"


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
    log:
        f"{COHORT_DIR}/logs/tables.log",
    conda:
        ENV
    params:
        assumptions=lookup(within=config, dpath="reconstruction/assumptions"),
    script:
        "../scripts/make_tables.py"

# km_figure:       Kaplan-Meier curves of one endpoint by arm (seaborn/matplotlib).
# outcomes_figure: outcomes at the horizon, reported beside reproduced.
# tables:          outcomes table (CSV, Markdown) and the manuscript's other tables.


rule km_figure:
    input:
        f"{COHORT_DIR}/numbers.json",
        code=package_code("km_figure"),
    output:
        png=f"{COHORT_DIR}/figures/km_{{endpoint}}.png",
        svg=f"{COHORT_DIR}/figures/km_{{endpoint}}.svg",
    wildcard_constraints:
        endpoint="|".join(ENDPOINTS),
    params:
        arms=ARMS,
        horizon_days=lookup(within=config, dpath="horizon_days"),
    log:
        f"{COHORT_DIR}/logs/km_figure_{{endpoint}}.log",
    conda:
        ENV
    script:
        "../scripts/km_figure.py"


rule outcomes_figure:
    input:
        numbers=f"{COHORT_DIR}/numbers.json",
        claims=f"{PUBLISHED}/claims.json",
        code=package_code("outcomes_figure"),
    output:
        png=f"{COHORT_DIR}/figures/outcomes.png",
        svg=f"{COHORT_DIR}/figures/outcomes.svg",
    params:
        arms=ARMS,
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
        verification=f"{COHORT_DIR}/verification.csv",
        code=package_code("make_tables"),
    output:
        outcomes_csv=f"{COHORT_DIR}/tables/outcomes.csv",
        outcomes=f"{COHORT_DIR}/tables/outcomes.md",
        verification=f"{COHORT_DIR}/tables/verification.md",
        statements=f"{COHORT_DIR}/tables/statements.md",
        assumptions=f"{COHORT_DIR}/tables/assumptions.md",
        provenance=f"{COHORT_DIR}/tables/provenance.md",
    params:
        assumptions=lookup(within=config, dpath="reconstruction/assumptions"),
    log:
        f"{COHORT_DIR}/logs/tables.log",
    conda:
        ENV
    script:
        "../scripts/make_tables.py"

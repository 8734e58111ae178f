# implied_counts:      what the reported numbers alone imply (no patient data).
# outcome_proportions: counts, percentages, Wilson intervals (statsmodels).
# survival_analysis:   Kaplan-Meier and log-rank for both endpoints (lifelines).
# outcome_relations:   consistency relations between outcomes in the cohort (pandas).
# assemble_numbers:    results/numbers.json, the one file every later step reads.


rule implied_counts:
    input:
        "results/claims.json",
        code=package_code("implied_counts"),
    output:
        "results/analysis/implied.json",
    params:
        arms=ARMS,
    log:
        "results/logs/implied_counts.log",
    conda:
        ENV
    script:
        "../scripts/implied_counts.py"


rule outcome_proportions:
    input:
        "results/cohort/validated.csv",
        code=package_code("outcome_proportions"),
    output:
        "results/analysis/proportions.json",
    params:
        arms=ARMS,
        alpha=lookup(within=config, dpath="alpha"),
    log:
        "results/logs/outcome_proportions.log",
    conda:
        ENV
    script:
        "../scripts/outcome_proportions.py"


rule survival_analysis:
    input:
        "results/cohort/validated.csv",
        code=package_code("survival_analysis"),
    output:
        "results/analysis/survival.json",
    params:
        arms=ARMS,
        horizon_days=lookup(within=config, dpath="horizon_days"),
        alpha=lookup(within=config, dpath="alpha"),
    log:
        "results/logs/survival_analysis.log",
    conda:
        ENV
    script:
        "../scripts/survival_analysis.py"


rule outcome_relations:
    input:
        "results/cohort/validated.csv",
        code=package_code("outcome_relations"),
    output:
        "results/analysis/relations.json",
    params:
        arms=ARMS,
        horizon_days=lookup(within=config, dpath="horizon_days"),
    log:
        "results/logs/outcome_relations.log",
    conda:
        ENV
    script:
        "../scripts/outcome_relations.py"


rule assemble_numbers:
    input:
        proportions="results/analysis/proportions.json",
        survival="results/analysis/survival.json",
        relations="results/analysis/relations.json",
        implied="results/analysis/implied.json",
        cohort=config["cohort"],
        schema=config["cohort_schema"],
        claims=config["claims"],
        config="config/config.yaml",
        code=package_code("assemble_numbers"),
    output:
        "results/numbers.json",
    params:
        settings={key: config[key] for key in ("arms", "horizon_days", "alpha")},
    log:
        "results/logs/assemble_numbers.log",
    conda:
        ENV
    script:
        "../scripts/assemble_numbers.py"

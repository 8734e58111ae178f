# implied_counts:      what the reported numbers alone imply (no patient data; shared).
# outcome_proportions: counts, percentages, Wilson intervals (statsmodels).
# survival_analysis:   Kaplan-Meier and log-rank for both endpoints (lifelines).
# outcome_relations:   consistency relations between outcomes in the cohort (pandas).
# assemble_numbers:    numbers.json: the analysis results, inputs (with hashes) and software,
#                      read by verification, figures, tables and the manuscript.


rule implied_counts:
    input:
        f"{PUBLISHED}/claims.json",
        code=package_code("implied_counts"),
    output:
        f"{PUBLISHED}/implied.json",
    log:
        f"{PUBLISHED}/logs/implied_counts.log",
    conda:
        ENV
    params:
        arms=ARMS,
    script:
        "../scripts/implied_counts.py"


rule outcome_proportions:
    input:
        f"{COHORT_DIR}/cohort/validated.csv",
        code=package_code("outcome_proportions"),
    output:
        f"{COHORT_DIR}/analysis/proportions.json",
    log:
        f"{COHORT_DIR}/logs/outcome_proportions.log",
    benchmark:
        f"{COHORT_DIR}/benchmarks/outcome_proportions.tsv"
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=350,
    params:
        arms=ARMS,
        alpha=lookup(within=config, dpath="alpha"),
    script:
        "../scripts/outcome_proportions.py"


rule survival_analysis:
    input:
        f"{COHORT_DIR}/cohort/validated.csv",
        code=package_code("survival_analysis"),
    output:
        f"{COHORT_DIR}/analysis/survival.json",
    log:
        f"{COHORT_DIR}/logs/survival_analysis.log",
    benchmark:
        f"{COHORT_DIR}/benchmarks/survival_analysis.tsv"
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=400,
    params:
        arms=ARMS,
        horizon_days=lookup(within=config, dpath="horizon_days"),
        alpha=lookup(within=config, dpath="alpha"),
    script:
        "../scripts/survival_analysis.py"


rule outcome_relations:
    input:
        f"{COHORT_DIR}/cohort/validated.csv",
        code=package_code("outcome_relations"),
    output:
        f"{COHORT_DIR}/analysis/relations.json",
    log:
        f"{COHORT_DIR}/logs/outcome_relations.log",
    conda:
        ENV
    params:
        arms=ARMS,
        horizon_days=lookup(within=config, dpath="horizon_days"),
    script:
        "../scripts/outcome_relations.py"


rule assemble_numbers:
    input:
        proportions=f"{COHORT_DIR}/analysis/proportions.json",
        survival=f"{COHORT_DIR}/analysis/survival.json",
        relations=f"{COHORT_DIR}/analysis/relations.json",
        implied=f"{PUBLISHED}/implied.json",
        input_report=f"{COHORT_DIR}/cohort/input_report.json",
        cohort=cohort_file,
        mapping=mapping_file,
        schema=config["cohort_schema"],
        claims=config["claims"],
        reconstruction_sha256=config["reconstruction"]["sha256_file"],
        code=package_code("assemble_numbers"),
    output:
        f"{COHORT_DIR}/numbers.json",
    log:
        f"{COHORT_DIR}/logs/assemble_numbers.log",
    conda:
        ENV
    params:
        settings={key: config[key] for key in ("arms", "horizon_days", "alpha")},
        # the settings file's hash, known before rule check_config writes it (so numbers.json does not wait for it)
        config={"path": f"{PUBLISHED}/config.json", "sha256": settings_sha256(config)},
    script:
        "../scripts/assemble_numbers.py"

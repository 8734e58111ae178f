# validate_cohort: check one cohort's CSV against its Table Schema and row rules; report how it was read.
# validate_claims: check the reported numbers against their JSON Schema (shared by all cohorts).
# reconstruct:     rebuild the reconstructed cohort from the claims (not in the default run).
# check_config:    the settings of this run (validated when the workflow starts, common.smk) in canonical
#                  JSON; the analyses take their settings as params, so an edit of config/config.yaml
#                  that changes no setting (a comment) reruns this job only.


rule validate_cohort:
    input:
        cohort=cohort_file,
        mapping=mapping_file,
        schema=config["cohort_schema"],
        code=package_code("validate_cohort"),
    output:
        validated=f"{COHORT_DIR}/cohort/validated.csv",
        report=f"{COHORT_DIR}/cohort/input_report.json",
    log:
        f"{COHORT_DIR}/logs/validate_cohort.log",
    benchmark:
        f"{COHORT_DIR}/benchmarks/validate_cohort.tsv"
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=250,
    params:
        arms=ARMS,
        horizon_days=lookup(within=config, dpath="horizon_days"),
        inclusion=lookup(within=config, dpath="inclusion_minimum"),
    script:
        "../scripts/validate_cohort.py"


rule validate_claims:
    input:
        claims=config["claims"],
        schema="workflow/schemas/claims.schema.yaml",
        code=package_code("validate_claims"),
    output:
        f"{PUBLISHED}/claims.json",
    log:
        f"{PUBLISHED}/logs/validate_claims.log",
    conda:
        ENV
    script:
        "../scripts/validate_claims.py"


rule reconstruct:
    input:
        claims=config["claims"],
        schema="workflow/schemas/claims.schema.yaml",
        code=package_code("reconstruct_cohort"),
    output:
        cohort=f"{PUBLISHED}/reconstruction/patients.csv",
        sha256=f"{PUBLISHED}/reconstruction/patients.csv.sha256",
    log:
        f"{PUBLISHED}/logs/reconstruct.log",
    benchmark:
        f"{PUBLISHED}/benchmarks/reconstruct.tsv"
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=500,
    params:
        arms=ARMS,
        horizon_days=lookup(within=config, dpath="horizon_days"),
        max_shift=lookup(within=config, dpath="reconstruction/max_total_shift_days"),
    script:
        "../scripts/reconstruct_cohort.py"


rule check_config:
    input:
        [str(path) for path in workflow.configfiles],
    output:
        f"{PUBLISHED}/config.json",
    log:
        f"{PUBLISHED}/logs/check_config.log",
    conda:
        ENV
    params:
        config=run_settings(config),
    script:
        "../scripts/check_config.py"

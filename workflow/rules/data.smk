# validate_cohort: check the patient-level CSV against its Table Schema and row rules; report how it was read.
# validate_claims: check the reported numbers against their JSON Schema.
# reconstruct:     rebuild the reconstructed cohort from the claims (not in the default run).


rule validate_cohort:
    input:
        cohort=config["cohort"],
        schema=config["cohort_schema"],
        code=package_code("validate_cohort"),
    output:
        validated="results/cohort/validated.csv",
        report="results/cohort/input_report.json",
    params:
        arms=ARMS,
        horizon_days=lookup(within=config, dpath="horizon_days"),
        inclusion=lookup(within=config, dpath="inclusion_minimum"),
    log:
        "results/logs/validate_cohort.log",
    conda:
        ENV
    script:
        "../scripts/validate_cohort.py"


rule validate_claims:
    input:
        claims=config["claims"],
        schema="workflow/schemas/claims.schema.yaml",
        code=package_code("validate_claims"),
    output:
        "results/claims.json",
    log:
        "results/logs/validate_claims.log",
    conda:
        ENV
    script:
        "../scripts/validate_claims.py"


rule reconstruct:
    input:
        claims=config["claims"],
        schema="workflow/schemas/claims.schema.yaml",
        config="config/config.yaml",
        code=package_code("reconstruct_cohort"),
    output:
        "results/reconstruction/patients.csv",
    params:
        arms=ARMS,
        horizon_days=lookup(within=config, dpath="horizon_days"),
        max_shift=lookup(within=config, dpath="reconstruction/max_total_shift_days"),
    log:
        "results/logs/reconstruct.log",
    conda:
        ENV
    script:
        "../scripts/reconstruct_cohort.py"

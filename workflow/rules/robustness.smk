# How robust is the reported benefit?
# robustness:          effect measures, fragility, E-value, Cox, RMST, Bayesian reanalysis, and the
#                      reviewer's questions answered (with the layout ranges of identifiability.json).
# robustness_table:    question | analysis | result | answer.
# (Its figures are drawn by the rule figures, in figures.smk.)


rule robustness:
    input:
        cohort=f"{COHORT_DIR}/cohort/validated.csv",
        code=package_code("robustness_analysis"),
    output:
        f"{COHORT_DIR}/robustness.json",
    log:
        f"{COHORT_DIR}/logs/robustness.log",
    benchmark:
        f"{COHORT_DIR}/benchmarks/robustness.tsv"
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=600,
    params:
        arms=ARMS,
        horizon_days=config["horizon_days"],
        alpha=config["alpha"],
        settings=config["robustness"],
    script:
        "../scripts/robustness_analysis.py"


rule robustness_table:
    input:
        robustness=f"{COHORT_DIR}/robustness.json",
        identifiability=f"{PUBLISHED}/identifiability.json",
        code=package_code("robustness_table"),
    output:
        **outputs_of("robustness_table"),
    log:
        f"{COHORT_DIR}/logs/robustness_table.log",
    conda:
        ENV
    script:
        "../scripts/robustness_table.py"

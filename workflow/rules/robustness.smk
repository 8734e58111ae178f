# How robust is the reported benefit?
# robustness:          effect measures, fragility, E-value, Cox, RMST, Bayesian reanalysis, and the
#                      reviewer's questions answered (with the layout ranges of identifiability.json).
# robustness_figures:  forest plot of effect measures; posterior densities of the risk ratio.
# robustness_table:    question | analysis | result | answer.


rule robustness:
    input:
        cohort="results/cohort/validated.csv",
        identifiability="results/identifiability.json",
        code=package_code("robustness_analysis"),
    output:
        "results/robustness.json",
    params:
        arms=ARMS,
        horizon_days=config["horizon_days"],
        alpha=config["alpha"],
        settings=config["robustness"],
    log:
        "results/logs/robustness.log",
    conda:
        ENV
    script:
        "../scripts/robustness_analysis.py"


rule robustness_figures:
    input:
        "results/robustness.json",
        code=package_code("robustness_figures"),
    output:
        forest_png="results/figures/forest.png",
        forest_svg="results/figures/forest.svg",
        posterior_png="results/figures/posteriors.png",
        posterior_svg="results/figures/posteriors.svg",
    log:
        "results/logs/robustness_figures.log",
    conda:
        ENV
    script:
        "../scripts/robustness_figures.py"


rule robustness_table:
    input:
        robustness="results/robustness.json",
        code=package_code("robustness_table"),
    output:
        "results/tables/robustness.md",
    log:
        "results/logs/robustness_table.log",
    conda:
        ENV
    script:
        "../scripts/robustness_table.py"

# How robust is the reported benefit?
# robustness:          effect measures, fragility, E-value, Cox, RMST, Bayesian reanalysis, and the
#                      reviewer's questions answered (with the layout ranges of identifiability.json).
# robustness_figures:  forest plot of effect measures; posterior densities of the risk ratio.
# robustness_table:    question | analysis | result | answer.


rule robustness:
    input:
        cohort=f"{COHORT_DIR}/cohort/validated.csv",
        code=package_code("robustness_analysis"),
    output:
        f"{COHORT_DIR}/robustness.json",
    log:
        f"{COHORT_DIR}/logs/robustness.log",
    conda:
        ENV
    params:
        arms=ARMS,
        horizon_days=config["horizon_days"],
        alpha=config["alpha"],
        settings=config["robustness"],
    script:
        "../scripts/robustness_analysis.py"


rule robustness_figures:
    input:
        f"{COHORT_DIR}/robustness.json",
        code=package_code("robustness_figures"),
    output:
        forest_png=report(
            f"{COHORT_DIR}/figures/forest.png",
            caption="../report/robustness_figures.rst",
            category="5. Robustness",
            subcategory="Figures",
            labels={"figure": "Effect measures"},
        ),
        forest_svg=f"{COHORT_DIR}/figures/forest.svg",
        posterior_png=report(
            f"{COHORT_DIR}/figures/posteriors.png",
            caption="../report/robustness_figures.rst",
            category="5. Robustness",
            subcategory="Figures",
            labels={"figure": "Posteriors"},
        ),
        posterior_svg=f"{COHORT_DIR}/figures/posteriors.svg",
    log:
        f"{COHORT_DIR}/logs/robustness_figures.log",
    conda:
        ENV
    script:
        "../scripts/robustness_figures.py"


rule robustness_table:
    input:
        robustness=f"{COHORT_DIR}/robustness.json",
        identifiability=f"{PUBLISHED}/identifiability.json",
        code=package_code("robustness_table"),
    output:
        f"{COHORT_DIR}/tables/robustness.md",
    log:
        f"{COHORT_DIR}/logs/robustness_table.log",
    conda:
        ENV
    script:
        "../scripts/robustness_table.py"

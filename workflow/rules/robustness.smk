# How robust is the reported benefit?
# robustness:          effect measures, fragility, E-value, Cox, RMST, Bayesian reanalysis.
# robustness_figures:  forest plot of effect measures; posterior densities of the risk ratio.
# robustness_table:    question | analysis | result | does the paper's conclusion hold?


rule robustness:
    input:
        "results/cohort/validated.csv",
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
        forest_png=report("results/figures/forest.png", caption="../report/robustness_figures.rst",
                          category="5. Robustness", subcategory="Figures", labels={"figure": "Effect measures"}),
        forest_svg="results/figures/forest.svg",
        posterior_png=report("results/figures/posteriors.png", caption="../report/robustness_figures.rst",
                             category="5. Robustness", subcategory="Figures", labels={"figure": "Posteriors"}),
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
        identifiability="results/identifiability.json",
        code=package_code("robustness_table"),
    output:
        "results/tables/robustness.md",
    log:
        "results/logs/robustness_table.log",
    conda:
        ENV
    script:
        "../scripts/robustness_table.py"

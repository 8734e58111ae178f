# km_figure:       Kaplan-Meier curves of one endpoint by arm (seaborn/matplotlib).
# outcomes_figure: outcomes at the horizon, reported beside reproduced.
# tables:          outcomes table (CSV, Markdown) and the manuscript's other tables.


rule km_figure:
    input:
        "results/numbers.json",
        code=package_code("km_figure"),
    output:
        png="results/figures/km_{endpoint}.png",
        svg="results/figures/km_{endpoint}.svg",
    wildcard_constraints:
        endpoint="|".join(ENDPOINTS),
    params:
        arms=ARMS,
        horizon_days=lookup(within=config, dpath="horizon_days"),
    log:
        "results/logs/km_figure_{endpoint}.log",
    conda:
        ENV
    script:
        "../scripts/km_figure.py"


rule outcomes_figure:
    input:
        numbers="results/numbers.json",
        claims="results/claims.json",
        code=package_code("outcomes_figure"),
    output:
        png="results/figures/outcomes.png",
        svg="results/figures/outcomes.svg",
    params:
        arms=ARMS,
    log:
        "results/logs/outcomes_figure.log",
    conda:
        ENV
    script:
        "../scripts/outcomes_figure.py"


rule tables:
    input:
        numbers="results/numbers.json",
        claims="results/claims.json",
        verification="results/verification.csv",
        code=package_code("make_tables"),
    output:
        outcomes_csv="results/tables/outcomes.csv",
        outcomes="results/tables/outcomes.md",
        verification="results/tables/verification.md",
        statements="results/tables/statements.md",
        assumptions="results/tables/assumptions.md",
        provenance="results/tables/provenance.md",
    params:
        assumptions=lookup(within=config, dpath="reconstruction/assumptions"),
    log:
        "results/logs/tables.log",
    conda:
        ENV
    script:
        "../scripts/make_tables.py"

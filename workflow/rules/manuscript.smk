# manuscript_metadata: the printed numbers the prose reads with {{< meta >}}.
# manuscript_assets:   the tables and figures the manuscript includes, copied beside it.
# render_manuscript:   quarto render -> self-contained HTML and PDF (Typst). Quarto only typesets.

MANUSCRIPT_TABLES = ["outcomes", "verification", "statements", "assumptions", "provenance", "p_value_tests", "robustness"]


rule manuscript_metadata:
    input:
        numbers="results/numbers.json",
        claims="results/claims.json",
        verification="results/verification.csv",
        identifiability="results/identifiability.json",
        robustness="results/robustness.json",
        code=package_code("manuscript_metadata"),
    output:
        "manuscript/_generated/metadata.yml",
    params:
        reconstructed=COHORT_IS_RECONSTRUCTION,
        cohort=config["cohort"],
    log:
        "results/logs/manuscript_metadata.log",
    conda:
        ENV
    script:
        "../scripts/manuscript_metadata.py"


rule manuscript_assets:
    input:
        tables=expand("results/tables/{name}.md", name=MANUSCRIPT_TABLES),
        figures=expand("results/figures/{name}.png", name=FIGURES),
    output:
        tables=expand("manuscript/_generated/tables/{name}.md", name=MANUSCRIPT_TABLES),
        figures=expand("manuscript/_generated/figures/{name}.png", name=FIGURES),
    log:
        "results/logs/manuscript_assets.log",
    conda:
        ENV
    shell:
        "(cp {input.tables} manuscript/_generated/tables/ && cp {input.figures} manuscript/_generated/figures/) > {log} 2>&1"


rule render_manuscript:
    input:
        article="manuscript/index.qmd",
        project="manuscript/_quarto.yml",
        bibliography="manuscript/references.bib",
        metadata="manuscript/_generated/metadata.yml",
        provenance="manuscript/_generated/provenance.yml",
        certificate="manuscript/_generated/certificate.md",
        styles="manuscript/styles.css",
        tables=rules.manuscript_assets.output.tables,
        figures=rules.manuscript_assets.output.figures,
    output:
        html=report("results/manuscript/index.html", caption="../report/manuscript.rst", category="7. Manuscript",
                    labels={"format": "HTML"}),
        pdf=report("results/manuscript/index.pdf", caption="../report/manuscript.rst", category="7. Manuscript",
                   labels={"format": "PDF"}),
    log:
        "results/logs/render_manuscript.log",
    conda:
        ENV
    shell:
        "(cd manuscript && SOURCE_DATE_EPOCH=0 quarto render) > {log} 2>&1"
        " && cp manuscript/_manuscript/index.html {output.html}"
        " && cp manuscript/_manuscript/index.pdf {output.pdf}"

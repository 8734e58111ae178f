# manuscript_metadata: the printed numbers and generated sentences the prose reads with {{< meta >}}.
# figure_includes:     each declared figure's Markdown (image, caption, label, alt text), from
#                      workflow/outputs.yaml, for the manuscript's {{< include _generated/figures/<name>.md >}}.
# render_manuscript:   quarto render -> the report (index) and its supplement, each as self-contained
#                      HTML and as PDF (Typst), one pair per cohort, in a
#                      build folder of its own that holds a copy of manuscript/ and the generated
#                      files; Quarto only typesets. A table not built for this cohort (scope
#                      reconstruction, on a user's cohort) is an empty file there: the manuscript
#                      includes it inside a block that this cohort's document hides.

MANUSCRIPT_SOURCES = [
    "manuscript/index.qmd",
    "manuscript/what_came_after.qmd",
    "manuscript/supplement.qmd",
    "manuscript/other_document.lua",
    "manuscript/_quarto.yml",
    "manuscript/references.bib",
    "manuscript/styles.css",
    "manuscript/chicago-author-date.csl",
    "manuscript/phone.html",
]


rule manuscript_metadata:
    input:
        numbers=f"{COHORT_DIR}/numbers.json",
        claims=f"{PUBLISHED}/claims.json",
        verification=f"{COHORT_DIR}/verification.csv",
        identifiability=f"{PUBLISHED}/identifiability.json",
        robustness=f"{COHORT_DIR}/robustness.json",
        code=package_code("manuscript_metadata"),
    output:
        f"{COHORT_DIR}/manuscript/metadata.yml",
    log:
        f"{COHORT_DIR}/logs/manuscript_metadata.log",
    conda:
        ENV
    params:
        cohort=lambda wildcards: wildcards.cohort,
        bayes=config["robustness"]["bayes"],
    script:
        "../scripts/manuscript_metadata.py"


rule figure_includes:
    input:
        declaration="workflow/outputs.yaml",
        schema="workflow/schemas/outputs.schema.yaml",
        code=package_code("figure_includes"),
    output:
        **{item.name: f"{PUBLISHED}/manuscript/figures/{item.name}.md" for item in declared(kind="figure")},
    log:
        f"{PUBLISHED}/logs/figure_includes.log",
    conda:
        ENV
    script:
        "../scripts/figure_includes.py"


rule render_manuscript:
    input:
        sources=MANUSCRIPT_SOURCES,
        metadata=f"{COHORT_DIR}/manuscript/metadata.yml",
        later_evidence_metadata=f"{COHORT_DIR}/manuscript/later_evidence.yml",
        provenance=f"{COHORT_DIR}/manuscript/provenance.yml",
        certificate=f"{COHORT_DIR}/manuscript/certificate.md",
        tables=shown_files("table"),
        figures=shown_files("figure"),
        figure_includes=rules.figure_includes.output,
    output:
        html=report(
            f"{COHORT_DIR}/manuscript/index.html",
            caption="../report/manuscript.rst",
            category="7. Manuscript",
            labels={"format": "HTML"},
        ),
        pdf=report(
            f"{COHORT_DIR}/manuscript/index.pdf",
            caption="../report/manuscript.rst",
            category="7. Manuscript",
            labels={"format": "PDF"},
        ),
        supplement_html=report(
            f"{COHORT_DIR}/manuscript/supplement.html",
            caption="../report/supplement.rst",
            category="7. Manuscript",
            labels={"format": "HTML, supplement"},
        ),
        supplement_pdf=report(
            f"{COHORT_DIR}/manuscript/supplement.pdf",
            caption="../report/supplement.rst",
            category="7. Manuscript",
            labels={"format": "PDF, supplement"},
        ),
    log:
        f"{COHORT_DIR}/logs/render_manuscript.log",
    benchmark:
        f"{COHORT_DIR}/benchmarks/render_manuscript.tsv"
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=1000,
    params:
        build=f"{COHORT_DIR}/manuscript/build",
        not_shown=not_shown_tables,
    shell:
        "(rm -rf {params.build} && mkdir -p {params.build}/_generated/tables {params.build}/_generated/figures"
        " && cp {input.sources} {params.build}/ && cp {input.metadata} {params.build}/_generated/metadata.yml"
        " && cp {input.later_evidence_metadata} {params.build}/_generated/later_evidence.yml"
        " && cp {input.provenance} {input.certificate} {params.build}/_generated/"
        " && cp {input.tables} {params.build}/_generated/tables/ && cp {input.figures} {input.figure_includes} {params.build}/_generated/figures/"
        " && for name in {params.not_shown}; do : > {params.build}/_generated/tables/$name.md; done"
        " && cd {params.build} && SOURCE_DATE_EPOCH=0 quarto render) > {log} 2>&1"
        " && cp {params.build}/index.html {output.html} && cp {params.build}/index.pdf {output.pdf}"
        " && cp {params.build}/supplement.html {output.supplement_html}"
        " && cp {params.build}/supplement.pdf {output.supplement_pdf}"
        " && rm -rf {params.build}"

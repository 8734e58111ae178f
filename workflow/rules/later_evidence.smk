# What came after: the later evidence on anakinra, registered, checked and set beside the early estimate.
# later_evidence_register: validate data/context/later_evidence.yaml; check its printed numbers (register only).
# later_evidence_table:    the register as a Markdown table.
# later_evidence_compare:  ratio of the early risk ratio of death to each pooled randomised estimate (needs the cohort).
# later_evidence_metadata: the numbers and sentences the manuscript section reads.
# (Its figure is drawn by the rule figures, in figures.smk.)


rule later_evidence_register:
    input:
        register="data/context/later_evidence.yaml",
        schema="workflow/schemas/later_evidence.schema.yaml",
        code=package_code("later_evidence_register"),
    output:
        checked=f"{PUBLISHED}/later_evidence/register.json",
    log:
        f"{PUBLISHED}/logs/later_evidence_register.log",
    conda:
        ENV
    script:
        "../scripts/later_evidence_register.py"


rule later_evidence_table:
    input:
        register=f"{PUBLISHED}/later_evidence/register.json",
        code=package_code("later_evidence_table"),
    output:
        **outputs_of("later_evidence_table"),
    log:
        f"{PUBLISHED}/logs/later_evidence_table.log",
    conda:
        ENV
    script:
        "../scripts/later_evidence_table.py"


rule later_evidence_compare:
    input:
        register=f"{PUBLISHED}/later_evidence/register.json",
        robustness=f"{COHORT_DIR}/robustness.json",
        code=package_code("later_evidence_compare"),
    output:
        comparison=f"{COHORT_DIR}/later_evidence.json",
    log:
        f"{COHORT_DIR}/logs/later_evidence_compare.log",
    conda:
        ENV
    params:
        alpha=lookup(within=config, dpath="alpha"),
    script:
        "../scripts/later_evidence_compare.py"


rule later_evidence_metadata:
    input:
        register=f"{PUBLISHED}/later_evidence/register.json",
        comparison=f"{COHORT_DIR}/later_evidence.json",
        code=package_code("later_evidence_metadata"),
    output:
        metadata=f"{COHORT_DIR}/manuscript/later_evidence.yml",
    log:
        f"{COHORT_DIR}/logs/later_evidence_metadata.log",
    conda:
        ENV
    script:
        "../scripts/later_evidence_metadata.py"

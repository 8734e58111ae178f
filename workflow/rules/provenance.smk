# provenance:       results/provenance.json: commit (and uncommitted changes), tools, build date, the
#                   SHA-256 of every output, and the script and rule behind each figure and table.
# provenance_pages: the provenance table, the captions' provenance links (metadata) and the
#                   manuscript's certificate section, all from results/provenance.json.
# codecheck:        results/codecheck.yml, a CODECHECK-style manifest of every output with its
#                   SHA-256, written after the render so that it lists the document too.
import os
import sys

sys.path.insert(0, str(SCRIPTS))
from anakinra_replication.provenance import git_state  # noqa: E402 - the package lives beside the scripts

DOCUMENT = str(rules.render_manuscript.output.html)
CODECHECK = "results/codecheck.yml"
# The label each figure has in the manuscript (its file name is the figure's name in FIGURES).
FIGURE_LABELS = {"km_survival": "fig-km-survival", "km_vent_free_survival": "fig-km-vent-free",
                 "outcomes": "fig-outcomes", "p_value_space": "fig-p-value-space", "forest": "fig-forest",
                 "posteriors": "fig-posteriors"}
# What each output is: the comment of its line in codecheck.yml.
FIGURE_COMMENTS = {"km_survival": "Kaplan-Meier survival by arm",
                   "km_vent_free_survival": "Kaplan-Meier ventilation-free survival by arm",
                   "outcomes": "distance of each recomputed value from the printed one",
                   "p_value_space": "distribution of the log-rank P over the allowed layouts",
                   "forest": "effect measures with their intervals",
                   "posteriors": "posterior densities of the risk ratio"}
TABLE_COMMENTS = {"outcomes": "outcomes at the horizon, reported and reproduced",
                  "verification": "every reported number beside the recomputed one",
                  "statements": "reported statements that cannot be checked",
                  "assumptions": "assumptions of the reconstructed cohort",
                  "p_value_tests": "which test gives the reported P values",
                  "robustness": "how robust the finding is"}
HASHED = {
    str(rules.validate_claims.output[0]): "the reported numbers and statements, validated",
    str(rules.validate_cohort.output[0]): "the cohort, validated against its schema",
    str(rules.outcome_proportions.output[0]): "counts, percentages and Wilson intervals",
    str(rules.survival_analysis.output[0]): "Kaplan-Meier estimates and log-rank tests",
    str(rules.outcome_relations.output[0]): "consistency relations observed in the cohort",
    str(rules.implied_counts.output[0]): "what the reported numbers alone imply",
    str(rules.assemble_numbers.output[0]): "every number recomputed from the cohort",
    str(rules.verify_claims.output[0]): "verdict and evidence for every reported item",
    str(rules.verification_gate.output[0]): "the verification summary",
    str(rules.identifiability.output[0]): "what the published numbers allow",
    str(rules.robustness.output[0]): "how robust the finding is",
    str(rules.tables.output.outcomes_csv): "Table (CSV): outcomes at the horizon, reported and reproduced",
    **{f"results/tables/{name}.md": f"Table (Markdown): {comment}" for name, comment in TABLE_COMMENTS.items()},
    **{f"results/figures/{name}.{ext}": f"Figure ({ext.upper()}): {FIGURE_COMMENTS[name]}"
       for name in FIGURES for ext in ("png", "svg")},
}


rule provenance_pages:
    input:
        record="results/provenance.json",
        numbers="results/numbers.json",
        code=package_code("provenance_pages"),
    output:
        table=report("results/tables/provenance.md", caption="../report/provenance.rst", category="6. Provenance"),
        metadata="manuscript/_generated/provenance.yml",
        certificate="manuscript/_generated/certificate.md",
    params:
        cohort=config["cohort"],
        reconstructed=COHORT_IS_RECONSTRUCTION,
        codecheck=CODECHECK,
    log:
        "results/logs/provenance_pages.log",
    conda:
        ENV
    script:
        "../scripts/provenance_pages.py"


# The rule that makes each figure and table, found among the rules by its output, with its script
# and where it is defined (for the caption links).
MADE = {**{FIGURE_LABELS[name]: f"results/figures/{name}.png" for name in FIGURES},
        **{f"tbl-{name.replace('_', '-')}": f"results/tables/{name}.md" for name in MANUSCRIPT_TABLES}}
MAKERS = {label: next(r for r in workflow.rules if r.is_producer(path)) for label, path in MADE.items()}
MADE_BY = {label: {"rule": r.name, "line": r.lineno,
                   "script": os.path.relpath(os.path.join(os.path.dirname(r.snakefile), r.script), workflow.basedir),
                   "rules_file": os.path.relpath(r.snakefile, workflow.basedir)}
           for label, r in MAKERS.items()}


rule provenance:
    input:
        hashed=list(HASHED),
        citation="CITATION.cff",
        code=package_code("build_provenance"),
    output:
        "results/provenance.json",
    params:
        outputs=HASHED,
        made_by=MADE_BY,
        document=DOCUMENT,
        # A new commit or a change to the tree reruns this rule (params are a rerun trigger).
        source=git_state(workflow.basedir),
    log:
        "results/logs/provenance.log",
    conda:
        ENV
    script:
        "../scripts/build_provenance.py"


rule codecheck:
    input:
        record="results/provenance.json",
        numbers="results/numbers.json",
        citation="CITATION.cff",
        html=rules.render_manuscript.output.html,
        pdf=rules.render_manuscript.output.pdf,
        code=package_code("codecheck"),
    output:
        report(CODECHECK, caption="../report/codecheck.rst", category="6. Provenance"),
    params:
        cohort=config["cohort"],
        reconstructed=COHORT_IS_RECONSTRUCTION,
    log:
        "results/logs/codecheck.log",
    conda:
        ENV
    script:
        "../scripts/codecheck.py"

# provenance:       provenance.json: commit (and uncommitted changes), licence and contributors
#                   (CITATION.cff), the Monte Carlo's seed, build date, the time the jobs took (their
#                   benchmark files) and the machine, tools, the SHA-256 of every output, and the
#                   script and rule behind each figure and table.
# provenance_pages: the provenance table, the captions' provenance links (metadata) and the
#                   manuscript's certificate section, all from results/provenance.json.
# codecheck:        codecheck.yml, a CODECHECK certificate (or, without a codechecker's fields in
#                   the config, a manifest that says it is not one) of every output with its
#                   SHA-256, written after the render so that it lists the document too; the
#                   shared results the document shows are copied beside it.
import os
from pathlib import Path

from anakinra_replication.certificate import SHARED_FOLDER
from anakinra_replication.provenance import (
    benchmark_files,
    git_state,
    main_line,
    writes_any,
)  # on the path since common.smk

DOCUMENT = str(rules.render_manuscript.output.html)
CODECHECK = f"{COHORT_DIR}/codecheck.yml"
HASHED = {
    str(rules.validate_claims.output[0]): "the reported numbers and statements, validated",
    str(rules.validate_cohort.output.validated): "the cohort, validated against its schema",
    str(rules.validate_cohort.output.report): "how the cohort file was read",
    str(rules.outcome_proportions.output[0]): "counts, percentages and Wilson intervals",
    str(rules.survival_analysis.output[0]): "Kaplan-Meier estimates and log-rank tests",
    str(rules.outcome_relations.output[0]): "consistency relations observed in the cohort",
    str(rules.implied_counts.output[0]): "what the reported numbers alone imply",
    str(rules.assemble_numbers.output[0]): "every number recomputed from the cohort",
    str(rules.verify_claims.output[0]): "verdict and evidence for every reported item",
    str(rules.verification_summary.output[0]): "the verification summary",
    str(rules.identifiability.output[0]): "what the published numbers allow",
    str(rules.robustness.output[0]): "how robust the finding is",
    str(rules.later_evidence_register.output.checked): "the register of later evidence, checked",
    str(rules.later_evidence_compare.output.comparison): "the early estimate beside the later evidence",
    # every declared table, then figure (workflow/outputs.yaml), each kind the cohort's first, but
    # the tables written from this record
    **{
        path: f"{item.kind.capitalize()} ({Path(path).suffix[1:].upper()}): {item.comment}"
        for item in sorted(OUTPUTS, key=lambda o: (o.kind == "figure", o.scope == "published"))
        if item.hashed
        for path in item.files(COHORT_DIR, PUBLISHED).values()
    },
}

# The files each cohort's record hashes: without the outputs not built for it (common.smk).
HASHED_FOR = files_for_cohort(HASHED)


rule provenance_pages:
    input:
        record=f"{COHORT_DIR}/provenance.json",
        numbers=f"{COHORT_DIR}/numbers.json",
        code=package_code("provenance_pages"),
    output:
        **outputs_of("provenance_pages"),
        metadata=f"{COHORT_DIR}/manuscript/provenance.yml",
        certificate=f"{COHORT_DIR}/manuscript/certificate.md",
    log:
        f"{COHORT_DIR}/logs/provenance_pages.log",
    conda:
        ENV
    params:
        codecheck=lambda wildcards: CODECHECK.format(cohort=wildcards.cohort),
        given=config.get("codecheck"),
        shared=PUBLISHED,
    script:
        "../scripts/provenance_pages.py"


# The rule that makes each figure and table, found among the rules by its output, with its script
# and where it is defined (for the caption links). It must be the rule declared for it in
# workflow/outputs.yaml, whose outputs list it with outputs_of(rule); otherwise the run stops here.
MAKERS = {item.label: rule_writing(item) for item in OUTPUTS}
_unbuilt = [
    f"declaration error: workflow/outputs.yaml, {item.kind}s/{item.name}/rule: rule {item.rule} does not write "
    f'{item.shown(COHORT_DIR, PUBLISHED)}; name the rule that does, and list **outputs_of("{item.rule}") among '
    "its outputs"
    for item in OUTPUTS
    if MAKERS[item.label] is None or MAKERS[item.label].name != item.rule
]
for _problem in _unbuilt:
    print(_problem, file=sys.stderr)  # one line each, no traceback
if _unbuilt:
    sys.exit(1)

MAKER_SCRIPTS = {label: os.path.join(os.path.dirname(r.snakefile), r.script) for label, r in MAKERS.items()}
MADE_BY = {
    label: {
        "rule": r.name,
        "line": workflow.linemaps[r.snakefile][r.lineno],  # r.lineno: a line of the parsed Python
        "script": os.path.relpath(MAKER_SCRIPTS[label], workflow.basedir),
        "script_line": main_line(MAKER_SCRIPTS[label]),
        "rules_file": os.path.relpath(r.snakefile, workflow.basedir),
    }
    for label, r in MAKERS.items()
}

# The time the jobs took: the record adds up the benchmark files of the jobs its outputs come
# from. Each rule with a benchmark is one of them when it writes one of the cohort's hashed files,
# or is named in FEEDS (it writes a file those are made from); else NOT_TIMED says why not. A new
# benchmarked rule must be placed, or the run stops here.
FEEDS = ("death_day_chunk", "death_day_space", "joint_stream", "joint_space")
NOT_TIMED = {"reconstruct": "not in the default run", "render_manuscript": "runs after the record"}
BENCHMARK_WILDCARDS = {"chunk": range(ID["chunks"]), "stream": range(ID["monte_carlo"]["streams"])}
BENCHMARKED = [r for r in workflow.rules if r.benchmark]


_unplaced = [
    f"declaration error: workflow/rules/provenance.smk: rule {r.name} has a benchmark but writes no hashed "
    "file; add it to FEEDS if the record's outputs are made from its files, else to NOT_TIMED with the reason"
    for r in BENCHMARKED
    if not writes_any(r, HASHED) and r.name not in FEEDS and r.name not in NOT_TIMED
]
for _problem in _unplaced:
    print(_problem, file=sys.stderr)  # one line each, no traceback
if _unplaced:
    sys.exit(1)


rule provenance:
    input:
        hashed=lambda wildcards: list(HASHED_FOR(wildcards)),
        benchmarks=lambda wildcards: benchmark_files(
            BENCHMARKED, FEEDS, HASHED_FOR(wildcards), wildcards.cohort, BENCHMARK_WILDCARDS
        ),
        citation="CITATION.cff",
        code=package_code("build_provenance"),
    output:
        f"{COHORT_DIR}/provenance.json",
    log:
        f"{COHORT_DIR}/logs/provenance.log",
    conda:
        ENV
    params:
        outputs=HASHED_FOR,
        made_by=labels_for_cohort(MADE_BY),
        document=lambda wildcards: DOCUMENT.format(cohort=wildcards.cohort),
        repository=config.get("repository"),
        monte_carlo=ID["monte_carlo"],
        # A new commit reruns this rule (params are a rerun trigger: the links point at the commit).
        # Uncommitted changes do not: the record says whether the files the build reads had any
        # when it was written, and an edit that changes what they make reruns it through its inputs;
        # so a comment in the config or an edit of the README reruns nothing here.
        commit=git_state(workflow.basedir)["commit"],
    script:
        "../scripts/build_provenance.py"


SHARED = [path for path in HASHED if Path(path).is_relative_to(PUBLISHED)]


rule codecheck:
    input:
        record=f"{COHORT_DIR}/provenance.json",
        numbers=f"{COHORT_DIR}/numbers.json",
        citation="CITATION.cff",
        html=rules.render_manuscript.output.html,
        pdf=rules.render_manuscript.output.pdf,
        supplement_html=rules.render_manuscript.output.supplement_html,
        supplement_pdf=rules.render_manuscript.output.supplement_pdf,
        code=package_code("codecheck"),
    output:
        certificate=report(CODECHECK, caption="../report/codecheck.rst", category="6. Provenance"),
        # the shared results the document shows, copied beside codecheck.yml (no manifest path leaves its folder)
        shared=[f"{COHORT_DIR}/{SHARED_FOLDER}/{Path(path).relative_to(PUBLISHED)}" for path in SHARED],
    log:
        f"{COHORT_DIR}/logs/codecheck.log",
    conda:
        ENV
    params:
        given=config.get("codecheck"),
        shared=PUBLISHED,
    script:
        "../scripts/codecheck.py"

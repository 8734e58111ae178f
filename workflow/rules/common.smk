# Shared set-up: config validation, the cohorts of this run, names used by several stages, the
# figures and tables of the document (declared in workflow/outputs.yaml; outputs_of gives a rule
# its outputs from there), and the messages after a run. Scripts import the package in workflow/scripts/anakinra_replication:
# Snakemake puts a local script's folder on its path, so nothing needs installing.
#
# Folders: results/published/ holds what depends only on the published numbers (claims,
# identifiability), built once; results/<cohort>/ holds everything computed from one cohort.
import re
import shutil
import sys
import time
from pathlib import Path

from snakemake.utils import min_version, validate

min_version("9.0")


validate(config, "../schemas/config.schema.yaml")

ENV = "../envs/replication.yaml"
ARMS = config["arms"]
PUBLISHED = "results/published"
COHORT_DIR = "results/{cohort}"
STARTED = time.time()


def cohorts_of_this_run(config):
    """Name -> file of the cohorts to build: the one given with --config cohort=PATH [name=NAME]
    (name defaults to the file's stem, characters a folder name should not have made '_'), else
    the shipped ones of `cohorts`."""
    if config.get("cohort"):
        path = Path(config["cohort"])
        return {config.get("name") or re.sub(r"[^A-Za-z0-9_.-]+", "_", path.stem): str(path)}
    return dict(config["cohorts"])


def cohort_problem(name, path):
    """Why a cohort cannot be run, in one line, or None."""
    if name == Path(PUBLISHED).name or not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", name):
        return (
            f"cohort error: the name {name!r} cannot be used for a folder of results/; give another "
            "with NAME=label (letters, digits, '.', '_' or '-'; not 'published')"
        )
    if not Path(path).is_file():
        return (
            f"cohort error: {Path(path).name}: no such file; give the path of the cohort's file "
            "(COHORT=path/to/file.csv, .xlsx or .ods)"
        )
    if config.get("mapping") and not Path(config["mapping"]).is_file():
        return f"mapping error: {Path(config['mapping']).name}: no such file; give the mapping's path with MAP=path/to/mapping.yaml"
    return None


COHORTS = cohorts_of_this_run(config)
for _problem in filter(None, (cohort_problem(name, path) for name, path in COHORTS.items())):
    print(_problem, file=sys.stderr)  # one line, no traceback: the user can act on it
    sys.exit(1)


wildcard_constraints:
    cohort="|".join(re.escape(name) for name in COHORTS),
    chunk=r"\d+",
    stream=r"\d+",


# Jobs that take a second or two and little memory run where Snakemake runs, also when the others
# are submitted to a cluster (workflow/profiles/slurm); the heavy rules declare threads, memory and
# a benchmark file.
localrules:
    check_config,
    validate_claims,
    implied_counts,
    outcome_relations,
    assemble_numbers,
    verify_claims,
    verification_summary,
    verification_gate,
    tables,
    assumptions_table,
    robustness_table,
    p_value_tests_table,
    later_evidence_register,
    later_evidence_table,
    later_evidence_compare,
    later_evidence_metadata,
    manuscript_metadata,
    figure_includes,
    provenance,
    provenance_pages,
    codecheck,


def cohort_file(wildcards):
    """The CSV file of the cohort named by the {cohort} wildcard."""
    return COHORTS[wildcards.cohort]


def mapping_file(wildcards):
    """The mapping of the command-line cohort (--config mapping=PATH), as a list: empty without one."""
    return [config["mapping"]] if config.get("cohort") and config.get("mapping") else []


SCRIPTS = Path(workflow.basedir, "workflow", "scripts")
sys.path.insert(0, str(SCRIPTS))  # for the import tracker below (standard library only)
from anakinra_replication.dependencies import local_imports
from anakinra_replication.numbers import sha256
from anakinra_replication.outputs import DECLARATION, SCHEMA as DECLARATION_SCHEMA
from anakinra_replication.outputs import DeclarationError, load_outputs, report_caption
from anakinra_replication.privacy import tracked_by_git
from anakinra_replication.settings import run_settings, settings_sha256

# The figures and tables of the document, each declared once (workflow/outputs.yaml): the rules'
# outputs, the render's inputs, the provenance links and the report's captions come from here.
try:
    OUTPUTS = load_outputs()
except DeclarationError as _error:
    print(_error, file=sys.stderr)  # every problem, one a line, no traceback
    sys.exit(1)
# Snakemake's report reads a caption from a file, one per output: written from the declaration,
# when it changed, into Snakemake's own folder (git-ignored).
REPORT_CAPTIONS = Path(".snakemake", "report-captions").resolve()


def declared(kind=None, scope=None, rule=None):
    """The declared figures and tables, those of one kind ("figure", "table"), scope or rule."""
    wanted = {"kind": kind, "scope": scope, "rule": rule}
    return [o for o in OUTPUTS if all(v is None or getattr(o, k) == v for k, v in wanted.items())]


# The cohorts of this run that are the shipped reconstruction: their bytes are the committed
# file's, the test numbers.json makes too (rule assumptions_table checks that the two agree). Only
# their documents get the outputs of scope `reconstruction` (workflow/outputs.yaml).
RECONSTRUCTION_SHA256 = Path(config["reconstruction"]["sha256_file"]).read_text(encoding="utf-8").split()[0]
RECONSTRUCTIONS = {name for name, path in COHORTS.items() if sha256(path) == RECONSTRUCTION_SHA256}


def declared_for(cohort, kind=None):
    """The declared figures and tables of one cohort's document (of one kind): those of scope
    `reconstruction` only when the cohort is the shipped reconstruction."""
    return [item for item in declared(kind=kind) if item.built_for(cohort in RECONSTRUCTIONS)]


def in_report(item, path):
    """``path`` marked for Snakemake's report with the declared caption, category and label."""
    caption = REPORT_CAPTIONS / f"{item.kind}_{item.name}.rst"
    text = report_caption(item)
    if not caption.is_file() or caption.read_text(encoding="utf-8") != text:
        caption.parent.mkdir(parents=True, exist_ok=True)
        caption.write_text(text, encoding="utf-8")
    return report(
        path,
        caption=str(caption),
        category=item.report["category"],
        subcategory=f"{item.kind.capitalize()}s",
        labels={item.kind: item.report["label"]},
    )


def outputs_of(rule):
    """The outputs of ``rule`` by name, from the declaration (figures: <name>_png, <name>_svg;
    tables: <name>, <name>_csv), the file the report shows marked for it."""
    items = declared(rule=rule)
    mixed = [item for item in items if item.scope != items[0].scope]
    for item in mixed:  # one line each, no traceback
        print(
            f"declaration error: workflow/outputs.yaml, {item.kind}s/{item.name}/scope: rule {rule} writes "
            f"{items[0].scope} outputs ({items[0].kind}s/{items[0].name}), this one is {item.scope}; "
            "the outputs of a rule share one scope (one folder, the same cohorts); give it its own rule",
            file=sys.stderr,
        )
    if mixed:
        sys.exit(1)
    files = {}
    for item in items:
        shown_in_report = item.report_file(COHORT_DIR, PUBLISHED)
        for key, path in item.files(COHORT_DIR, PUBLISHED).items():
            files[key] = in_report(item, path) if path == shown_in_report else path
    return files


def declared_files(kind, scope=None):
    """Every file of the declared figures or tables (PNG and SVG; Markdown and CSV), by scope."""
    return [path for item in declared(kind=kind, scope=scope) for path in item.files(COHORT_DIR, PUBLISHED).values()]


def rule_writing(item):
    """The rule that writes the file of a declared figure or table the document shows, or None
    (called once every rule is defined; any cohort's concrete path finds it)."""
    path = item.shown(COHORT_DIR, PUBLISHED).format(cohort=next(iter(COHORTS)))
    return next((r for r in workflow.rules if r.is_producer(path)), None)


def shown_files(kind):
    """Input function: the files a cohort's document shows (figures' PNG, tables' Markdown) of one
    kind, those of scope `reconstruction` only for the reconstruction (declared_for)."""
    return lambda wildcards: [
        item.shown(COHORT_DIR, PUBLISHED).format(cohort=wildcards.cohort)
        for item in declared_for(wildcards.cohort, kind)
    ]


def files_for_cohort(files):
    """A function of the wildcards: ``files`` (path patterns -> comments) of one cohort, its name
    filled in, without the files of the outputs not built for it (declared_for)."""

    def for_cohort(wildcards):
        unbuilt = {
            path
            for item in OUTPUTS
            if item not in declared_for(wildcards.cohort)
            for path in item.files(COHORT_DIR, PUBLISHED).values()
        }
        return {path.format(cohort=wildcards.cohort): value for path, value in files.items() if path not in unbuilt}

    return for_cohort


def labels_for_cohort(by_label):
    """A function of the wildcards: ``by_label`` (figure and table labels -> values) for the
    outputs built for one cohort (declared_for)."""
    return lambda wildcards: {item.label: by_label[item.label] for item in declared_for(wildcards.cohort)}


def not_shown_tables(wildcards):
    """The names of the declared tables that a cohort's document does not get (scope
    `reconstruction`, on a user's cohort): the render gives each an empty file, since the manuscript
    includes it inside a block that this cohort's document hides."""
    return [item.name for item in declared(kind="table") if item not in declared_for(wildcards.cohort, "table")]


for _path in COHORTS.values():  # patient-level data in git would leave the machine with a push
    _warning = tracked_by_git(_path, workflow.basedir)
    if _warning:
        print(_warning, file=sys.stderr)


# Files a package module reads besides code: a job whose code imports the module reruns when they change.
MODULE_DATA = {"outputs.py": [DECLARATION, DECLARATION_SCHEMA]}


def package_code(script):
    """The package modules a script imports, directly or through one another, as inputs: editing
    one reruns exactly the jobs whose code it is (Snakemake itself tracks only the script). Read
    from the syntax tree of every import statement, in any form (anakinra_replication.dependencies).
    With them, the files those modules read (MODULE_DATA)."""
    found = local_imports(SCRIPTS / f"{script}.py", SCRIPTS)
    data = sorted({str(Path(f).relative_to(workflow.basedir)) for m in found for f in MODULE_DATA.get(m.name, [])})
    return [str(module.relative_to(workflow.basedir)) for module in found] + data


def logs_of_this_run():
    """Log files written since this run started, in the shared folder and each cohort's."""
    folders = [Path(PUBLISHED)] + [Path(COHORT_DIR.format(cohort=name)) for name in COHORTS]
    logs = [log for folder in folders for log in sorted((folder / "logs").glob("*.log"))]
    return [log for log in logs if log.stat().st_mtime >= STARTED]


def errors_of_this_run():
    """The one-line errors of this run's logs (step.run writes one for bad input and for a bug alike)."""
    errors = []
    for log in logs_of_this_run():
        lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
        errors += [line for line in lines if " error: " in line or line.startswith("verification failed")]
    return errors


def print_summary():
    """After a successful run: each cohort's verification summary and where its outputs are."""
    for name in COHORTS:
        folder = Path(COHORT_DIR.format(cohort=name))
        summary = folder / "verification_summary.txt"
        if summary.exists():
            print(f"\nVerification of cohort {name}: {summary.read_text(encoding='utf-8').strip()}")
            print(
                f"Table: {folder}/verification.csv; document: {folder}/manuscript/index.html (and .pdf; supplement.html and .pdf beside it)\n"
            )


def report_failure():
    """After a failed run: this run's errors only. A cohort whose claims merely mismatch keeps its
    document (that is the result); any other failure removes the cohort's outputs, so nothing
    from an earlier run or half of this one is left to be mistaken for this cohort's result."""
    errors = errors_of_this_run()
    for line in errors:
        print(line)
    mismatch_only = errors and all(line.startswith("verification failed") for line in errors)
    for name in COHORTS:
        folder = Path(COHORT_DIR.format(cohort=name))
        if mismatch_only:
            failed = any(line.startswith(f"verification failed for cohort {name}:") for line in errors)
            verdict = "the document shows each mismatch" if failed else "every numeric claim matches"
            print(f"Cohort {name}: {verdict}: {folder}/manuscript/index.html (and .pdf; supplement beside it)")
            continue
        for item in folder.glob("*") if folder.exists() else []:
            if item.name not in ("logs", "benchmarks"):
                shutil.rmtree(item) if item.is_dir() else item.unlink()
        if folder.exists():
            print(f"Cohort {name}: no results were kept (logs in {folder}/logs)")

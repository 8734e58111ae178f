# Shared set-up: config validation, names used by several stages, messages after a run.
# Scripts import the package in workflow/scripts/anakinra_replication: Snakemake puts a local
# script's folder on its path, so nothing needs installing.
import sys
from pathlib import Path

from snakemake.utils import min_version, validate

min_version("9.0")


validate(config, "../schemas/config.schema.yaml")

ENV = "../envs/replication.yaml"
ARMS = config["arms"]
ENDPOINTS = ["survival", "vent_free_survival"]
FIGURES = [f"km_{endpoint}" for endpoint in ENDPOINTS] + ["outcomes", "p_value_space", "forest", "posteriors"]
# Evidence labels from the reconstruction apply only when the cohort is the reconstruction.
COHORT_IS_RECONSTRUCTION = Path(config["cohort"]).resolve() == Path(config["reconstruction"]["output"]).resolve()


SCRIPTS = Path(workflow.basedir, "workflow", "scripts")
sys.path.insert(0, str(SCRIPTS))  # for the import tracker below (standard library only)
from anakinra_replication.dependencies import local_imports


def package_code(script):
    """The package modules a script imports, directly or through one another, as inputs: editing
    one reruns exactly the jobs whose code it is (Snakemake itself tracks only the script). Read
    from the syntax tree of every import statement, in any form (anakinra_replication.dependencies)."""
    found = local_imports(SCRIPTS / f"{script}.py", SCRIPTS)
    return [str(module.relative_to(workflow.basedir)) for module in found]


def print_summary():
    """After a successful run: the verification summary and where the outputs are."""
    summary = Path("results/verification_summary.txt")
    if summary.exists():
        print(f"\nVerification: {summary.read_text().strip()}")
        print("Table: results/verification.csv; manuscript: results/manuscript/index.html (and .pdf)\n")


def print_input_errors():
    """After a failed run: repeat the one-line input or verification errors from the logs."""
    for log in sorted(Path("results/logs").glob("*.log")):
        for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
            if " error: " in line or line.startswith("verification failed"):
                print(line)

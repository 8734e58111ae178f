"""Shared paths and fixtures. Tests import the package from workflow/scripts (see pyproject)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
CLAIMS = ROOT / "data/reported/claims.yaml"
CLAIMS_SCHEMA = ROOT / "workflow/schemas/claims.schema.yaml"
COHORT = ROOT / "data/cohort/patients.csv"
COHORT_SCHEMA = ROOT / "data/cohort/patients.schema.json"


@pytest.fixture(scope="session")
def config() -> dict:
    """The workflow's configuration, as committed."""
    return yaml.safe_load((ROOT / "config/config.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def claims() -> list[dict]:
    """The reported numbers, validated."""
    from anakinra_replication.claims import load_claims

    return load_claims(CLAIMS, CLAIMS_SCHEMA)


# --- the end-to-end run, shared by the e2e tests ----------------------------------------------------

SNAKEMAKE = Path(sys.executable).with_name("snakemake")
HAVE_QUARTO = shutil.which("quarto") is not None
needs_quarto = pytest.mark.skipif(not HAVE_QUARTO, reason="Quarto is not on PATH: the manuscript is not rendered")
# __pycache__ is copied: it holds numba's compiled kernels, which the copy then need not compile again.
COPY_IGNORE = shutil.ignore_patterns(
    ".git", ".venv", ".tools", ".snakemake", "results", "_generated", "_manuscript", ".quarto", ".pytest_cache"
)
SMALL = ["--configfile", ".test/config/config.yaml"]
# Without Quarto, the targets short of the document.
UNRENDERED = [
    "verification_summary.txt",
    "tables/outcomes.csv",
    "tables/verification.md",
    "figures/km_survival.png",
    "manuscript/metadata.yml",
]


def copy_repo(tmp: Path) -> Path:
    """A copy of the working tree without generated files."""
    target = tmp / "repo"
    shutil.copytree(ROOT, target, ignore=COPY_IGNORE)
    return target


def snakemake(repo: Path, *options: str, targets: list[str] = ()) -> subprocess.CompletedProcess:
    """Run Snakemake on the small configuration in ``repo``; output is captured for the assertions.
    (Targets come after "--": options such as --configfile take several values.)"""
    command = [str(SNAKEMAKE), "--cores", "2", *options, *SMALL, "--", *targets]
    return subprocess.run(command, cwd=repo, capture_output=True, text=True)


def targets(folder: str) -> list[str]:
    """The default target when Quarto is there, else everything short of rendering."""
    return [] if HAVE_QUARTO else [f"{folder}/{path}" for path in UNRENDERED]


@pytest.fixture(scope="session")
def two_cohort_run(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """A copy of the repository in which one Snakemake run built, with the small test configuration,
    the shipped cohort (results/reconstruction/) and a user's cohort with no deaths in the anakinra
    arm (results/zero_deaths/: several claims mismatch and some statistics are not estimable, so
    the run ends non-zero after rendering both documents). One run for both lets their jobs share
    the two cores."""
    from cohorts import write, zero_deaths_one_arm

    repo = copy_repo(tmp_path_factory.mktemp("e2e"))
    write(repo / "zero_deaths.csv", zero_deaths_one_arm())
    both = "cohorts={reconstruction: data/cohort/patients.csv, zero_deaths: zero_deaths.csv}"
    result = snakemake(
        repo, "--config", both, targets=targets("results/reconstruction") + targets("results/zero_deaths")
    )
    return repo, result


@pytest.fixture(scope="session")
def shipped_run(two_cohort_run) -> Path:
    """The copy of the repository holding the shipped cohort's results (and the zero_deaths one)."""
    repo, result = two_cohort_run
    assert (repo / "results/reconstruction/verification_summary.txt").exists(), (
        result.stdout[-3000:] + result.stderr[-3000:]
    )
    return repo

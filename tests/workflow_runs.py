"""How the end-to-end tests run Snakemake: in temporary copies of the repository, on the small
configuration (.test/config/config.yaml), one run at a time, each started by the first selected
test that reads it (the session fixtures of conftest; the test modules' own fixtures for the rest).
A session that selects no end-to-end test starts none.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
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
PUBLISHED_TARGETS = ["results/published/identifiability.json", "results/published/later_evidence/register.json"]
TWO_COHORTS = "cohorts={reconstruction: data/cohort/patients.csv, zero_deaths: zero_deaths.csv}"


def copy_repo(tmp: Path) -> Path:
    """A copy of the working tree without generated files."""
    target = tmp / "repo"
    shutil.copytree(ROOT, target, ignore=COPY_IGNORE)
    return target


def copy_run(repo: Path, target: Path) -> Path:
    """A copy of ``repo`` as a run left it, results included and times kept (Snakemake then sees
    what the run left), for a run that rewrites or removes results others read."""
    shutil.copytree(repo, target, symlinks=True)
    return target


def snakemake(repo: Path, *options: str, targets: list[str] = ()) -> subprocess.CompletedProcess:
    """Run Snakemake on the small configuration in ``repo``; output is captured for the assertions.
    (Targets come after "--": options such as --configfile take several values.)"""
    command = [str(SNAKEMAKE), "--cores", "2", *options, *SMALL, "--", *targets]
    return subprocess.run(command, cwd=repo, capture_output=True, text=True)


def targets(folder: str) -> list[str]:
    """The default target when Quarto is there, else everything short of rendering."""
    return [] if HAVE_QUARTO else [f"{folder}/{path}" for path in UNRENDERED]

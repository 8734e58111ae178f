"""Shared paths and fixtures. Tests import the package from workflow/scripts (see pyproject)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml

from workflow_runs import PUBLISHED_TARGETS, TWO_COHORTS, copy_repo, snakemake, targets

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


# --- the end-to-end runs (tests/workflow_runs.py), each made once, by the first test that reads it ---------


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """End-to-end tests share one group, so that under pytest-xdist (make test: -n 2 --dist
    loadgroup) one worker runs them, each Snakemake run once, while the other runs the rest."""
    for item in items:
        if item.get_closest_marker("e2e") is not None:
            item.add_marker(pytest.mark.xdist_group("e2e"))


@pytest.fixture(scope="session")
def published_run(tmp_path_factory) -> Path:
    """A copy of the repository once its shared results (results/published/) are built, with
    the file of a user's cohort without deaths on anakinra (zero_deaths.csv) beside them."""
    from cohorts import write, zero_deaths_one_arm

    repo = copy_repo(tmp_path_factory.mktemp("e2e"))
    write(repo / "zero_deaths.csv", zero_deaths_one_arm())
    result = snakemake(repo, targets=PUBLISHED_TARGETS)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return repo


@pytest.fixture(scope="session")
def two_cohort_run(published_run) -> tuple[Path, subprocess.CompletedProcess]:
    """The same copy once one Snakemake run built, with the small test configuration, the shipped
    cohort (results/reconstruction/) and a user's cohort with no deaths in the anakinra arm
    (results/zero_deaths/: several claims mismatch and some statistics are not estimable, so the run
    ends non-zero after rendering both documents), and the output of that run. Later runs that
    rewrite results work in copies of it (``copy_run``)."""
    cohorts = targets("results/reconstruction") + targets("results/zero_deaths")
    return published_run, snakemake(published_run, "--config", TWO_COHORTS, targets=cohorts)


@pytest.fixture(scope="session")
def shipped_run(two_cohort_run) -> Path:
    """The copy of the repository holding the shipped cohort's results (and the zero_deaths one)."""
    repo, result = two_cohort_run
    assert (repo / "results/reconstruction/verification_summary.txt").exists(), (
        result.stdout[-3000:] + result.stderr[-3000:]
    )
    return repo

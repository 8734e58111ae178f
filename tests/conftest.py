"""Shared paths and fixtures. Tests import the package from workflow/scripts (see pyproject)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from workflow_runs import FOLLOW_UPS, PUBLISHED_TARGETS, SHIPPED, TWO_COHORTS, copy_repo, copy_run, snakemake, targets

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


# --- the end-to-end runs (tests/workflow_runs.py): each made once, by the first test that reads it ---

E2E_FIXTURES = {"e2e_folder", "published_run", "two_cohort_run", "shipped_run", "follow_up"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A test that reads an end-to-end run must be marked e2e, so that `make test` (-m "not e2e")
    never starts a workflow by accident."""
    unmarked = [
        item.nodeid
        for item in items
        if E2E_FIXTURES & set(getattr(item, "fixturenames", ())) and item.get_closest_marker("e2e") is None
    ]
    if unmarked:
        raise pytest.UsageError("read an end-to-end run without the e2e marker: " + ", ".join(unmarked))


@pytest.fixture(scope="session")
def e2e_folder() -> Path:
    """A temporary folder for the copies of the repository the end-to-end runs work in, removed
    at the end of the session."""
    folder = Path(tempfile.mkdtemp(prefix="anakinra-e2e-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def published_run(e2e_folder) -> Path:
    """A copy of the repository (with the file of a cohort without deaths on anakinra) once its
    shared results (results/published/) are built."""
    from cohorts import write, zero_deaths_one_arm

    repo = copy_repo(e2e_folder)
    write(repo / "zero_deaths.csv", zero_deaths_one_arm())
    result = snakemake(repo, targets=PUBLISHED_TARGETS)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return repo


@pytest.fixture(scope="session")
def two_cohort_run(published_run) -> tuple[Path, subprocess.CompletedProcess]:
    """The copy in which one Snakemake run built, with the small test configuration, the shipped
    cohort (results/reconstruction/) and a user's cohort with no deaths in the anakinra arm
    (results/zero_deaths/: several claims mismatch and some statistics are not estimable, so the run
    ends non-zero after rendering both documents), and the output of that run. Later runs that
    rewrite results work in copies of it (workflow_runs.FOLLOW_UPS)."""
    run_targets = targets(SHIPPED) + targets("results/zero_deaths")
    return published_run, snakemake(published_run, "--config", TWO_COHORTS, targets=run_targets)


@pytest.fixture(scope="session")
def shipped_run(two_cohort_run) -> Path:
    """The copy of the repository holding the shipped cohort's results (and the zero_deaths one)."""
    repo, result = two_cohort_run
    assert (repo / "results/reconstruction/verification_summary.txt").exists(), (
        result.stdout[-3000:] + result.stderr[-3000:]
    )
    return repo


@pytest.fixture(scope="session")
def follow_up(e2e_folder, shipped_run) -> Callable[[str], tuple[Path, subprocess.CompletedProcess]]:
    """``follow_up(name)``: the copy of the repository and the result of the run ``name`` of
    workflow_runs.FOLLOW_UPS, made in a copy of the two-cohort run's repository the first time."""
    done: dict[str, tuple[Path, subprocess.CompletedProcess]] = {}

    def run(name: str) -> tuple[Path, subprocess.CompletedProcess]:
        if name not in done:
            prepare, options, run_targets = FOLLOW_UPS[name]
            repo = copy_run(shipped_run, e2e_folder / name / "repo")
            more = prepare(repo) if prepare is not None else None
            done[name] = repo, snakemake(repo, *options, *(more or []), targets=run_targets)
        return done[name]

    return run

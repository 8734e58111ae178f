"""Shared paths and fixtures. Tests import the package from workflow/scripts (see pyproject)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from workflow_runs import run_folder, start_runs, stop_runs, wait_for

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


# --- the end-to-end runs (tests/workflow_runs.py): started after collection, if a selected test reads them ---

RUNNER = pytest.StashKey[tuple[Path, subprocess.Popen]]()
NEEDS_PUBLISHED_ONLY = {"published_run"}
NEEDS_EVERYTHING = {"two_cohort_run", "shipped_run"}


def e2e_order(item: pytest.Item) -> int:
    """0: not end to end; 1: reads only the shared results; 2: reads the two-cohort run."""
    if item.get_closest_marker("e2e") is None:
        return 0
    names = set(getattr(item, "fixturenames", ()))
    return 1 if names & NEEDS_PUBLISHED_ONLY and not names & NEEDS_EVERYTHING else 2


@pytest.hookimpl(trylast=True)  # after -m and -k have deselected
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """End-to-end tests last (in their order otherwise), so that the other tests run meanwhile."""
    items.sort(key=e2e_order)


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start the long end-to-end runs if a selected test is marked e2e; else nothing starts."""
    if not session.config.option.collectonly and any(e2e_order(item) for item in session.items):
        folder = Path(tempfile.mkdtemp(prefix="anakinra-e2e-"))
        session.config.stash[RUNNER] = (folder, start_runs(folder))


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Stop the runs if they still go on (a test failed early, or the session was interrupted)."""
    folder, runner = session.config.stash.get(RUNNER, (None, None))
    if runner is not None:
        stop_runs(runner)
        shutil.rmtree(folder, ignore_errors=True)


def run_result(request: pytest.FixtureRequest, name: str) -> tuple[Path, subprocess.CompletedProcess]:
    """The copy of the repository and the result of run ``name``, waited for."""
    started = request.config.stash.get(RUNNER, None)
    if started is None:
        pytest.fail("an end-to-end test must be marked e2e (pytestmark = pytest.mark.e2e)")
    folder, runner = started
    return run_folder(folder, name), wait_for(folder, name, runner)


@pytest.fixture(scope="session")
def published_run(request) -> Path:
    """The copy of the repository once its shared results (results/published/) are built."""
    repo, result = run_result(request, "published")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return repo


@pytest.fixture(scope="session")
def two_cohort_run(request, published_run) -> tuple[Path, subprocess.CompletedProcess]:
    """The copy in which one Snakemake run built, with the small test configuration, the shipped
    cohort (results/reconstruction/) and a user's cohort with no deaths in the anakinra arm
    (results/zero_deaths/: several claims mismatch and some statistics are not estimable, so the run
    ends non-zero after rendering both documents), and the output of that run. Later runs that
    rewrite results work in copies of it (workflow_runs.FOLLOW_UPS)."""
    return run_result(request, "two_cohorts")


@pytest.fixture(scope="session")
def shipped_run(two_cohort_run) -> Path:
    """The copy of the repository holding the shipped cohort's results (and the zero_deaths one)."""
    repo, result = two_cohort_run
    assert (repo / "results/reconstruction/verification_summary.txt").exists(), (
        result.stdout[-3000:] + result.stderr[-3000:]
    )
    return repo


@pytest.fixture(scope="session")
def follow_up(request, shipped_run) -> Callable[[str], tuple[Path, subprocess.CompletedProcess]]:
    """``follow_up(name)``: the copy of the repository and the result of the run ``name`` of
    workflow_runs.FOLLOW_UPS, waited for."""
    return lambda name: run_result(request, name)

"""Shared paths and fixtures. Tests import the package from workflow/scripts (see pyproject)."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import pytest
import yaml

from workflow_runs import FOLLOW_UPS, BackgroundRuns

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


# --- the end-to-end runs (tests/workflow_runs.py), started with the session --------------------------

RUNS = pytest.StashKey[BackgroundRuns]()
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


def pytest_sessionstart(session: pytest.Session) -> None:
    """Start the background runs at once (collection takes seconds); stopped after collection if no
    selected test reads them."""
    session.config.stash[RUNS] = BackgroundRuns(Path(tempfile.mkdtemp(prefix="anakinra-e2e-")))


def pytest_collection_finish(session: pytest.Session) -> None:
    """Queue the follow-up runs if a selected test reads the background runs, else stop them."""
    runs = session.config.stash[RUNS]
    if any(e2e_order(item) for item in session.items):
        runs.add_follow_ups(FOLLOW_UPS)
    else:
        runs.stop()
        del session.config.stash[RUNS]


def pytest_sessionfinish(session: pytest.Session) -> None:
    runs = session.config.stash.get(RUNS, None)
    if runs is not None:
        runs.stop()


@pytest.fixture(scope="session")
def e2e_runs(request) -> BackgroundRuns:
    """The background runs (started with the session, kept if a selected test is marked e2e)."""
    runs = request.config.stash.get(RUNS, None)
    if runs is None:
        pytest.fail("an end-to-end test must be marked e2e (pytestmark = pytest.mark.e2e)")
    return runs


@pytest.fixture(scope="session")
def published_run(e2e_runs) -> Path:
    """The copy of the repository once its shared results (results/published/) are built."""
    result = e2e_runs.result("published")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return e2e_runs.repo


@pytest.fixture(scope="session")
def two_cohort_run(e2e_runs) -> tuple[Path, subprocess.CompletedProcess]:
    """The copy in which one Snakemake run built, with the small test configuration, the shipped
    cohort (results/reconstruction/) and a user's cohort with no deaths in the anakinra arm
    (results/zero_deaths/: several claims mismatch and some statistics are not estimable, so the run
    ends non-zero after rendering both documents), and the output of that run."""
    return e2e_runs.repo, e2e_runs.result("two_cohorts")


@pytest.fixture(scope="session")
def shipped_run(two_cohort_run) -> Path:
    """The copy of the repository holding the shipped cohort's results (and the zero_deaths one)."""
    repo, result = two_cohort_run
    assert (repo / "results/reconstruction/verification_summary.txt").exists(), (
        result.stdout[-3000:] + result.stderr[-3000:]
    )
    return repo

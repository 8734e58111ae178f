"""Shared paths and fixtures. Tests import the package from workflow/scripts (see pyproject)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

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


# --- the end-to-end runs, in the background -----------------------------------------------------
#
# The end-to-end tests read what Snakemake runs produced. Those runs take about a minute of both
# cores, so they are made by background threads from the start of the session, while the other
# tests run; the tests marked e2e are moved to the end of the session and wait for the run they
# read. Two runs, one after the other, in a copy of the repository:
#   published:   the shared results (results/published/), which test_every_stage reads;
#   two_cohorts: the shipped cohort and a user's cohort with no deaths on anakinra, in one run (it
#                fails on that cohort's mismatches, after rendering both documents).
# Then the runs that test modules register with @background_run(after=one of the two), side by
# side, each in its own copy of the repository as that run left it: they may rewrite or remove
# results, which the tests of the two-cohort run meanwhile read undisturbed in the first copy.

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
# Snakemake processes still running, and whether the session has stopped them: stop_snakemake().
_running: set[subprocess.Popen] = set()
_stopped = threading.Event()
_lock = threading.Lock()


def copy_repo(tmp: Path) -> Path:
    """A copy of the working tree without generated files."""
    target = tmp / "repo"
    shutil.copytree(ROOT, target, ignore=COPY_IGNORE)
    return target


def snakemake(repo: Path, *options: str, targets: list[str] = ()) -> subprocess.CompletedProcess:
    """Run Snakemake on the small configuration in ``repo``; output is captured for the assertions.
    (Targets come after "--": options such as --configfile take several values.) Each run is a
    process group of its own, so that :func:`stop_snakemake` can stop it with its jobs at once."""
    command = [str(SNAKEMAKE), "--cores", "2", *options, *SMALL, "--", *targets]
    with _lock:
        if _stopped.is_set():
            raise RuntimeError("Snakemake was not started: the runs were stopped")
        process = subprocess.Popen(
            command, cwd=repo, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
        )
        _running.add(process)
    try:
        out, err = process.communicate()
    finally:
        with _lock:
            _running.discard(process)
    return subprocess.CompletedProcess(command, process.returncode, out, err)


def stop_snakemake() -> None:
    """Stop every Snakemake run of :func:`snakemake` and its jobs (SIGTERM to each process group),
    and start no more."""
    with _lock:
        _stopped.set()
        for process in _running:
            try:
                os.killpg(process.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass  # it has just ended


def targets(folder: str) -> list[str]:
    """The default target when Quarto is there, else everything short of rendering."""
    return [] if HAVE_QUARTO else [f"{folder}/{path}" for path in UNRENDERED]


FollowUp = Callable[[Path], Any]
STAGES = ("published", "two_cohorts")
FOLLOW_UPS: dict[str, tuple[str, FollowUp]] = {}


def background_run(after: str, name: str | None = None) -> Callable[[FollowUp], FollowUp]:
    """Register ``follow_up(repo)`` to run in the background once the run ``after`` (one of
    STAGES) is done, in its own copy of the repository as that run left it; a test reads what it
    returned with ``e2e_runs.result(name)`` (by default the function's name)."""
    assert after in STAGES, after

    def register(follow_up: FollowUp) -> FollowUp:
        FOLLOW_UPS[name or follow_up.__name__] = (after, follow_up)
        return follow_up

    return register


class BackgroundRuns:
    """The runs listed above, made by background threads. :meth:`result` waits for a run and gives
    what it returned, or raises what it raised."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.repo = folder / "repo"
        # The repository as each stage left it (the two-cohort run's copy is read, never written, after it).
        self.state = {"published": folder / "after_published", "two_cohorts": self.repo}
        self._pool = ThreadPoolExecutor(max_workers=8, thread_name_prefix="e2e")
        self._runs: dict[str, Future] = {}  # filled in order: each run reads those before it
        self._runs["published"] = self._pool.submit(self._published)
        self._runs["two_cohorts"] = self._pool.submit(self._two_cohorts)

    def add_follow_ups(self, follow_ups: dict[str, tuple[str, FollowUp]]) -> None:
        """Start the follow-ups (registered while the test modules were imported)."""
        for name, (after, follow_up) in follow_ups.items():
            self._runs[name] = self._pool.submit(self._follow_up, name, after, follow_up)

    def _published(self) -> subprocess.CompletedProcess:
        from cohorts import write, zero_deaths_one_arm

        copy_repo(self.folder)
        write(self.repo / "zero_deaths.csv", zero_deaths_one_arm())
        result = snakemake(self.repo, targets=PUBLISHED_TARGETS)
        shutil.copytree(self.repo, self.state["published"], symlinks=True)  # before the next run writes
        return result

    def _two_cohorts(self) -> subprocess.CompletedProcess:
        self.result("published")
        return snakemake(
            self.repo,
            "--config",
            TWO_COHORTS,
            targets=targets("results/reconstruction") + targets("results/zero_deaths"),
        )

    def _follow_up(self, name: str, after: str, follow_up: FollowUp) -> Any:
        self.result(after)
        copy = self.folder / name
        shutil.copytree(self.state[after], copy, symlinks=True)  # times kept: Snakemake sees what the run left
        return follow_up(copy)

    def result(self, name: str) -> Any:
        """What run ``name`` returned, once it has run (what it raised, if it failed)."""
        return self._runs[name].result()

    def stop(self) -> None:
        """Stop the runs (not needed, or the session is over), wait for the threads and remove
        the copies."""
        self._pool.shutdown(wait=False, cancel_futures=True)
        stop_snakemake()
        self._pool.shutdown(wait=True)
        shutil.rmtree(self.folder, ignore_errors=True)


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

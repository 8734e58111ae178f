"""How the end-to-end tests run Snakemake: in temporary copies of the repository, on the small
configuration, and in the background while the other tests run (conftest starts and stops it).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]

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
# Snakemake processes still running (stop_snakemake stops them), and, in a background thread, the
# event that cancels its runs (BackgroundRuns sets it for each of its threads).
_running: set[subprocess.Popen] = set()
_lock = threading.Lock()
_thread = threading.local()


def copy_repo(tmp: Path) -> Path:
    """A copy of the working tree without generated files."""
    target = tmp / "repo"
    shutil.copytree(ROOT, target, ignore=COPY_IGNORE)
    return target


def snakemake(repo: Path, *options: str, targets: list[str] = ()) -> subprocess.CompletedProcess:
    """Run Snakemake on the small configuration in ``repo``; output is captured for the assertions.
    (Targets come after "--": options such as --configfile take several values.) Each run is a
    process group of its own, so that :func:`stop_snakemake` can stop it with its jobs at once; in
    a background thread whose runs were cancelled, none starts."""
    command = [str(SNAKEMAKE), "--cores", "2", *options, *SMALL, "--", *targets]
    cancelled = getattr(_thread, "cancelled", None)
    with _lock:
        if cancelled is not None and cancelled.is_set():
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


def stop_snakemake(cancelled: threading.Event) -> None:
    """Set ``cancelled`` and stop every Snakemake run of :func:`snakemake` with its jobs (SIGTERM
    to each process group)."""
    with _lock:
        cancelled.set()
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
        self._cancelled = threading.Event()
        self._runs: dict[str, Future] = {}  # filled in order: each run reads those before it
        self._runs["published"] = self._submit(self._published)
        self._runs["two_cohorts"] = self._submit(self._two_cohorts)

    def add_follow_ups(self, follow_ups: dict[str, tuple[str, FollowUp]]) -> None:
        """Start the follow-ups (registered while the test modules were imported)."""
        for name, (after, follow_up) in follow_ups.items():
            self._runs[name] = self._submit(self._follow_up, name, after, follow_up)

    def _submit(self, run: Callable[..., Any], *args: Any) -> Future:
        """Run ``run(*args)`` in a background thread whose Snakemake runs :meth:`stop` cancels."""

        def in_thread() -> Any:
            _thread.cancelled = self._cancelled
            return run(*args)

        return self._pool.submit(in_thread)

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
        stop_snakemake(self._cancelled)
        self._pool.shutdown(wait=True)
        shutil.rmtree(self.folder, ignore_errors=True)

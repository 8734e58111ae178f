"""How the end-to-end tests run Snakemake: in temporary copies of the repository, on the small
configuration (.test/config/config.yaml).

The two long runs, one after the other in one copy, are made by one child process that conftest
starts once collection is over, and only if a selected test is marked e2e (a session without one
starts nothing): ``published``, the shared results (results/published/); then ``two_cohorts``, the
shipped cohort and a user's cohort with no deaths on anakinra in one run (it fails on that cohort's
mismatches, after rendering both documents); then the shorter runs of FOLLOW_UPS, each in a copy of
the repository as the two-cohort run left it. Meanwhile the other tests run; the e2e tests come
last and wait for the run they read (:func:`wait_for`).

Run as a script (``python workflow_runs.py FOLDER``), this module is that child process.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
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


def rendered(request: pytest.FixtureRequest, variable: str, name: str) -> Path:
    """A rendered document: the file the environment variable ``variable`` names if set, else
    ``name`` of the shipped cohort's manuscript from the shared end-to-end run (the tests skip,
    saying why, without Quarto)."""
    if os.environ.get(variable):
        return Path(os.environ[variable])
    if not HAVE_QUARTO:
        pytest.skip("Quarto is not on PATH: the manuscript is not rendered")
    return request.getfixturevalue("shipped_run") / "results/reconstruction/manuscript" / name


def targets(folder: str) -> list[str]:
    """The default target when Quarto is there, else everything short of rendering."""
    return [] if HAVE_QUARTO else [f"{folder}/{path}" for path in UNRENDERED]


SHIPPED = "results/reconstruction"
# The runs of the child process, in order: name, extra options, targets.
CHAIN = [
    ("published", [], PUBLISHED_TARGETS),
    ("two_cohorts", ["--config", TWO_COHORTS], targets(SHIPPED) + targets("results/zero_deaths")),
]
# Made again by another run, in a copy from which they were removed: the shipped cohort's cheap
# outputs (data, tables, text; the bootstrap and posteriors behind metadata.yml) and a figure (PNG
# and SVG, drawn by the same save()).
CHEAP_OUTPUTS = [
    *(
        f"{SHIPPED}/{path}"
        for path in ("numbers.json", "verification.csv", "tables/verification.md", "manuscript/metadata.yml")
    ),
    "results/published/figures/p_value_space.png",
    "results/published/figures/p_value_space.svg",
]
BAD_COHORTS = {  # cohort name: (file, (bytes of the shipped cohort, replaced by), the message expected)
    "zero_deaths": (  # this name has the outputs of the earlier run, which must go
        "broken.csv",
        (b"S03,standard", b"S03,placebo"),
        "row 32 (line 33, patient_id S03), column arm: value 'placebo' is not one of anakinra, standard",
    ),
    "bad": ("not_utf8.csv", (b"S03,", "S0\u00e9,".encode("latin-1")), "line 33: text is not UTF-8"),
}


def remove_cheap_outputs(repo: Path) -> None:
    """Remove CHEAP_OUTPUTS from a copy, for another run to make them again."""
    for path in CHEAP_OUTPUTS:
        (repo / path).unlink()


OUTSIDE = "Hospital share"  # a folder beside the copy, outside the package, whose name must not leak


def write_own_workbook(repo: Path) -> list[str]:
    """A site's workbook (own headers, labels, Y/N) and its mapping in a folder outside the package;
    the options that give both by their absolute paths."""
    import cohorts

    folder = repo.parent / OUTSIDE
    folder.mkdir(exist_ok=True)
    workbook = cohorts.write_xlsx(folder / "site export.xlsx", cohorts.own_headers(cohorts.larger()))
    mapping = folder / "site.mapping.yaml"
    mapping.write_text(cohorts.OWN_MAPPING, encoding="utf-8")
    return ["--config", f"cohort={workbook}", f"mapping={mapping}", "name=own_workbook"]


def write_own_plain(repo: Path) -> None:
    """The same cohort as the site's workbook, as a plain CSV with the package's headers."""
    import cohorts

    cohorts.write(repo / "own_plain.csv", cohorts.larger())


def write_broken_cohort(name: str, repo: Path) -> None:
    """Write the broken cohort ``name`` of BAD_COHORTS (the shipped cohort, edited) into a copy."""
    file, (old, new), _ = BAD_COHORTS[name]
    (repo / file).write_bytes((repo / "data/cohort/patients.csv").read_bytes().replace(old, new))


# The runs after the two-cohort run, each in a copy of the repository as that run left it (they
# rewrite or remove results that the tests of the two-cohort run read): name -> (what is done to
# the copy first, which may return more options, options, targets).
FOLLOW_UPS: dict[str, tuple[Callable[[Path], list[str] | None] | None, list[str], list[str]]] = {
    "shipped_cohort_alone": (None, [], targets(SHIPPED)),
    "cheap_outputs_built_again": (remove_cheap_outputs, [], CHEAP_OUTPUTS),
    **{
        f"bad_cohort_{name}": (
            functools.partial(write_broken_cohort, name),
            ["--config", f"cohort={file}", f"name={name}"],
            targets(f"results/{name}"),
        )
        for name, (file, _, _) in BAD_COHORTS.items()
    },
    "own_workbook": (write_own_workbook, [], targets("results/own_workbook")),
    "own_plain": (
        write_own_plain,
        ["--config", "cohort=own_plain.csv", "name=own_plain"],
        targets("results/own_plain"),
    ),
}


def run_folder(folder: Path, name: str) -> Path:
    """The copy of the repository in which run ``name`` works."""
    return folder / "repo" if name in {run for run, _, _ in CHAIN} else folder / name / "repo"


def start_runs(folder: Path) -> subprocess.Popen:
    """Copy the repository into ``folder``/repo (with the file of the cohort without deaths on
    anakinra) and start the child process that makes the runs of CHAIN there. It leads a process
    group of its own, so that :func:`stop_runs` ends it with its Snakemake jobs."""
    from cohorts import write, zero_deaths_one_arm

    repo = copy_repo(folder)
    write(repo / "zero_deaths.csv", zero_deaths_one_arm())
    return subprocess.Popen([sys.executable, __file__, str(folder)], cwd=ROOT, start_new_session=True)


def wait_for(folder: Path, name: str, runner: subprocess.Popen) -> subprocess.CompletedProcess:
    """The result of run ``name`` of CHAIN, once the child process has written it."""
    result = folder / f"{name}.json"
    while not result.exists():
        if runner.poll() is not None and not result.exists():
            raise RuntimeError(f"the end-to-end runs stopped (exit {runner.returncode}) before run {name!r} ended")
        time.sleep(0.5)
    return subprocess.CompletedProcess(**json.loads(result.read_text(encoding="utf-8")))


def stop_runs(runner: subprocess.Popen) -> None:
    """End the child process and its Snakemake jobs if they still run (SIGTERM to its group)."""
    if runner.poll() is None:
        try:
            os.killpg(runner.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass  # it has just ended
        runner.wait()


def main(folder: Path) -> None:
    """The child process: each run of CHAIN, then of FOLLOW_UPS, in turn, its result written to
    ``folder``/<name>.json (renamed into place once complete, so that a reader never sees half of it)."""
    runs = [(name, None, options, run_targets) for name, options, run_targets in CHAIN]
    runs += [(name, *follow_up) for name, follow_up in FOLLOW_UPS.items()]
    for name, prepare, options, run_targets in runs:
        repo = run_folder(folder, name)
        if not repo.exists():
            copy_run(folder / "repo", repo)
        more = prepare(repo) if prepare is not None else None
        result = snakemake(repo, *options, *(more or []), targets=run_targets)
        record = {key: getattr(result, key) for key in ("args", "returncode", "stdout", "stderr")}
        (folder / f"{name}.part").write_text(json.dumps(record), encoding="utf-8")
        (folder / f"{name}.part").rename(folder / f"{name}.json")


if __name__ == "__main__":
    main(Path(sys.argv[1]))

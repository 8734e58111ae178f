"""How the end-to-end tests run Snakemake: in temporary copies of the repository, on the small
configuration (.test/config/config.yaml), each run made once, by the first test that reads it
(the session fixtures of conftest), in the foreground.

The runs: ``published``, the shared results (results/published/); then, in the same copy,
``two_cohorts``, the shipped cohort and a user's cohort with no deaths on anakinra in one run (it
fails on that cohort's mismatches, after rendering both documents); then the shorter runs of
FOLLOW_UPS, each in a copy of the repository as the two-cohort run left it.

The end-to-end tests are marked ``e2e``; ``make test`` leaves them out and ``make test-e2e`` runs
them (CI runs both).
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import sys
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


def rendered(request: pytest.FixtureRequest, variable: str, name: str, cohort: str = "reconstruction") -> Path:
    """A rendered document: the file the environment variable ``variable`` names if set, else
    ``name`` of a cohort's manuscript (the shipped cohort's by default) from the shared end-to-end
    run (the tests skip, saying why, without Quarto)."""
    if os.environ.get(variable):
        return Path(os.environ[variable])
    if not HAVE_QUARTO:
        pytest.skip("Quarto is not on PATH: the manuscript is not rendered")
    return request.getfixturevalue("shipped_run") / "results" / cohort / "manuscript" / name


def targets(folder: str) -> list[str]:
    """The default target when Quarto is there, else everything short of rendering."""
    return [] if HAVE_QUARTO else [f"{folder}/{path}" for path in UNRENDERED]


SHIPPED = "results/reconstruction"
# Words that belong to the reconstruction only (its assumptions, its evenly spread days, days
# moved): no heading, table, caption or manifest entry of a user's cohort's document may say them.
RECONSTRUCTION_WORDS = re.compile(r"reconstruct|assum|evenly spread|even spread|moved", re.I)
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

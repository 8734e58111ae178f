"""Patient-level files stay with their holder: a warning when git tracks a user's cohort.

The package ships git-ignored ``data/private/`` for such files (its README says why). A cohort
that git already tracks would leave the machine with the next push; the shipped reconstruction
and the test fixtures are the only cohorts meant to be in the repository.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

SHIPPED = ("data/cohort/", "tests/", ".test/")  # cohorts that belong in the repository


def tracked_by_git(path: str | Path, root: str | Path) -> str | None:
    """A one-line warning when git tracks (or is about to commit) the cohort file ``path`` of the
    checkout at ``root``; None otherwise, and when there is no git or no checkout."""
    try:
        relative = Path(path).resolve().relative_to(Path(root).resolve())
    except ValueError:
        return None  # outside the package: not this repository's business
    if str(relative).startswith(SHIPPED):
        return None
    try:
        found = subprocess.run(
            ["git", "-C", str(root), "ls-files", "--cached", "--", str(relative)],
            capture_output=True,
            text=True,
            timeout=20,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if found.returncode != 0 or not found.stdout.strip():
        return None
    return (
        f"warning: {Path(path).name} is tracked by git: a commit and push would publish patient-level "
        "data. Move it to data/private/ (ignored by git) and run `git rm --cached` on it"
    )

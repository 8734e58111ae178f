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
    """A one-line warning when git tracks the cohort file ``path`` of the checkout at ``root``, or
    when the file lies in the package where git does not ignore it (``git add -A`` would commit
    it); None otherwise, and when there is no git or no checkout."""
    try:
        relative = Path(path).resolve().relative_to(Path(root).resolve())
    except ValueError:
        return None  # outside the package: not this repository's business
    if str(relative).startswith(SHIPPED):
        return None
    tracked = _git(root, "ls-files", "--cached", "--", str(relative))
    if tracked is None:
        return None
    name = Path(path).name
    if tracked.stdout.strip():
        return (
            f"warning: {name} is tracked by git: a commit and push would publish patient-level "
            "data. Move it to data/private/ (ignored by git) and run `git rm --cached` on it"
        )
    ignored = _git(root, "check-ignore", "-q", "--", str(relative))
    if ignored is not None and ignored.returncode == 1:  # 1: not ignored
        return (
            f"warning: {name} lies in the package where git does not ignore it: `git add -A` would "
            "commit patient-level data. Move it to data/private/ (ignored by git)"
        )
    return None


def _git(root: str | Path, *args: str) -> subprocess.CompletedProcess | None:
    """A git command in ``root``; None when git is missing or ``root`` is not a checkout."""
    try:
        result = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.SubprocessError):
        return None
    return None if result.returncode > 1 else result

"""results/numbers.json: every computed number in one file, under stable keys.

Layout
- ``outcomes[outcome][arm][kind]``: what the claims are checked against (proportions,
  Kaplan-Meier estimates, log-rank tests under arm ``both``, mean age by group);
- ``relations[arm]``: consistency relations observed in the cohort;
- ``implied[arm]``: what the reported numbers alone imply;
- ``cohort``: the file analysed, its SHA-256, and whether it is the committed reconstruction
  (decided by content: its hash equals the reconstruction's, wherever the file lies), and how
  the file was read (``read``: separator, rows and columns set aside, censored survivors);
- ``inputs``: SHA-256 of each input file; ``software``: versions of the packages used;
- ``settings``: arms, horizon and alpha used.
"""

from __future__ import annotations

import hashlib
from importlib.metadata import version
from pathlib import Path
from typing import Any

SOFTWARE = (
    "snakemake",
    "pandas",
    "pandera",
    "numpy",
    "numba",
    "scipy",
    "lifelines",
    "statsmodels",
    "matplotlib",
    "seaborn",
)


def sha256(path: str | Path) -> str:
    """SHA-256 of a file's bytes, in hex."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


USER_FILES = ("cohort", "mapping")  # inputs a user brings: named by their file name only


def shown_path(path: str | Path, in_package: bool) -> str:
    """How a results file names an input: the package's own files by their path in the package; a
    user's cohort or mapping by its file name only, never the folders above it (they can name a
    person, a hospital share or a project)."""
    return str(path) if in_package and not Path(path).is_absolute() else Path(path).name


def assemble_numbers(
    proportions: dict[str, Any],
    survival: dict[str, Any],
    relations: dict[str, Any],
    implied: dict[str, Any],
    inputs: dict[str, str],
    settings: dict[str, Any],
    reconstruction_sha256: str,
    input_report: dict[str, Any],
    hashed: dict[str, dict[str, str]] | None = None,
) -> dict[str, Any]:
    """Merge the per-step results into the single numbers document; ``reconstruction_sha256`` is
    the hash of the committed reconstruction, against which the cohort's own hash is compared;
    ``input_report`` says how the file was read (separator, rows and columns set aside);
    ``hashed``: inputs whose path and SHA-256 are known already (the run's settings)."""
    cohort_sha256 = sha256(inputs["cohort"])
    reconstructed = cohort_sha256 == reconstruction_sha256
    return {
        "cohort": {
            "path": shown_path(inputs["cohort"], reconstructed),
            "sha256": cohort_sha256,
            "is_reconstruction": cohort_sha256 == reconstruction_sha256,
            "read": input_report,
        },
        "outcomes": {**proportions, **survival},
        "relations": relations,
        "implied": implied,
        "inputs": {
            **{
                name: {"path": shown_path(path, reconstructed or name not in USER_FILES), "sha256": sha256(path)}
                for name, path in sorted(inputs.items())
            },
            **(hashed or {}),
        },
        "software": {name: version(name) for name in SOFTWARE},
        "settings": settings,
    }

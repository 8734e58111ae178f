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
    return {
        "cohort": {
            "path": str(inputs["cohort"]),
            "sha256": cohort_sha256,
            "is_reconstruction": cohort_sha256 == reconstruction_sha256,
            "read": input_report,
        },
        "outcomes": {**proportions, **survival},
        "relations": relations,
        "implied": implied,
        "inputs": {
            **{name: {"path": str(path), "sha256": sha256(path)} for name, path in inputs.items()},
            **(hashed or {}),
        },
        "software": {name: version(name) for name in SOFTWARE},
        "settings": settings,
    }

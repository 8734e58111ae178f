"""make verify-certificate NAME=label (python -m anakinra_replication.verify_certificate PATH, with
workflow/scripts on PYTHONPATH): recompute the SHA-256 of every file in the manifest of
results/<label>/codecheck.yml, name each file that is missing or changed, exit 1 if any."""

import sys
from pathlib import Path

from .certificate import changed_files


def main(path: str) -> int:
    """Check codecheck.yml at ``path``; 0 when every hash holds, 1 when a file differs, 2 when it is absent."""
    if not Path(path).is_file():
        print(
            f"verify-certificate: {path} not found; build it first (make, or make COHORT=... NAME=...)", file=sys.stderr
        )
        return 2
    problems, checked = changed_files(path)
    for line in problems:
        print(f"verify-certificate: {line}", file=sys.stderr)
    if problems:
        print(f"verify-certificate: {len(problems)} of {checked} files differ from {path}", file=sys.stderr)
        return 1
    print(f"verify-certificate: all {checked} files of {path} have the recorded SHA-256")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))

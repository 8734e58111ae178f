"""make verify-certificate NAME=label: recompute the SHA-256 of every file in the manifest of
results/<label>/codecheck.yml, name each file that is missing or changed, exit 1 if any."""

import sys
from pathlib import Path

from anakinra_replication.certificate import changed_files  # this script's folder is on sys.path


def main(path: str) -> int:
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

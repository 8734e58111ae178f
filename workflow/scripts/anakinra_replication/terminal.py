"""What `make` prints after a run: the verdict in a few lines, never a tool's exception text.

`make` runs Snakemake with its output captured to a log (results/make-<name>.log) and then calls
this module with Snakemake's exit status. It reads this run's results, not Snakemake's words:

- every claim matches: each cohort's summary and where its document is; last line ``match``;
- some claims do not match: a table of them (claim in words, reported, recomputed, verdict) and
  where the document is; last line ``mismatch``;
- the input was refused: every problem the reader named (one line each); last line ``input error``;
- anything else (a bug): the one-line internal errors and where the log is; last line ``run error``.

Warnings (a cohort tracked by git) are repeated in every case.

The last line is the verdict. On a match this module prints it; otherwise it writes it to the file
``--verdict`` names, and make stops with it as its own error message (make's ``$(error)``), so that
make's closing line names the case instead of repeating a recipe's exit code (README: "What the
terminal shows").

Usage, while Snakemake runs (its output piped in; the log written with the user's folders
removed, only the progress lines passed on to the terminal):
    snakemake ... 2>&1 | python -m anakinra_replication.terminal --log FILE --hide PATH [--hide PATH]
and after it:
    python -m anakinra_replication.terminal --status N --log FILE --cohort NAME [--cohort NAME ...]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from .labels import censored_at_horizon_words, claim_label
from .verify import NOT_MATCHING, read_rows, summary, summary_line

INPUT_ERROR = re.compile(r"^(cohort|mapping|config) error: ")
INTERNAL_ERROR = re.compile(r"^internal error: ")
WARNING = re.compile(r"^warning: ")


def lines_matching(log: str, pattern: re.Pattern[str]) -> list[str]:
    """The log's lines that match ``pattern``, each once, in order (Snakemake may repeat a job's
    message when the run ends)."""
    seen: dict[str, None] = {}
    for line in log.splitlines():
        if pattern.match(line.strip()):
            seen.setdefault(line.strip(), None)
    return list(seen)


def mismatch_table(rows: list[dict[str, str]], claims: dict[str, dict]) -> list[str]:
    """The claims that do not match as a plain-text table: claim in words, reported, recomputed, verdict."""
    bad = [r for r in rows if r["verdict"] in NOT_MATCHING]
    cells = [
        (
            claim_label(claims.get(r["claim_id"], {"outcome": r["outcome"], "arm": r["arm"], "kind": "value"})),
            r["reported"],
            r["reproduced_printed"] or "-",
            r["verdict"].replace("_", " "),
        )
        for r in bad
    ]
    header = ("Claim", "Reported", "Recomputed", "Verdict")
    widths = [max(len(str(row[i])) for row in [header, *cells]) for i in range(4)]
    return ["  ".join(str(c).ljust(w) for c, w in zip(row, widths)).rstrip() for row in [header, *cells]]


def censoring_lines(folder: Path) -> list[str]:
    """A line saying, per arm, how many patients the reader censored at the horizon and why (read
    from the cohort's input report); none when nobody was."""
    report_file = folder / "cohort/input_report.json"
    if not report_file.exists():
        return []
    censored = json.loads(report_file.read_text(encoding="utf-8")).get("censored_at_horizon", {})
    if not any(c["patients"] for c in censored.values()):
        return []
    numbers_file = folder / "numbers.json"  # the horizon of the run; without it the run failed first
    if not numbers_file.exists():
        return []
    day = json.loads(numbers_file.read_text(encoding="utf-8"))["settings"]["horizon_days"]
    return [f"Censored at day {day}, as an analysis at day {day} does: {censored_at_horizon_words(censored, day)}."]


def verdict_lines(status: int, log: str, cohorts: list[str], results: Path) -> tuple[list[str], str]:
    """The lines to print and the closing word: match, mismatch, input error or run error."""
    lines = lines_matching(log, WARNING)
    problems = lines_matching(log, INPUT_ERROR)
    if problems:
        lines += ["", f"The input was refused ({len(problems)} line{'s' if len(problems) > 1 else ''}):", *problems]
        lines += ["Nothing was computed from it. Fix the problems above and run make again."]
        return lines, "input error"
    claims_file = results / "published/claims.json"
    claims = {c["id"]: c for c in json.loads(claims_file.read_text(encoding="utf-8"))} if claims_file.exists() else {}
    verdict = "match"
    for name in cohorts:
        table = results / name / "verification.csv"
        if not table.exists():
            continue
        rows = read_rows(table)
        s = summary(rows)
        lines += ["", f"Cohort {name}: {summary_line(s)}", *censoring_lines(results / name)]
        if s["mismatched"]:
            verdict = "mismatch"
            lines += mismatch_table(rows, claims)
        lines.append(
            f"Document: {results / name / 'manuscript/index.html'} (and .pdf; its supplement beside it); table: {table}"
        )
    if status != 0 and verdict == "match":
        internal = lines_matching(log, INTERNAL_ERROR)
        lines += ["", *internal, "The run did not finish, for a reason other than your input."]
        return lines, "run error"
    return lines, verdict


def verdict_line(word: str) -> str:
    """The last line of make's output: which case it is."""
    return f"verdict: {word}"


PROGRESS = re.compile(r"^\d+ of \d+ steps \(\d+%\) done$")


def folders_to_hide(paths: list[str]) -> list[str]:
    """The folders above the user's files, as given and as absolute paths, longest first: the log
    names the files by their names only."""
    found = set()
    for given in filter(None, paths):
        for folder in (
            str(Path(given).parent),
            os.path.abspath(Path(given).parent),
            os.path.realpath(Path(given).parent),
        ):
            if folder not in ("", "."):
                found.add(folder.rstrip("/") + "/")
    return sorted(found, key=len, reverse=True)


def relay(lines: Iterable[str], log: TextIO, hide: list[str], terminal: TextIO) -> None:
    """Write each line to the log with the folders of ``hide`` removed; pass progress lines on."""
    folders = folders_to_hide(hide)
    for line in lines:
        for folder in folders:
            line = line.replace(folder, "")
        log.write(line)
        log.flush()
        if PROGRESS.match(line.strip()):
            terminal.write(line)
            terminal.flush()


def main(argv: list[str] | None = None) -> int:
    """Relay a running Snakemake's output (without --status), or print the verdict of the run
    whose log and exit status are given, and write the verdict line to ``--verdict`` (empty on a match)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--status", type=int)
    parser.add_argument("--log", required=True)
    parser.add_argument("--cohort", action="append", default=[])
    parser.add_argument("--hide", action="append", default=[])
    parser.add_argument("--results", default="results")
    parser.add_argument("--verdict", help="file for the verdict line that make prints last (empty on a match)")
    args = parser.parse_args(argv)
    if args.status is None:
        with open(args.log, "w", encoding="utf-8") as log:
            relay(sys.stdin, log, args.hide, sys.stdout)
        return 0
    if args.verdict is None:
        parser.error("--status needs --verdict FILE")
    log = Path(args.log).read_text(encoding="utf-8", errors="replace") if Path(args.log).exists() else ""
    lines, word = verdict_lines(args.status, log, args.cohort, Path(args.results))
    lines.append(f"Full log of the run: {args.log}")
    closing = verdict_line(word)
    print("\n".join([*lines, closing] if word == "match" else lines))
    Path(args.verdict).write_text("" if word == "match" else closing, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

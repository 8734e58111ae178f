"""Rule verification_gate: write the summary; fail, naming them, if any claim mismatches."""
from pathlib import Path

from anakinra_replication.jsonio import InputError
from anakinra_replication.step import run
from anakinra_replication.verify import read_rows, summary, summary_line


def main(sm):
    s = summary(read_rows(sm.input[0]))
    if s["mismatched"]:
        raise InputError(f"verification failed: {summary_line(s)} Mismatched claims: {', '.join(s['mismatched'])} "
                         f"(details in {sm.input[0]})")
    Path(sm.output[0]).write_text(summary_line(s) + "\n", encoding="utf-8")


run(main, snakemake)  # noqa: F821

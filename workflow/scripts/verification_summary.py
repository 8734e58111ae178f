"""Rule verification_summary: the summary line of one cohort's verification."""

from pathlib import Path

from anakinra_replication.step import run
from anakinra_replication.verify import read_rows, summary, summary_line


def main(sm):
    Path(sm.output[0]).write_text(summary_line(summary(read_rows(sm.input[0]))) + "\n", encoding="utf-8")


run(main, snakemake)  # noqa: F821

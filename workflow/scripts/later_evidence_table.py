"""Rule later_evidence_table: the register as a Markdown table for the manuscript."""

from pathlib import Path

from anakinra_replication.jsonio import read_json
from anakinra_replication.later_evidence_text import register_table
from anakinra_replication.step import run


def main(sm):
    Path(sm.output.later_evidence).write_text(register_table(read_json(sm.input.register)), encoding="utf-8")


run(main, snakemake)  # noqa: F821

"""Rule robustness_table: question | analysis | result | answer (answers computed in the analysis)."""

from pathlib import Path

from anakinra_replication.jsonio import read_json
from anakinra_replication.step import run
from anakinra_replication.tables import robustness_table


def main(sm):
    table = robustness_table(read_json(sm.input.robustness), read_json(sm.input.identifiability))
    Path(sm.output[0]).write_text(table, encoding="utf-8")


run(main, snakemake)  # noqa: F821

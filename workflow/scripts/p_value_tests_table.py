"""Rule p_value_tests_table: the table of candidate tests for the reported P values."""

from pathlib import Path

from anakinra_replication.jsonio import read_json
from anakinra_replication.step import run
from anakinra_replication.tables import p_value_tests_table


def main(sm):
    Path(sm.output[0]).write_text(p_value_tests_table(read_json(sm.input[0])), encoding="utf-8")


run(main, snakemake)  # noqa: F821

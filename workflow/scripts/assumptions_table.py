"""Rule assumptions_table: the reconstruction's assumptions, for its document only (refused for a user's cohort)."""

from pathlib import Path

from anakinra_replication.jsonio import read_json
from anakinra_replication.step import run
from anakinra_replication.tables import assumptions_table
from anakinra_replication.verify import read_rows


def main(sm):
    claims, rows = read_json(sm.input.claims), read_rows(sm.input.verification)
    table = assumptions_table(sm.params.assumptions, claims, rows, read_json(sm.input.numbers)["cohort"])
    Path(sm.output.assumptions).write_text(table, encoding="utf-8")


run(main, snakemake)  # noqa: F821

"""Rule tables: the outcomes table (CSV, Markdown) and the verification, statements, evidence and event-days tables."""

from anakinra_replication.jsonio import read_json, read_yaml
from anakinra_replication.step import run
from anakinra_replication.tables import write_tables
from anakinra_replication.verify import read_rows


def main(sm):
    numbers, claims = read_json(sm.input.numbers), read_json(sm.input.claims)
    sources = read_yaml(sm.input.reported, "claims")["sources"]
    write_tables(numbers, read_rows(sm.input.verification), claims, sources, sm.output)


run(main, snakemake)  # noqa: F821

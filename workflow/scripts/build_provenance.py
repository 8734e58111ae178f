"""Rule provenance: commit, licence and contributors, Monte Carlo seed, build date, time taken and
machine, tools, SHA-256 of every output, and who made each figure and table."""

from anakinra_replication.jsonio import write_json
from anakinra_replication.provenance import provenance_record
from anakinra_replication.step import run


def main(sm):
    p = sm.params
    record = provenance_record(
        ".",
        sm.input.citation,
        p.outputs,
        p.made_by,
        p.document,
        repository=p.repository,
        monte_carlo=p.monte_carlo,
        benchmarks=list(sm.input.benchmarks),
    )
    write_json(record, sm.output[0], schema="provenance.schema.yaml")


run(main, snakemake)  # noqa: F821

"""Rule verification_gate: after the documents are rendered, fail if any claim mismatches."""

from anakinra_replication.step import run
from anakinra_replication.verify import gate


def main(sm):
    gate(dict(zip(sm.params.cohorts, sm.input.verification)), dict(zip(sm.params.cohorts, sm.input.documents)))


run(main, snakemake)  # noqa: F821

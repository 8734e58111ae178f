"""Rule later_evidence_metadata: the numbers and sentences of the section "What came after"."""

from anakinra_replication.jsonio import read_json, write_yaml
from anakinra_replication.later_evidence_text import later_evidence_metadata
from anakinra_replication.step import run


def main(sm):
    write_yaml(
        later_evidence_metadata(read_json(sm.input.register), read_json(sm.input.comparison)), sm.output.metadata
    )


run(main, snakemake)  # noqa: F821

"""Rule later_evidence_compare: the early risk ratio of death beside the pooled randomised estimates."""

from anakinra_replication.jsonio import read_json, write_json
from anakinra_replication.later_evidence import comparison
from anakinra_replication.step import run


def main(sm):
    result = comparison(read_json(sm.input.register), read_json(sm.input.robustness), sm.params.alpha)
    write_json(result, sm.output.comparison, schema="later_evidence_comparison.schema.yaml")


run(main, snakemake)  # noqa: F821

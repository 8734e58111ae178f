"""Rule implied_counts: what the reported numbers alone imply, per arm."""

from anakinra_replication.implied import implied_counts
from anakinra_replication.jsonio import read_json, write_json
from anakinra_replication.step import run


def main(sm):
    write_json(implied_counts(read_json(sm.input[0]), sm.params.arms), sm.output[0])


run(main, snakemake)  # noqa: F821

"""Rule outcome_proportions: n, counts, percentages and Wilson intervals per arm."""

from anakinra_replication.cohort import read_validated
from anakinra_replication.jsonio import write_json
from anakinra_replication.proportions import outcome_numbers
from anakinra_replication.step import run


def main(sm):
    write_json(outcome_numbers(read_validated(sm.input[0]), sm.params.arms, sm.params.alpha), sm.output[0])


run(main, snakemake)  # noqa: F821

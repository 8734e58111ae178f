"""Rule survival_analysis: Kaplan-Meier per arm and log-rank tests, both endpoints."""

from anakinra_replication.cohort import read_validated
from anakinra_replication.jsonio import write_json
from anakinra_replication.step import run
from anakinra_replication.survival import survival_numbers


def main(sm):
    p = sm.params
    write_json(survival_numbers(read_validated(sm.input[0]), p.arms, p.horizon_days, p.alpha), sm.output[0])


run(main, snakemake)  # noqa: F821

"""Rule robustness: effect measures, fragility, E-value, Cox, RMST, Bayesian reanalysis, answers."""

from anakinra_replication.cohort import read_validated
from anakinra_replication.jsonio import write_json
from anakinra_replication.questions import robustness_results
from anakinra_replication.robustness import robustness_numbers
from anakinra_replication.step import run


def main(sm):
    p = sm.params
    numbers = robustness_numbers(read_validated(sm.input.cohort), p.arms, p.horizon_days, p.alpha, p.settings)
    write_json(robustness_results(numbers), sm.output[0], schema="robustness.schema.yaml")


run(main, snakemake)  # noqa: F821

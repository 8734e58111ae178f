"""Rule robustness: effect measures, fragility, E-value, Cox, RMST and Bayesian reanalysis."""
from anakinra_replication.cohort import read_validated
from anakinra_replication.jsonio import write_json
from anakinra_replication.robustness import robustness_numbers
from anakinra_replication.step import run


def main(sm):
    p = sm.params
    write_json(robustness_numbers(read_validated(sm.input[0]), p.arms, p.horizon_days, p.alpha, p.settings),
               sm.output[0])


run(main, snakemake)  # noqa: F821

"""Rule validate_cohort: check the cohort against its schema; write a clean copy."""
from anakinra_replication.cohort import read_cohort, write_validated
from anakinra_replication.step import run


def main(sm):
    p = sm.params
    write_validated(read_cohort(sm.input.cohort, sm.input.schema, p.arms, p.horizon_days, p.inclusion), sm.output[0])


run(main, snakemake)  # noqa: F821 - `snakemake` is provided by Snakemake's script directive

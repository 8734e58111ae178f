"""Rule validate_cohort: check the cohort against its schema; write a clean copy and a report of how it was read."""

from anakinra_replication.cohort import cohort_and_report, report_lines, write_validated
from anakinra_replication.jsonio import write_json
from anakinra_replication.step import given, run


def main(sm):
    p = sm.params
    mapping = given(sm.input.mapping)
    cohort, report = cohort_and_report(sm.input.cohort, sm.input.schema, p.arms, p.horizon_days, p.inclusion, mapping)
    print("\n".join(report_lines(report, p.horizon_days)))
    write_validated(cohort, sm.output.validated)
    write_json(report, sm.output.report, schema="input_report.schema.yaml")


run(main, snakemake)  # noqa: F821 - `snakemake` is provided by Snakemake's script directive

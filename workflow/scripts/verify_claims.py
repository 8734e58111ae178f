"""Rule verify_claims: each claim beside the recomputed value, with verdict and evidence."""

from anakinra_replication.event_days import event_day_table
from anakinra_replication.jsonio import read_json
from anakinra_replication.step import run
from anakinra_replication.verify import verification_rows, write_rows


def main(sm):
    numbers = read_json(sm.input.numbers)
    assumptions = sm.params.assumptions if numbers["cohort"]["is_reconstruction"] else None
    settings = numbers["settings"]
    days = event_day_table(numbers["relations"], settings["arms"], settings["horizon_days"])
    read = numbers["cohort"]["read"]
    write_rows(
        verification_rows(read_json(sm.input.claims), numbers["outcomes"], assumptions, days, read), sm.output[0]
    )


run(main, snakemake)  # noqa: F821

"""Rule identifiability: the enumeration, the Monte Carlo and the table of candidate tests."""

from anakinra_replication.identifiability import identifiability_results
from anakinra_replication.jsonio import read_json, write_json
from anakinra_replication.step import run


def main(sm):
    i = sm.input
    write_json(
        identifiability_results(
            read_json(i.space),
            read_json(i.joint),
            read_json(i.implied),
            read_json(i.claims),
            sm.params.arms,
            sm.params.horizon_days,
            sm.params.alpha,
        ),
        sm.output[0],
        schema="identifiability.schema.yaml",
    )


run(main, snakemake)  # noqa: F821

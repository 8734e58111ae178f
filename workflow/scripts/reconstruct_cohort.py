"""Rule reconstruct: build the reconstructed cohort from the claims and stated assumptions."""

from pathlib import Path

from anakinra_replication.claims import load_claims
from anakinra_replication.cohort import write_validated
from anakinra_replication.numbers import sha256
from anakinra_replication.reconstruct import reconstruct_cohort
from anakinra_replication.step import run


def main(sm):
    p = sm.params
    cohort = reconstruct_cohort(load_claims(sm.input.claims, sm.input.schema), p.arms, p.horizon_days, p.max_shift)
    write_validated(cohort, sm.output.cohort)
    Path(sm.output.sha256).write_text(sha256(sm.output.cohort) + "\n", encoding="utf-8")


run(main, snakemake)  # noqa: F821

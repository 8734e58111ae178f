"""Rule verify_claims: each claim beside the recomputed value, with verdict and evidence."""
from anakinra_replication.jsonio import read_json
from anakinra_replication.step import run
from anakinra_replication.verify import verification_rows, write_rows


def main(sm):
    assumptions = sm.params.assumptions if sm.params.reconstructed else None
    rows = verification_rows(read_json(sm.input.claims), read_json(sm.input.numbers)["outcomes"], assumptions)
    write_rows(rows, sm.output[0])


run(main, snakemake)  # noqa: F821

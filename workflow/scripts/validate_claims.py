"""Rule validate_claims: check claims.yaml against its schema; write the claims as JSON."""

from anakinra_replication.claims import load_claims
from anakinra_replication.jsonio import write_json
from anakinra_replication.step import run


def main(sm):
    write_json(load_claims(sm.input.claims, sm.input.schema), sm.output[0])


run(main, snakemake)  # noqa: F821

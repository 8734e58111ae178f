"""Rule later_evidence_register: validate the register of later evidence and check its printed numbers."""

from anakinra_replication.claims import load_register
from anakinra_replication.jsonio import write_json
from anakinra_replication.later_evidence import register_checks
from anakinra_replication.step import run


def main(sm):
    register = load_register(sm.input.register, sm.input.schema)
    write_json(register_checks(register), sm.output.checked, schema="later_evidence_register.schema.yaml")


run(main, snakemake)  # noqa: F821

"""Rule assemble_numbers: merge every step's results into numbers.json."""

from pathlib import Path

from anakinra_replication.jsonio import read_json, write_json
from anakinra_replication.numbers import assemble_numbers
from anakinra_replication.step import given, run


def main(sm):
    i = sm.input
    parts = [read_json(path) for path in (i.proportions, i.survival, i.relations, i.implied)]
    inputs = {"cohort": i.cohort, "cohort_schema": i.schema, "claims": i.claims}
    inputs.update({"mapping": given(i.mapping)} if given(i.mapping) else {})
    reconstruction = Path(i.reconstruction_sha256).read_text(encoding="utf-8").split()[0]
    p = sm.params
    numbers = assemble_numbers(
        *parts, inputs, p.settings, reconstruction, read_json(i.input_report), hashed={"config": dict(p.config)}
    )
    write_json(numbers, sm.output[0], schema="numbers.schema.yaml")


run(main, snakemake)  # noqa: F821

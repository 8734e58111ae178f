"""Rule manuscript_metadata: the printed numbers the manuscript's prose reads with {{< meta >}}."""
from anakinra_replication.jsonio import read_json
from anakinra_replication.manuscript import write_metadata
from anakinra_replication.step import run
from anakinra_replication.verify import read_rows


def main(sm):
    numbers, claims = read_json(sm.input.numbers), read_json(sm.input.claims)
    write_metadata(numbers, read_rows(sm.input.verification), claims, sm.params.reconstructed,
                   sm.params.cohort, read_json(sm.input.identifiability), read_json(sm.input.robustness),
                   sm.output[0])


run(main, snakemake)  # noqa: F821

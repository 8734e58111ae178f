"""Rule manuscript_metadata: the printed numbers and generated sentences of the manuscript."""

from anakinra_replication.jsonio import read_json
from anakinra_replication.manuscript import write_metadata
from anakinra_replication.step import run
from anakinra_replication.verify import read_rows


def main(sm):
    i = sm.input
    write_metadata(
        read_json(i.numbers),
        read_rows(i.verification),
        read_json(i.claims),
        sm.params.cohort,
        read_json(i.identifiability),
        read_json(i.robustness),
        sm.output[0],
        bayes_settings=sm.params.bayes,
    )


run(main, snakemake)  # noqa: F821

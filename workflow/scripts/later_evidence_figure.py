"""Rule later_evidence_figure: forest plot of the early estimate and the later evidence."""

from anakinra_replication.figures import save
from anakinra_replication.jsonio import read_json
from anakinra_replication.later_evidence_figure import later_evidence_figure
from anakinra_replication.step import run


def main(sm):
    save(
        later_evidence_figure(read_json(sm.input.register), read_json(sm.input.comparison)),
        sm.output.png,
        sm.output.svg,
    )


run(main, snakemake)  # noqa: F821

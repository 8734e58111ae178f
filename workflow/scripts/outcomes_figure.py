"""Rule outcomes_figure: how far each recomputed value lies from the printed one (rounding margin)."""

from anakinra_replication.figures import printing_margin_figure, save
from anakinra_replication.jsonio import read_json
from anakinra_replication.step import run
from anakinra_replication.verify import read_rows


def main(sm):
    fig = printing_margin_figure(read_rows(sm.input.verification), read_json(sm.input.claims))
    save(fig, sm.output.png, sm.output.svg)


run(main, snakemake)  # noqa: F821

"""Rule outcomes_figure: day-horizon outcomes by arm, reported beside reproduced."""
from anakinra_replication.figures import outcomes_figure, save
from anakinra_replication.jsonio import read_json
from anakinra_replication.step import run


def main(sm):
    fig = outcomes_figure(read_json(sm.input.numbers), read_json(sm.input.claims), sm.params.arms)
    save(fig, sm.output.png, sm.output.svg)


run(main, snakemake)  # noqa: F821

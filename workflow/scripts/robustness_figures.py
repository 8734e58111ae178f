"""Rule robustness_figures: forest plot of effect measures and posterior densities."""

from anakinra_replication.figures import forest_figure, posterior_figure, save
from anakinra_replication.jsonio import read_json
from anakinra_replication.step import run


def main(sm):
    robust = read_json(sm.input[0])
    save(forest_figure(robust), sm.output.forest_png, sm.output.forest_svg)
    save(posterior_figure(robust), sm.output.posterior_png, sm.output.posterior_svg)


run(main, snakemake)  # noqa: F821

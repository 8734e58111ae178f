"""Rule km_figure: Kaplan-Meier curves of one endpoint by arm."""

from anakinra_replication.figures import km_figure, save
from anakinra_replication.jsonio import read_json
from anakinra_replication.step import run


def main(sm):
    p, numbers = sm.params, read_json(sm.input[0])
    fig = km_figure(numbers, sm.wildcards.endpoint, p.arms, p.horizon_days, numbers["cohort"]["is_reconstruction"])
    save(fig, sm.output.png, sm.output.svg)


run(main, snakemake)  # noqa: F821

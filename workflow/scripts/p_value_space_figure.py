"""Rule p_value_space_figure: distribution of the log-rank P over the allowed layouts."""

from anakinra_replication.figure_style import save
from anakinra_replication.figures import p_value_space_figure
from anakinra_replication.jsonio import read_json
from anakinra_replication.step import run


def main(sm):
    save(
        p_value_space_figure(read_json(sm.input[0])),
        sm.output.p_value_space_png,
        sm.output.p_value_space_svg,
    )


run(main, snakemake)  # noqa: F821

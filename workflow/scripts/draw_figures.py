"""Rule figures: every figure of a cohort's document, each saved as PNG and SVG."""

from anakinra_replication.figure_style import save
from anakinra_replication.figures import cohort_figures
from anakinra_replication.jsonio import read_json
from anakinra_replication.step import run
from anakinra_replication.verify import read_rows


def main(sm):
    i, p = sm.input, sm.params
    draw = cohort_figures(
        read_json(i.numbers),
        read_rows(i.verification),
        read_json(i.claims),
        read_json(i.robustness),
        read_json(i.register),
        read_json(i.comparison),
        p.arms,
        p.horizon_days,
    )
    for name, figure in draw.items():  # each drawn and saved in turn
        save(figure(), sm.output[f"{name}_png"], sm.output[f"{name}_svg"])


run(main, snakemake)  # noqa: F821

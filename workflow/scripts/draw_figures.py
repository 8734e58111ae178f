"""Rule figures: every figure of a cohort's document, each saved as PNG and SVG."""

from anakinra_replication import figures
from anakinra_replication.jsonio import read_json
from anakinra_replication.later_evidence_figure import later_evidence_figure
from anakinra_replication.step import run
from anakinra_replication.verify import read_rows


def main(sm):
    p, i = sm.params, sm.input
    numbers, robust = read_json(i.numbers), read_json(i.robustness)
    reconstructed = numbers["cohort"]["is_reconstruction"]
    draw = {  # each drawn and saved in turn
        **{
            f"km_{endpoint}": lambda e=endpoint: figures.km_figure(numbers, e, p.arms, p.horizon_days, reconstructed)
            for endpoint in p.endpoints
        },
        "outcomes": lambda: figures.printing_margin_figure(read_rows(i.verification), read_json(i.claims)),
        "forest": lambda: figures.forest_figure(robust),
        "posteriors": lambda: figures.posterior_figure(robust),
        "later_evidence": lambda: later_evidence_figure(read_json(i.register), read_json(i.comparison)),
    }
    for name, figure in draw.items():
        figures.save(figure(), sm.output[f"{name}_png"], sm.output[f"{name}_svg"])


run(main, snakemake)  # noqa: F821

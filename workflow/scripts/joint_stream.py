"""Rule joint_stream: one seeded Monte Carlo stream over joint death and ventilation layouts."""

from anakinra_replication.implied import layout_counts
from anakinra_replication.joint_space import draw_stream
from anakinra_replication.jsonio import read_json, write_json
from anakinra_replication.step import run


def main(sm):
    p, mc = sm.params, sm.params.monte_carlo
    c = layout_counts(read_json(sm.input.implied), read_json(sm.input.claims), p.arms)
    write_json(
        draw_stream(
            mc["seed"] + int(sm.wildcards.stream),
            mc["draws_per_stream"],
            mc["cox_sample"],
            c["n"],
            c["deaths"],
            c["vents"],
            p.horizon_days,
            c["death_p"],
            c["vent_free_p"],
            p.bin_width,
            p.bins,
        ),
        sm.output[0],
        schema="joint_stream.schema.yaml",
    )


run(main, snakemake)  # noqa: F821

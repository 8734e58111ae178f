"""Rule death_day_chunk: score one share of all death-day layouts (log-rank, Cox score)."""

from anakinra_replication.event_space import enumerate_chunk
from anakinra_replication.implied import layout_counts
from anakinra_replication.jsonio import read_json, write_json
from anakinra_replication.step import run


def main(sm):
    p = sm.params
    c = layout_counts(read_json(sm.input.implied), read_json(sm.input.claims), p.arms)
    write_json(
        enumerate_chunk(
            c["n"],
            c["deaths"],
            p.horizon_days,
            p.split_day,
            c["death_p"],
            int(sm.wildcards.chunk),
            p.chunks,
            p.bin_width,
            p.bins,
        ),
        sm.output[0],
        schema="death_day_chunk.schema.yaml",
    )


run(main, snakemake)  # noqa: F821

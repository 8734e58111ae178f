"""Rule death_day_space: gather the chunks of the death-day enumeration."""

from anakinra_replication.event_space import merge_chunks
from anakinra_replication.implied import layout_counts
from anakinra_replication.jsonio import read_json, write_json
from anakinra_replication.step import run


def main(sm):
    p = sm.params
    c = layout_counts(read_json(sm.input.implied), read_json(sm.input.claims), p.arms)
    parts = [read_json(path) for path in sm.input.chunks]
    write_json(
        merge_chunks(parts, c["deaths"], p.horizon_days, c["death_p"], p.bin_width),
        sm.output[0],
        schema="death_days.schema.yaml",
    )


run(main, snakemake)  # noqa: F821

"""Rule joint_space: gather the Monte Carlo streams (fraction with a Wilson interval, ranges)."""

from anakinra_replication.joint_space import merge_streams
from anakinra_replication.jsonio import read_json, write_json
from anakinra_replication.step import run


def main(sm):
    streams = [read_json(path) for path in sm.input.streams]
    write_json(merge_streams(streams, sm.params.alpha), sm.output[0], schema="joint.schema.yaml")


run(main, snakemake)  # noqa: F821

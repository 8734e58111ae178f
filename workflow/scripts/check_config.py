"""Rule check_config: the settings of this run, as validated when the workflow started, in canonical JSON."""

from pathlib import Path

from anakinra_replication.settings import settings_text
from anakinra_replication.step import run


def main(sm):
    Path(sm.output[0]).write_text(settings_text(sm.params.config), encoding="utf-8")


run(main, snakemake)  # noqa: F821

"""Rule figure_includes: the Markdown of each declared figure, for the manuscript's includes."""

from pathlib import Path

from anakinra_replication.outputs import figure_markdown, load_outputs
from anakinra_replication.step import run


def main(sm):
    figures = {item.name: item for item in load_outputs(sm.input.declaration) if item.kind == "figure"}
    for name, path in sm.output.items():
        Path(path).write_text(figure_markdown(figures[name]), encoding="utf-8")


run(main, snakemake)  # noqa: F821

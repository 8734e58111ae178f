"""The figures and tables of the document, each declared once, in ``workflow/outputs.yaml``.

Everything else that names them is derived from that declaration: the outputs of the rule that
makes each one and the render's inputs (``workflow/rules/common.smk``), the manuscript's include
of each figure (:func:`figure_markdown`, written by the rule ``figure_includes``), the caption's
provenance link (:func:`link_key`), the comment of its line in codecheck.yml, its caption in
Snakemake's report (:func:`report_caption`) and the tests' expectations. This module reads only
the declaration (PyYAML and jsonschema, as Snakemake itself does), so the rules can import it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

WORKFLOW = Path(__file__).resolve().parents[2]
DECLARATION = WORKFLOW / "outputs.yaml"
SCHEMA = WORKFLOW / "schemas" / "outputs.schema.yaml"
KINDS = {"figures": "figure", "tables": "table"}
SHOWN = {"figure": "png", "table": "md"}  # the file the document shows, by kind


@dataclass(frozen=True)
class Output:
    """One figure or table of the document, as declared (see ``workflow/outputs.yaml``)."""

    kind: str  # "figure" or "table"
    name: str  # file name without extension; a figure and a table may share one
    scope: str  # "cohort", "reconstruction" (results/<cohort>/, the latter for the reconstruction only) or "published"
    document: str  # "report" or "supplement": the one document that shows it
    rule: str
    label: str
    comment: str
    caption: str  # the manuscript's caption, without its provenance link
    alt: str | None = None  # figures: the alt text
    csv: bool = False  # tables: also written as CSV
    hashed: bool = True
    report: dict[str, str] | None = None

    def folder(self, cohort_dir: str, published: str) -> str:
        """The folder of its files: ``<cohort_dir>/figures`` or ``<published>/tables``, say."""
        return f"{published if self.scope == 'published' else cohort_dir}/{self.kind}s"

    def built_for(self, is_reconstruction: bool) -> bool:
        """Whether it is built for a cohort: an output of scope ``reconstruction`` (true of the shipped
        reconstruction alone, such as its assumptions) only for that one, every other for any cohort."""
        return self.scope != "reconstruction" or is_reconstruction

    def files(self, cohort_dir: str, published: str) -> dict[str, str]:
        """Its files by output name, as the producing rule names them: ``<name>_png`` and
        ``<name>_svg`` for a figure; with ``csv``, ``<name>_csv``, and ``<name>`` (Markdown) for a table."""
        stem = f"{self.folder(cohort_dir, published)}/{self.name}"
        if self.kind == "figure":
            return {f"{self.name}_png": f"{stem}.png", f"{self.name}_svg": f"{stem}.svg"}
        return {**({f"{self.name}_csv": f"{stem}.csv"} if self.csv else {}), self.name: f"{stem}.md"}

    def shown(self, cohort_dir: str, published: str) -> str:
        """The file the document shows: the figure's PNG or the table's Markdown."""
        return f"{self.folder(cohort_dir, published)}/{self.name}.{SHOWN[self.kind]}"

    def report_file(self, cohort_dir: str, published: str) -> str | None:
        """The file shown in Snakemake's report, or None when it is not shown there."""
        if self.report is None:
            return None
        extension = self.report.get("file", SHOWN[self.kind])
        return f"{self.folder(cohort_dir, published)}/{self.name}.{extension}"

    @property
    def link_key(self) -> str:
        """The metadata key of its provenance link, under ``provenance.links``."""
        return link_key(self.label)

    @property
    def include(self) -> str:
        """The manuscript's line that places it: an include of its generated Markdown."""
        return f"{{{{< include _generated/{self.kind}s/{self.name}.md >}}}}"


def link_key(label: str) -> str:
    """Metadata key of a figure's or table's provenance link ("fig-km-survival" -> "fig_km_survival")."""
    return label.replace("-", "_")


class DeclarationError(ValueError):
    """The declaration breaks its schema; the message lists every problem, one a line."""


def declaration_problems(document: Any, where: str = "workflow/outputs.yaml") -> list[str]:
    """Every problem of a parsed declaration, one line each naming the entry and field and what
    to do: what the schema refuses, and a label used twice (a cross-reference must name one)."""
    import jsonschema

    validator = jsonschema.Draft202012Validator(yaml.safe_load(SCHEMA.read_text(encoding="utf-8")))
    problems = [
        f"declaration error: {where}, {'/'.join(map(str, error.absolute_path)) or 'top level'}: "
        f"{error.message} (each field is described in workflow/schemas/{SCHEMA.name})"
        for error in sorted(validator.iter_errors(document), key=lambda e: list(map(str, e.absolute_path)))
    ]
    if problems:
        return problems
    seen: dict[str, str] = {}
    for group, entries in document.items():
        for name, entry in entries.items():
            other = seen.setdefault(entry["label"], f"{group}/{name}")
            if other != f"{group}/{name}":
                problems.append(
                    f"declaration error: {where}, {group}/{name}/label: {entry['label']} is also the label of "
                    f"{other}; give each its own"
                )
    return problems


def load_outputs(path: str | Path = DECLARATION) -> list[Output]:
    """Every declared figure and table, in the order of the declaration (figures first).

    Raises :class:`DeclarationError` listing every problem when the file breaks its schema."""
    path = Path(path)
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise DeclarationError(f"declaration error: workflow/{path.name} is not valid YAML: {error}") from None
    problems = declaration_problems(document, f"workflow/{path.name}")
    if problems:
        raise DeclarationError("\n".join(problems))
    return [
        Output(kind=KINDS[group], name=name, **entry)
        for group, entries in document.items()
        for name, entry in entries.items()
    ]


def figure_markdown(figure: Output) -> str:
    """The manuscript's Markdown of a figure: its image with the declared caption, the caption's
    provenance link (metadata written by the rule provenance_pages), label and alt text. Paths
    are relative to the document (Quarto resolves an include's paths from the including file)."""
    link = f"{{{{< meta provenance.links.{figure.link_key} >}}}}"
    image = f"_generated/figures/{figure.name}.png"
    return f'![{figure.caption} {link}]({image}){{#{figure.label} fig-alt="{figure.alt}"}}\n'


def report_caption(output: Output) -> str:
    """The caption of its entry in Snakemake's report (reStructuredText, rendered by Snakemake
    with Jinja; ``{{ snakemake.wildcards.cohort }}`` names the cohort)."""
    if output.report is None:
        raise ValueError(f"{output.kind} {output.name} is not declared for the report")
    return output.report["caption"] + "\n"

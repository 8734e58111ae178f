"""Every figure and table of the document is declared once, in workflow/outputs.yaml, and what
names it elsewhere is derived: each declared output is built by the rule it names, drawn, read by
the render, linked to its provenance, included once in the manuscript and, end to end, shown in
the rendered document with its caption's provenance link and alt text.

The Snakemake checks read the DAG of a copy of the repository (the jobs of a forced dry run: each
file of the default target with the rule that makes it and its inputs); they take seconds."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from workflow_runs import copy_repo, rendered, snakemake

MANUSCRIPT = "\n".join(qmd.read_text(encoding="utf-8") for qmd in sorted((ROOT / "manuscript").glob("*.qmd")))
SHIPPED = "results/reconstruction"
PUBLISHED = "results/published"


@pytest.fixture(scope="module")
def outputs():
    """Every declared figure and table."""
    from anakinra_replication.outputs import load_outputs

    return load_outputs()


def dag_of(repo: Path, *options: str) -> dict[str, dict]:
    """Each file of the default target with the rule that makes it and its inputs, from the jobs a
    forced dry run in ``repo`` (with ``options``) lists."""
    result = snakemake(repo, "--dry-run", "--forceall", *options)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    files = {}
    for rule, fields in re.findall(r"^(?:local)?rule (\w+):\n((?:    \w[\w ]*: .*\n)+)", result.stdout, re.M):
        job = dict(re.findall(r"^    (\w[\w ]*): (.*)$", fields, re.M))
        for path in job.get("output", "").split(", "):
            files[path] = {"rule": rule, "inputs": set(job.get("input", "").split(", "))}
    return files


@pytest.fixture(scope="module")
def dag(tmp_path_factory) -> dict[str, dict]:
    """The DAG of the default target (shipped cohort) in a copy of the repository."""
    return dag_of(copy_repo(tmp_path_factory.mktemp("dag")))


@pytest.fixture(scope="module")
def user_dag(tmp_path_factory) -> dict[str, dict]:
    """The DAG of a run on a user's cohort (the 31-vs-18 cohort, results/site/) in a copy of the repository."""
    import cohorts

    repo = copy_repo(tmp_path_factory.mktemp("user_dag"))
    cohorts.write(repo / "site.csv", cohorts.larger())
    return dag_of(repo, "--config", "cohort=site.csv", "name=site")


def test_the_declaration_passes_its_schema_with_one_label_each(outputs):
    labels = [item.label for item in outputs]
    assert len(labels) == len(set(labels))
    assert {item.kind for item in outputs} == {"figure", "table"}


def test_a_broken_declaration_gets_every_problem_named():
    from anakinra_replication.outputs import declaration_problems, load_outputs

    document = yaml.safe_load((ROOT / "workflow/outputs.yaml").read_text(encoding="utf-8"))
    del document["figures"]["forest"]["caption"]
    document["tables"]["evidence"]["scope"] = "cohorts"
    problems = declaration_problems(document)
    assert len(problems) == 2, problems
    assert any("figures/forest" in p and "'caption' is a required property" in p for p in problems)
    assert any("tables/evidence/scope" in p and "'cohorts' is not one of" in p for p in problems)
    document = yaml.safe_load((ROOT / "workflow/outputs.yaml").read_text(encoding="utf-8"))
    document["figures"]["forest"]["label"] = "fig-posteriors"
    assert declaration_problems(document) == [
        "declaration error: workflow/outputs.yaml, figures/posteriors/label: fig-posteriors is also the label "
        "of figures/forest; give each its own"
    ]
    assert load_outputs()  # the committed one has none


def test_every_figure_of_the_rule_figures_has_its_drawing_code(outputs):
    from anakinra_replication.figures import cohort_figures

    drawers = cohort_figures({"cohort": {"is_reconstruction": True}}, [], [], {}, {}, {}, [], 21)
    assert set(drawers) == {item.name for item in outputs if item.rule == "figures"}


def test_the_manuscript_includes_each_declared_figure_and_table_once(outputs):
    for item in outputs:
        assert MANUSCRIPT.count(item.include) == 1, f"{item.include} is not in manuscript/*.qmd exactly once"
    declared = {item.include for item in outputs}
    includes = set(re.findall(r"\{\{< include _generated/(?:figures|tables)/\w+\.md >\}\}", MANUSCRIPT))
    assert includes - declared == set(), "included but not declared in workflow/outputs.yaml"
    assert "](_generated/figures/" not in MANUSCRIPT, "a figure typed in the manuscript instead of declared"


def test_every_cross_reference_names_a_declared_label(outputs):
    labels = {item.label for item in outputs}
    cited = set(re.findall(r"@((?:fig|tbl)-[a-z0-9-]*[a-z0-9])", MANUSCRIPT))
    assert cited - labels == set()


def test_a_figures_markdown_has_its_caption_link_label_and_alt_text(outputs):
    from anakinra_replication.outputs import figure_markdown

    forest = next(item for item in outputs if item.kind == "figure" and item.name == "forest")
    text = figure_markdown(forest)
    assert text.startswith(f"![{forest.caption} {{{{< meta provenance.links.fig_forest >}}}}]")
    assert text.rstrip().endswith(f'(_generated/figures/forest.png){{#fig-forest fig-alt="{forest.alt}"}}')


def test_report_captions_name_only_wildcards_their_files_have(outputs):
    for item in outputs:
        if item.report is None:
            continue
        path = item.report_file("results/{cohort}", PUBLISHED)
        used = set(re.findall(r"snakemake\.wildcards\.(\w+)", item.report["caption"]))
        assert used <= set(re.findall(r"\{(\w+)\}", path)), f"{item.kind} {item.name}: {used} not in {path}"


def test_every_declared_output_is_built_by_its_rule_and_read_by_the_render(outputs, dag):
    document = dag[f"{SHIPPED}/manuscript/index.html"]
    assert document["rule"] == "render_manuscript"
    for item in outputs:
        for path in item.files(SHIPPED, PUBLISHED).values():
            assert dag.get(path, {}).get("rule") == item.rule, f"{path} is not made by rule {item.rule}"
        assert item.shown(SHIPPED, PUBLISHED) in document["inputs"], f"the render does not read {item.name}"
        if item.kind == "figure":
            include = f"{PUBLISHED}/manuscript/figures/{item.name}.md"
            assert include in document["inputs"] and dag[include]["rule"] == "figure_includes"


def test_every_declared_output_is_hashed_unless_written_from_the_hashes(outputs, dag):
    hashed = dag[f"{SHIPPED}/provenance.json"]["inputs"]
    for item in outputs:
        for path in item.files(SHIPPED, PUBLISHED).values():
            assert (path in hashed) == item.hashed, path


def test_a_users_cohort_gets_every_output_but_those_of_the_reconstruction_alone(outputs, user_dag):
    # Scope reconstruction (its assumptions): never built, read by the render or hashed for a user's
    # cohort; every other declared output is, as for the shipped cohort.
    site = "results/site"
    document, hashed = user_dag[f"{site}/manuscript/index.html"], user_dag[f"{site}/provenance.json"]["inputs"]
    assert not any(path.startswith(SHIPPED) for path in user_dag)
    for item in outputs:
        built = item.scope != "reconstruction"
        assert (item.shown(site, PUBLISHED) in document["inputs"]) is built, item.name
        for path in item.files(site, PUBLISHED).values():
            assert (user_dag.get(path, {}).get("rule") == item.rule) is built, path
            assert (path in hashed) is (built and item.hashed), path
    assert any(item.scope == "reconstruction" for item in outputs)


WRONG_RULES = {  # figure: (rule declared instead, the message)
    "posteriors": (
        "robustness",
        "declaration error: workflow/outputs.yaml, figures/posteriors/rule: rule robustness does not write "
        "results/{cohort}/figures/posteriors.png",
    ),
    "p_value_space": (
        "figures",
        "declaration error: workflow/outputs.yaml, figures/p_value_space/scope: rule figures writes cohort "
        "outputs (figures/km_survival), this one is published",
    ),
}


@pytest.mark.parametrize("name", WRONG_RULES)
def test_a_figure_declared_for_the_wrong_rule_stops_the_run_naming_it(tmp_path, name):
    repo = copy_repo(tmp_path)
    declaration = repo / "workflow/outputs.yaml"
    text = declaration.read_text(encoding="utf-8")
    entry = text.index(f"  {name}:\n")
    wrong, message = WRONG_RULES[name]
    text = text[:entry] + re.sub(r"    rule: \w+\n", f"    rule: {wrong}\n", text[entry:], count=1)
    declaration.write_text(text, encoding="utf-8")
    result = snakemake(repo, "--dry-run")
    assert result.returncode != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


# --- end to end: the rendered document and the provenance record of the shipped cohort ---


@pytest.fixture(scope="module")
def page(request) -> str:
    """The rendered HTML of the shipped cohort's report and supplement, one after the other (or
    ANAKINRA_HTML), images left out."""
    report = rendered(request, "ANAKINRA_HTML", "index.html")
    documents = [report] + [p for p in [report.with_name("supplement.html")] if p != report and p.exists()]
    text = "\n".join(p.read_text(encoding="utf-8") for p in documents)
    return re.sub(r"data:[\w/+.-]+;base64,[A-Za-z0-9+/=]+", "", text)


def float_of(page: str, label: str) -> str:
    """The HTML of the figure or table whose id is ``label`` (up to the end of its figure element)."""
    start = page.find(f'id="{label}"')
    assert start >= 0, f"{label} is not in the document"
    return page[start : page.index("</figure>", start)]


@pytest.mark.e2e
def test_every_declared_output_is_shown_with_its_provenance_link(outputs, page):
    for item in outputs:
        shown = float_of(page, item.label)
        assert 'class="provenance"' in shown, f"{item.label}: no provenance link in its caption"
        if item.kind == "figure":
            assert f'alt="{html.escape(item.alt)}"' in shown, f"{item.label}: not its declared alt text"
            opening = item.caption.split("{{<")[0].strip()
            assert html.escape(opening, quote=False) in shown, f"{item.label}: not its declared caption"


@pytest.mark.e2e
def test_the_provenance_record_names_the_maker_of_every_declared_output(outputs, shipped_run):
    record = json.loads((shipped_run / SHIPPED / "provenance.json").read_text(encoding="utf-8"))
    assert set(record["made_by"]) == {item.label for item in outputs}
    for item in outputs:
        made = record["made_by"][item.label]
        assert made["rule"] == item.rule
        rules = (shipped_run / made["rules_file"]).read_text(encoding="utf-8").splitlines()
        assert rules[made["line"] - 1] == f"rule {item.rule}:", f"{item.label}: the link's line is not the rule's"
        script = (shipped_run / made["script"]).read_text(encoding="utf-8").splitlines()
        assert script[made["script_line"] - 1].startswith("def main("), f"{item.label}: the script's line"
    hashed = {Path(output["path"]).as_posix() for output in record["outputs"]}
    for item in outputs:
        if item.hashed:
            assert set(item.files(SHIPPED, PUBLISHED).values()) <= hashed, item.name


def test_no_label_or_caption_of_the_declaration_is_typed_in_the_package(outputs):
    # A figure's or table's label and caption are read from the declaration; the package's code
    # may name a label only inside a sentence, as a cross-reference (@tbl-...).
    import ast

    declared = {item.label for item in outputs} | {item.caption for item in outputs}
    for module in sorted((ROOT / "workflow/scripts/anakinra_replication").glob("*.py")):
        constants = {
            node.value
            for node in ast.walk(ast.parse(module.read_text(encoding="utf-8")))
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
        }
        assert not constants & declared, f"{module.name} types {sorted(constants & declared)}"

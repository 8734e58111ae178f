"""Statistics apart from prose: the modules that compute statistics return numbers and codes, and
know nothing of English or Markdown; the words for each code live in presentation modules.

A string constant with a space, or with Markdown (a table bar, bold, a backtick), is taken as
prose. Docstrings and the messages of ``raise`` (errors for a developer) are not prose."""

from __future__ import annotations

import ast

import pytest

from conftest import ROOT

PACKAGE = ROOT / "workflow/scripts/anakinra_replication"
STATISTICS = [
    "bayes",
    "e_value",
    "effect_measures",
    "event_space",
    "fragility",
    "identifiability",
    "implied",
    "joint_space",
    "later_evidence",
    "layout_kernels",
    "p_value_tests",
    "proportions",
    "reconstruct",
    "relations",
    "robustness",
    "survival",
    "time_to_event",
]
PRESENTATION = {
    "figure_style",
    "figures",
    "labels",
    "later_evidence_figure",
    "later_evidence_text",
    "manuscript",
    "provenance_words",
    "questions",
    "statistic_words",
    "tables",
    "terminal",
}
MARKDOWN = ("|", "**", "`")


def prose(source: str) -> list[tuple[int, str]]:
    """The string constants of ``source`` that read as prose, with their line numbers."""
    tree = ast.parse(source)
    exempt: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and body:
            first = body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                exempt.add(id(first.value))
        if isinstance(node, ast.Raise):
            exempt.update(id(sub) for sub in ast.walk(node))
    return sorted(
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in exempt
        and (" " in node.value or any(mark in node.value for mark in MARKDOWN))
    )


def package_imports(module: str) -> set[str]:
    """The package modules ``module`` imports directly, in any import form (the project's own
    import reader, anakinra_replication.dependencies)."""
    from anakinra_replication.dependencies import imported_names, module_file

    files = {module_file(name, PACKAGE.parent) for name in imported_names(PACKAGE / f"{module}.py", PACKAGE.parent)}
    return {f.stem for f in files if f is not None and f.parent == PACKAGE}


def test_the_check_finds_prose_and_spares_docstrings_and_errors():
    source = '''
"""A module docstring with spaces."""
def f(n):
    """A docstring."""
    if n < 0:
        raise ValueError(f"need n >= 0, got {n}")
    if n == 0:
        return {"reason": "no deaths in either arm"}
    return {"reason": "no_events", "code": "katz_log", "table": "| a | b |"}
'''
    assert [text for _, text in prose(source)] == ["no deaths in either arm", "| a | b |"]


@pytest.mark.parametrize("module", STATISTICS)
def test_a_statistics_module_writes_no_prose(module):
    source = (PACKAGE / f"{module}.py").read_text(encoding="utf-8")
    assert prose(source) == [], f"{module}.py: words belong in a presentation module (statistic_words, labels, ...)"


@pytest.mark.parametrize("module", STATISTICS)
def test_a_statistics_module_imports_no_presentation_module(module):
    assert package_imports(module).isdisjoint(PRESENTATION)


# The other modules: reading and checking inputs, the workflow's plumbing, rounding and verdicts.
OTHER = {
    "aspects",
    "benchmark",
    "certificate",
    "claims",
    "cohort",
    "dates",
    "dependencies",
    "event_days",
    "horizon",
    "jsonio",
    "mapping",
    "numbers",
    "outcomes",
    "outputs",
    "privacy",
    "provenance",
    "rounding",
    "settings",
    "spreadsheet",
    "starting_mapping",
    "step",
    "verify",
    "verify_certificate",
}


def test_every_module_has_a_layer():
    # A new module is placed in a layer on purpose: if it computes a statistic, in STATISTICS.
    modules = {path.stem for path in PACKAGE.glob("*.py")} - {"__init__"}
    layers = [set(STATISTICS), PRESENTATION, OTHER]
    assert set().union(*layers) == modules
    assert sum(len(layer) for layer in layers) == len(modules)  # each in one layer only

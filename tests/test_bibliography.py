"""The bibliography: every key the manuscript cites (typed in a .qmd file, emitted by the package
into generated text and tables, or named by the register of later evidence) is in
manuscript/references.bib, and no entry carries a placeholder.

A placeholder is a bracketed or "not recorded" title, or "ahead of print" in an entry that has a
volume. A field that no stored source shows is left out of the entry and listed once in the
register's ``bibliography_gaps``, which the manuscript prints above the reference list.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from anakinra_replication.claims import load_register
from anakinra_replication.later_evidence import comparison, register_checks
from anakinra_replication.later_evidence_text import later_evidence_metadata
from conftest import ROOT

BIB = ROOT / "manuscript/references.bib"
PACKAGE = ROOT / "workflow/scripts/anakinra_replication"
REGISTER = ROOT / "data/context/later_evidence.yaml"
SCHEMA = ROOT / "workflow/schemas/later_evidence.schema.yaml"
CROSS_REFERENCES = ("sec", "tbl", "fig", "eq")
# "[@key]" or "[@a; @b]" in emitted text; a key is a name with a year, as this file names them.
CITATION = re.compile(r"@([a-z][a-z0-9_]*(?:19|20)\d\d[a-z0-9_]*)")
# A plain author-year citation in emitted text: "(Walsh 2014)", "(Altman and Bland 2011)", "(Khan et al. 2020)".
AUTHOR_YEAR = re.compile(r"\(([A-Z][A-Za-z'-]+)(?: and [A-Z][A-Za-z'-]+| et al\.)? ((?:19|20)\d\d)[,)]")


def entries() -> dict[str, dict[str, str]]:
    """references.bib as {key: {field: value}} (one level of braces inside a value is enough here)."""
    text = BIB.read_text(encoding="utf-8")
    out: dict[str, dict[str, str]] = {}
    for match in re.finditer(r"@(\w+)\{([^,]+),(.*?)\n\}", text, re.S):
        fields = {
            name.lower(): value
            for name, value in re.findall(r"(\w+)\s*=\s*\{((?:[^{}]|\{(?:[^{}]|\{[^{}]*\})*\})*)\}", match.group(3))
        }
        out[match.group(2).strip()] = {"type": match.group(1).lower(), **fields}
    return out


def emitted_strings(path: Path) -> list[str]:
    """The string constants of a module that can reach a reader: every literal except docstrings
    (f-string parts included)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


def generated_later_evidence_text() -> str:
    """Every sentence the later-evidence metadata step writes, for an early estimate that makes
    every sentence appear."""
    register = register_checks(load_register(REGISTER, SCHEMA))
    robust = {
        "settings": {"horizon_days": 21},
        "survival": {"risk": {"risk_ratio": {"estimate": 0.24, "ci_lower": 0.07, "ci_upper": 0.79}}},
    }
    metadata = later_evidence_metadata(register, comparison(register, robust, 0.05))["later_evidence"]

    def flatten(node) -> list[str]:
        return [node] if isinstance(node, str) else [s for v in node.values() for s in flatten(v)]

    return "\n".join(flatten(metadata))


def cited_keys() -> dict[str, str]:
    """Every cited key with where it is cited."""
    keys: dict[str, str] = {}
    for qmd in sorted((ROOT / "manuscript").glob("*.qmd")):
        text = qmd.read_text(encoding="utf-8")
        for key in re.findall(r"(?<![\w.])@([A-Za-z][\w-]*)", text):
            if not key.startswith(tuple(f"{p}-" for p in CROSS_REFERENCES)):
                keys.setdefault(key, qmd.name)
    for module in sorted(PACKAGE.glob("*.py")):
        for string in emitted_strings(module):
            for key in CITATION.findall(string):
                keys.setdefault(key, module.name)
    for key in CITATION.findall(generated_later_evidence_text()):
        keys.setdefault(key, "later-evidence metadata")
    register = load_register(REGISTER, SCHEMA)
    for source in register["sources"].values():
        keys.setdefault(source["bibtex"], REGISTER.name)
    for item in register["without_estimate"] + register["bibliography_gaps"]:
        keys.setdefault(item.get("bibtex") or item["key"], REGISTER.name)
    return keys


def test_every_cited_key_is_in_the_bibliography():
    bib = entries()
    missing = {key: where for key, where in cited_keys().items() if key not in bib}
    assert not missing, f"cited but not in references.bib: {missing}"


def test_the_check_finds_cited_keys_in_every_kind_of_place():
    keys = cited_keys()
    assert keys["cavalli2020"] == "index.qmd"
    assert keys["khan2020"] == "questions.py"  # emitted into the robustness table
    assert keys["mariette2021"] in ("later-evidence metadata", REGISTER.name)


def test_every_author_year_in_emitted_text_has_an_entry():
    """A plain "(Khan 2020)" in a table is a citation too: some entry must have that author and year."""
    bib = entries()
    by_author_year = {
        (surname, fields.get("year", ""))
        for fields in bib.values()
        for surname in re.findall(r"(?:^| and )\{?([^,{}]+?)\}?,", fields.get("author", ""))
    }
    problems = []
    for module in sorted(PACKAGE.glob("*.py")):
        for string in emitted_strings(module):
            for surname, year in AUTHOR_YEAR.findall(string):
                if (surname, year) not in by_author_year:
                    problems.append(f"{module.name}: ({surname} {year})")
    assert not problems, f"author-year citations with no entry in references.bib: {problems}"


@pytest.mark.parametrize("key, fields", sorted(entries().items()))
def test_no_entry_carries_a_placeholder(key, fields):
    title = fields.get("title", "")
    assert title, f"{key} has no title"
    assert not title.lstrip("{").startswith("["), f"{key}: bracketed title {title!r}"
    for name, value in fields.items():
        assert "not recorded" not in value.lower(), f"{key}.{name}: {value!r}"
        assert not re.search(r"\[[^\]]*title[^\]]*\]", value, re.I), f"{key}.{name}: {value!r}"
    if "volume" in fields:
        assert not any("ahead of print" in v.lower() for v in fields.values()), f"{key}: ahead of print with a volume"
    if fields["type"] == "article":
        assert fields.get("journal"), f"{key} has no journal"


def test_every_gap_names_an_entry_that_lacks_what_it_says():
    bib = entries()
    register = load_register(REGISTER, SCHEMA)
    words = {
        "volume": "volume",
        "pages": "pages",
        "page": "pages",
        "issue": "number",
        "DOI": "doi",
        "authors": "author",
    }
    for gap in register["bibliography_gaps"]:
        assert gap["key"] in bib, gap["key"]
        for word, field in words.items():
            if re.search(rf"\b{word}\b", gap["missing"]) and not re.search(rf"after the|{word} of", gap["missing"]):
                assert field not in bib[gap["key"]], f"{gap['key']} has {field} but the register says it is missing"

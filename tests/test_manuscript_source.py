"""The manuscript types no number by hand: every number is a {{< meta >}} shortcode."""

import re

from conftest import ROOT

QMDS = sorted((ROOT / "manuscript").glob("*.qmd"))

# What may contain digits without being a number of the study: shortcodes (they are the
# mechanism), citation and cross-reference keys, inline code (commands and paths), and two
# proper names.
NOT_NUMBERS = [
    r"\{\{<.*?>\}\}",  # shortcodes: {{< meta ... >}}, {{< include ... >}}
    r"@[A-Za-z][\w:-]*",  # citations and cross-references: @cavalli2020, @fig-km-survival
    r"\{#[\w-]+[^}]*\}",  # labels: {#sec-why}
    r"`[^`]*`",  # inline code
    r"COVID-19",
    r"SHA-256",
]


def hand_typed_numbers(text: str) -> list[str]:
    """Lines of ``text`` that still hold a digit once the allowed constructs are removed."""
    stripped = re.sub("|".join(NOT_NUMBERS), "", text, flags=re.S)
    return [line for line in stripped.splitlines() if re.search(r"\d", line)]


def test_no_number_is_typed_by_hand_in_the_manuscript():
    assert len(QMDS) >= 2
    for qmd in QMDS:
        assert hand_typed_numbers(qmd.read_text(encoding="utf-8")) == [], qmd.name


def test_the_check_catches_a_typed_number():
    assert hand_typed_numbers("In the anakinra arm 3 of {{< meta numbers.n.anakinra >}} died.") != []
    assert hand_typed_numbers("Survival was {{< meta numbers.survival.anakinra.percent >}}% [@cavalli2020].") == []


def meta_keys() -> list[str]:
    """Every key the manuscript reads with {{< meta ... >}}."""
    return [
        key for qmd in QMDS for key in re.findall(r"\{\{<\s*meta\s+([\w.]+)\s*>\}\}", qmd.read_text(encoding="utf-8"))
    ]


def test_manuscript_reads_numbers_only_through_meta():
    assert len(meta_keys()) > 50


def test_readme_data_dictionary_lists_every_schema_column():
    import json

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    schema = json.loads((ROOT / "data/cohort/patients.schema.json").read_text(encoding="utf-8"))
    for field in schema["fields"]:
        assert f"| `{field['name']}` |" in readme, f"README's data dictionary lacks {field['name']}"
        if field.get("reconstructed"):
            line = next(l for l in readme.splitlines() if l.startswith(f"| `{field['name']}` |"))
            assert "reconstructed" in line, f"README does not mark {field['name']} as reconstructed"

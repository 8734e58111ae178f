"""The manuscript types no number by hand: every number is a {{< meta >}} shortcode."""

import re

from conftest import ROOT

QMDS = sorted((ROOT / "manuscript").glob("*.qmd"))


def manuscript_texts() -> dict[str, str]:
    """The manuscript's own text, by where it is typed: the .qmd files, and the figures' captions,
    declared in workflow/outputs.yaml (the document includes them; alt text, a description of the
    image, is read as in a label, as it was when the captions were typed in the .qmd files)."""
    from anakinra_replication.outputs import load_outputs

    texts = {qmd.name: qmd.read_text(encoding="utf-8") for qmd in QMDS}
    for item in load_outputs():
        if item.kind == "figure":
            texts[f"outputs.yaml, figures/{item.name}"] = item.caption
    return texts


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
    for where, text in manuscript_texts().items():
        assert hand_typed_numbers(text) == [], where


def test_the_check_catches_a_typed_number():
    assert hand_typed_numbers("In the anakinra arm 3 of {{< meta numbers.n.anakinra >}} died.") != []
    assert hand_typed_numbers("Survival was {{< meta numbers.survival.anakinra.percent >}}% [@cavalli2020].") == []


def meta_keys() -> list[str]:
    """Every key the manuscript reads with {{< meta ... >}}."""
    return [key for text in manuscript_texts().values() for key in re.findall(r"\{\{<\s*meta\s+([\w.]+)\s*>\}\}", text)]


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


# Words that state a result (a comparison, an agreement, a verdict) and numbers written as words.
# In the manuscript's own prose they may appear only in the phrases below, each a definition or a
# description of the method, not a finding; a finding comes from the results through {{< meta >}}.
JUDGEMENT = re.compile(
    r"\b(agrees?|agreeing|disagrees?|confirms?|consistent|inconsistent|reproduces?|reproduced|shows? that"
    r"|significant(ly)?|differs?|exceeds?|favou?rs?|better|worse|fewer|two|three|four|five|six|seven|eight"
    r"|nine|ten|eleven|twelve|twenty|thirty|hundred|thousand|million|twice|most|majority|none|neither)\b",
    re.I,
)
DEFINITIONS = [
    "so many layouts agree with it",  # what a layout is (glossary)
    "the verification says whether it reproduces them",  # what the verification does
    # a method; the share is generated:
    "which differs from the log-rank test only through tied days, reproduces the value in",
    "whose death days reproduce the mortality P",  # how the joint layouts are drawn
    "layout of death days that reproduces the reported mortality P",  # the same set
    "below one, fewer events in the anakinra",  # how to read a ratio axis
    "a ratio above one favours anakinra",  # the same, for the open squares
    "the published numbers are mutually consistent and reproducible by the stated methods",  # what a match means
    "one of very many cohorts consistent with the report",  # the reconstruction is an example, not the data
    "comparing two such curves",  # what a log-rank test is
    "The two log-rank P values depend on the days",  # the report has two log-rank P values (claims.yaml)
    "two-sided log-rank test",  # the test's name
    "reanalyses of two-arm mortality trials",  # the model's name
    "The prior is stated in two parts",  # how the prior is defined
    "absolute risks per thousand",  # a unit
    "the standard errors of the two log estimates",  # the method of the ratio of ratios
]


def typed_judgements(text: str, allowed: list[str] = DEFINITIONS) -> list[str]:
    """Result words in ``text``'s own prose (shortcodes, code and keys removed) outside the phrases
    ``allowed``, each with a little context."""
    prose = re.sub(r"\s+", " ", re.sub("|".join([*NOT_NUMBERS, r"<!--.*?-->"]), " ", text, flags=re.S))
    for phrase in allowed:
        prose = prose.replace(phrase, " ")
    return [prose[max(0, m.start() - 50) : m.end() + 30] for m in JUDGEMENT.finditer(prose)]


def test_no_finding_is_typed_in_the_manuscript():
    for where, text in manuscript_texts().items():
        assert typed_judgements(text) == [], where


def test_every_allowed_phrase_is_still_used():
    prose = " ".join(
        re.sub(r"\s+", " ", re.sub("|".join(NOT_NUMBERS), " ", text, flags=re.S))
        for text in manuscript_texts().values()
    )
    assert [p for p in DEFINITIONS if p not in prose] == []


def test_the_check_catches_typed_findings():
    # Sentences the manuscript once held (issue R13), and a number written as a word.
    for sentence in [
        "an acceptance of {{< meta identifiability.mc_acceptance_percent >}}%, which agrees with the share",
        "The log-rank test reproduces both reported P values, so the report is consistent with it.",
        "The interval excludes it in four of five comparisons.",
        "Most reports favour standard care.",
    ]:
        assert typed_judgements(sentence) != [], sentence
    assert typed_judgements("The risk ratio is {{< meta robustness.survival.rr >}}.") == []

"""claims.yaml: complete, validated, and malformed files rejected with a clear message."""

import pytest

from anakinra_replication.claims import load_claims, reported_number
from anakinra_replication.jsonio import InputError
from conftest import CLAIMS, CLAIMS_SCHEMA, ROOT


def test_every_reported_item_is_there(claims):
    kinds = [c["kind"] for c in claims]
    # FACTS.md: 2 arm sizes; 4 outcomes x 2 arms as count and percent; 2 x 2 survival
    # percentages; 2 P values; 1 mean age; qualitative statements.
    assert kinds.count("n") == 2
    assert kinds.count("count") == 8
    assert kinds.count("percent") == 12
    assert kinds.count("p_value") == 2
    assert kinds.count("mean") == 1
    assert kinds.count("qualitative") >= 2
    assert len({c["id"] for c in claims}) == len(claims)


def test_values_are_kept_as_printed(claims):
    by_id = {c["id"]: c for c in claims}
    assert by_id["survival_p_value"]["value"] == "0.009"
    assert reported_number(by_id["survival_p_value"]) == (0.009, 3)
    assert reported_number(by_id["bacteremia_standard_percent"]) == (13.0, 0)


def write(tmp_path, text):
    path = tmp_path / "claims.yaml"
    path.write_text(text, encoding="utf-8")
    return path


GOOD = (
    "sources: {N: news}\nclaims:\n"
    '  - {id: a_n, outcome: enrolled, arm: anakinra, kind: n, value: "29", source: N, location: p4,'
    ' quote: "29 patients"}\n'
)


def test_a_minimal_file_loads(tmp_path):
    assert load_claims(write(tmp_path, GOOD), CLAIMS_SCHEMA)[0]["value"] == "29"


@pytest.mark.parametrize(
    "text, words",
    [
        ("sources: {N: news}\nclaims:\n  - {id: a, outcome: x, arm: anakinra, kind: n, value: 29\n", "not valid YAML"),
        (GOOD.replace("kind: n", "kind: median"), "claims/0/kind"),
        (GOOD.replace('value: "29"', 'value: "29%"'), "claims/0/value"),
        (GOOD.replace(", location: p4", ""), "location"),
        (GOOD.replace(', quote: "29 patients"', ""), "quote"),
        (GOOD.replace("source: N", "source: P"), "unknown source"),
        (GOOD + GOOD.split("claims:\n")[1], "duplicated id"),
    ],
)
def test_malformed_claims_give_one_clear_message(tmp_path, text, words):
    path = write(tmp_path, text)
    with pytest.raises(InputError) as err:
        load_claims(path, CLAIMS_SCHEMA)
    message = str(err.value)
    assert message.startswith(f"claims error: {path}") and words in message and "\n" not in message


def test_committed_claims_load():
    assert load_claims(CLAIMS, CLAIMS_SCHEMA)


def test_every_quote_is_verbatim_in_the_stored_source(claims):
    """The quoted phrase of each claim is in the news report as stored for this project."""
    source = ROOT.parent / "shared/source/news-report-2020-05-12.txt"
    if not source.exists():
        pytest.skip(f"{source} is not here (shared/ sits beside the repository in CI)")
    text = source.read_text(encoding="utf-8")
    assert [c["id"] for c in claims if c["source"] == "N" and c["quote"] not in text] == []

"""The codes of the statistics and their words (statistic_words): every code a results schema allows
has words, every words entry is a code a schema allows, every reason met on the test cohorts reads
as a sentence. (That the statistics modules write no English of their own: test_layers.)"""

from __future__ import annotations

import re

import pytest
import yaml

import cohorts
from anakinra_replication.proportions import outcome_numbers
from anakinra_replication.robustness import robustness_numbers
from anakinra_replication.statistic_words import METHODS, REASONS, method_words, reason_words
from anakinra_replication.survival import survival_numbers
from conftest import ROOT

SCHEMAS = [ROOT / "workflow/schemas" / name for name in ("numbers.schema.yaml", "robustness.schema.yaml")]
REASON_KEYS = ("reason", "ci_reason", "reverse_reason")
FLAT = {"centre_rr": 1.0, "effect_rr": 0.5, "probability": 0.05}  # a prior for the Bayesian step to run


def schema_codes(keys: tuple[str, ...]) -> set[str]:
    """The codes (``enum`` or ``const``) that the results schemas allow under any of ``keys``."""
    found: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.get("properties", {}).items():
                if key in keys and isinstance(value, dict):
                    found.update(value.get("enum", [value["const"]] if "const" in value else []))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for path in SCHEMAS:
        walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    return found


def test_every_reason_code_has_words_and_every_words_entry_a_code():
    assert schema_codes(REASON_KEYS) == set(REASONS)


def test_every_method_code_has_words_and_every_words_entry_a_code():
    assert schema_codes(("method",)) == set(METHODS)


def test_words_of_codes_by_hand():
    assert reason_words({"reason": "no_events_either_arm", "event": "died_or_ventilated"}) == (
        "no ventilations or deaths in either arm"
    )
    two = {"reason": "no_events_in_arm", "event": "died", "arms_without_events": ["anakinra", "standard"]}
    assert reason_words(two) == "no deaths in the anakinra or the standard arms: the Cox estimate is not finite"
    frag = {"reason": "not_significant", "alpha": 0.05, "p_value_start": 0.19523}
    assert reason_words(frag).startswith("not significant at alpha = 0.05 (Fisher P = 0.195): ")
    assert method_words({"method": "katz_log"}) == "log (Katz)"


def reasons_in(node: object) -> list[dict]:
    """Every dict of a result that gives a reason (under any of REASON_KEYS)."""
    if isinstance(node, list):
        return [d for item in node for d in reasons_in(item)]
    if not isinstance(node, dict):
        return []
    own = [node] if any(k in node for k in REASON_KEYS) else []
    return own + [d for value in node.values() for d in reasons_in(value)]


def words_of_every_reason(results: dict) -> list[str]:
    """The words of every reason a result gives."""
    return [reason_words(d, key) for d in reasons_in(results) for key in REASON_KEYS if key in d]


@pytest.mark.parametrize("name", [n for n in cohorts.VALID if n != "twenty_thousand"])
def test_every_reason_on_the_test_cohorts_reads_as_words(name):
    frame = cohorts.frame(cohorts.VALID[name]())
    results = {
        **outcome_numbers(frame, cohorts.ARMS, 0.05),
        **survival_numbers(frame, cohorts.ARMS, 21, 0.05),
    }
    if name in ("zero_deaths_one_arm", "zero_deaths_both", "one_per_arm"):
        bayes = {"clinically_relevant_rr": 0.8, "probable_at": 0.95, "grid_points": 101, "priors": {"flat": FLAT}}
        results["robustness"] = robustness_numbers(frame, cohorts.ARMS, 21, 0.05, {"bayes": bayes})
    for words in words_of_every_reason(results):
        assert words and not re.search(r"[{}]|\b[a-z]+_[a-z_]+\b", words), words

"""The words of the robustness and which-test sentences (issue R15, lines 4, 5 and 7): priors a
reviewer can weigh, association words for an association, and statistical sentences that say
what was computed. Built in-process (tests/pipeline.py) on the reconstruction and on a user's
31-vs-18 cohort whose days are observed, with the test table and the counts' bound on the hazard
ratio computed from the published numbers as the rule identifiability computes them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import cohorts
from pipeline import numbers_and_rows, robustness

ROOT = Path(__file__).resolve().parents[1]
# The effects over the death-day layouts (identifiability.json's enumeration, which takes minutes):
# the shipped run's counts (201,882,832 layouts reproducing the P; 271 with an RMST difference of 0 or below).
EFFECTS = {
    "layouts": 201_882_832,
    "rmst_difference_min": -0.377,
    "rmst_difference_max": 7.69,
    "rmst_below_zero": 271,
    "rmst_zero": 0,
    "hr_not_below_one": 0,
}
# Words that say what anakinra does, or read an association as an effect (issue R15, line 5).
EFFECT_WORDS = re.compile(
    r"\bwith anakinra\b|\bwithout anakinra\b|\bwithout it\b|\bbenefit|\bharm\b|number needed to treat|\bNNT",
    re.I,
)


@pytest.fixture(scope="module")
def ident() -> dict:
    """What identifiability.json holds of the published numbers that the sentences read."""
    from anakinra_replication.identifiability import hazard_ratio_by_counts
    from anakinra_replication.p_value_tests import test_rows, which_test

    ranges = {"logrank": {"p_min": 0.0006, "p_max": 0.09, "fraction": 0.128}}
    rows = test_rows("survival", "0.009", (3, 7), (29, 16), ranges, {"logrank": ("every_death_day_layout", 10)})
    rows += test_rows("vent_free_survival", "0.15", (8, 8), (29, 16), ranges, {"logrank": ("joint_layouts_drawn", 10)})
    return {
        "death_days": {"logrank": {"effects": EFFECTS}},
        "hazard_ratio_by_counts": hazard_ratio_by_counts((3, 7), (29, 16)),
        "tests": rows,
        "which_test": which_test(rows),
    }


@pytest.fixture(scope="module")
def built(tmp_path_factory, config, claims, ident) -> dict:
    """The robustness results and metadata of the reconstruction and of a user's cohort."""
    from anakinra_replication.manuscript import robustness_metadata
    from anakinra_replication.tables import robustness_table

    folder = tmp_path_factory.mktemp("words")
    out = {}
    for name, text in (("reconstruction", cohorts.reconstruction()), ("larger", cohorts.larger())):
        numbers, _, cohort = numbers_and_rows(cohorts.write(folder / f"{name}.csv", text), config, claims)
        robust = robustness(cohort, config)
        reconstructed = numbers["cohort"]["is_reconstruction"]
        assert reconstructed is (name == "reconstruction")
        out[name] = {
            "robust": robust,
            "metadata": robustness_metadata(robust, ident, config["robustness"]["bayes"], reconstructed),
            "table": robustness_table(robust, ident),
        }
    return out


def strings(node) -> list[str]:
    """Every string of a nested structure."""
    if isinstance(node, dict):
        return [s for v in node.values() for s in strings(v)]
    if isinstance(node, list):
        return [s for v in node for s in strings(v)]
    return [node] if isinstance(node, str) else []


def robustness_section() -> str:
    """The robustness sections of the manuscript's sources: the report's summary and the
    supplement's detail."""
    report = (ROOT / "manuscript/index.qmd").read_text(encoding="utf-8")
    supplement = (ROOT / "manuscript/supplement.qmd").read_text(encoding="utf-8")
    text = (
        report[report.index("{#sec-robust}") : report.index("{{< include what_came_after.qmd >}}")]
        + supplement[supplement.index("{#sec-robust}") : supplement.index("{#sec-register}")]
    )
    return re.sub(r"\s+", " ", text)


# --- line 5: association words ------------------------------------------------------------------


@pytest.mark.parametrize("name", ["reconstruction", "larger"])
def test_questions_and_answers_compare_groups_not_what_anakinra_does(built, name):
    b = built[name]
    texts = strings(b["metadata"]) + strings(
        [{k: a[k] for k in ("question", "answer", "checks")} for a in b["robust"]["answers"]]
    )
    texts.append(b["table"])
    found = [(m.group(0), t[max(0, m.start() - 60) : m.end() + 20]) for t in texts for m in EFFECT_WORDS.finditer(t)]
    assert found == []
    questions = {a["id"]: a["question"] for a in b["robust"]["answers"]}
    assert questions["mortality_lower"] == "Is 21-day mortality lower in the anakinra group than in the standard group?"
    assert "anakinra group" in b["metadata"]["vent_free_sentence"]


def test_the_manuscript_gives_no_number_needed_to_treat_and_says_why():
    section = robustness_section()
    assert "nnt" not in section.lower().replace("no number needed to treat is given", "")
    assert "No number needed to treat is given: it would read the risk difference as an effect of treatment" in section
    for phrase in ("with anakinra", "without anakinra", "days without", "does the benefit hold"):
        assert phrase not in section, phrase


# --- line 4: priors a reviewer can weigh --------------------------------------------------------


def test_each_prior_line_gives_its_reason_tie_and_weight(built, config):
    m = built["reconstruction"]["metadata"]
    bayes = built["reconstruction"]["robust"]["survival"]["bayes"]
    lines = m["prior_lines"].split("; *")
    assert len(lines) == len(config["robustness"]["bayes"]["priors"])
    for line, (name, prior) in zip(lines, config["robustness"]["bayes"]["priors"].items()):
        assert line.lstrip("*").startswith(f"{name.replace('_', ' ')}*, {prior['reason']}: ")
        weight = bayes["priors"][name]["weight"]
        assert "against the data's standard error of 0.62" in line
        assert (
            f"{weight['prior_to_data']:.2g}".rstrip("0").rstrip(".") in line
            or str(round(weight["prior_to_data"])) in line
        )
        tied = bayes["priors"][name]["prior"]["threshold_role"] is not None
        definition = line.split(f"{prior['reason']}: ", 1)[1]
        assert ("clinically relevant" in definition) is tied, name
    sceptical = next(line for line in lines if line.startswith("sceptical"))
    assert "carries 21 times the data's information, as much as 927 patients like these would" in sceptical
    assert "a risk ratio below 0.80, the clinically relevant risk ratio" in sceptical
    # "set from the clinically relevant risk ratio" is said of the 3 priors it is true of, never of all 5.
    assert "3 of the 5 priors are set from it (sceptical, enthusiastic and pessimistic)" in m["threshold_sentence"]
    assert "this package's choice" in m["threshold_sentence"]
    assert "set from the clinically relevant risk ratio" not in robustness_section()


def test_a_cited_threshold_is_cited(built, config, ident):
    from anakinra_replication.manuscript import threshold_sentence

    bayes = built["reconstruction"]["robust"]["survival"]["bayes"]
    assert "it is taken from [@goligher2018]" in threshold_sentence(bayes, "goligher2018")


def test_every_probable_states_its_threshold(built, config):
    level = f"{config['robustness']['bayes']['probable_at']:g}"
    for name, b in built.items():
        texts = strings(b["metadata"]) + [a["question"] + " " + a["answer"] for a in b["robust"]["answers"]]
        for text in texts:
            for sentence in re.split(r"(?<=[.;?])\s", text):
                if re.search(r"\bprobable\b", sentence):
                    assert level in sentence, (name, sentence)
    summary = built["reconstruction"]["metadata"]["summary"]
    assert f"under the sceptical prior P(RR < 1) is 0.737, short of the {level} this document calls probable" in summary


# --- line 7: statistical sentences say what was computed ----------------------------------------


def test_which_test_names_the_mid_p_and_barnards_statistic(ident):
    from anakinra_replication.manuscript import _tests_sentence, which_test_metadata

    words = which_test_metadata(ident)
    assert "Fisher's exact test with the mid-P (P = 0.1523" in words["vent_free_survival"]
    assert "Barnard's exact test with the pooled score statistic" in words["survival"]
    sentence = _tests_sentence(ident)
    cannot_vf = sentence[sentence.index("; ") :]
    assert "Fisher's exact test with the mid-P" not in cannot_vf.split("cannot have given")[0]
    assert (
        "Fisher's exact test with its usual P cannot" in cannot_vf
        or "Fisher's exact test with its usual P" in cannot_vf
    )
    assert "Fisher's exact test with the mid-P, Barnard's exact test with the pooled score statistic and" in cannot_vf


def test_a_test_whose_other_convention_prints_as_reported_is_not_excluded(ident):
    from anakinra_replication.manuscript import _tests_sentence

    mixed = {
        "which_test": {
            "survival": {
                "match": [],
                "match_other_rounding": [],
                "mismatch": [
                    {
                        "test": "boschloo_exact",
                        "p": 0.0104,
                        "rules": [],
                        "two_sided": "doubled_one_sided",
                        "p_fisher_ordering": 0.0094,
                        "verdict_other_convention": "match",
                    },
                    {"test": "fisher_exact", "p": 0.021, "rules": []},
                ],
                "not_checkable": [],
            }
        }
    }
    assert _tests_sentence(mixed).startswith(
        "Fisher's exact test with its usual P cannot have given the reported mortality P, Boschloo's exact test can"
    )


def test_the_every_layout_answer_says_the_hazard_ratio_follows_from_the_counts(built):
    m = built["reconstruction"]["metadata"]
    assert (
        "as the counts alone require: 3 deaths in the anakinra group against at least 6.19 expected"
        in (m["every_cohort"])
    )
    assert "for the Cox model only the sign of its hazard ratio, which the death counts alone fix" in m["layouts"]
    assert "range over the layouts consistent with the report is given" not in robustness_section()


def test_the_summary_counts_the_layouts_only_on_the_reconstruction(built):
    # R14 line 7: a user's cohort has its days observed; the layouts are the report's, not its own.
    shipped, user = built["reconstruction"]["metadata"], built["larger"]["metadata"]
    assert "271 of the 201,882,832 layouts of death days consistent with the report" in shipped["summary"]
    assert "layout" not in user["summary"]
    assert "The event days of this cohort are observed" in user["layouts"]


def test_the_fragility_index_is_named_with_its_test(built):
    m = built["reconstruction"]["metadata"]
    assert m["survival"]["fragility_sentence"].startswith("Fisher's exact test on the table at the horizon loses")
    assert "not of the reported log-rank P" in m["survival"]["fragility_sentence"]
    assert (
        "Fisher's exact test loses significance when 2 patients of the anakinra group fare otherwise" in (m["summary"])
    )


def test_the_bayesian_check_is_described_as_what_it_is():
    section = robustness_section()
    assert "published worked example" not in section
    assert "against the frequentist risk ratio and interval of the EOLIA trial as a course page gives them" in section

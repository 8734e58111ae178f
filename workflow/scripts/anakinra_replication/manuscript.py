"""The Quarto manuscript's metadata file: every number its prose quotes, already printed.

The manuscript runs no code. Every number in its text is a ``{{< meta ... >}}`` shortcode
resolved from the YAML written here; its tables are includes of files written by ``tables``.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from .event_days import days_moved, event_day_table
from .jsonio import write_yaml
from .labels import (
    EVIDENCE_DEFINITIONS,
    EVIDENCE_NAMES,
    IMPOSED,
    TWO_SIDED,
    arm_name,
    censored_at_horizon_words,
    claim_label,
    claims_in_words,
    outcome_name,
)
from .outcomes import BINARY_OUTCOMES, ENDPOINTS
from .questions import answers_with_every_cohort
from .rounding import printed, printed_or, printed_range, printed_range_or
from .statistic_words import missing_words, reason_words
from .verify import NOT_MATCHING, checked_by_reader, summary

NOT_ESTIMABLE = "not estimable"


def _test_words(test: dict[str, Any]) -> str:
    """The log-rank result in words: 'log-rank chi-square 6.90, P = 0.0086', or why it is missing."""
    if test.get("p_value") is None:
        return f"the log-rank test is not estimable: {missing_words(test) or 'no comparison possible'}"
    return f"log-rank chi-square {printed(test['chi2'], 2)}, P = {printed(test['p_value'], 4)}"


def printed_numbers(numbers: dict[str, Any], arms: list[str]) -> dict[str, Any]:
    """The numbers the prose quotes, as strings printed at a reader's precision."""
    o = numbers["outcomes"]
    result: dict[str, Any] = {}
    for outcome in BINARY_OUTCOMES:
        result[outcome] = {
            arm: {
                "count": str(x["count"]),
                "n": str(x["n"]),
                "percent": printed_or(x["percent"], 1, NOT_ESTIMABLE),
                "ci": printed_range_or(x["ci_lower_percent"], x["ci_upper_percent"], 1, NOT_ESTIMABLE),
            }
            for arm, x in ((arm, o[outcome][arm]) for arm in arms)
        }
    for endpoint in ENDPOINTS:
        result[endpoint] = {
            arm: {
                "percent": printed_or(x["percent"], 1, NOT_ESTIMABLE),
                "ci": printed_range_or(x["ci_lower"], x["ci_upper"], 1, NOT_ESTIMABLE, 100),
                "events": str(x["events"]),
            }
            for arm, x in ((arm, o[endpoint][arm]) for arm in arms)
        }
        result[endpoint]["test"] = _test_words(o[endpoint]["both"])
    result["n"] = {arm: str(o["enrolled"][arm]["n"]) for arm in arms}
    result["n"]["all"] = str(sum(o["enrolled"][arm]["n"] for arm in arms))
    result["implied"] = {
        arm: {k: ", ".join(map(str, v)) for k, v in r.items() if isinstance(v, list)}
        | {"ventilations_plus_deaths": str(r["ventilations_plus_deaths"])}
        for arm, r in numbers["implied"].items()
    }
    return result


def identifiability_metadata(ident: dict[str, Any]) -> dict[str, Any]:
    """The numbers of the section on what the published numbers allow, printed."""
    space, joint = ident["death_days"], ident["vent_free"]
    percent = lambda x: printed(100 * x, 1)  # noqa: E731 - a share as a percentage
    return {
        "deaths": {"anakinra": str(ident["counts"]["deaths"][0]), "standard": str(ident["counts"]["deaths"][1])},
        "layouts": f"{space['layouts']:,}",
        "joint_layouts": "{} × 10^{}^".format(*f"{ident['counts']['joint_layouts']:.1e}".replace("e+", "e").split("e")),
        "layouts_anakinra": f"{space['layouts_per_arm'][0]:,}",
        "layouts_standard": f"{space['layouts_per_arm'][1]:,}",
        "death_p": space["reported_p"],
        "logrank_hits": f"{space['logrank']['printing_as_reported']:,}",
        "logrank_percent": percent(space["logrank"]["fraction"]),
        "logrank_p_min": printed(space["logrank"]["p_min"], 4),
        "logrank_p_max": printed(space["logrank"]["p_max"], 4),
        "cox_score_percent": percent(space["cox_score"]["fraction"]),
        "borderline": str(space["borderline"]),
        "mc_kept": f"{joint['kept']:,}",
        "mc_tried": f"{joint['tried']:,}",
        "mc_check": _sampling_check_words(ident["sampling_check"]),
        "vf_percent": percent(joint["logrank"]["fraction"]),
        "vf_ci": " to ".join(printed(100 * x, 2) for x in joint["logrank"]["fraction_ci"]),
        "vf_p_min": printed(joint["logrank"]["p_min"], 3),
        "vf_p_max": printed(joint["logrank"]["p_max"], 3),
    }


def _sampling_check_words(check: dict[str, Any]) -> str:
    """The Monte Carlo's acceptance beside the share the enumeration counts, with the verdict
    computed in the analysis (does the exact share lie in the acceptance's interval?)."""
    percent = lambda x: printed(100 * x, 3)  # noqa: E731 - finer than the shares: the draws are many
    low, high = (percent(x) for x in check["acceptance_ci"])
    verdict = "which agrees with" if check["agrees"] else "which differs from"
    return (
        f"an acceptance of {percent(check['acceptance'])}% (Wilson interval {low} to {high}%), "
        f"{verdict} the share of {percent(check['enumerated'])}% that the enumeration counts exactly"
    )


def _and(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


TEST_WORDS = {
    "pearson_chi2": "the uncorrected Pearson chi-square",
    "pearson_chi2_yates": "the Yates-corrected chi-square",
    "fisher_exact": "Fisher's exact test with its usual P",
    "fisher_mid_p": "Fisher's exact test with the mid-P",
    "barnard_exact": "Barnard's exact test",
    "boschloo_exact": "Boschloo's exact test",
}
# The statistic a test's row names (p_value_tests' ``statistic`` codes), after the test's name.
STATISTIC_WORDS = {"pooled_score": "with the pooled score statistic"}
# A P under a test's other two-sided convention (p_value_tests.OTHER_CONVENTION), in words.
OTHER_CONVENTION_WORDS = {
    "p_fisher_ordering": "ordering the tables by Fisher's two-sided P instead gives",
    "p_doubled_one_sided": "doubling the smaller one-sided mid-P instead (R's epitools) gives",
}
RULE_WORDS = {"half_up": "rounded half up", "half_even": "rounded half to even", "truncate": "truncated"}
ENDPOINT_WORDS = {"survival": "deaths", "vent_free_survival": "ventilation-free survival"}
MATCHING_VERDICTS = ("match", "match_other_rounding")


def candidate_name(test: dict[str, Any]) -> str:
    """A candidate test's name, with its statistic where the row names one (Barnard's)."""
    name = TEST_WORDS[test["test"]]
    return f"{name} {STATISTIC_WORDS[test['statistic']]}" if test.get("statistic") else name


def _convention(test: dict[str, Any], decimals: int) -> str:
    """For a test whose two-sided P depends on a convention (Boschloo's, the mid-P), that
    convention and the P under the other one, as the analysis computed it, with whether that P
    prints as reported when its verdict differs from the first one's; otherwise nothing."""
    key = next((k for k in OTHER_CONVENTION_WORDS if k in test), None)
    if key is None:
        return ""
    text = (
        f", two-sided as {TWO_SIDED[test['two_sided']]}; {OTHER_CONVENTION_WORDS[key]} {printed(test[key], decimals)}"
    )
    main, other = test.get("verdict"), test.get("verdict_other_convention")
    if main is not None and other is not None and (main in MATCHING_VERDICTS) != (other in MATCHING_VERDICTS):
        text += ", which prints as reported" if other in MATCHING_VERDICTS else ", which does not print as reported"
    return text


def could_have_given(test: dict[str, Any]) -> bool:
    """Whether a candidate test's P prints as reported under some rounding, by either two-sided
    convention where it has two (the verdicts of identifiability.json's ``which_test``)."""
    return test["verdict"] in MATCHING_VERDICTS or test.get("verdict_other_convention") in MATCHING_VERDICTS


def which_test_metadata(ident: dict[str, Any]) -> dict[str, str]:
    """The "Which test?" paragraph's statements, generated from the verdicts of the test table
    (identifiability.json's ``which_test``), so that they stay true for other published numbers."""
    reported = {r["endpoint"]: r["reported"] for r in ident["tests"]}
    out: dict[str, str] = {}
    for endpoint, verdicts in ident["which_test"].items():
        decimals = len(reported[endpoint].split(".")[1]) + 2
        judged = {v: [{**t, "verdict": v} for t in tests] for v, tests in verdicts.items()}

        def shown(t: dict[str, Any], k: int = decimals) -> str:
            return f"{candidate_name(t)} (P = {printed(t['p'], k)}{_convention(t, k)})"

        parts = []
        if judged["match"]:
            parts.append(
                f"{_and([shown(t) for t in judged['match']])} print{'s' * (len(judged['match']) == 1)} "
                f"as the reported {reported[endpoint]} when rounded half up"
            )
        for t in judged["match_other_rounding"]:
            parts.append(f"{shown(t)} prints so only when {' or '.join(RULE_WORDS[r] for r in t['rules'])}")
        if judged["mismatch"]:
            parts.append(
                f"{_and([shown(t) for t in judged['mismatch']])} "
                f"{'does' if len(judged['mismatch']) == 1 else 'do'} not print so under any of these roundings"
            )
        for t in judged["not_checkable"]:
            parts.append(f"{candidate_name(t)} is not defined here")
        text = "; ".join(parts)
        out[endpoint] = f"For {ENDPOINT_WORDS[endpoint]} (reported P = {reported[endpoint]}), {text}."
    chi = {
        e: any(t["test"] == "pearson_chi2" for t in v["match"] + v["match_other_rounding"])
        for e, v in ident["which_test"].items()
    }
    yes = [ENDPOINT_WORDS[e] for e, ok in chi.items() if ok]
    no = [ENDPOINT_WORDS[e] for e, ok in chi.items() if not ok]
    out["chi_square"] = (
        "By the verification's own rules, the uncorrected chi-square therefore reproduces "
        + (f"the P of {_and(yes)}" if yes else "neither P")
        + (f" but not that of {_and(no)}." if yes and no else ".")
    )
    out["logrank"] = _logrank_words(ident["tests"])
    return out


def _logrank_words(tests: list[dict[str, Any]]) -> str:
    """Whether the log-rank test can have given the reported P values, from the shares of layouts
    in which it prints as reported, and what that says about the report's analysis."""
    share = {r["endpoint"]: r["fraction_printing_as_reported"] for r in tests if r["test"] == "logrank"}
    yes = [ENDPOINT_WORDS[e] for e, f in share.items() if f > 0]
    no = [ENDPOINT_WORDS[e] for e, f in share.items() if f == 0]
    where = (
        "in some of the allowed day layouts (the ranges count the layouts whose P prints as reported when "
        "rounded half up)"
    )
    if not no:
        return (
            f"The log-rank test reproduces both reported P values {where}, so the report is consistent with "
            "Kaplan-Meier curves compared by the log-rank test, the usual analysis for such data."
        )
    if not yes:
        return (
            "The log-rank test reproduces neither reported P value in any allowed day layout, so the report's "
            "P values did not come from a log-rank test on these counts."
        )
    return (
        f"The log-rank test reproduces the P of {_and(yes)} {where}, but that of {_and(no)} in no allowed "
        "layout, so the report is not consistent with one log-rank analysis of both endpoints."
    )


def _significant(x: float, digits: int = 2) -> str:
    """A positive number to ``digits`` significant digits, as a reader reads it: 20.6 -> '21',
    0.0687 -> '0.069', 927.3 -> '927' (whole numbers keep every digit, with thousands separators)."""
    if x >= 10 ** (digits - 1):
        return f"{int(printed(x, 0)):,}"
    if x == 0:
        return "0"
    return printed(x, digits - 1 - math.floor(math.log10(x)))


def _threshold_words(prior: dict[str, Any], threshold: str) -> tuple[str, str]:
    """How a prior's centre and stated effect are said, naming the clinically relevant risk ratio
    where the analysis found the prior tied to it (``threshold_role``)."""
    centre, effect, role = printed(prior["centre_rr"], 2), printed(prior["effect_rr"], 2), prior["threshold_role"]
    centre_words = {
        "centre": f"centred on the clinically relevant risk ratio, {centre}",
        "mirrored_centre": f"centred on a risk ratio of {centre}, the mirror image of the clinically relevant one "
        f"(1/{threshold})",
    }.get(role, f"centred on a risk ratio of {centre}")
    effect_words = f"{effect}, the clinically relevant risk ratio" if role == "effect" else effect
    return centre_words, effect_words


def _weight_words(weight: dict[str, Any], sd: float, data: dict[str, Any]) -> str:
    """A prior's weight beside the data's: its SD against the data's standard error of log RR, the
    ratio of their information and the patients it is worth (robustness.json's ``weight``)."""
    if weight["prior_to_data"] is None:
        return f"SD {printed(sd, 2)}; its weight beside the data's cannot be given: {reason_words(data)}"
    corrected = (
        f", on the table with {data['continuity_correction']:g} added to every cell"
        if data.get("continuity_correction")
        else ""
    )
    return (
        f"SD {printed(sd, 2)} against the data's standard error of {printed(data['se_log_rr'], 2)}{corrected}, so "
        f"it carries {_significant(weight['prior_to_data'])} times the data's information, as much as "
        f"{_significant(weight['patient_equivalents'])} patients like these would"
    )


def _prior_line(name: str, posterior: dict[str, Any], bayes: dict[str, Any], reason: str) -> str:
    """One line defining a prior from its config values (centre, and the probability of a stated
    effect), true for that prior: why it is used (the config's ``reason``), how it is tied to the
    clinically relevant risk ratio, its weight beside the data's, and its P(RR < 1) and
    P(RR < threshold) as integrated from the joint prior."""
    prior, threshold = posterior["prior"], printed(bayes["threshold_rr"], 2)
    side = "below" if prior["effect_rr"] < prior["centre_rr"] else "above"
    centre_words, effect_words = _threshold_words(prior, threshold)
    return (
        f"*{name.replace('_', ' ')}*, {reason}: {centre_words}, with prior probability "
        f"{printed(prior['probability'], 3)} of a risk ratio {side} {effect_words} (normal on log RR, "
        f"{_weight_words(posterior['weight'], prior['sd_log_rr'], bayes['data'])}; prior P(RR < 1) = "
        f"{printed(posterior['prior_p_rr_below_1'], 2)}, P(RR < {threshold}) = "
        f"{printed(posterior['prior_p_rr_below_threshold'], 3)})"
    )


def threshold_sentence(bayes: dict[str, Any], source: str | None, order: list[str] | None = None) -> str:
    """Where the clinically relevant risk ratio comes from (a cited source, or this package's own
    choice), and which priors are set from it (their ``threshold_role``, computed in the analysis),
    named in ``order`` (the config's) when given."""
    threshold = bayes["threshold_rr"]
    fewer = printed(100 * (1 - threshold), 0)
    origin = (
        f"it is taken from [@{source}]"
        if source
        else "it is this package's choice: no source consulted fixes a clinically relevant effect for this comparison"
    )
    names = order or list(bayes["priors"])
    tied = [name.replace("_", " ") for name in names if bayes["priors"][name]["prior"]["threshold_role"]]
    total = len(bayes["priors"])
    used = (
        f"{len(tied)} of the {total} priors are set from it ({_and(tied)})"
        if tied
        else f"none of the {total} priors is set from it"
    )
    return (
        f"The clinically relevant risk ratio is {printed(threshold, 2)} ({fewer}% fewer deaths); {origin}. "
        f"{used[:1].upper()}{used[1:]}."
    )


def _endpoint_metadata(r: dict[str, Any], confidence: str, arms: list[str]) -> dict[str, Any]:
    """Printed numbers and generated sentences of one endpoint; not estimable ones in words."""
    risk, cox, rmst, frag, ev = r["risk"], r["cox"], r["rmst"], r["fragility"], r["e_value"]
    interval = lambda x, k=2: printed_range(x["ci_lower"], x["ci_upper"], k)  # noqa: E731
    rr, odds = risk["risk_ratio"], risk["odds_ratio"]
    group = dict(zip(("treated", "control"), arms))
    correction = rr.get("continuity_correction")
    corrected = f"; {correction:g} added to every cell because of a zero cell" if correction else ""
    out: dict[str, Any] = {
        "rr_sentence": (
            f"risk ratio {printed(rr['estimate'], 2)} ({confidence}% CI {interval(rr)}; log interval" + corrected + ")"
        )
        if rr["estimate"] is not None
        else f"the risk ratio is not estimable ({reason_words(rr)})",
        "rd": printed(100 * risk["risk_difference"]["estimate"], 1),
        "rd_ci": printed_range(100 * risk["risk_difference"]["ci_lower"], 100 * risk["risk_difference"]["ci_upper"], 1),
        "or_sentence": (
            f"odds ratio {printed(odds['conditional_mle'], 2)} ({interval(odds)}; conditional maximum "
            f"likelihood with exact interval, scipy)"
        )
        if odds["conditional_mle"] is not None and odds["ci_upper"] is not None and odds["ci_lower"] is not None
        else f"the conditional odds ratio is not estimable ({missing_words(odds)})",
        "fisher_p": printed(frag["p_value_start"], 3),
        "rmst_treated": printed(rmst["treated"], 1),
        "rmst_control": printed(rmst["control"], 1),
        "rmst_difference": printed(rmst["difference"], 1),
        "rmst_ci": interval(rmst, 1),
        "rmst_se": printed(rmst["se_difference"], 2),
    }
    if cox["hazard_ratio"] is not None:
        ph = cox["ph_test"]
        out["cox_sentence"] = (
            f"The Cox hazard ratio (lifelines, Efron ties; checked against statsmodels and R in the "
            f"tests) is {printed(cox['hazard_ratio'], 2)} ({interval(cox)}; Wald P = "
            f"{printed(cox['p_value'], 3)}); "
        )
        out["cox_sentence"] += (
            f"proportional hazards, tested as R's cox.zph does (the score test of an added term treatment "
            f"× g(t), g the Kaplan-Meier transform of time) on the cohort's event days, give P = "
            f"{printed(ph['p_value'], 2)}."
            if ph["p_value"] is not None
            else f"proportional hazards cannot be tested ({reason_words(ph)})."
        )
    else:
        out["cox_sentence"] = f"The Cox hazard ratio is not estimable: {reason_words(cox)}."
    out["fragility_sentence"] = _fragility_sentence(frag, group)
    if ev.get("e_value") is not None:
        out["e_value_sentence"] = (
            f"an unmeasured confounder associated with both treatment and the outcome by a risk ratio of "
            f"{printed(ev['e_value'], 1)} each could explain away the observed risk ratio; "
            + (
                f"one of {printed(ev['e_value_ci'], 2)} would suffice to move its {confidence}% interval to include 1"
                if ev["ci_limit_nearer_null"] is not None
                else f"its {confidence}% interval already includes 1"
            )
        )
    else:
        out["e_value_sentence"] = f"no E-value can be given ({reason_words(ev)})"
    out["bayes"] = {
        name: {
            "p_lower": printed(p["p_rr_below_1"], 3),
            "p_threshold": printed(p["p_rr_below_threshold"], 3),
            "rr": printed(p["median"], 2),
            "rr_ci": interval(p),
        }
        for name, p in r["bayes"]["priors"].items()
    }
    return out


def _fragility_sentence(frag: dict[str, Any], group: dict[str, str]) -> str:
    """The fragility index named with the test it is computed on (Fisher's exact test on the
    table at the horizon), never with the reported log-rank P."""
    test = "Fisher's exact test on the table at the horizon"
    if frag["fragility_index"] is not None:
        k = frag["fragility_index"]
        return (
            f"{test} loses significance when {k} patient{'s' * (k != 1)} of the {group[frag['modified_arm']]} group, "
            f"the group with fewer events, {'have' if k != 1 else 'has'} the event instead: a fragility index of {k} "
            f"[@walsh2014] and a fragility quotient of {printed(frag['fragility_quotient'], 3)} [@ahmed2016]. "
            "The index is that of Fisher's test, not of the reported log-rank P, which depends on the days too."
        )
    if frag["reverse_fragility_index"] is not None:
        k = frag["reverse_fragility_index"]
        return (
            f"{test} is not significant, so the fragility index is undefined; {k} patient{'s' * (k != 1)} of the "
            f"{group[frag['reverse_modified_arm']]} group faring otherwise would make it significant (the reverse "
            "fragility index)."
        )
    return f"No fragility index of {test} can be given: {missing_words(frag)}."


def layout_sentence(ident: dict[str, Any], is_reconstruction: bool) -> str:
    """What depends on event days, and what the layouts consistent with the report give of it:
    the RMST difference's range, and for the Cox model only the sign of its hazard ratio, which the
    death counts may fix on their own (identifiability.json's ``hazard_ratio_by_counts``)."""
    sign = ident["hazard_ratio_by_counts"]["sign"]
    cox = (
        "for the Cox model only the sign of its hazard ratio, which the death counts alone fix"
        if sign
        else "for the Cox model only the sign of its hazard ratio"
    )
    if is_reconstruction:
        return (
            "On the reconstructed cohort, the analyses of the binary outcomes depend only on reported counts; the Cox "
            "model and the restricted mean survival time also depend on the assumed event days. Over every layout of "
            f"death days that reproduces the reported mortality P, the RMST difference's range is given, and {cox}."
        )
    return (
        "The event days of this cohort are observed, and every analysis below uses them; the question about every "
        "layout of death days consistent with the report concerns the published numbers, not this cohort "
        f"(it gives the RMST difference's range, and {cox})."
    )


def robustness_metadata(
    robust: dict[str, Any], ident: dict[str, Any], bayes_settings: dict[str, Any], is_reconstruction: bool
) -> dict[str, Any]:
    """The numbers and generated sentences of the section on how robust the finding is.
    ``bayes_settings`` is the config's ``robustness.bayes``: the words it holds (each prior's
    reason, the source of the clinically relevant risk ratio) are printed here, never stored in
    results."""
    settings = robust["settings"]
    confidence = printed(100 * (1 - settings["alpha"]), 0)
    arms = settings["arms"]
    answers = {a["id"]: a for a in answers_with_every_cohort(robust, ident)}
    bayes = robust["survival"]["bayes"]
    priors = {name: p["prior"] for name, p in bayes["priors"].items()}
    probable = printed(settings["bayes"]["probable_at"], 2)
    sensitivity = answers["prior_sensitivity"]["answer"]
    reasons = {name: p["reason"] for name, p in bayes_settings["priors"].items()}
    out: dict[str, Any] = {
        "settings": {
            "threshold_rr": printed(bayes["threshold_rr"], 2),
            "grid_points": f"{bayes['grid_points']:,}",
            "priors": str(len(priors)),
            "probable_at": probable,
        },
        "threshold_sentence": threshold_sentence(bayes, bayes_settings["clinically_relevant_source"], list(reasons)),
        "probable_sentence": (
            f"This document calls a lower risk in the {arms[0]} group probable when its posterior probability "
            f"reaches {probable}."
        ),
        "prior_lines": "; ".join(  # in the config's order
            _prior_line(name, bayes["priors"][name], bayes, reason) for name, reason in reasons.items()
        ),
        "prior_sensitivity": sensitivity[:1].upper() + sensitivity[1:],
        "bayes_summary": "; ".join(
            f"{name.replace('_', ' ')}: P(RR < 1) = {p['bayes'][name]['p_lower']}, P(RR < "
            f"{printed(bayes['threshold_rr'], 2)}) = {p['bayes'][name]['p_threshold']}, posterior median RR "
            f"{p['bayes'][name]['rr']} ({p['bayes'][name]['rr_ci']})"
            for p in [_endpoint_metadata(robust["survival"], confidence, arms)]
            for name in reasons  # the config's order
        ),
        "every_cohort": answers["every_cohort"]["answer"][:1].upper() + answers["every_cohort"]["answer"][1:],
        "layouts": layout_sentence(ident, is_reconstruction),
    }
    for endpoint in ("survival", "vent_free_survival"):
        out[endpoint] = _endpoint_metadata(robust[endpoint], confidence, arms)
    vf = answers["vent_free"]
    out["vent_free_sentence"] = (
        f"a lower risk in the {arms[0]} group is shown"
        if vf["holds"]
        else f"a lower risk in the {arms[0]} group is not shown"
        if vf["holds"] is False
        else "nothing can be said"
    )
    out["summary"] = _summary(answers, arms, settings["bayes"]["probable_at"], is_reconstruction)
    return out


def _every_cohort_summary(answer: dict[str, Any]) -> tuple[bool | None, str]:
    """The answer about every layout of death days, for the closing sentence: what the layouts
    leave open (the RMST difference; the hazard ratio's sign only when the counts do not fix it)."""
    e, counts = answer["numbers"]["effects"], answer["numbers"]["hazard_ratio_by_counts"]
    if answer["holds"] is None:
        return None, ""
    against = e["rmst_below_zero"] + e["rmst_zero"]
    where = "layouts of death days consistent with the report"
    parts = []
    if against:
        parts.append(f"the RMST difference is zero or below in {against:,} of the {e['layouts']:,} {where}")
    if e["hr_not_below_one"]:
        parts.append(f"the hazard ratio is 1 or more in {e['hr_not_below_one']:,} of them")
    if parts:
        return False, _and(parts)
    hr = " (the hazard ratio's sign there follows from the counts alone)" if counts["sign"] else ""
    return True, f"the RMST difference is above 0 and the hazard ratio below 1 in every one of the {where}{hr}"


def _summary(answers: dict[str, dict[str, Any]], arms: list[str], probable: float, is_reconstruction: bool) -> str:
    """The closing sentence of the section, from the computed answers (true for any cohort). The
    answer about every layout of death days is about the report's numbers: it is counted only on
    the reconstruction, whose days are assumed; a user's cohort has its days observed."""
    treated = arms[0]
    sceptical = answers.get("bayes_sceptical", {}).get("numbers", {}).get("p_rr_below_1")
    checks = [
        ("mortality_lower", "the risk ratio's interval excludes 1", "the risk ratio's interval does not exclude 1"),
        (
            "exact_test",
            "Fisher's exact test is also significant (at the same level, not with the same P)",
            "Fisher's exact test is not significant",
        ),
        ("time_to_event", "the Cox hazard ratio's interval excludes 1", "the Cox hazard ratio's interval includes 1"),
        (
            "rmst",
            f"the restricted mean survival time is longer in the {treated} group",
            "the restricted mean survival time's difference has an interval that includes 0",
        ),
        (
            "bayes_sceptical",
            f"under the sceptical prior P(RR < 1) reaches {probable:g}, the level this document calls probable",
            f"under the sceptical prior P(RR < 1) is {printed(sceptical, 3) if sceptical is not None else ''}, short "
            f"of the {probable:g} this document calls probable",
        ),
    ]
    passed = [yes for qid, yes, _ in checks if qid in answers and answers[qid]["holds"]]
    failed = [no for qid, _, no in checks if qid in answers and answers[qid]["holds"] is False]
    if is_reconstruction:
        holds, words = _every_cohort_summary(answers["every_cohort"])
        (passed if holds else failed if holds is False else []).append(words)
    frag = answers["fragility"]["numbers"]["fragility"]
    text = []

    def joined(items: list[str]) -> str:
        """'a and b', or 'a, and b' when an item has commas of its own."""
        return ", and ".join([", ".join(items[:-1]), items[-1]]) if any("," in i for i in items[:-1]) else _and(items)

    if passed:
        text.append("For mortality, " + joined(passed))
    if failed:
        text.append(("but " if passed else "for mortality, ") + joined(failed))
    if frag["fragility_index"] is not None:
        group = dict(zip(("treated", "control"), arms))[frag["modified_arm"]]
        text.append(
            f"Fisher's exact test loses significance when {frag['fragility_index']} patients of the {group} group "
            "fare otherwise (its fragility index)"
        )
    text.append(
        "being a non-randomised comparison, it cannot exclude confounding "
        "(see the E-values); only a randomised comparison can settle it"
    )
    sentence = "; ".join(text) + "."
    return sentence[0].upper() + sentence[1:]


TITLE = "Anakinra in COVID-19 with ARDS (Cavalli et al. 2020)"


def cohort_metadata(numbers: dict[str, Any], claims: list[dict[str, Any]], name: str) -> dict[str, Any]:
    """Which cohort this document describes, in words: the reconstruction or a user's file, its
    hash, and its arm sizes beside the published ones (never confused with them)."""
    arms, cohort = numbers["settings"]["arms"], numbers["cohort"]
    sizes = [str(numbers["outcomes"]["enrolled"][arm]["n"]) for arm in arms]
    published = [
        c["value"] for arm in arms for c in claims if (c["outcome"], c["arm"], c["kind"]) == ("enrolled", arm, "n")
    ]
    same = sizes == published
    size_sentence = (
        f"The publication reported {published[0]} and {published[1]} patients; this cohort has "
        f"{sizes[0]} and {sizes[1]}" + (", the same numbers." if same else ".")
    )
    return {
        "name": name,
        "path": cohort["path"],
        "sha256": cohort["sha256"],
        "is_reconstruction": cohort["is_reconstruction"],
        "is_user_cohort": not cohort["is_reconstruction"],
        "title": TITLE
        + (
            ": a consistency check of the reported numbers"
            if cohort["is_reconstruction"]
            else ": the reported numbers recomputed from a user's cohort"
        ),
        "sentence": (
            "The study's patient data are not public, so this run uses a cohort that this package rebuilt from the "
            f"reported numbers and stated assumptions (`{cohort['path']}`; the supplement lists each assumption and "
            "the claims it fixes). Whoever holds the real data can run the same workflow on them unchanged."
            if cohort["is_reconstruction"]
            else f"This run uses the file `{cohort['path']}` supplied by the user (SHA-256 `{cohort['sha256']}`); "
            "every number is computed from it as supplied, and the supplement says how it was read."
        ),
        "sizes": size_sentence,
        "read": reading_sentence(cohort["read"], numbers["settings"]),
    }


def reading_sentence(read: dict[str, Any], settings: dict[str, Any]) -> str:
    """How the file was read, in two or three sentences: rows, separator, what was set aside, how
    many survivors are censored before the horizon, and, per arm, what was recorded after it
    (censored at the horizon) and why."""
    plural = lambda k, word: f"{k} {word}{'' if k == 1 else 's'}"  # noqa: E731
    if read.get("separator") == "none":  # a workbook: no separator
        kind = f"an {read['format']}" if read["format"][0] in "AEIOU" else f"a {read['format']}"
    else:
        kind = read["separator"] + (
            "-separated text with decimal commas" if read["decimal_comma"] else "-separated text"
        )
    mapped = f", its headers and labels mapped by `{read['mapping']}`" if read.get("mapping") else ""
    if read["dates"]:
        mapped += ", its days counted from dates (day 1 is the first day of treatment)"
    parts = [f"The file was read as {kind}{mapped}: {plural(read['rows_read'], 'patient row')}"]
    for column, empty in (read.get("missing_values") or {}).items():
        parts.append(
            f"`{column}` empty for {plural(empty, 'patient')} (what needs it is computed on the other patients)"
        )
    if read["blank_rows_ignored"]:
        parts.append(f"{plural(read['blank_rows_ignored'], 'blank row')} ignored")
    if read["ignored_columns"]:
        names = ", ".join(f"`{c}`" for c in read["ignored_columns"])
        parts.append(f"{plural(len(read['ignored_columns']), 'column')} not used by the analysis ({names}) set aside")
    censored = sum(read["censored_before_horizon"].values())
    ending = (
        f"no survivor is censored before day {settings['horizon_days']}."
        if not censored
        else f"{plural(censored, 'survivor')} followed for less than {settings['horizon_days']} days "
        f"{'is' if censored == 1 else 'are'} counted as censored at the last day seen."
    )
    beyond = horizon_sentence(read["censored_at_horizon"], settings)
    return "; ".join(parts) + "; " + ending + (" " + beyond if beyond else "")


def horizon_sentence(censored: dict[str, dict[str, int]], settings: dict[str, Any]) -> str:
    """What the file records after the horizon, censored there, per arm and why; nothing when
    there is none."""
    day = settings["horizon_days"]
    words = censored_at_horizon_words({arm: censored[arm] for arm in settings["arms"] if arm in censored}, day)
    return (
        f"What the file records after day {day} is censored at day {day}, as an analysis at that day does: {words}."
        if words
        else ""
    )


ABSTRACT_MISMATCHES = 4  # the abstract names this many mismatched claims; the verification section names all
MATCHING = ("match", "match_other_rounding")


def _plural(k: int, one: str, many: str) -> str:
    """'1 number' / '3 numbers': ``one`` or ``many`` after the count."""
    return f"{k} {one if k == 1 else many}"


def _mismatch_items(rows: list[dict[str, Any]], claims: list[dict[str, Any]]) -> list[str]:
    """Each numeric claim that does not match, in words with its reported and recomputed values."""
    kinds, labels = {c["id"]: c["kind"] for c in claims}, {c["id"]: claim_label(c) for c in claims}

    def recomputed(r: dict[str, Any]) -> str:
        """The recomputed value as printed; a P value with four decimals (0.003 would print as 0.00)."""
        if not r["reproduced_exact"]:
            return "not estimable"
        return (
            printed(float(r["reproduced_exact"]), 4) if kinds[r["claim_id"]] == "p_value" else r["reproduced_printed"]
        )

    return [
        f"{labels[r['claim_id']]}: reported {r['reported']}, recomputed {recomputed(r)}"
        for r in rows
        if r["verdict"] in NOT_MATCHING
    ]


def _first_few(items: list[str]) -> str:
    """The first ABSTRACT_MISMATCHES items, then how many more the verification section lists."""
    more = len(items) - ABSTRACT_MISMATCHES
    return "; ".join(items[:ABSTRACT_MISMATCHES]) + (f"; and {more} more (see @sec-verification)" if more > 0 else "")


def evidence_counts(rows: list[dict[str, Any]]) -> dict[str, int]:
    """How many matching numeric claims each evidence class holds."""
    matching = [r for r in rows if r["verdict"] in MATCHING]
    return {label: sum(r["evidence"] == label for r in matching) for label in EVIDENCE_NAMES}


def statements_sentence(rows: list[dict[str, Any]]) -> str:
    """The limitation about qualitative statements: which cannot be checked, and which the reader
    did check on this cohort (the inclusion rule, when the file has the laboratory columns)."""
    unchecked = [r for r in rows if r["verdict"] == "not_checkable" and not checked_by_reader(r)]
    checked = [r for r in rows if checked_by_reader(r)]
    names = ", ".join(dict.fromkeys(outcome_name(r["outcome"]).lower() for r in unchecked))
    sentence = (
        f"Qualitative statements ({names}) are listed in the supplement but cannot be checked without data "
        "the project does not have."
        if unchecked
        else "Every qualitative statement was checked."
    )
    if checked:
        done = " and the ".join(dict.fromkeys(outcome_name(r["outcome"]).lower() for r in checked))
        sentence += f" The {done} was checked by the reader on every patient, as this cohort has the columns it needs."
    return sentence


def statements_count(rows: list[dict[str, Any]]) -> str:
    """How many statements cannot be checked (as many as @tbl-statements lists), and which the
    reader checked on every patient instead."""
    s = summary(rows)
    count = (
        f"{_plural(s['unchecked'], 'statement cannot', 'statements cannot')} be checked against patient-level data"
        if s["unchecked"]
        else "no statement is left unchecked"
    )
    checked = " and the ".join(dict.fromkeys(outcome_name(r["outcome"]).lower() for r in rows if checked_by_reader(r)))
    done = f"; the {checked} was checked by the reader on every patient" if checked else ""
    return f"{count} (@tbl-statements){done}"


def verification_metadata(rows: list[dict[str, Any]], claims: list[dict[str, Any]]) -> dict[str, Any]:
    """The verdict counts, the evidence behind the matches, and each mismatch in words."""
    s = summary(rows)
    split = ", ".join(f"{k} {EVIDENCE_NAMES[label]}" for label, k in evidence_counts(rows).items() if k)
    items = _mismatch_items(rows, claims)
    headline = f"{s['matching']} of {s['numeric']} numeric claims match"
    return {
        "numeric": str(s["numeric"]),
        "matching": str(s["matching"]),
        **{k: str(v) for k, v in s["counts"].items()},
        "headline": headline + (f" ({split})" if split else ""),
        "has_mismatch": bool(items),
        "mismatch_sentence": (
            f"{len(items)} numeric claim{'s do' if len(items) > 1 else ' does'} not match: {'; '.join(items)}."
            if items
            else "No claim is mismatched."
        ),
        "counts_sentence": (
            f"{headline} ({s['counts']['match']} when rounded half up, {s['counts']['match_other_rounding']} only "
            f"under another rounding, {s['counts']['mismatch']} mismatched); {statements_count(rows)}."
        ),
        "statements_sentence": statements_sentence(rows),
        "statements": statements_count(rows),
        "robustness_opening": (
            "The verification shows that the reported numbers are consistent"
            if not items
            else f"On this cohort {s['numeric'] - s['matching']} of the {s['numeric']} reported numbers are not "
            "reproduced (@sec-verification), so the analyses below describe this cohort, not the published study"
        ),
    }


def tested_metadata(rows: list[dict[str, Any]], claims: list[dict[str, Any]]) -> dict[str, str]:
    """What a match on this cohort tests, kept apart from what was imposed on it: the numbers not
    imposed (evidence outside ``labels.IMPOSED``), how many of them match and in which class, and
    one line counting the imposed ones and naming them. On a cohort that was not built from the
    report nothing is imposed, and the line says so. The items themselves, with their verdicts, are
    the table ``tested`` (@tbl-tested)."""
    numeric = [r for r in rows if r["verdict"] != "not_checkable"]
    imposed = [r for r in numeric if r["evidence"] in IMPOSED]
    tested = [r for r in numeric if r["evidence"] not in IMPOSED]
    matching = [r for r in tested if r["verdict"] in MATCHING]
    classes = [e for e in EVIDENCE_NAMES if any(r["evidence"] == e for r in matching)]
    split = (
        f", all {EVIDENCE_NAMES[classes[0]]}" if len(classes) == 1 else f": {_class_counts(matching)}" * bool(classes)
    )
    which = "reported numbers not imposed on the cohort" if imposed else "reported numbers"
    headline = (
        f"{len(matching)} of the {len(tested)} {which} match{split}"
        if tested
        else "No reported number was left to test: each was imposed on the cohort"
    )
    return {
        "tested": str(len(tested)),
        "tested_matching": str(len(matching)),
        "imposed": str(len(imposed)),
        "tested_headline": headline,
        "imposed_line": _imposed_line(imposed, claims),
    }


def _imposed_line(imposed: list[dict[str, Any]], claims: list[dict[str, Any]]) -> str:
    """One line counting the numbers imposed by construction and naming them, or saying that
    nothing was imposed."""
    if not imposed:
        return "Nothing was imposed on this cohort: every number was recomputed from its data as supplied."
    by_id = {c["id"]: c for c in claims}
    named = claims_in_words([by_id[r["claim_id"]] for r in imposed])
    k, matched = len(imposed), sum(r["verdict"] in MATCHING for r in imposed)
    head = f"{_plural(k, 'further number was', 'further numbers were')} imposed by construction ({named})"
    if matched == k:
        they, them = ("it matches", "it") if k == 1 else ("they match", "them")
        return f"{head}: {they} because the cohort was built to give {them}."
    return f"{head}: {matched} of them match, although the cohort was built to give them all."


def evidence_metadata(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The evidence classes in words, each with its one definition (``labels.EVIDENCE``): names and
    definitions of every class by code, and, as a Markdown definition list for a glossary, those of
    the classes this cohort's items fall in."""
    present = [e for e in EVIDENCE_NAMES if any(r["evidence"] == e for r in rows)]
    return {
        "names": dict(EVIDENCE_NAMES),
        "defined": dict(EVIDENCE_DEFINITIONS),
        "glossary": "\n\n".join(f"*{EVIDENCE_NAMES[e]}*\n: {EVIDENCE_DEFINITIONS[e]}." for e in present) + "\n",
    }


def _class_counts(rows: list[dict[str, Any]]) -> str:
    """How many of ``rows`` fall in each evidence class, by the classes' names: "4 derived, 1 from
    assumed days and 1 fitted (days moved)"."""
    return _and(
        [
            f"{sum(r['evidence'] == e for r in rows)} {name}"
            for e, name in EVIDENCE_NAMES.items()
            if any(r["evidence"] == e for r in rows)
        ]
    )


def _built_in_sentence(rows: list[dict[str, Any]], numbers: dict[str, Any]) -> str:
    """How many of the reconstruction's matches were built in and how many were not, by the
    classes' names (their definitions are ``labels.EVIDENCE``), with the days moved for a fitted P."""
    matching = [r for r in rows if r["verdict"] in MATCHING]
    built = [r for r in matching if r["evidence"] in IMPOSED]
    others = [r for r in matching if r["evidence"] not in IMPOSED]
    settings = numbers["settings"]
    table = event_day_table(numbers["relations"], settings["arms"], settings["horizon_days"])
    moved = sum(days_moved(table, r["outcome"]) for r in others if r["evidence"] == "fitted")
    parts = [f"{_plural(len(built), 'number was', 'numbers were')} built into the cohort when it was made"] * bool(
        built
    )
    if others:
        days = f", {_plural(moved, 'day', 'days')} in all (@tbl-event-days)" if moved else ""
        parts.append(f"{len(others)} {'was' if len(others) == 1 else 'were'} not: {_class_counts(others)}{days}")
    return f"Of these matches, {'; '.join(parts)}." if parts else ""


def _identifiability_sentence(ident: dict[str, Any], horizon_days: int) -> str:
    """What the published numbers allow, in one sentence: the shares of layouts reproducing each P."""
    i = identifiability_metadata(ident)
    vf_p = next(r["reported"] for r in ident["tests"] if r["endpoint"] == "vent_free_survival")
    return (
        f"Of all {i['layouts']} ways to place the deaths on days 1 to {horizon_days}, "
        f"{i['logrank_percent']}% give a log-rank P that prints as the reported {i['death_p']}; among the "
        f"layouts of deaths and ventilations drawn at random, {i['vf_percent']}% give the reported {vf_p} for "
        "ventilation-free survival (@sec-allow)."
    )


def _tests_sentence(ident: dict[str, Any]) -> str:
    """Which tests of the 2x2 table cannot have given the reported P values, and which can, over
    every candidate of the test table and both two-sided conventions where a test has two."""
    endpoint_words = {"survival": "mortality", "vent_free_survival": "ventilation-free survival"}
    parts = []
    for endpoint, verdicts in ident["which_test"].items():
        tests = [{**t, "verdict": v} for v, group in verdicts.items() if v != "not_checkable" for t in group]
        cannot = [candidate_name(t) for t in tests if not could_have_given(t)]
        can = [candidate_name(t) for t in tests if could_have_given(t)]
        if cannot:
            parts.append(
                f"{_and(cannot)} cannot have given the reported {endpoint_words[endpoint]} P"
                + (f", {_and(can)} can" if can else "")
            )
    if not parts:
        return ""
    sentence = "; ".join(parts)
    return sentence[0].upper() + sentence[1:] + "."


def event_days_sentence(numbers: dict[str, Any]) -> str:
    """What the event days of @tbl-event-days gave, endpoint by endpoint: whether days were moved
    from the even spread, by how much in all, and the log-rank P they give beside the reported one."""
    settings, outcomes = numbers["settings"], numbers["outcomes"]
    table = event_day_table(numbers["relations"], settings["arms"], settings["horizon_days"])
    words = {"survival": "survival", "vent_free_survival": "ventilation-free survival"}
    parts = []
    for endpoint in ENDPOINTS:
        moved = days_moved(table, endpoint)
        p = outcomes[endpoint]["both"].get("p_value")
        result = f"P = {printed(p, 4)}" if p is not None else "no log-rank P"
        parts.append(
            f"for {words[endpoint]}, "
            + (
                f"days moved by {_plural(moved, 'day', 'days')} in all give {result}"
                if moved
                else f"the evenly spread days, none moved, give {result}"
            )
        )
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "."


NOT_SHOWN = "Nothing here measures whether anakinra works: the comparison is small and not randomised."


SOURCES = (
    "the numbers reported by @cavalli2020, taken from a news report of the article [@brooks2020] and the "
    "article's abstract,"
)


def bottom_line_metadata(
    rows: list[dict[str, Any]], claims: list[dict[str, Any]], numbers: dict[str, Any], ident: dict[str, Any]
) -> dict[str, str]:
    """The bottom line, the first thing a reader sees (the abstract), from the results: what was
    checked and against what, what a match on this cohort shows, and the verdict; the document
    adds the result as reported and what later trials found.

    On the reconstruction it is a consistency check: the verdict counts the items that were not
    built into the cohort apart from those that were, and the shares of the layouts the report
    allows follow. On any other cohort every match is the data's own. No count of matches stands
    without what it means."""
    s = summary(rows)
    items = _mismatch_items(rows, claims)
    arms = numbers["settings"]["arms"]
    sizes = " and ".join(str(numbers["outcomes"]["enrolled"][arm]["n"]) for arm in arms)
    missing = f" {_plural(len(items), 'number does', 'numbers do')} not: {_first_few(items)}." if items else ""
    allowed = _identifiability_sentence(ident, numbers["settings"]["horizon_days"])
    counts = tested_metadata(rows, claims)  # the tested numbers apart from the imposed ones
    if numbers["cohort"]["is_reconstruction"]:
        checked = f"This consistency check compares {SOURCES} with a cohort of {sizes} patients rebuilt from them."
        meaning = (
            "The cohort is not the study's: this package made it from the reported numbers and stated assumptions, "
            "so a match shows that the numbers are consistent with one another and reproducible by the stated "
            "methods, not that the study's patients fared as reported."
        )
        verdict = (
            f"Of the {counts['tested']} reported numbers that were not built into the cohort, "
            f"{counts['tested_matching']} print as reported; the other {counts['imposed']} were imposed and match "
            f"by construction.{missing}"
        )
        not_shown = "The study's own patient data were not available, so none of this checks them. " + NOT_SHOWN
    else:
        checked = (
            f"This document compares {SOURCES} with the data of a cohort of {sizes} patients supplied by the user."
        )
        meaning = (
            "Every number is computed from that file, so a match shows that these data give the number as printed; "
            "whether they are the study's own data cannot be checked here."
        )
        verdict = f"The data reproduce {s['matching']} of the {s['numeric']} reported numbers.{missing}"
        not_shown = NOT_SHOWN
    return {
        "checked": checked,
        "meaning": meaning,
        "verdict": verdict,
        "allow": allowed if numbers["cohort"]["is_reconstruction"] else "",
        "tests": _tests_sentence(ident),
        "not_shown": not_shown,
    }


def overlap_sentence(counts: list[int], arms: list[str]) -> str:
    """How many patients were both ventilated and died, per arm, in words."""
    if not any(counts):
        return "no patient in either arm was both ventilated and died"
    per_arm = " and ".join(f"{k} in the {arm_name(a).lower()} arm" for k, a in zip(counts, arms))
    return f"{per_arm} were both ventilated and died"


# The relations below when they hold in neither arm, with the verb moved after "in neither arm".
NEGATED = {
    "the number of patients with respiratory improvement equals the number of ventilation-free survivors": (
        "does the number of patients with respiratory improvement equal the number of ventilation-free survivors"
    ),
    "each survival percentage equals one minus the death proportion": (
        "does the survival percentage equal one minus the death proportion"
    ),
    "the improved patients are exactly the ventilation-free survivors": (
        "are the improved patients exactly the ventilation-free survivors"
    ),
}


def relations_sentences(numbers: dict[str, Any], arms: list[str]) -> dict[str, str]:
    """What the reported numbers imply and what the cohort shows, said in words, not booleans."""
    implied, observed = numbers["implied"], numbers["relations"]

    def holds(flags: list[bool], what: str) -> str:
        if all(flags):
            return f"{what} in both arms"
        if not any(flags):
            return f"in neither arm {NEGATED[what]}"
        return f"{what} only in the {' and '.join(arm_name(a).lower() for a, f in zip(arms, flags) if f)} arm"

    return {
        "implied_improved": holds(
            [implied[a]["improved_equals_vent_free_survivors"] for a in arms],
            "the number of patients with respiratory improvement equals the number of ventilation-free survivors",
        ),
        "implied_survival": holds(
            [implied[a]["survival_is_one_minus_deaths"] for a in arms],
            "each survival percentage equals one minus the death proportion",
        ),
        "observed_overlap": overlap_sentence([observed[a]["ventilated_and_died"] for a in arms], arms),
        "observed_improved": holds(
            [observed[a]["improved_equals_vent_free_survivors"] for a in arms],
            "the improved patients are exactly the ventilation-free survivors",
        ),
    }


def manuscript_metadata(
    numbers: dict[str, Any],
    rows: list[dict[str, Any]],
    claims: list[dict[str, Any]],
    name: str,
    ident: dict[str, Any],
    robust: dict[str, Any],
    bayes_settings: dict[str, Any],
) -> dict[str, Any]:
    """Everything the manuscript's prose reads through ``{{< meta ... >}}``; ``bayes_settings`` is
    the config's ``robustness.bayes`` (its words: each prior's reason, the threshold's source)."""
    settings = numbers["settings"]
    return {
        "robustness": robustness_metadata(robust, ident, bayes_settings, numbers["cohort"]["is_reconstruction"]),
        "which_test": which_test_metadata(ident),
        "identifiability": identifiability_metadata(ident),
        "numbers": printed_numbers(numbers, settings["arms"]),
        "relations": relations_sentences(numbers, settings["arms"]),
        "reported": {c["id"]: c["value"] for c in claims},
        "verification": {
            **verification_metadata(rows, claims),
            **tested_metadata(rows, claims),
            "built_in": _built_in_sentence(rows, numbers) if numbers["cohort"]["is_reconstruction"] else "",
        },
        "evidence": evidence_metadata(rows),
        "bottom_line": bottom_line_metadata(rows, claims, numbers, ident),
        "event_days": {
            "sentence": event_days_sentence(numbers),
            "rule": f"the k-th of m events on day {settings['horizon_days']}k/(m + 1), rounded",
        },
        "settings": {
            "horizon_days": str(settings["horizon_days"]),
            "confidence": printed(100 * (1 - settings["alpha"]), 0),
            "alpha_percent": printed(100 * settings["alpha"], 0),
            "treated": settings["arms"][0],
            "control": settings["arms"][1],
        },
        "software": numbers["software"],
        "cohort": cohort_metadata(numbers, claims, name),
    }


def write_metadata(
    numbers: dict[str, Any],
    rows: list[dict[str, Any]],
    claims: list[dict[str, Any]],
    name: str,
    ident: dict[str, Any],
    robust: dict[str, Any],
    path: str | Path,
    *,
    bayes_settings: dict[str, Any],
) -> None:
    """Write the metadata file that the manuscript's ``metadata-files`` names."""
    write_yaml(manuscript_metadata(numbers, rows, claims, name, ident, robust, bayes_settings), path)

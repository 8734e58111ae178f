"""The questions a statistical reviewer asks about the finding, each answered from the numbers.

Every answer is computed here, from robustness.json's numbers, alpha and the level called
probable (``probable_at``) from the config; the answer about every cohort consistent with the
report is computed from the effects over the enumerated death-day layouts of
identifiability.json, which depend on the published numbers only. Tables and text only print
them. Each answer says what it checks, over what (this cohort, or how many layouts), the numbers
it rests on, ``holds`` (True, False, or None for a descriptive answer or a statistic that is not
estimable) and ``answer`` in words.
"""

from __future__ import annotations

from typing import Any

from .rounding import printed
from .statistic_words import missing_words, reason_words


def _interval_side(x: dict[str, Any], null: float) -> str | None:
    """'below' / 'above' the null value, 'includes', or None if not estimable."""
    if x.get("ci_lower") is None or x.get("ci_upper") is None:
        return None
    return "below" if x["ci_upper"] < null else "above" if x["ci_lower"] > null else "includes"


def _ratio_answer(x: dict[str, Any], treated: str, estimate_key: str = "estimate") -> tuple[bool | None, str]:
    side = _interval_side(x, 1.0)
    if x.get(estimate_key) is None or side is None:
        return None, f"not estimable: {missing_words(x) or 'no estimate'}"
    return {
        "below": (True, "yes: the whole interval lies below 1"),
        "includes": (False, "not shown: the interval includes 1"),
        "above": (False, f"no: the whole interval lies above 1 (a higher risk in the {treated} group)"),
    }[side]


def _question(
    qid: str,
    question: str,
    checks: str,
    analysis: str,
    over: str,
    numbers: dict[str, Any],
    holds: bool | None,
    answer: str,
) -> dict[str, Any]:
    return {
        "id": qid,
        "question": question,
        "checks": checks,
        "analysis": analysis,
        "over": over,
        "numbers": numbers,
        "holds": holds,
        "answer": answer,
    }


def _share_words(k: int, n: int) -> str:
    """k of n in words a reader can picture: 'about 1.3 in a million' for tiny shares, else a percentage."""
    share = k / n
    if 0 < share < 0.001:
        return f"about {printed(share * 1e6, 1)} in a million"
    return f"{printed(100 * share, 1)}%"


def hazard_ratio_words(e: dict[str, Any], counts: dict[str, Any], n: int, treated: str) -> str:
    """What the layouts say of the hazard ratio's sign, and, when the death counts alone fix it
    (identifiability.json's ``hazard_ratio_by_counts``), that it follows from them."""
    observed = counts["observed_treated"]
    if counts["sign"] == "below_one":
        return (
            f"the hazard ratio is below 1 in every one, as the counts alone require: {observed} deaths in the "
            f"{treated} group against at least {printed(counts['expected_treated_min'], 2)} expected in any layout"
        )
    if counts["sign"] == "above_one":
        return (
            f"the hazard ratio is above 1 in every one, as the counts alone require: {observed} deaths in the "
            f"{treated} group against at most {printed(counts['expected_treated_max'], 2)} expected in any layout"
        )
    if not e["hr_not_below_one"]:
        return "the hazard ratio is below 1 in every one"
    return f"the hazard ratio is 1 or more in {e['hr_not_below_one']:,} ({_share_words(e['hr_not_below_one'], n)})"


def every_cohort_answer(ident: dict[str, Any], treated: str = "anakinra") -> dict[str, Any]:
    """Do the hazard ratio and the RMST difference favour the treated group in every layout of
    death days whose log-rank P prints as reported? Exact: counted over every enumerated layout
    (event_space.merge_effects). The hazard ratio is the Cox model's with Breslow ties, below 1
    exactly when the treated group's observed minus expected deaths is below 0, which the death
    counts alone may settle (identifiability.hazard_ratio_by_counts: then the answer says so, and
    only the RMST difference depends on the days). ``holds`` is True only if both favour the
    treated group in every layout; the answer then says in how many they do not, and how far the
    RMST difference goes, so that a rare exception reads as rare."""
    e = ident["death_days"]["logrank"]["effects"]
    counts = ident["hazard_ratio_by_counts"]
    n = e["layouts"]
    question = "Does it hold for every cohort consistent with the report?"
    analysis = "Cox HR (Breslow ties) and RMST difference over all enumerated layouts"
    if not n:
        return _question(
            "every_cohort",
            question,
            "the hazard ratio and the RMST difference in every death-day layout reproducing the mortality P",
            analysis,
            "no layout reproduces the reported P",
            {"effects": e, "hazard_ratio_by_counts": counts},
            None,
            "not estimable: no layout of death days gives the reported P",
        )
    against = e["rmst_below_zero"] + e["rmst_zero"]
    low, high = printed(e["rmst_difference_min"], 3), printed(e["rmst_difference_max"], 2)
    rmst = (
        f"the RMST difference is above 0 (more days alive in the {treated} group) in every one ({low} to {high} days)"
        if not against
        else f"the RMST difference is above 0 (more days alive in the {treated} group) in all but {against:,} "
        f"({_share_words(against, n)}), in which it is zero or below, down to {low} days (range {low} to {high} days)"
    )
    holds = not against and not e["hr_not_below_one"]
    lead = "yes" if holds else "in almost every one, not in all" if against + e["hr_not_below_one"] < n / 2 else "no"
    return _question(
        "every_cohort",
        question,
        "whether the hazard ratio stays below 1 and the RMST difference above 0 in every layout of death days "
        "that reproduces the published counts and mortality P",
        analysis,
        f"all {n:,} layouts of death days whose log-rank P prints as reported",
        {"effects": e, "hazard_ratio_by_counts": counts},
        holds,
        f"{lead}: of the {n:,} layouts, {hazard_ratio_words(e, counts, n, treated)}; {rmst}",
    )


def robustness_answers(robust: dict[str, Any]) -> list[dict[str, Any]]:
    """The reviewer's questions, in table order, each answered (see the module docstring)."""
    alpha = robust["settings"]["alpha"]
    horizon = robust["settings"]["horizon_days"]
    d, v = robust["survival"], robust["vent_free_survival"]
    risk, cox, rmst, frag, ev = d["risk"], d["cox"], d["rmst"], d["fragility"], d["e_value"]
    this = "this cohort"
    arm_name = dict(zip(("treated", "control"), robust["settings"]["arms"]))
    treated, control = arm_name["treated"], arm_name["control"]
    probable = robust["settings"]["bayes"]["probable_at"]
    answers = []
    holds, answer = _ratio_answer(risk["risk_ratio"], treated)
    answers.append(
        _question(
            "mortality_lower",
            f"Is {horizon}-day mortality lower in the {treated} group than in the {control} group?",
            "whether the risk ratio's interval excludes 1",
            "risk ratio, log (Katz) interval",
            this,
            {"risk_ratio": risk["risk_ratio"]},
            holds,
            answer,
        )
    )
    rd = risk["risk_difference"]
    side = _interval_side(rd, 0.0)
    answers.append(
        _question(
            "difference_size",
            "How large is the difference?",
            "the risk difference and whether its interval excludes 0",
            "risk difference, Newcombe interval",
            this,
            {"risk_difference": rd},
            side == "below",
            {
                "below": f"a lower risk of death in the {treated} group: the whole interval lies below 0",
                "includes": "not shown: the interval includes 0",
                "above": f"a higher risk of death in the {treated} group: the whole interval lies above 0",
            }[side],
        )
    )
    fisher_p = frag["p_value_start"]
    odds = risk["odds_ratio"]
    answers.append(
        _question(
            "exact_test",
            "Is the difference significant by an exact test too?",
            f"whether Fisher's exact P is below alpha = {alpha}",
            "Fisher's exact test; odds ratio, exact conditional interval",
            this,
            {"fisher_p": fisher_p, "odds_ratio": odds},
            fisher_p < alpha,
            f"yes at alpha = {alpha}: Fisher's P = {printed(fisher_p, 3)} (a different P from the log-rank one)"
            if fisher_p < alpha
            else f"no: Fisher's P = {printed(fisher_p, 3)} is not below alpha = {alpha}",
        )
    )
    if frag["fragility_index"] is not None:
        arm = arm_name[frag["modified_arm"]]
        frag_answer = (
            f"Fisher's exact test loses significance when {frag['fragility_index']} patients of the {arm} group "
            "fare otherwise"
        )
    elif frag["reverse_fragility_index"] is not None:
        frag_answer = (
            f"fragility index undefined (Fisher's exact test not significant); {frag['reverse_fragility_index']} "
            f"patients of the {arm_name[frag['reverse_modified_arm']]} group faring otherwise would make it "
            "significant (reverse index)"
        )
    else:
        frag_answer = f"not estimable: {missing_words(frag)}"
    answers.append(
        _question(
            "fragility",
            "How many patients would have to fare otherwise?",
            "the fewest changed outcomes that reverse the significance of Fisher's test",
            "fragility index [@walsh2014] or reverse fragility index [@khan2020]",
            this,
            {"fragility": frag},
            None,
            frag_answer,
        )
    )
    if ev.get("e_value") is not None:
        ev_answer = (
            f"a confounder tied to both treatment and death by a risk ratio of {printed(ev['e_value'], 1)} each could "
            f"explain away the estimate; "
            + (
                f"one of {printed(ev['e_value_ci'], 2)} could move the interval to include 1"
                if ev["ci_limit_nearer_null"] is not None
                else "the interval already includes 1"
            )
        )
    else:
        ev_answer = f"not estimable: {reason_words(ev)}"
    answers.append(
        _question(
            "confounding",
            "How strong would unmeasured confounding have to be?",
            "the E-values of the risk ratio and of its interval limit nearer 1",
            "E-value [@vanderweele2017]",
            this,
            {"e_value": ev},
            None,
            ev_answer,
        )
    )
    holds, answer = _ratio_answer(cox, treated, "hazard_ratio")
    answers.append(
        _question(
            "time_to_event",
            "Does the time-to-event analysis agree?",
            "whether the Cox hazard ratio's interval excludes 1",
            "Cox model, Efron ties",
            this,
            {"cox": {k: cox[k] for k in ("hazard_ratio", "ci_lower", "ci_upper", "p_value")}},
            holds,
            answer,
        )
    )
    ph = cox["ph_test"]
    ph_holds = None if ph["p_value"] is None else ph["p_value"] >= alpha
    answers.append(
        _question(
            "proportional_hazards",
            "Are hazards proportional?",
            f"whether the test's P is at least alpha = {alpha}",
            "score test of an added treatment x g(t) term, g the Kaplan-Meier transform of time "
            f"({ph['time_transform']!r}, as R's cox.zph), on the cohort's event days",
            this,
            {"ph_test": ph},
            ph_holds,
            f"not estimable: {missing_words(ph)}"
            if ph_holds is None
            else "no evidence against"
            if ph_holds
            else "evidence against proportional hazards",
        )
    )
    side = _interval_side(rmst, 0.0)
    answers.append(
        _question(
            "rmst",
            f"How many days alive by day {horizon}, group against group?",
            "whether the RMST difference's interval excludes 0",
            "restricted mean survival time, asymptotic interval (R survRM2)",
            this,
            {"rmst": rmst},
            side == "above",
            {
                "above": f"more days alive in the {treated} group",
                "includes": "not shown: the interval includes 0",
                "below": f"fewer days alive in the {treated} group",
            }[side],
        )
    )
    for name, post in d["bayes"]["priors"].items():
        convinced = post["p_rr_below_1"] >= probable
        answers.append(
            _question(
                f"bayes_{name}",
                f"Under the {name.replace('_', ' ')} prior, is a lower risk in the {treated} group probable "
                f"(P(RR < 1) at least {probable:g})?",
                f"whether the posterior probability of RR < 1 reaches {probable:g}, the level this document calls "
                "probable",
                "posterior of the risk ratio (normal prior on log RR; control risk uniform on its allowed range)",
                this,
                {
                    "p_rr_below_1": post["p_rr_below_1"],
                    "p_rr_below_threshold": post["p_rr_below_threshold"],
                    "threshold_rr": d["bayes"]["threshold_rr"],
                    "median": post["median"],
                    "ci_lower": post["ci_lower"],
                    "ci_upper": post["ci_upper"],
                },
                convinced,
                "yes" if convinced else "no",
            )
        )
    answers.append(prior_sensitivity(d["bayes"], probable))
    holds, answer = _ratio_answer(v["risk"]["risk_ratio"], treated)
    answers.append(
        _question(
            "vent_free",
            f"Is the risk of ventilation or death lower in the {treated} group too?",
            "whether the risk ratio of ventilation or death excludes 1",
            "risk ratio, log (Katz) interval",
            this,
            {"risk_ratio": v["risk"]["risk_ratio"]},
            holds,
            answer,
        )
    )
    return answers


def prior_sensitivity(bayes: dict[str, Any], probable: float) -> dict[str, Any]:
    """Does the answer depend on the prior? The range of the posterior P(RR < 1) over the
    priors (with the prior giving each end), and under how many priors it exceeds 0.5 (a lower risk
    more likely than not) and reaches ``probable`` (the config's ``probable_at``, the level the
    document calls probable). ``holds``: True when every prior reaches it (a lower risk is probable
    whichever prior a reader holds), False otherwise."""
    probs = {name: post["p_rr_below_1"] for name, post in bayes["priors"].items()}
    words = {name: name.replace("_", " ") for name in probs}
    low, high = min(probs, key=probs.get), max(probs, key=probs.get)
    level = probable
    likely = sorted(n for n, p in probs.items() if p > 0.5)
    convinced = sorted(n for n, p in probs.items() if p >= level)
    total = len(probs)
    holds = len(convinced) == total
    if total == 1:
        spread = f"the one prior gives P(RR < 1) = {printed(probs[low], 3)}"
    else:
        spread = (
            f"P(RR < 1) runs from {printed(probs[low], 3)} ({words[low]} prior) to {printed(probs[high], 3)} "
            f"({words[high]} prior)"
        )
    answer = (
        (f"hardly: every prior brings P(RR < 1) to {level:g} or more; " if holds else "it does: ")
        + f"{spread}; it exceeds 0.5 under {len(likely)} of the {total} priors and reaches {level:g} under "
        f"{len(convinced)} of the {total}"
    )
    return _question(
        "prior_sensitivity",
        "Does the answer depend on the prior?",
        f"the range of the posterior P(RR < 1) over the priors; under how many it exceeds 0.5 and reaches {level:g}",
        "posterior of the risk ratio under every prior of the configuration",
        "this cohort",
        {
            "p_rr_below_1": probs,
            "lowest": low,
            "highest": high,
            "above_half": likely,
            "reaching_level": convinced,
            "level": level,
            "priors": total,
        },
        holds,
        answer,
    )


def robustness_results(numbers: dict[str, Any]) -> dict[str, Any]:
    """robustness.json: the numbers of robustness.robustness_numbers and the answers about this cohort."""
    return {**numbers, "answers": robustness_answers(numbers)}


def answers_with_every_cohort(robust: dict[str, Any], ident: dict[str, Any]) -> list[dict[str, Any]]:
    """The cohort's answers in table order, with the answer about every cohort consistent with the
    report (from identifiability.json's death-day layouts: it depends on the published numbers
    only) before the last."""
    answers = robust["answers"]
    return answers[:-1] + [every_cohort_answer(ident, robust["settings"]["arms"][0])] + answers[-1:]

"""The Quarto manuscript's metadata file: every number its prose quotes, already printed.

The manuscript runs no code. Every number in its text is a ``{{< meta ... >}}`` shortcode
resolved from the YAML written here; its tables are includes of files written by ``tables``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .event_days import days_moved, event_day_table
from .jsonio import write_yaml
from .labels import EVIDENCE_NAMES, TWO_SIDED, arm_name, claim_label, outcome_name
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
    "fisher_exact": "Fisher's exact test",
    "barnard_exact": "Barnard's exact test",
    "boschloo_exact": "Boschloo's exact test",
}
RULE_WORDS = {"half_up": "rounded half up", "half_even": "rounded half to even", "truncate": "truncated"}
ENDPOINT_WORDS = {"survival": "deaths", "vent_free_survival": "ventilation-free survival"}


def _convention(test: dict[str, Any], decimals: int) -> str:
    """For a test whose two-sided P depends on a convention (Boschloo's), that convention and the
    P under the other one, as the analysis computed it; otherwise nothing."""
    if "p_fisher_ordering" not in test:
        return ""
    return (
        f", two-sided as {TWO_SIDED[test['two_sided']]}; ordering the tables by Fisher's two-sided P instead gives "
        f"{printed(test['p_fisher_ordering'], decimals)}"
    )


def which_test_metadata(ident: dict[str, Any]) -> dict[str, str]:
    """The "Which test?" paragraph's statements, generated from the verdicts of the test table
    (identifiability.json's ``which_test``), so that they stay true for other published numbers."""
    reported = {r["endpoint"]: r["reported"] for r in ident["tests"]}
    out: dict[str, str] = {}
    for endpoint, verdicts in ident["which_test"].items():
        decimals = len(reported[endpoint].split(".")[1]) + 2
        shown = lambda t, k=decimals: f"{TEST_WORDS[t['test']]} (P = {printed(t['p'], k)}{_convention(t, k)})"  # noqa: E731
        parts = []
        if verdicts["match"]:
            parts.append(
                f"{_and([shown(t) for t in verdicts['match']])} print{'s' * (len(verdicts['match']) == 1)} "
                f"as the reported {reported[endpoint]} when rounded half up"
            )
        for t in verdicts["match_other_rounding"]:
            parts.append(f"{shown(t)} prints so only when {' or '.join(RULE_WORDS[r] for r in t['rules'])}")
        if verdicts["mismatch"]:
            parts.append(
                f"{_and([shown(t) for t in verdicts['mismatch']])} "
                f"{'does' if len(verdicts['mismatch']) == 1 else 'do'} not print so under any of these roundings"
            )
        for t in verdicts["not_checkable"]:
            parts.append(f"{TEST_WORDS[t['test']]} is not defined here")
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


def _prior_line(name: str, posterior: dict[str, Any], threshold_rr: float) -> str:
    """One line defining a prior from its config values (centre and the probability of a stated
    effect), with its P(RR < 1) and P(RR < threshold) as integrated from the joint prior."""
    prior = posterior["prior"]
    side = "below" if prior["effect_rr"] < prior["centre_rr"] else "above"
    return (
        f"*{name.replace('_', ' ')}*: centred on a risk ratio of {printed(prior['centre_rr'], 2)}, with prior "
        f"probability {printed(prior['probability'], 3)} of a risk ratio {side} {printed(prior['effect_rr'], 2)} "
        f"(normal on log RR, SD {printed(prior['sd_log_rr'], 2)}; prior P(RR < 1) = "
        f"{printed(posterior['prior_p_rr_below_1'], 2)}, P(RR < {printed(threshold_rr, 2)}) = "
        f"{printed(posterior['prior_p_rr_below_threshold'], 3)})"
    )


def _nnt_sentence(nnt: dict[str, Any], confidence: str) -> str:
    """The NNT as a reader expects it: NNTB or NNTH rounded up, the interval through infinity
    when the risk difference's interval includes 0 (Altman 1998)."""
    up = nnt["rounded_up"]
    if nnt["estimate"] is None:
        return "the risks are equal, so the number needed to treat is infinite"
    words = {"NNTB": "to benefit (NNTB)", "NNTH": "to harm (NNTH)"}[nnt["label"]]
    if nnt["interval_bounded"]:
        return (
            f"the number needed to treat {words} is {up['estimate']} ({confidence}% CI {up['ci_lower']} to "
            f"{up['ci_upper']}; rounded up)"
        )
    ends = [
        f"NNTB {up['nntb_limit']}" if up["nntb_limit"] else None,
        "infinity",
        f"NNTH {up['nnth_limit']}" if up["nnth_limit"] else None,
    ]
    low, high = (x for x in (ends[0] or "infinity", ends[2] or "infinity"))
    return (
        f"the number needed to treat {words} is {up['estimate']} (rounded up); the difference is not "
        f"significant, so its {confidence}% CI runs from {low} through infinity to {high}"
    )


def _endpoint_metadata(r: dict[str, Any], confidence: str) -> dict[str, Any]:
    """Printed numbers and generated sentences of one endpoint; not estimable ones in words."""
    risk, cox, rmst, frag, ev = r["risk"], r["cox"], r["rmst"], r["fragility"], r["e_value"]
    interval = lambda x, k=2: printed_range(x["ci_lower"], x["ci_upper"], k)  # noqa: E731
    rr, odds = risk["risk_ratio"], risk["odds_ratio"]
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
        "nnt_sentence": _nnt_sentence(risk["nnt"], confidence),
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
            f"× g(t), g the Kaplan-Meier transform of time) on the cohort's event days (on the reconstruction, the "
            f"assumed ones), give P = "
            f"{printed(ph['p_value'], 2)}."
            if ph["p_value"] is not None
            else f"proportional hazards cannot be tested ({reason_words(ph)})."
        )
    else:
        out["cox_sentence"] = f"The Cox hazard ratio is not estimable: {reason_words(cox)}."
    if frag["fragility_index"] is not None:
        out["fragility_sentence"] = (
            f"The comparison loses significance when {frag['fragility_index']} patients of the arm with fewer events "
            f"have the event instead: a fragility index of {frag['fragility_index']} [@walsh2014] and a fragility "
            f"quotient of {printed(frag['fragility_quotient'], 3)} [@ahmed2016]."
        )
    elif frag["reverse_fragility_index"] is not None:
        out["fragility_sentence"] = (
            f"The comparison is not significant, so the fragility index is undefined; "
            f"{frag['reverse_fragility_index']} patients faring otherwise in one arm would make it significant "
            f"(the reverse fragility index)."
        )
    else:
        out["fragility_sentence"] = f"No fragility index can be given: {missing_words(frag)}."
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
            "p_benefit": printed(p["p_rr_below_1"], 3),
            "p_threshold": printed(p["p_rr_below_threshold"], 3),
            "rr": printed(p["median"], 2),
            "rr_ci": interval(p),
        }
        for name, p in r["bayes"]["priors"].items()
    }
    return out


def robustness_metadata(robust: dict[str, Any], ident: dict[str, Any]) -> dict[str, Any]:
    """The numbers and generated sentences of the section on how robust the finding is."""
    settings = robust["settings"]
    confidence = printed(100 * (1 - settings["alpha"]), 0)
    answers = {a["id"]: a for a in answers_with_every_cohort(robust, ident)}
    bayes = robust["survival"]["bayes"]
    priors = {name: p["prior"] for name, p in bayes["priors"].items()}
    sensitivity = answers["prior_sensitivity"]["answer"]
    out: dict[str, Any] = {
        "settings": {
            "threshold_rr": printed(bayes["threshold_rr"], 2),
            "grid_points": f"{bayes['grid_points']:,}",
            "priors": str(len(priors)),
        },
        "prior_lines": "; ".join(_prior_line(name, p, bayes["threshold_rr"]) for name, p in bayes["priors"].items()),
        "prior_sensitivity": sensitivity[:1].upper() + sensitivity[1:],
        "bayes_summary": "; ".join(
            f"{name.replace('_', ' ')}: P(RR < 1) = {p['bayes'][name]['p_benefit']}, P(RR < "
            f"{printed(bayes['threshold_rr'], 2)}) = {p['bayes'][name]['p_threshold']}, posterior median RR "
            f"{p['bayes'][name]['rr']} ({p['bayes'][name]['rr_ci']})"
            for p in [_endpoint_metadata(robust["survival"], confidence)]
            for name in priors
        ),
        "every_cohort": answers["every_cohort"]["answer"][:1].upper() + answers["every_cohort"]["answer"][1:],
    }
    for endpoint in ("survival", "vent_free_survival"):
        out[endpoint] = _endpoint_metadata(robust[endpoint], confidence)
    vf = answers["vent_free"]
    out["vent_free_sentence"] = (
        "a benefit is shown"
        if vf["holds"]
        else "no benefit is shown"
        if vf["holds"] is False
        else "nothing can be said"
    )
    out["summary"] = _summary(answers)
    return out


def _summary(answers: dict[str, dict[str, Any]]) -> str:
    """The closing sentence of the section, from the computed answers (true for any cohort)."""
    checks = [
        ("mortality_lower", "the risk ratio's interval excludes 1", "the risk ratio's interval does not exclude 1"),
        (
            "exact_test",
            "an exact test is also significant (at the same level, not with the same P)",
            "an exact test is not significant",
        ),
        ("time_to_event", "the Cox model agrees", "the Cox model does not agree"),
        ("rmst", "the restricted mean survival time agrees", "the restricted mean survival time does not agree"),
        (
            "bayes_sceptical",
            "a sceptical prior still makes a lower risk probable",
            "a sceptical prior does not make a lower risk probable",
        ),
        (
            "every_cohort",
            "every layout of death days consistent with the report agrees",
            "not every layout of death days consistent with the report agrees on every measure",
        ),
    ]
    passed = [yes for qid, yes, _ in checks if qid in answers and answers[qid]["holds"]]
    failed = [no for qid, _, no in checks if qid in answers and answers[qid]["holds"] is False]
    frag = answers["fragility"]["numbers"]["fragility"]
    text = []
    if passed:
        text.append("For mortality, " + _and(passed))
    if failed:
        text.append(("but " if passed else "for mortality, ") + _and(failed))
    if frag["fragility_index"] is not None:
        text.append(f"the result turns non-significant when {frag['fragility_index']} patients fare otherwise")
    text.append(
        "being a non-randomised comparison, it cannot exclude confounding "
        "(see the E-values); only a randomised comparison can settle it"
    )
    sentence = "; ".join(text) + "."
    return sentence[0].upper() + sentence[1:]


def cohort_metadata(numbers: dict[str, Any], claims: list[dict[str, Any]], name: str) -> dict[str, Any]:
    """Which cohort this document describes, in words: the reconstruction or a user's file, its
    hash, and its arm sizes beside the published ones (never confused with them)."""
    arms, cohort = numbers["settings"]["arms"], numbers["cohort"]
    sizes = [str(numbers["outcomes"]["enrolled"][arm]["n"]) for arm in arms]
    published = [
        c["value"] for arm in arms for c in claims if (c["outcome"], c["arm"], c["kind"]) == ("enrolled", arm, "n")
    ]
    same = sizes == published
    if cohort["is_reconstruction"]:
        what = (
            "the reconstructed cohort shipped with this package, built from the published numbers "
            "and stated assumptions, not the study's data"
        )
    else:
        what = "a cohort supplied by the user, not the reconstruction shipped with this package"
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
        "what": what,
        "kind": "a reconstructed cohort" if cohort["is_reconstruction"] else "a user-supplied cohort",
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
    if read.get("dates"):
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
    beyond = horizon_sentence(read.get("censored_at_horizon", {}), settings)
    return "; ".join(parts) + "; " + ending + (" " + beyond if beyond else "")


def horizon_sentence(censored: dict[str, dict[str, int]], settings: dict[str, Any]) -> str:
    """Per arm, how many patients had an event or follow-up recorded after the horizon, censored
    there as an analysis at that day does, and why (the input report's ``censored_at_horizon``);
    nothing when there are none."""
    day = settings["horizon_days"]
    reasons = {
        "death": lambda k: (
            f"{_plural(k, 'death', 'deaths')} after day {day}, counted as "
            f"{'a survivor' if k == 1 else 'survivors'} followed to day {day}"
        ),
        "mech_vent": lambda k: (
            f"{_plural(k, 'ventilation', 'ventilations')} started after day {day}, counted as not ventilated by then"
        ),
        "followup": lambda k: f"{_plural(k, 'survivor', 'survivors')} followed beyond day {day}, cut at day {day}",
    }
    per_arm = [
        f"{_plural(c['patients'], 'patient', 'patients')} in the {arm_name(arm).lower()} arm ("
        + "; ".join(words(c[key]) for key, words in reasons.items() if c[key])
        + ")"
        for arm in settings["arms"]
        for c in [censored.get(arm)]
        if c and c["patients"]
    ]
    if not per_arm:
        return ""
    return (
        f"What the file records after day {day} is censored at day {day}, as an analysis at that day does: "
        f"{_and(per_arm)}."
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
        f"Qualitative statements (@tbl-statements: {names}) are listed but cannot be checked without data "
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
        "statements_sentence": statements_sentence(rows),
        "statements": statements_count(rows),
        "robustness_opening": (
            "The verification shows that the reported numbers are consistent"
            if not items
            else f"On this cohort {s['numeric'] - s['matching']} of the {s['numeric']} reported numbers are not "
            "reproduced (@sec-verification), so the analyses below describe this cohort, not the published study"
        ),
    }


def _built_in_sentence(rows: list[dict[str, Any]], numbers: dict[str, Any]) -> str:
    """How much of the reconstruction's agreement was built in, class by class, in plain words."""
    counts = evidence_counts(rows)
    settings = numbers["settings"]
    moved = event_day_table(numbers["relations"], settings["arms"], settings["horizon_days"])
    fitted_moved = sum(
        days_moved(moved, r["outcome"]) for r in rows if r["evidence"] == "fitted" and r["verdict"] in MATCHING
    )
    parts = {
        "by_construction": f"{_plural(counts['by_construction'], 'number was', 'numbers were')} built into the "
        "cohort when it was made",
        "derived": f"{counts['derived']} follow{'s' * (counts['derived'] == 1)} from those by arithmetic",
        "assumed_days": f"{_plural(counts['assumed_days'], 'log-rank P follows', 'log-rank P values follow')} from "
        "event days placed by a fixed rule without moving any",
        "fitted": f"{_plural(counts['fitted'], 'log-rank P', 'log-rank P values')} needed event days moved "
        f"({_plural(fitted_moved, 'day', 'days')} in all; @tbl-event-days)",
    }
    shown = [text for label, text in parts.items() if counts[label]]
    return f"Of these matches, {_and(shown)}." if shown else ""


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
    """Which simpler tests of the 2x2 table cannot have given the reported P values (from the test table)."""
    endpoint_words = {"survival": "mortality", "vent_free_survival": "ventilation-free survival"}
    parts = [
        f"{_and([TEST_WORDS[t['test']] for t in verdicts['mismatch']])} cannot have given the reported "
        f"{endpoint_words[endpoint]} P"
        for endpoint, verdicts in ident["which_test"].items()
        if verdicts["mismatch"]
    ]
    if not parts:
        return ""
    sentence = "; ".join(parts)
    return sentence[0].upper() + sentence[1:] + " (@tbl-p-value-tests)."


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


def bottom_line_metadata(
    rows: list[dict[str, Any]], claims: list[dict[str, Any]], numbers: dict[str, Any], ident: dict[str, Any]
) -> dict[str, str]:
    """The bottom line of the document's first screen and the abstract's verdict, from the results.

    On the reconstruction it leads with consistency, says how much of the agreement was built in,
    and gives the shares of the layouts the report allows; it says that the study's data were not
    checked. On any other cohort it leads with how many reported numbers the data reproduce, and
    which not. No count of matches stands without what it means."""
    s = summary(rows)
    items = _mismatch_items(rows, claims)
    arms = numbers["settings"]["arms"]
    sizes = " and ".join(str(numbers["outcomes"]["enrolled"][arm]["n"]) for arm in arms)
    missing = f" {_plural(len(items), 'number does', 'numbers do')} not: {_first_few(items)}." if items else ""
    allowed = _identifiability_sentence(ident, numbers["settings"]["horizon_days"])
    if numbers["cohort"]["is_reconstruction"]:
        shows = (
            f"The numbers reported by @cavalli2020 are consistent with one another: a cohort of {sizes} patients "
            f"can give {s['matching']} of the {s['numeric']} reported numbers, and this package builds one.{missing} "
            + _built_in_sentence(rows, numbers)
        )
        allow = " ".join(filter(None, [allowed, _tests_sentence(ident)]))
        not_shown = "The study's own patient data were not available, so none of this checks them. " + NOT_SHOWN
        abstract = (
            f"The published numbers are consistent with one another: the reconstructed cohort gives "
            f"{s['matching']} of the {s['numeric']} reported numbers, {evidence_counts(rows)['by_construction']} of "
            f"them because it was built to give them (@tbl-evidence).{missing} {allowed} "
            "The study's own data were not checked."
        )
    else:
        shows = (
            f"The data of this cohort ({sizes} patients) reproduce {s['matching']} of the {s['numeric']} numbers "
            f"reported by @cavalli2020: each prints as the study printed it.{missing}"
        )
        allow = ""
        not_shown = NOT_SHOWN
        abstract = f"The data reproduce {s['matching']} of the {s['numeric']} reported numbers.{missing}"
    return {"shows": shows, "allow": allow, "not_shown": not_shown, "abstract": abstract}


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
) -> dict[str, Any]:
    """Everything the manuscript's prose reads through ``{{< meta ... >}}``."""
    settings = numbers["settings"]
    return {
        "robustness": robustness_metadata(robust, ident),
        "which_test": which_test_metadata(ident),
        "identifiability": identifiability_metadata(ident),
        "numbers": printed_numbers(numbers, settings["arms"]),
        "relations": relations_sentences(numbers, settings["arms"]),
        "reported": {c["id"]: c["value"] for c in claims},
        "verification": verification_metadata(rows, claims),
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
) -> None:
    """Write the metadata file that the manuscript's ``metadata-files`` names."""
    write_yaml(manuscript_metadata(numbers, rows, claims, name, ident, robust), path)

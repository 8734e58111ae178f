"""The Quarto manuscript's metadata file: every number its prose quotes, already printed.

The manuscript runs no code. Every number in its text is a ``{{< meta ... >}}`` shortcode
resolved from the YAML written here; its tables are includes of files written by ``tables``.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from .jsonio import write_yaml
from .outcomes import BINARY_OUTCOMES, ENDPOINTS
from .rounding import printed, printed_range
from .verify import summary

def printed_numbers(numbers: dict[str, Any], arms: list[str]) -> dict[str, Any]:
    """The numbers the prose quotes, as strings printed at a reader's precision."""
    o = numbers["outcomes"]
    result: dict[str, Any] = {}
    for outcome in BINARY_OUTCOMES:
        result[outcome] = {arm: {"count": str(o[outcome][arm]["count"]), "n": str(o[outcome][arm]["n"]),
                                 "percent": printed(o[outcome][arm]["percent"], 1),
                                 "ci": f"{printed(o[outcome][arm]['ci_lower_percent'], 1)} to "
                                       f"{printed(o[outcome][arm]['ci_upper_percent'], 1)}"} for arm in arms}
    for endpoint in ENDPOINTS:
        result[endpoint] = {arm: {"percent": printed(o[endpoint][arm]["percent"], 1),
                                  "ci": f"{printed(100 * o[endpoint][arm]['ci_lower'], 1)} to "
                                        f"{printed(100 * o[endpoint][arm]['ci_upper'], 1)}",
                                  "events": str(o[endpoint][arm]["events"])} for arm in arms}
        result[endpoint]["p_value"] = printed(o[endpoint]["both"]["p_value"], 4)
        result[endpoint]["chi2"] = printed(o[endpoint]["both"]["chi2"], 2)
    result["n"] = {arm: str(o["enrolled"][arm]["n"]) for arm in arms}
    result["n"]["all"] = str(sum(o["enrolled"][arm]["n"] for arm in arms))
    result["age_mean"] = {g: printed(v["mean"], 1) for g, v in o["age_years"].items()}
    result["relations"] = {arm: {k: str(v).lower() for k, v in r.items()} for arm, r in numbers["relations"].items()}
    result["implied"] = {arm: {k: ", ".join(map(str, v)) if isinstance(v, list) else str(v).lower()
                               for k, v in r.items() if k != "counts"} for arm, r in numbers["implied"].items()}
    return result


def identifiability_metadata(ident: dict[str, Any]) -> dict[str, Any]:
    """The numbers of the section on what the published numbers allow, printed."""
    space, joint = ident["death_days"], ident["vent_free"]
    tests = {(r["endpoint"], r["test"]): r for r in ident["tests"]}
    percent = lambda x: printed(100 * x, 1)  # noqa: E731 - a share as a percentage
    return {
        "deaths": {"anakinra": str(ident["counts"]["deaths"][0]), "standard": str(ident["counts"]["deaths"][1])},
        "layouts": f"{space['layouts']:,}",
        "joint_layouts": "{} × 10^{}^".format(*f"{ident['counts']['joint_layouts']:.1e}".replace("e+", "e").split("e")),
        "layouts_anakinra": f"{space['layouts_per_arm'][0]:,}", "layouts_standard": f"{space['layouts_per_arm'][1]:,}",
        "death_p": space["reported_p"],
        "logrank_hits": f"{space['logrank']['printing_as_reported']:,}",
        "logrank_percent": percent(space["logrank"]["fraction"]),
        "logrank_p_min": printed(space["logrank"]["p_min"], 4), "logrank_p_max": printed(space["logrank"]["p_max"], 4),
        "cox_score_percent": percent(space["cox_score"]["fraction"]),
        "borderline": str(space["borderline"]),
        "mc_kept": f"{joint['kept']:,}", "mc_tried": f"{joint['tried']:,}",
        "mc_acceptance_percent": percent(joint["acceptance"]),
        "vf_percent": percent(joint["logrank"]["fraction"]),
        "vf_ci": " to ".join(printed(100 * x, 2) for x in joint["logrank"]["fraction_ci"]),
        "vf_p_min": printed(joint["logrank"]["p_min"], 3), "vf_p_max": printed(joint["logrank"]["p_max"], 3),
        "pearson_death_p": printed(tests[("survival", "pearson_chi2")]["p_min"], 4),
        "pearson_death_printed": printed(tests[("survival", "pearson_chi2")]["p_min"], 3),
        "fisher_death_p": printed(tests[("survival", "fisher_exact")]["p_min"], 4),
    }


def _and(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


TEST_WORDS = {"pearson_chi2": "the uncorrected Pearson chi-square", "pearson_chi2_yates": "the Yates-corrected chi-square",
              "fisher_exact": "Fisher's exact test", "barnard_exact": "Barnard's exact test",
              "boschloo_exact": "Boschloo's exact test"}
RULE_WORDS = {"half_up": "rounded half up", "half_even": "rounded half to even", "truncate": "truncated"}
ENDPOINT_WORDS = {"survival": "deaths", "vent_free_survival": "ventilation-free survival"}


def which_test_metadata(ident: dict[str, Any]) -> dict[str, str]:
    """The "Which test?" paragraph's statements, generated from the verdicts of the test table
    (identifiability.json's ``which_test``), so that they stay true for other published numbers."""
    reported = {r["endpoint"]: r["reported"] for r in ident["tests"]}
    out: dict[str, str] = {}
    for endpoint, verdicts in ident["which_test"].items():
        decimals = len(reported[endpoint].split(".")[1]) + 2
        shown = lambda t, k=decimals: f"{TEST_WORDS[t['test']]} (P = {printed(t['p'], k)})"  # noqa: E731
        parts = []
        if verdicts["match"]:
            parts.append(f"{_and([shown(t) for t in verdicts['match']])} print{'s' * (len(verdicts['match']) == 1)} "
                         f"as the reported {reported[endpoint]} when rounded half up")
        for t in verdicts["match_other_rounding"]:
            parts.append(f"{shown(t)} prints so only when {' or '.join(RULE_WORDS[r] for r in t['rules'])}")
        if verdicts["mismatch"]:
            parts.append(f"{_and([shown(t) for t in verdicts['mismatch']])} "
                         f"{'does' if len(verdicts['mismatch']) == 1 else 'do'} not print so under any of these roundings")
        for t in verdicts["not_checkable"]:
            parts.append(f"{TEST_WORDS[t['test']]} is not defined here")
        text = "; ".join(parts)
        out[endpoint] = f"For {ENDPOINT_WORDS[endpoint]} (reported P = {reported[endpoint]}), {text}."
    chi = {e: any(t["test"] == "pearson_chi2" for t in v["match"] + v["match_other_rounding"])
           for e, v in ident["which_test"].items()}
    yes = [ENDPOINT_WORDS[e] for e, ok in chi.items() if ok]
    no = [ENDPOINT_WORDS[e] for e, ok in chi.items() if not ok]
    out["chi_square"] = ("By the verification's own rules, the uncorrected chi-square therefore reproduces "
                         + (f"the P of {_and(yes)}" if yes else "neither P")
                         + (f" but not that of {_and(no)}." if yes and no else "."))
    return out


def _prior_line(name: str, prior: dict[str, Any]) -> str:
    """One line defining a prior from its config values: centre and the probability of a stated effect."""
    side = "below" if prior["effect_rr"] < prior["centre_rr"] else "above"
    return (f"*{name.replace('_', ' ')}*: centred on a risk ratio of {printed(prior['centre_rr'], 2)}, with prior "
            f"probability {printed(prior['probability'], 3)} of a risk ratio {side} {printed(prior['effect_rr'], 2)} "
            f"(normal on log RR, SD {printed(prior['sd_log_rr'], 2)})")


def _nnt_sentence(nnt: dict[str, Any], confidence: str) -> str:
    """The NNT as a reader expects it: NNTB or NNTH rounded up, the interval through infinity
    when the risk difference's interval includes 0 (Altman 1998)."""
    up = nnt["rounded_up"]
    if nnt["estimate"] is None:
        return "the risks are equal, so the number needed to treat is infinite"
    words = {"NNTB": "to benefit (NNTB)", "NNTH": "to harm (NNTH)"}[nnt["label"]]
    if nnt["interval_bounded"]:
        return (f"the number needed to treat {words} is {up['estimate']} ({confidence}% CI {up['ci_lower']} to "
                f"{up['ci_upper']}; rounded up)")
    ends = [f"NNTB {up['nntb_limit']}" if up["nntb_limit"] else None, "infinity",
            f"NNTH {up['nnth_limit']}" if up["nnth_limit"] else None]
    low, high = (x for x in (ends[0] or "infinity", ends[2] or "infinity"))
    return (f"the number needed to treat {words} is {up['estimate']} (rounded up); the difference is not "
            f"significant, so its {confidence}% CI runs from {low} through infinity to {high}")


def _endpoint_metadata(r: dict[str, Any], confidence: str) -> dict[str, Any]:
    """Printed numbers and generated sentences of one endpoint; not estimable ones in words."""
    risk, cox, rmst, frag, ev = r["risk"], r["cox"], r["rmst"], r["fragility"], r["e_value"]
    interval = lambda x, k=2: printed_range(x["ci_lower"], x["ci_upper"], k)  # noqa: E731
    rr, odds = risk["risk_ratio"], risk["odds_ratio"]
    out: dict[str, Any] = {
        "rr_sentence": (f"risk ratio {printed(rr['estimate'], 2)} ({confidence}% CI {interval(rr)}; log interval"
                        + ("; 0.5 added to every cell because of a zero cell" if "continuity_correction" in rr else "")
                        + ")") if rr["estimate"] is not None else f"the risk ratio is not estimable ({rr['reason']})",
        "rd": printed(100 * risk["risk_difference"]["estimate"], 1),
        "rd_ci": printed_range(100 * risk["risk_difference"]["ci_lower"], 100 * risk["risk_difference"]["ci_upper"], 1),
        "or_sentence": (f"odds ratio {printed(odds['conditional_mle'], 2)} ({interval(odds)}; conditional maximum "
                        f"likelihood with exact interval, scipy)") if odds["conditional_mle"] is not None
        and odds["ci_upper"] is not None and odds["ci_lower"] is not None
        else f"the conditional odds ratio is not estimable ({odds.get('reason', '')})",
        "nnt_sentence": _nnt_sentence(risk["nnt"], confidence),
        "fisher_p": printed(frag["p_value_start"], 3),
        "rmst_treated": printed(rmst["treated"], 1), "rmst_control": printed(rmst["control"], 1),
        "rmst_difference": printed(rmst["difference"], 1), "rmst_ci": interval(rmst, 1),
    }
    if cox["hazard_ratio"] is not None:
        ph = cox["ph_test"]
        out["cox_sentence"] = (f"The Cox hazard ratio (lifelines, Efron ties; checked against statsmodels and R in the "
                               f"tests) is {printed(cox['hazard_ratio'], 2)} ({interval(cox)}; Wald P = "
                               f"{printed(cox['p_value'], 3)}); ")
        out["cox_sentence"] += (f"the score test of proportional hazards on scaled Schoenfeld residuals, with the "
                                f"Kaplan-Meier time transform of R's cox.zph, gives P = {printed(ph['p_value'], 2)}."
                                if ph["p_value"] is not None else f"proportional hazards cannot be tested ({ph['reason']}).")
    else:
        out["cox_sentence"] = f"The Cox hazard ratio is not estimable: {cox['reason']}."
    if frag["fragility_index"] is not None:
        out["fragility_sentence"] = (
            f"The comparison loses significance when {frag['fragility_index']} patients of the arm with fewer events "
            f"have the event instead: a fragility index of {frag['fragility_index']} [@walsh2014] and a fragility "
            f"quotient of {printed(frag['fragility_quotient'], 3)} [@ahmed2016].")
    elif frag["reverse_fragility_index"] is not None:
        out["fragility_sentence"] = (
            f"The comparison is not significant, so the fragility index is undefined; "
            f"{frag['reverse_fragility_index']} patients faring otherwise in one arm would make it significant "
            f"(the reverse fragility index).")
    else:
        out["fragility_sentence"] = f"No fragility index can be given: {frag.get('reason', '')}."
    if ev.get("e_value") is not None:
        out["e_value_sentence"] = (
            f"an unmeasured confounder associated with both treatment and the outcome by a risk ratio of "
            f"{printed(ev['e_value'], 1)} each could explain away the observed risk ratio; "
            + (f"one of {printed(ev['e_value_ci'], 2)} would suffice to move its {confidence}% interval to include 1"
               if ev["ci_limit_nearer_null"] is not None else f"its {confidence}% interval already includes 1"))
    else:
        out["e_value_sentence"] = f"no E-value can be given ({ev['reason']})"
    out["bayes"] = {name: {"p_benefit": printed(p["p_rr_below_1"], 3), "p_threshold": printed(p["p_rr_below_threshold"], 3),
                           "rr": printed(p["median"], 2), "rr_ci": interval(p)}
                    for name, p in r["bayes"]["priors"].items()}
    return out


def robustness_metadata(robust: dict[str, Any]) -> dict[str, Any]:
    """The numbers and generated sentences of the section on how robust the finding is."""
    settings = robust["settings"]
    confidence = printed(100 * (1 - settings["alpha"]), 0)
    answers = {a["id"]: a for a in robust["answers"]}
    bayes = robust["survival"]["bayes"]
    priors = {name: p["prior"] for name, p in bayes["priors"].items()}
    out: dict[str, Any] = {
        "settings": {"bootstrap_samples": f"{settings['bootstrap_samples']:,}", "seed": str(settings["seed"]),
                     "threshold_rr": printed(bayes["threshold_rr"], 2), "grid_points": f"{bayes['grid_points']:,}"},
        "prior_lines": "; ".join(_prior_line(name, p) for name, p in priors.items()),
        "bayes_summary": "; ".join(
            f"{name.replace('_', ' ')}: P(RR < 1) = {p['bayes'][name]['p_benefit']}, P(RR < "
            f"{printed(bayes['threshold_rr'], 2)}) = {p['bayes'][name]['p_threshold']}, posterior median RR "
            f"{p['bayes'][name]['rr']} ({p['bayes'][name]['rr_ci']})"
            for p in [_endpoint_metadata(robust["survival"], confidence)] for name in priors),
        "every_cohort": answers["every_cohort"]["answer"][:1].upper() + answers["every_cohort"]["answer"][1:],
    }
    for endpoint in ("survival", "vent_free_survival"):
        out[endpoint] = _endpoint_metadata(robust[endpoint], confidence)
    vf = answers["vent_free"]
    out["vent_free_sentence"] = ("a benefit is shown" if vf["holds"] else
                                 "no benefit is shown" if vf["holds"] is False else "nothing can be said")
    out["summary"] = _summary(answers)
    return out


def _summary(answers: dict[str, dict[str, Any]]) -> str:
    """The closing sentence of the section, from the computed answers (true for any cohort)."""
    checks = [("mortality_lower", "the risk ratio's interval excludes 1", "the risk ratio's interval does not exclude 1"),
              ("exact_test", "an exact test agrees", "an exact test does not agree"),
              ("time_to_event", "the Cox model agrees", "the Cox model does not agree"),
              ("rmst", "the restricted mean survival time agrees", "the restricted mean survival time does not agree"),
              ("bayes_sceptical", "a sceptical prior still makes a lower risk probable",
               "a sceptical prior does not make a lower risk probable"),
              ("every_cohort", "every sampled layout of death days consistent with the report agrees",
               "not every sampled layout of death days consistent with the report agrees on every measure")]
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
    text.append("being a non-randomised comparison, it cannot exclude confounding "
                "(see the E-values); only a randomised comparison can settle it")
    sentence = "; ".join(text) + "."
    return sentence[0].upper() + sentence[1:]


def manuscript_metadata(numbers: dict[str, Any], rows: list[dict[str, Any]], claims: list[dict[str, Any]],
                        settings: dict[str, Any], reconstructed: bool, cohort_path: str,
                        ident: dict[str, Any], robust: dict[str, Any]) -> dict[str, Any]:
    """Everything the manuscript's prose reads through ``{{< meta ... >}}``."""
    s = summary(rows)
    return {
        "robustness": robustness_metadata(robust),
        "which_test": which_test_metadata(ident),
        "identifiability": identifiability_metadata(ident),
        "numbers": printed_numbers(numbers, settings["arms"]),
        "reported": {c["id"]: c["value"] for c in claims},
        "verification": {"numeric": str(s["numeric"]), "matching": str(s["matching"]),
                         **{k: str(v) for k, v in s["counts"].items()},
                         "mismatched": ", ".join(s["mismatched"]) or "none"},
        "settings": {"horizon_days": str(settings["horizon_days"]),
                     "confidence": printed(100 * (1 - settings["alpha"]), 0),
                     "alpha_percent": printed(100 * settings["alpha"], 0),
                     "treated": settings["arms"][0], "control": settings["arms"][1]},
        "software": numbers["software"],
        "cohort": {"path": cohort_path, "reconstructed": reconstructed,
                   "sha256": numbers["inputs"]["cohort"]["sha256"]},
    }


def write_metadata(numbers: dict[str, Any], rows: list[dict[str, Any]], claims: list[dict[str, Any]],
                   reconstructed: bool, cohort_path: str, ident: dict[str, Any], robust: dict[str, Any],
                   path: str | Path) -> None:
    """Write the metadata file that the manuscript's ``metadata-files`` names."""
    metadata = manuscript_metadata(numbers, rows, claims, numbers["settings"], reconstructed, cohort_path, ident, robust)
    write_yaml(metadata, path)

"""The Quarto manuscript's metadata file: every number its prose quotes, already printed.

The manuscript runs no code. Every number in its text is a ``{{< meta ... >}}`` shortcode
resolved from the YAML written here; its tables are includes of files written by ``tables``.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from .jsonio import write_yaml
from .outcomes import ARM_WORDS, BINARY_OUTCOMES, ENDPOINTS, claim_label
from .rounding import printed, printed_range
from .verify import NOT_MATCHING, summary

NOT_ESTIMABLE = "not estimable"


def _printed(value: float | None, decimals: int, scale: float = 1) -> str:
    """A number as the prose prints it; a statistic the data cannot give reads 'not estimable'."""
    return NOT_ESTIMABLE if value is None else printed(scale * value, decimals)


def _interval(low: float | None, high: float | None, decimals: int, scale: float = 1) -> str:
    """'a to b', or 'not estimable' when either limit is missing."""
    return NOT_ESTIMABLE if low is None or high is None else printed_range(scale * low, scale * high, decimals)


def _test_words(test: dict[str, Any]) -> str:
    """The log-rank result in words: 'log-rank chi-square 6.90, P = 0.0086', or why it is missing."""
    if test.get("p_value") is None:
        return f"the log-rank test is not estimable: {test.get('reason', 'no comparison possible')}"
    return f"log-rank chi-square {printed(test['chi2'], 2)}, P = {printed(test['p_value'], 4)}"


def printed_numbers(numbers: dict[str, Any], arms: list[str]) -> dict[str, Any]:
    """The numbers the prose quotes, as strings printed at a reader's precision."""
    o = numbers["outcomes"]
    result: dict[str, Any] = {}
    for outcome in BINARY_OUTCOMES:
        result[outcome] = {arm: {"count": str(x["count"]), "n": str(x["n"]), "percent": _printed(x["percent"], 1),
                                 "ci": _interval(x["ci_lower_percent"], x["ci_upper_percent"], 1)}
                           for arm, x in ((arm, o[outcome][arm]) for arm in arms)}
    for endpoint in ENDPOINTS:
        result[endpoint] = {arm: {"percent": _printed(x["percent"], 1),
                                  "ci": _interval(x["ci_lower"], x["ci_upper"], 1, 100), "events": str(x["events"])}
                            for arm, x in ((arm, o[endpoint][arm]) for arm in arms)}
        result[endpoint]["test"] = _test_words(o[endpoint]["both"])
    result["n"] = {arm: str(o["enrolled"][arm]["n"]) for arm in arms}
    result["n"]["all"] = str(sum(o["enrolled"][arm]["n"] for arm in arms))
    result["implied"] = {arm: {k: ", ".join(map(str, v)) for k, v in r.items() if isinstance(v, list)}
                         | {"ventilations_plus_deaths": str(r["ventilations_plus_deaths"])}
                         for arm, r in numbers["implied"].items()}
    result["relations"] = {arm: {"ventilated_and_died": str(r["ventilated_and_died"])}
                           for arm, r in numbers["relations"].items()}
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


def robustness_metadata(robust: dict[str, Any], ident: dict[str, Any]) -> dict[str, Any]:
    """The numbers of the section on how robust the finding is, printed."""
    shown = lambda v: f"{v:,}" if isinstance(v, int) and not isinstance(v, bool) and v >= 10000 else str(v)  # noqa: E731
    out: dict[str, Any] = {"settings": {k: shown(v) for k, v in robust["settings"].items() if not isinstance(v, list)}}
    out["settings"]["benefit_points"] = printed(100 * robust["settings"]["benefit_margin"], 0)
    for endpoint in ("survival", "vent_free_survival"):
        r = robust[endpoint]
        risk, cox, rmst, frag, ev = r["risk"], r["cox"], r["rmst"], r["fragility"], r["e_value"]
        ranges = ident["vent_free"]["effect_ranges"][endpoint]
        interval = lambda x, k=2: printed_range(x["ci_lower"], x["ci_upper"], k)  # noqa: E731
        out[endpoint] = {
            "rr": printed(risk["risk_ratio"]["estimate"], 2), "rr_ci": interval(risk["risk_ratio"]),
            "rd": printed(100 * risk["risk_difference"]["estimate"], 1),
            "rd_ci": f"{printed(100 * risk['risk_difference']['ci_lower'], 1)} to "
                     f"{printed(100 * risk['risk_difference']['ci_upper'], 1)}",
            "or": printed(risk["odds_ratio"]["conditional_mle"], 2), "or_ci": interval(risk["odds_ratio"]),
            "nnt": printed(risk["nnt"]["estimate"], 1),
            "nnt_ci": interval(risk["nnt"], 1) if risk["nnt"]["nnt_interval_bounded"] else "unbounded",
            "hr": printed(cox["hazard_ratio"], 2), "hr_ci": interval(cox), "hr_p": printed(cox["p_value"], 3),
            "ph_p": printed(cox["ph_test"]["p_value"], 2),
            "rmst_treated": printed(rmst["treated"], 1), "rmst_control": printed(rmst["control"], 1),
            "rmst_difference": printed(rmst["difference"], 1), "rmst_ci": interval(rmst, 1),
            "fragility": str(frag["fragility_index"]), "fragility_quotient": printed(frag["fragility_quotient"] or 0, 3),
            "fisher_p": printed(frag["p_value_start"], 3),
            "e_value": printed(ev["e_value"], 1), "e_value_ci": printed(ev["e_value_ci"], 2),
            "hr_range": printed_range(*ranges["hazard_ratio"], 2),
            "rmst_range": printed_range(*ranges["rmst_difference"], 1),
            "bayes": {name: {"p_benefit": printed(p["p_rr_below_1"], 3), "p_margin": printed(p["p_rd_at_most_minus_margin"], 2),
                             "rr": printed(p["rr"]["median"], 2), "rr_ci": interval(p["rr"])}
                      for name, p in r["bayes"]["priors"].items()},
        }
    return out


def cohort_metadata(numbers: dict[str, Any], claims: list[dict[str, Any]], name: str) -> dict[str, Any]:
    """Which cohort this document describes, in words: the reconstruction or a user's file, its
    hash, and its arm sizes beside the published ones (never confused with them)."""
    arms, cohort = numbers["settings"]["arms"], numbers["cohort"]
    sizes = [str(numbers["outcomes"]["enrolled"][arm]["n"]) for arm in arms]
    published = [c["value"] for arm in arms for c in claims if (c["outcome"], c["arm"], c["kind"]) == ("enrolled", arm, "n")]
    same = sizes == published
    if cohort["is_reconstruction"]:
        what = ("the reconstructed cohort shipped with this package, built from the published numbers "
                "and stated assumptions, not the study's data")
    else:
        what = "a cohort supplied by the user, not the reconstruction shipped with this package"
    size_sentence = (f"The publication reported {published[0]} and {published[1]} patients; this cohort has "
                     f"{sizes[0]} and {sizes[1]}" + (", the same numbers." if same else "."))
    return {"name": name, "path": cohort["path"], "sha256": cohort["sha256"],
            "is_reconstruction": cohort["is_reconstruction"], "is_user_cohort": not cohort["is_reconstruction"],
            "what": what, "sizes": size_sentence, "read": reading_sentence(cohort["read"], numbers["settings"])}


def reading_sentence(read: dict[str, Any], settings: dict[str, Any]) -> str:
    """How the file was read, in one or two sentences: rows, separator, what was set aside, and
    how many survivors are censored before the horizon."""
    plural = lambda k, word: f"{k} {word}{'' if k == 1 else 's'}"  # noqa: E731
    separator = read["separator"] + ("-separated with decimal commas" if read["decimal_comma"] else "-separated")
    parts = [f"The file was read as {separator} text: {plural(read['rows_read'], 'patient row')}"]
    if read["blank_rows_ignored"]:
        parts.append(f"{plural(read['blank_rows_ignored'], 'blank row')} ignored")
    if read["ignored_columns"]:
        names = ", ".join(f"`{c}`" for c in read["ignored_columns"])
        parts.append(f"{plural(len(read['ignored_columns']), 'column')} not used by the analysis ({names}) set aside")
    censored = sum(read["censored_before_horizon"].values())
    ending = (f"no survivor is censored before day {settings['horizon_days']}." if not censored else
              f"{plural(censored, 'survivor')} followed for less than {settings['horizon_days']} days "
              f"{'is' if censored == 1 else 'are'} counted as censored at the last day seen.")
    return "; ".join(parts) + "; " + ending


def verification_metadata(rows: list[dict[str, Any]], claims: list[dict[str, Any]]) -> dict[str, Any]:
    """The verdict counts, the evidence behind the matches, and each mismatch in words."""
    s = summary(rows)
    matching = [r for r in rows if r["verdict"] in ("match", "match_other_rounding")]
    evidence = {label: sum(r["evidence"] == label for r in matching) for label in ("by_construction", "fitted", "derived")}
    split = ", ".join(f"{count} {label.replace('_', ' ')}" for label, count in evidence.items() if count)
    mismatches = [r for r in rows if r["verdict"] in NOT_MATCHING]
    labels = {c["id"]: claim_label(c) for c in claims}
    listed = "; ".join(f"{labels[r['claim_id']]}: reported {r['reported']}, recomputed "
                       f"{r['reproduced_printed'] or 'not estimable'}" for r in mismatches)
    headline = f"{s['matching']} of {s['numeric']} numeric claims match"
    return {
        "numeric": str(s["numeric"]), "matching": str(s["matching"]),
        **{k: str(v) for k, v in s["counts"].items()},
        "headline": headline + (f" ({split})" if split else ""),
        "has_mismatch": bool(mismatches),
        "mismatch_sentence": (f"{len(mismatches)} numeric claim{'s do' if len(mismatches) > 1 else ' does'} not match: "
                              f"{listed}." if mismatches else "Every numeric claim matches."),
    }


def relations_sentences(numbers: dict[str, Any], arms: list[str]) -> dict[str, str]:
    """What the reported numbers imply and what the cohort shows, said in words, not booleans."""
    implied, observed = numbers["implied"], numbers["relations"]
    holds = lambda flags, what: (f"{what} in both arms" if all(flags) else  # noqa: E731
                                 f"{what} in neither arm" if not any(flags) else
                                 f"{what} only in the {' and '.join(ARM_WORDS[a] for a, f in zip(arms, flags) if f)}")
    return {
        "implied_improved": holds([implied[a]["improved_equals_vent_free_survivors"] for a in arms],
                                  "the number of patients with respiratory improvement equals the number of "
                                  "ventilation-free survivors"),
        "implied_survival": holds([implied[a]["survival_is_one_minus_deaths"] for a in arms],
                                  "each survival percentage equals one minus the death proportion"),
        "observed_improved": holds([observed[a]["improved_equals_vent_free_survivors"] for a in arms],
                                   "the improved patients are exactly the ventilation-free survivors"),
    }


def manuscript_metadata(numbers: dict[str, Any], rows: list[dict[str, Any]], claims: list[dict[str, Any]],
                        name: str, ident: dict[str, Any], robust: dict[str, Any]) -> dict[str, Any]:
    """Everything the manuscript's prose reads through ``{{< meta ... >}}``."""
    settings = numbers["settings"]
    return {
        "robustness": robustness_metadata(robust, ident),
        "identifiability": identifiability_metadata(ident),
        "numbers": printed_numbers(numbers, settings["arms"]),
        "relations": relations_sentences(numbers, settings["arms"]),
        "reported": {c["id"]: c["value"] for c in claims},
        "verification": verification_metadata(rows, claims),
        "settings": {"horizon_days": str(settings["horizon_days"]),
                     "confidence": printed(100 * (1 - settings["alpha"]), 0),
                     "alpha_percent": printed(100 * settings["alpha"], 0),
                     "treated": settings["arms"][0], "control": settings["arms"][1]},
        "software": numbers["software"],
        "cohort": cohort_metadata(numbers, claims, name),
    }


def write_metadata(numbers: dict[str, Any], rows: list[dict[str, Any]], claims: list[dict[str, Any]], name: str,
                   ident: dict[str, Any], robust: dict[str, Any], path: str | Path) -> None:
    """Write the metadata file that the manuscript's ``metadata-files`` names."""
    write_yaml(manuscript_metadata(numbers, rows, claims, name, ident, robust), path)

"""What came after, in words: the register as a table and the sentences of the manuscript section,
built from the checked register and the comparison (:mod:`anakinra_replication.later_evidence`).

Nothing here computes a statistic or a judgement; every sentence states what the data beside it
say, so that a test can feed very different cohorts and registers through it.
"""

from __future__ import annotations

from typing import Any

from .later_evidence import DESIGNS
from .rounding import printed, printed_range
from .statistic_words import reason_words
from .tables import declared_table

MEASURE_WORDS = {
    "RR": "risk ratio",
    "OR": "odds ratio",
    "HR": "hazard ratio",
    "RD": "risk difference",
    "proportional_OR": "proportional odds ratio",
    "relative_effect": "relative effect",
    "not_stated": "measure not stated",
}
DESIGN_WORDS = {
    "pooled_rcts": "pooled randomised trials",
    "pooled_observational": "pooled non-randomised studies",
    "single_rct": "single randomised trial",
}
# Why the early risk ratio cannot be compared (later_evidence.early_risk_ratio's reason codes).
EARLY_REASONS = {
    "no_risk_ratio": "the robustness results hold no risk ratio of death (survival.risk.risk_ratio)",
    "risk_ratio_not_estimable": (
        "the risk ratio of death cannot be estimated on this cohort "
        "(no deaths in an arm gives a ratio of zero or without bound)"
    ),
}


# --- small pieces ----------------------------------------------------------------------------


def join_words(items: list[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def p_words(p: str) -> str:
    """A printed P with its sign: "= 0.51", "< 0.00001", "> 0.05"."""
    return f"{p[0]} {p.lstrip('<> ')}" if p[0] in "<>" else f"= {p}"


def printed_estimate(entry: dict[str, Any]) -> str:
    """An estimate as printed, with its interval and P: "RR 1.06 (95% CI 0.89 to 1.26); P = 0.51"."""
    measure = entry["measure"] if entry["measure"] in ("RR", "OR", "HR", "RD") else MEASURE_WORDS[entry["measure"]]
    value = entry["value"] if entry["value"] is not None else "(point not printed)"
    unit = f" {entry['unit']}" if entry.get("unit") else ""
    text = f"{measure} {value}{unit}"
    if entry["interval"]:
        kind = "CrI" if entry["interval"]["kind"] == "credible" else "CI"
        interval = entry["interval"]
        text += f" ({printed(100 * interval['level'], 0)}% {kind} {interval['lower']} to {interval['upper']})"
    if entry["p_value"]:
        text += f"; P {p_words(entry['p_value'])}"
    return text


def shown_printed(check: dict[str, Any]) -> str:
    """What a check compares, as printed: a value ("0.51") or a pair of limits ("-2.1 to 5.3")."""
    printed_value = check["printed"]
    return printed_value if isinstance(printed_value, str) else " to ".join(printed_value)


def shown_recomputed(check: dict[str, Any]) -> str:
    """What a check recomputed, as printed: a value, or the interval methods that reproduce the
    printed limits ("wald, score"; "none")."""
    value = check["recomputed_printed"]
    return value if isinstance(value, str) else ", ".join(value) or "none"


def early_reason(early: dict[str, Any]) -> str:
    """Why the early risk ratio cannot be compared: the words of robustness.json's own reason when
    it gives one, else those of the comparison's reason code."""
    cause = early.get("cause")
    return reason_words(cause) if cause else EARLY_REASONS[early["reason"]]


def _p_text(p: float) -> str:
    return "< 0.001" if p < 0.001 else f"= {printed(p, 3)}"


def report_names(register: dict[str, Any]) -> dict[str, str]:
    """Each report's short name by its source key (the study name of its first estimate)."""
    names: dict[str, str] = {}
    for e in register["estimates"]:
        names.setdefault(e["source"], e["study"])
    return names


def cite(key: str) -> str:
    """A parenthetical Pandoc citation of a references.bib key."""
    return f"[@{key}]"


# --- the table ---------------------------------------------------------------------------------


def check_words(entry: dict[str, Any]) -> str:
    """The checks of one entry in a few words: "3 of 3 consistent (1 within input rounding)"."""
    checks = [c for c in entry["checks"] if c["verdict"] != "not_checkable"]
    if not checks:
        return "nothing to recompute"
    consistent = sum(c["consistent"] for c in checks)
    rounding = sum(c["verdict"] != "match" and c["consistent"] for c in checks)
    text = f"{consistent} of {len(checks)} consistent"
    if rounding:
        text += f" ({rounding} only with rounding allowed for)"
    bad = [c["check"].replace("_", " ") for c in checks if not c["consistent"]]
    return text + (f"; inconsistent: {', '.join(bad)}" if bad else "")


def register_table(register: dict[str, Any]) -> str:
    """The register as a Markdown pipe table with a Quarto caption (label tbl-later-evidence),
    grouped by design; the study cell says whether the report could include this study's
    patients and marks the primary comparison."""
    primary = register["primary_comparison"]["estimate"]
    rows = []
    for design in DESIGNS:
        for e in (x for x in register["estimates"] if x["design"] == design):
            counts = ", ".join(
                part
                for part in (
                    f"{e['studies']} studies" if e["studies"] and e["studies"] > 1 else "",
                    f"{e['patients']:,} patients" if e["patients"] else "",
                )
                if part
            )
            if e["counts_scope"] == "review":
                counts += " (whole review)"
            includes = register["sources"][e["source"]]["includes_this_study"]["answer"]
            study = f"{e['study']} ({DESIGN_WORDS[design]}; this study's patients included: {includes})"
            if e["id"] == primary:
                study += " **primary comparison**"
            rows.append(
                [
                    study,
                    e["population"],
                    f"{e['outcome']}, {e['time_point']}",
                    printed_estimate(e),
                    counts or "not printed",
                    e["location"],  # the report itself is cited where the section lists the reports
                    check_words(e),
                ]
            )
    header = [
        "Study (design; could it include this study's patients?)",
        "Population and setting",
        "Outcome, time point",
        "As printed",
        "Studies, patients",
        "Where read",
        "Checks of the printed numbers",
    ]
    return declared_table(
        "later_evidence",
        [dict(zip(header, row)) for row in rows],
        dict(zip(header, header)),
        [14, 20, 12, 16, 10, 12, 16],
    )


# --- sentences about the register --------------------------------------------------------------


def check_sentence(register: dict[str, Any]) -> str:
    """What the checks of the printed numbers found, in two sentences."""
    s = register["summary"]
    text = (
        f"The printed numbers allow {s['checks']} checks: {s['match']} print as reported when rounded half up, "
        f"{s['match_other_rounding']} only under another rounding, and {s['within_input_rounding']} only once "
        "the rounding of the printed inputs is allowed for."
    )
    if not s["inconsistent"]:
        return text + " No printed value contradicts the numbers printed beside it."
    bad = "; ".join(
        f"{i['id']}, {i['check'].replace('_', ' ')} (printed {shown_printed(i)}, recomputed {shown_recomputed(i)})"
        for i in s["inconsistent"]
    )
    return text + f" These do not agree with the numbers printed beside them: {bad}."


def search_sentence(register: dict[str, Any]) -> str:
    """How the reports were found, as a literature search: where the list came from, the sources
    read and when, the terms, the databases (none, when none was searched) and what was left out."""
    s = register["search_strategy"]
    kind = "A systematic search." if s["systematic"] else "Not a systematic search."
    databases = (
        f"The databases searched were {join_words(s['databases'])}."
        if s["databases"]
        else "No bibliographic database was searched."
    )
    excluded = "; ".join(f"{x['what']} ({x['why']})" for x in s["excluded"])
    return (
        f"{kind} {s['identified']} Their numbers were read in {s['sources_read']}: first on {s['registered']}, "
        f"then on {s['completed']}, when {s['completed_how']}. Terms: {s['terms']}. {databases}"
        + (f" Left out: {excluded}." if excluded else "")
    )


def populations_sentence(register: dict[str, Any]) -> str:
    """The population and regimen of each single randomised trial, as registered."""
    seen: dict[str, str] = {}
    for e in register["estimates"]:
        if e["design"] == "single_rct":
            seen.setdefault(e["study"], e["population"])
    if not seen:
        return "No single randomised trial is registered."
    parts = [f"{study}: {population}" for study, population in seen.items()]
    return f"The registered trials enrolled other patients with other regimens ({'; '.join(parts)})."


def observational_sentence(register: dict[str, Any]) -> str:
    """Which measures the pooled non-randomised analyses report, and that none is compared."""
    measures: dict[str, list[str]] = {}
    for e in register["estimates"]:
        if e["design"] == "pooled_observational":
            words = MEASURE_WORDS[e["measure"]]
            bucket = measures.setdefault(e["study"], [])
            if words not in bucket:
                bucket.append(words)
    if not measures:
        return "No pooled non-randomised analysis is registered."
    parts = []
    for study, words in measures.items():
        named = [w for w in words if w != "measure not stated"]
        text = f"{study} reports {join_words([w + 's' for w in named])}" if named else f"{study}"
        if "measure not stated" in words:
            text += (" and" if named else "") + " does not name its measure in the text read here"
        parts.append(text)
    odds = any("odds ratio" in w for ws in measures.values() for w in ws)
    note = " Odds ratios lie further from one than risk ratios when the outcome is common." if odds else ""
    return (
        f"Of the pooled non-randomised analyses, {join_words(parts)}.{note} They are not set against the early "
        "risk ratio, and no measure is converted into another."
    )


def no_point_sentence(register: dict[str, Any]) -> str:
    """The estimates printed as an interval without a point value, and how they are checked."""
    missing = [e for e in register["estimates"] if e["value"] is None]
    if not missing:
        return "Every registered estimate prints its point value."
    by_study: dict[str, list[str]] = {}
    for e in missing:
        by_study.setdefault(e["study"], []).append(e["outcome_short"])
    parts = [f"{study}: {join_words(outcomes)}" for study, outcomes in by_study.items()]
    count = "One estimate" if len(missing) == 1 else f"{len(missing)} estimates"
    verb = "prints" if len(missing) == 1 else "print"
    return (
        f"{count} ({'; '.join(parts)}) {verb} an interval without a point value; they are registered with no "
        "value and checked only through what is printed, taking the estimate to sit at the centre of the "
        "interval on the log scale."
    )


def inclusion_sentence(register: dict[str, Any]) -> str:
    """For each report, whether it could include this study's patients, grouped by the answer."""
    names = report_names(register)
    answers: dict[str, list[tuple[str, str]]] = {"yes": [], "possibly": [], "no": []}
    for key, source in register["sources"].items():
        answers[source["includes_this_study"]["answer"]].append(
            (names.get(key, key), source["includes_this_study"]["reason"])
        )
    for w in register["without_estimate"]:
        answers[w["includes_this_study"]["answer"]].append((w["study"], w["includes_this_study"]["reason"]))
    parts = []
    if answers["yes"]:
        parts.append("yes for " + "; ".join(f"{n} ({r})" for n, r in answers["yes"]))
    if answers["possibly"]:
        parts.append("possibly for " + "; ".join(f"{n} ({r})" for n, r in answers["possibly"]))
    if answers["no"]:
        parts.append(
            "no for " + join_words([n for n, _ in answers["no"]]) + " (randomised trials, or pooled "
            "analyses of randomised trials only)"
        )
    overlap = (
        " Where the answer is not no, agreement between that report and this study may partly be this study "
        "agreeing with itself."
        if answers["yes"] or answers["possibly"]
        else ""
    )
    text = "; ".join(parts)
    return f"Could a later report contain this study's own patients? {text[:1].upper()}{text[1:]}.{overlap}"


def unreadable_sentence(register: dict[str, Any]) -> str:
    """The reports whose estimates no source read shows, each with where its text stops; said once."""
    missing = register["without_estimate"]
    if not missing:
        return "Every listed report has a registered estimate."
    parts = [f"{w['study']} {cite(w['bibtex'])}, because {w['reason']}" for w in missing]
    count = "one further report" if len(missing) == 1 else f"{len(missing)} further reports"
    return (
        f"The estimates of {count} could not be read in the sources consulted and are not registered: "
        f"{'; '.join(parts)}."
    )


def bibliography_sentence(register: dict[str, Any]) -> str:
    """The bibliographic fields that no source read shows, left out of the references; said once."""
    gaps = register["bibliography_gaps"]
    if not gaps:
        return "Every reference is complete."
    parts = [f"{g['missing']} for @{g['key']}" for g in gaps]  # narrative: the work is the subject
    return (
        "Some bibliographic fields appear in none of the sources consulted, and are left out of the list "
        f"below rather than guessed: {'; '.join(parts)}."
    )


def figure_note(register: dict[str, Any]) -> str:
    """What the forest plot leaves out: estimates on a difference scale, which a ratio axis cannot show."""
    studies = list(dict.fromkeys(e["study"] for e in register["estimates"] if e["measure"] == "RD"))
    if not studies:
        return "Every registered estimate is drawn."
    return f"Risk differences ({join_words(studies)}) are in the table only."


def reports_cited(register: dict[str, Any]) -> str:
    """One citation of every registered report, in register order."""
    keys = list(dict.fromkeys(s["bibtex"] for s in register["sources"].values()))
    return "[" + "; ".join(f"@{k}" for k in keys) + "]"


# --- sentences about the comparison -------------------------------------------------------------


def _ratio_words(r: dict[str, Any], level: str) -> str:
    ratio = r["ratio"]
    return (
        f"{printed(ratio['estimate'], 2)} ({level}% CI {printed_range(ratio['ci_lower'], ratio['ci_upper'], 2)}, "
        f"P {_p_text(ratio['p_value'])})"
    )


RULE_WORDS = {
    "risk_ratio": "printed as a risk ratio",
    "most_recent_report": "from the most recent report",
    "nearest_time_point": "at the time point nearest the early study's horizon",
}


def _plural(k: int, one: str, many: str) -> str:
    return f"{k} {one if k == 1 else many}"


def nearest_words(first: dict[str, Any], rows: list[dict[str, Any]], nearest: dict[str, Any], horizon: int) -> str:
    """How far the primary comparison's time point lies from the early horizon, and which other
    comparable time points lie as near or nearer (the comparison's ``nearest``, computed)."""
    if first["days_from_early"] is None:
        return f"Its time point, {first['time_point']}, is not a day of follow-up."
    by_id = {r["id"]: r for r in rows}
    away = _plural(first["days_from_early"], "day", "days")
    text = f"Its time point, {first['time_point']}, lies {away} from the early study's day {horizon}"
    others = [by_id[i] for i in nearest["ids"] if i != first["id"]]
    by_study: dict[str, list[str]] = {}
    for r in others:
        by_study.setdefault(r["study"], []).append(r["time_point"])
    named = join_words([f"{join_words(times)} of {study}" for study, times in by_study.items()])
    if first["days_from_early"] > nearest["days"]:
        return text + f"; {named} lie{'s' * (len(others) == 1)} nearer ({_plural(nearest['days'], 'day', 'days')})."
    if others:
        return text + f"; {named} lie{'s' * (len(others) == 1)} as near."
    return text + "; no other registered time point lies as near."


def primary_sentence(register: dict[str, Any], comp: dict[str, Any], first: dict[str, Any], level: str) -> str:
    """The primary comparison: that it is post hoc and why it was chosen (the register's rule, which
    the analysis checked selects it), how near its time point lies, and what it shows."""
    rule, s = register["primary_comparison"], comp["summary"]
    entry = next(e for e in register["estimates"] if e["id"] == first["id"])
    horizon = comp["early"].get("horizon_days")
    counts = ", ".join(
        x
        for x in (
            f"{first['studies']} studies" if first["studies"] else "",
            f"{first['patients']:,} patients" if first["patients"] else "",
        )
        if x
    )
    excludes = "excludes" if first["later_interval_excludes_early"] else "does not exclude"
    overlap = "overlaps" if first["intervals_overlap"] else "does not overlap"
    ratio_verb = "excludes" if first["ratio_interval_excludes_1"] else "includes"
    nearest = nearest_words(first, comp["comparisons"], s["nearest"], horizon) if horizon else ""
    return (
        "Every comparison below is post hoc: the early study could not plan it, and its primary comparison was "
        f"named on {rule['named_on']}, after the version of {rule['earlier_version']} had computed "
        f"{_plural(rule['earlier_comparisons'], 'comparison', 'comparisons')} without naming one, so it was chosen "
        "knowing their results. It is fixed in the register so that later versions cannot pick, by a rule that the "
        "workflow checks selects it alone: among the pooled randomised estimates of death, the one "
        f"{join_words([RULE_WORDS[code] for code in rule['rule']])}. It is {first['study']} "
        f"{cite(register['sources'][first['source']]['bibtex'])}, death at {first['time_point']}, "
        f"{printed_estimate(entry)}{f' ({counts})' if counts else ''}. {nearest} Its interval {excludes} the early "
        f"point estimate and {overlap} the early interval; the ratio of the early risk ratio to it is "
        f"{_ratio_words(first, level)}, whose interval {ratio_verb} one."
    ).replace("  ", " ")


SIDE_WORDS = {
    "includes": "an interval that includes one (no difference between the groups)",
    "below": "an interval wholly below one (fewer deaths with anakinra)",
    "above": "an interval wholly above one (more deaths with anakinra)",
}


def headline_sentence(register: dict[str, Any], comp: dict[str, Any]) -> str:
    """What the later randomised trials found, in one sentence for the bottom line: the primary
    pooled estimate of death as printed, and where its interval lies against one (computed)."""
    first = next((r for r in comp["comparisons"] if r["role"] == "primary"), None)
    if first is None:
        return "No pooled estimate of death from later randomised trials is registered."
    entry = next(e for e in register["estimates"] if e["id"] == first["id"])
    size = ", ".join(
        x
        for x in (
            f"{first['studies']} trials" if first["studies"] else "",
            f"{first['patients']:,} patients" if first["patients"] else "",
        )
        if x
    )
    source = cite(register["sources"][first["source"]]["bibtex"])
    return (
        f"Randomised trials published later, pooled in a meta-analysis {source}{f' ({size})' if size else ''}, "
        f"found for death at {first['time_point']} {printed_estimate(entry)}, "
        f"{SIDE_WORDS[first['later_interval_and_1']]}."
    )


def comparison_sentences(register: dict[str, Any], comp: dict[str, Any]) -> dict[str, str]:
    """The generated sentences of the comparison, true whatever the cohort: the early estimate, the
    primary comparison (post hoc, why chosen, how near), and the sensitivity comparisons counted by
    report, each count of an interval excluding the early estimate beside that of overlapping it."""
    early, rows, s = comp["early"], comp["comparisons"], comp["summary"]
    level = printed(100 * early["level"], 0)
    horizon = early.get("horizon_days")
    by = f" by day {horizon}" if horizon else ""
    if not early["available"]:
        return {
            "early": f"On this cohort the early risk ratio of death cannot be compared: {early_reason(early)}.",
            "primary": "No comparison with the pooled randomised estimates is made.",
            "sensitivity": "",
            "headline": headline_sentence(register, comp),
        }
    early_text = (
        f"On this cohort the risk ratio of death{by}, the anakinra group against the standard group, is "
        f"{printed(early['estimate'], 2)} ({level}% CI {printed(early['ci_lower'], 2)} to "
        f"{printed(early['ci_upper'], 2)})."
    )
    first = next(r for r in rows if r["role"] == "primary")
    others = s["sensitivity_by_report"]
    if not others:
        sensitivity = "No other pooled randomised estimate of death is registered, so there is no sensitivity analysis."
    else:
        by_row = {r["id"]: r for r in rows}
        parts = []
        for report in others:
            times = join_words([by_row[i]["time_point"] for i in report["estimates"]])
            n = len(report["estimates"])
            parts.append(
                f"{report['study']} ({times}): the interval excludes the early point estimate in "
                f"{report['later_excludes_early']} of {n} and overlaps the early interval in "
                f"{report['intervals_overlap']} of {n}, and the ratio's interval excludes one in "
                f"{report['ratio_excludes_1']} of {n}"
            )
        sensitivity = (
            f"The other {s['sensitivity_estimates']} pooled randomised estimates of death, from "
            f"{s['sensitivity_reports']} report{'s' if s['sensitivity_reports'] != 1 else ''}, are sensitivity "
            "analyses, counted by report because the time points of one report share its trials: "
            + "; ".join(parts)
            + ". Their ratios to the early estimate are "
            + "; ".join(
                f"{_ratio_words(by_row[i], level)} against {by_row[i]['study']} at {by_row[i]['time_point']}"
                for r in others
                for i in r["estimates"]
            )
            + "."
        )
    return {
        "early": early_text,
        "primary": primary_sentence(register, comp, first, level),
        "sensitivity": sensitivity,
        "headline": headline_sentence(register, comp),
    }


def later_evidence_metadata(register: dict[str, Any], comp: dict[str, Any]) -> dict[str, Any]:
    """Everything the section "What came after" reads with {{< meta later_evidence.... >}}."""
    estimates = register["estimates"]
    time_points = list(
        dict.fromkeys(e["time_point"] for e in estimates if e["outcome"] == "death" and e["design"] == "pooled_rcts")
    )
    return {
        "later_evidence": {
            "n_estimates": str(len(estimates)),
            "n_reports": str(len({e["source"] for e in estimates})),
            "n_checks": str(register["summary"]["checks"]),
            "n_consistent": str(register["summary"]["consistent"]),
            "checks_sentence": check_sentence(register),
            "pooled_time_points": join_words(time_points) if time_points else "no time point",
            "reports_cited": reports_cited(register),
            "search_sentence": search_sentence(register),
            "populations_sentence": populations_sentence(register),
            "observational_sentence": observational_sentence(register),
            "no_point_sentence": no_point_sentence(register),
            "inclusion_sentence": inclusion_sentence(register),
            "unreadable_sentence": unreadable_sentence(register),
            "bibliography_sentence": bibliography_sentence(register),
            "figure_note": figure_note(register),
            "sentences": comparison_sentences(register, comp),
        }
    }

"""Tables for readers (Markdown for the manuscript, CSV for machines), built from results files."""
from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from .outcomes import BINARY_OUTCOMES, ENDPOINTS, LABELS
from .rounding import printed, printed_range

ARM_WORDS = {"both": "between arms", "unstated": "group not stated"}


def outcome_rows(numbers: dict[str, Any], claims: list[dict[str, Any]], arms: list[str]) -> list[dict[str, str]]:
    """Day-horizon outcomes: per outcome and arm, the reported value beside the reproduced one."""
    reported = {(c["outcome"], c["arm"], c["kind"]): c["value"] for c in claims}
    outcomes, rows = numbers["outcomes"], []
    for outcome in BINARY_OUTCOMES + ENDPOINTS:
        for arm in arms:
            x = outcomes[outcome][arm]
            if outcome in BINARY_OUTCOMES:
                shown = f"{x['count']}/{x['n']} ({printed(x['percent'], 1)}%)"
                interval = printed_range(x["ci_lower_percent"], x["ci_upper_percent"], 1)
                said = f"{reported.get((outcome, arm, 'count'), '-')} ({reported.get((outcome, arm, 'percent'), '-')})"
            else:
                shown = f"{printed(x['percent'], 1)}%"
                interval = printed_range(100 * x["ci_lower"], 100 * x["ci_upper"], 1)
                said = reported.get((outcome, arm, "percent"), "-")
            rows.append({"outcome": LABELS[outcome], "arm": arm, "reported": said,
                         "reproduced": shown, "ci95_percent": interval})
        if outcome in ENDPOINTS:
            test = outcomes[outcome]["both"]
            rows.append({"outcome": LABELS[outcome], "arm": "log-rank P", "reported": reported.get((outcome, "both", "p_value"), "-"),
                         "reproduced": f"{printed(test['p_value'], 4)} (chi-square {printed(test['chi2'], 2)})", "ci95_percent": ""})
    return rows


def write_csv(rows: list[dict[str, str]], path: str | Path) -> None:
    """Rows of dicts as CSV (UTF-8, LF)."""
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def markdown(rows: list[dict[str, str]], header: dict[str, str], caption: str, label: str,
             widths: list[int] | None = None) -> str:
    """A pipe table with a Quarto caption, cross-reference label (``tbl-...``) and, optionally,
    relative column widths (percent)."""
    keys = list(header)
    escape = lambda s: str(s).replace("|", "\\|")  # noqa: E731 - one-line cell escaping
    lines = ["| " + " | ".join(header[k] for k in keys) + " |", "|" + "|".join("---" for _ in keys) + "|"]
    lines += ["| " + " | ".join(escape(r[k]) for k in keys) + " |" for r in rows]
    width = f' tbl-colwidths="{widths}"' if widths else ""
    return "\n".join(lines) + f"\n\n: {caption} {{#{label}{width}}}\n"


def verification_table(rows: list[dict[str, Any]]) -> str:
    """The numeric claims, each beside its recomputed value, with verdict and evidence."""
    shown = [{**r, "claim_id": r["claim_id"], "verdict": r["verdict"].replace("_", " "),
              "evidence": r["evidence"].replace("_", " ")} for r in rows if r["verdict"] != "not_checkable"]
    header = {"claim_id": "Claim", "reported": "Reported", "reproduced_printed": "Reproduced",
              "verdict": "Verdict", "evidence": "Evidence", "note": "Note"}
    return markdown(shown, header, "Every reported number beside the value recomputed from the cohort.",
                    "tbl-verification", [32, 10, 11, 11, 13, 23])


def statements_table(rows: list[dict[str, Any]]) -> str:
    """The reported statements that patient-level data of this kind cannot check."""
    shown = [{"claim_id": r["claim_id"], "arm": ARM_WORDS.get(r["arm"], r["arm"]), "reported": r["reported"]}
             for r in rows if r["verdict"] == "not_checkable"]
    header = {"claim_id": "Claim", "arm": "Arm", "reported": "What the source says (paraphrased)"}
    return markdown(shown, header, "Reported statements that cannot be checked here.", "tbl-statements", [30, 15, 55])


def assumptions_table(assumptions: list[dict[str, Any]]) -> str:
    """The reconstruction's assumptions, each with its reason and how many claims it makes true."""
    def made_true(a: dict[str, Any]) -> str:
        imposed, fitted = len(a.get("imposes", [])), len(a.get("fits", []))
        parts = [f"{imposed} by construction"] * bool(imposed) + [f"{fitted} fitted"] * bool(fitted)
        return ", ".join(parts) or "none"

    rows = [{"id": a["id"], "statement": a["statement"], "justification": a["justification"],
             "claims": made_true(a)} for a in assumptions]
    header = {"id": "Assumption", "statement": "What is assumed", "justification": "Why",
              "claims": "Claims made true"}
    return markdown(rows, header, "Assumptions of the reconstructed cohort.", "tbl-assumptions", [20, 33, 33, 14])


def provenance_table(numbers: dict[str, Any]) -> str:
    """SHA-256 of each input and the version of each package used."""
    rows = [{"item": f"`{v['path']}`", "value": f"`{v['sha256']}`"} for v in numbers["inputs"].values()]
    rows += [{"item": name, "value": v} for name, v in sorted(numbers["software"].items())]
    return markdown(rows, {"item": "Input file or package", "value": "SHA-256 or version"},
                    "Inputs and software of this run.", "tbl-provenance", [35, 65])


def write_tables(numbers: dict[str, Any], rows: list[dict[str, Any]], claims: list[dict[str, Any]],
                 assumptions: list[dict[str, Any]], out: Any) -> None:
    """Write the outcomes table (CSV and Markdown) and the verification, assumptions and
    provenance tables (Markdown); ``out`` maps each name to its path."""
    settings = numbers["settings"]
    outcomes = outcome_rows(numbers, claims, settings["arms"])
    write_csv(outcomes, out["outcomes_csv"])
    header = {"outcome": "Outcome", "arm": "Arm", "reported": "Reported", "reproduced": "Reproduced",
              "ci95_percent": f"{printed(100 * (1 - settings['alpha']), 0)}% CI (%)"}
    tables = {
        "outcomes": markdown(outcomes, header, "Outcomes at the horizon: reported and reproduced.", "tbl-outcomes",
                             [30, 12, 14, 26, 18]),
        "verification": verification_table(rows),
        "statements": statements_table(rows),
        "assumptions": assumptions_table(assumptions),
        "provenance": provenance_table(numbers),
    }
    for name, text in tables.items():
        Path(out[name]).write_text(text, encoding="utf-8")


def p_value_tests_table(ident: dict[str, Any]) -> str:
    """Which test gives the reported P: each test, its P or range, and how often it prints so."""
    rows = []
    for r in ident["tests"]:
        decimals = len(r["reported"].split(".")[1]) + 2
        single = r["p_min"] == r["p_max"]
        p = printed(r["p_min"], decimals) if single else printed_range(r["p_min"], r["p_max"], decimals)
        share = r["fraction_printing_as_reported"]
        verdict = ("yes" if share else "no") if single else f"in {printed(100 * share, 1)}% of them"
        rows.append({"endpoint": LABELS[r["endpoint"]].split(" (")[0], "test": r["label"], "reported": r["reported"],
                     "p": p, "over": r["over"], "prints": verdict})
    header = {"endpoint": "Endpoint", "test": "Test", "reported": "Reported P", "p": "P (or range)",
              "over": "Computed over", "prints": "Prints as reported?"}
    return markdown(rows, header, "Which test gives the reported P values?", "tbl-p-value-tests",
                    [14, 22, 10, 16, 22, 16])


def robustness_rows(robust: dict[str, Any], ident: dict[str, Any]) -> list[dict[str, str]]:
    """The questions a statistical reviewer asks, each with its analysis, result and answer."""
    d, v = robust["survival"], robust["vent_free_survival"]
    ranges = ident["vent_free"]["effect_ranges"]
    fmt = lambda x, k=2: printed(x, k)  # noqa: E731 - numbers in the table
    ci = lambda r, k=2: printed_range(r["ci_lower"], r["ci_upper"], k)  # noqa: E731
    excludes_1 = lambda r: r["ci_upper"] < 1 or r["ci_lower"] > 1  # noqa: E731
    sceptical = d["bayes"]["priors"]["sceptical"]
    pessimistic = d["bayes"]["priors"]["pessimistic"]
    margin = printed(100 * d["bayes"]["margin"], 0)
    hr_range = ranges["survival"]["hazard_ratio"]
    rows = [
        ("Is 21-day mortality lower with anakinra?", "Risk ratio, log interval (statsmodels)",
         f"RR {fmt(d['risk']['risk_ratio']['estimate'])} ({ci(d['risk']['risk_ratio'])})",
         "yes" if excludes_1(d["risk"]["risk_ratio"]) else "no"),
        ("How large is the difference?", "Risk difference, Newcombe interval; NNT",
         f"RD {fmt(100 * d['risk']['risk_difference']['estimate'], 1)} points "
         f"({printed_range(100 * d['risk']['risk_difference']['ci_lower'], 100 * d['risk']['risk_difference']['ci_upper'], 1)}); "
         f"NNT {fmt(d['risk']['nnt']['estimate'], 1)}",
         "yes, but imprecise" if d["risk"]["risk_difference"]["ci_upper"] < 0 else "no"),
        ("Does an exact test agree?", "Odds ratio, exact conditional interval (scipy)",
         f"OR {fmt(d['risk']['odds_ratio']['conditional_mle'])} ({ci(d['risk']['odds_ratio'])})",
         "yes" if excludes_1(d["risk"]["odds_ratio"]) else "no"),
        ("How many patients would have to fare otherwise?", "Fragility index with Fisher's test (Walsh 2014)",
         f"{d['fragility']['fragility_index']} patients (fragility quotient {fmt(d['fragility']['fragility_quotient'], 3)})",
         f"only until {d['fragility']['fragility_index']} patients fare otherwise"),
        ("How strong would unmeasured confounding have to be?", "E-value (VanderWeele and Ding 2017)",
         f"{fmt(d['e_value']['e_value'], 1)} for the estimate, {fmt(d['e_value']['e_value_ci'], 2)} for the interval limit",
         f"unless a confounder tied to both treatment and death by a risk ratio of {fmt(d['e_value']['e_value_ci'], 2)}"),
        ("Does the time-to-event analysis agree?", "Cox hazard ratio, Efron ties (lifelines)",
         f"HR {fmt(d['cox']['hazard_ratio'])} ({ci(d['cox'])}), P {fmt(d['cox']['p_value'], 3)}",
         "yes" if excludes_1(d["cox"]) else "no"),
        ("Are hazards proportional?", "Scaled Schoenfeld residuals, rank time (lifelines)",
         f"P {fmt(d['cox']['ph_test']['p_value'], 2)}", "no evidence against" if d["cox"]["ph_test"]["p_value"] >= 0.05 else "doubtful"),
        ("How many days of life by day 21?", "Restricted mean survival time, bootstrap interval",
         f"{fmt(d['rmst']['difference'], 1)} days ({ci(d['rmst'], 1)})", "yes" if d["rmst"]["ci_lower"] > 0 else "no"),
        ("Would a sceptic be convinced?", "Beta-binomial posterior, sceptical prior",
         f"P(RR < 1) {fmt(sceptical['p_rr_below_1'], 3)}; P(benefit of {margin} points or more) "
         f"{fmt(sceptical['p_rd_at_most_minus_margin'], 2)}",
         "yes" if sceptical["p_rr_below_1"] >= 0.95 else "no"),
        ("And a pessimist?", "Beta-binomial posterior, pessimistic prior",
         f"P(RR < 1) {fmt(pessimistic['p_rr_below_1'], 3)}; P(benefit of {margin} points or more) "
         f"{fmt(pessimistic['p_rd_at_most_minus_margin'], 2)}",
         "yes" if pessimistic["p_rr_below_1"] >= 0.95 else "no"),
        ("Does it hold for every cohort consistent with the report?", "Cox HR (Breslow) over the Monte Carlo death layouts",
         f"HR {printed_range(*hr_range, 2)}", "yes" if hr_range[1] < 1 else "no"),
        ("Is ventilation-free survival better too?", "Risk ratio of ventilation or death",
         f"RR {fmt(v['risk']['risk_ratio']['estimate'])} ({ci(v['risk']['risk_ratio'])})",
         "yes" if excludes_1(v["risk"]["risk_ratio"]) else "not shown (as the paper reports)"),
    ]
    return [dict(zip(("question", "analysis", "result", "holds"), row)) for row in rows]


def robustness_table(robust: dict[str, Any], ident: dict[str, Any]) -> str:
    """Markdown of :func:`robustness_rows`."""
    header = {"question": "Question", "analysis": "Analysis", "result": "Result",
              "holds": "Does the paper's conclusion hold?"}
    return markdown(robustness_rows(robust, ident), header, "How robust is the finding?", "tbl-robustness",
                    [27, 27, 30, 16])

"""What came after: the register of later evidence, checked as the claims are, and compared
with the early estimate recomputed from the cohort.

Two stages, with different inputs:

- :func:`register_checks` depends only on the register (data/context/later_evidence.yaml). It
  recomputes what the printed numbers allow -- the standard error of a log estimate from its
  interval, a P from an estimate and its interval (Altman and Bland, BMJ 2011;343:d2304), the
  symmetry of an interval on the log scale, a relative effect from printed absolute risks per
  1000, percentages and effects from printed counts -- and judges each printed value with the
  claims' rounding-aware verdict (:func:`anakinra_replication.verify.verdict`). A value that
  does not print as reported is then tried over every input the printed inputs could have been
  rounded from; it is an inconsistency only if no such input reproduces it.
- :func:`comparison` adds the cohort: the ratio of the early risk ratio of death to each pooled
  randomised estimate of mortality, with its interval and P (Altman and Bland, BMJ
  2003;326:219), whether the randomised interval excludes the early estimate and whether the two
  intervals overlap, and how many days each time point lies from the early study's horizon. One
  of them is the primary comparison, named in the register after an earlier version had computed
  the comparisons (post hoc) and checked against the register's rule; the others are
  sensitivity analyses, counted by report. No E-value is given for a ratio of two risk ratios.

This module returns plain data, with codes where words would go (a check's ``method`` and
``note``, why the early estimate is not available); the words, tables and sentences built from it
are in :mod:`anakinra_replication.later_evidence_text`, the codes are listed in the schemas of its
results (later_evidence_register.schema.yaml, later_evidence_comparison.schema.yaml). The register
is read by :func:`anakinra_replication.claims.load_register`.

Normal-theory formulas on the log scale are written here by hand (each is a line; no well-kept
library takes printed intervals as input); normal quantiles and tails come from scipy.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable
from typing import Any

from .jsonio import InputError
from .rounding import printed, printing_interval
from .verify import verdict

RATIO_MEASURES = ("RR", "OR", "HR", "proportional_OR", "relative_effect", "not_stated")
DESIGNS = ("pooled_rcts", "pooled_observational", "single_rct")
RD_METHODS = ("wald", "agresti-caffo", "newcomb", "score")


# --- normal-theory pieces -------------------------------------------------------------------


def normal() -> Any:
    """scipy's standard normal distribution. Imported when first needed, like statsmodels and
    the robustness module below: the steps that only print the register (table, sentences) then
    start in a tenth of the time."""
    from scipy.stats import norm

    return norm


def z_of(level: float) -> float:
    """The two-sided normal quantile of a confidence level: z_of(0.95) = 1.95996..."""
    return float(normal().isf((1 - level) / 2))


def se_from_interval(lower: float, upper: float, level: float = 0.95, log: bool = True) -> float:
    """Standard error of the (log) estimate from its interval: (u - l) / (2 z), on the log scale
    for a ratio (Altman and Bland 2011, step 1; Cochrane Handbook 7.7.7.3)."""
    if log:
        lower, upper = math.log(lower), math.log(upper)
    return (upper - lower) / (2 * z_of(level))


def p_from_interval(estimate: float, lower: float, upper: float, level: float = 0.95, log: bool = True) -> float:
    """Two-sided P of estimate = null from the estimate and its interval (Altman and Bland, BMJ
    2011;343:d2304): z = est / SE, on the log scale for a ratio; P from the exact normal tail
    (their note approximates it by exp(-0.717 z - 0.416 z^2))."""
    centre = math.log(estimate) if log else estimate
    return float(2 * normal().sf(abs(centre) / se_from_interval(lower, upper, level, log)))


def p_altman_bland(z: float) -> float:
    """Altman and Bland's closed-form approximation of the two-sided normal P (BMJ 2011;343:d2304)."""
    z = abs(z)
    return math.exp(-0.717 * z - 0.416 * z * z)


def interval_from_p(estimate: float, p: float, level: float = 0.95) -> tuple[float, float]:
    """Interval of a ratio implied by its estimate and two-sided P (Altman and Bland, BMJ
    2011;343:d2090): SE = |log est| / z(P); limits exp(log est -+ z_level SE)."""
    se = abs(math.log(estimate)) / float(normal().isf(p / 2))
    half = z_of(level) * se
    return math.exp(math.log(estimate) - half), math.exp(math.log(estimate) + half)


def ratio_of_ratios(first: tuple[float, float], second: tuple[float, float], level: float = 0.95) -> dict[str, float]:
    """Ratio of two independent ratio estimates, each given as (log estimate, SE of the log).

    Altman and Bland, BMJ 2003;326:219, "Interaction revisited": d = log E1 - log E2,
    SE(d) = sqrt(SE1^2 + SE2^2), z = d / SE(d), interval exp(d -+ z_level SE(d)).
    """
    d = first[0] - second[0]
    se = math.hypot(first[1], second[1])
    z = d / se
    half = z_of(level) * se
    return {
        "estimate": math.exp(d),
        "ci_lower": math.exp(d - half),
        "ci_upper": math.exp(d + half),
        "log_ratio": d,
        "se_log_ratio": se,
        "z": z,
        "p_value": float(2 * normal().sf(abs(z))),
    }


# --- rounding-aware judgement --------------------------------------------------------------


def number(text: str) -> float:
    """A printed number as a float: "0.51" -> 0.51, "70%" -> 70.0."""
    return float(text.rstrip("%"))


def value_range(
    f: Callable[..., float], boxes: list[tuple[float, float]], extra: list[list[float]] | None = None
) -> tuple[float, float]:
    """Smallest and largest f over a box of inputs, each in [low, high].

    Exact for the functions used here: each is monotone in every input except across the listed
    ``extra`` points (for example a ratio of one, where |log x| turns), so the extremes lie on
    the corners of the box and at those points.
    """
    candidates = []
    for i, (low, high) in enumerate(boxes):
        points = [low, high] + [x for x in (extra[i] if extra else []) if low < x < high]
        candidates.append(points)
    values = [f(*combo) for combo in itertools.product(*candidates)]
    return min(values), max(values)


def judge(printed_text: str, value: float | None, span: tuple[float, float] | None = None) -> dict[str, Any]:
    """A printed value beside the recomputed one, with the claims' verdict.

    ``span``: the range the recomputed value takes over all inputs that print as the printed
    inputs; ``within_input_rounding`` says whether some value in it prints as ``printed_text``.
    A printed inequality ("< 0.0001", "> 0.05") matches when the value lies on its side of the bound.
    """
    if value is None:
        return {
            "printed": printed_text,
            "recomputed": None,
            "recomputed_printed": "",
            "verdict": "not_checkable",
            "range": None,
            "within_input_rounding": None,
            "consistent": None,
        }
    if printed_text.startswith("<"):
        bound = float(printed_text.lstrip("<"))
        label = "match" if value < bound else "mismatch"
        shown = f"{value:.1e}"
        within = None if span is None else span[0] < bound
    elif printed_text.startswith(">"):
        bound = float(printed_text.lstrip(">"))
        label = "match" if value > bound else "mismatch"
        shown = printed(value, 2)
        within = None if span is None else span[1] > bound
    else:
        label, shown = verdict(printed_text, value)
        within = None
        if span is not None:
            low, high = printing_interval(printed_text.rstrip("%"))
            within = span[0] < high and span[1] >= low
    if printed_text.endswith("%"):
        shown += "%"
    return {
        "printed": printed_text,
        "recomputed": value,
        "recomputed_printed": shown,
        "verdict": label,
        "range": None if span is None else [span[0], span[1]],
        "within_input_rounding": within,
        "consistent": label != "mismatch" or bool(within),
    }


def box(text: str) -> tuple[float, float]:
    """The values that print as ``text`` (half up), as a closed box for :func:`value_range`."""
    low, high = printing_interval(text.rstrip("%"))
    return low, high


# --- the checks of one entry ---------------------------------------------------------------


def _check(name: str, method: str, judged: dict[str, Any], note: str | None = None) -> dict[str, Any]:
    """One check: its name, the code of its method, an optional code of a caveat, and the judgement."""
    return {"check": name, "method": method, "note": note, **judged}


def interval_checks(entry: dict[str, Any]) -> list[dict[str, Any]]:
    """Symmetry of the interval about the estimate (log scale for ratios), and the printed P
    against the P the estimate and interval give."""
    interval, value = entry["interval"], entry["value"]
    if interval is None:
        return []
    log = entry["measure"] in RATIO_MEASURES
    level = interval["level"]
    lo_text, hi_text = interval["lower"], interval["upper"]
    centre = (lambda l, u: math.sqrt(l * u)) if log else (lambda l, u: (l + u) / 2)  # noqa: E731
    checks = []
    if value is not None:
        judged = judge(
            value, centre(number(lo_text), number(hi_text)), value_range(centre, [box(lo_text), box(hi_text)])
        )
        checks.append(_check("interval_symmetry", "geometric_midpoint" if log else "midpoint", judged))
    p_text = entry["p_value"]
    if p_text is not None:
        if value is not None:
            f = lambda e, l, u: p_from_interval(e, l, u, level, log)  # noqa: E731
            boxes, extra, note = [box(value), box(lo_text), box(hi_text)], [[1.0 if log else 0.0], [], []], None
            args = (number(value), number(lo_text), number(hi_text))
        else:
            f = lambda l, u: p_from_interval(centre(l, u), l, u, level, log)  # noqa: E731
            boxes, extra, note = [box(lo_text), box(hi_text)], None, "estimate_at_midpoint"
            args = (number(lo_text), number(hi_text))
        method = "normal_test_log_scale" if log else "normal_test"
        checks.append(_check("p_from_interval", method, judge(p_text, f(*args), value_range(f, boxes, extra)), note))
    return checks


def absolute_risk_checks(entry: dict[str, Any]) -> list[dict[str, Any]]:
    """The relative effect and its limits from the printed absolute risks per 1000: a summary-of-
    findings table gives the treated risk as control risk x relative effect, so treated / control
    should print as the relative effect if it is a risk ratio."""
    risks = entry.get("absolute_per_1000")
    if not risks:
        return []
    control = risks["control"]
    ratio = lambda t, c: t / c  # noqa: E731
    pairs = (
        ("value", risks["treated"], entry["value"]),
        ("lower", risks["treated_lower"], entry["interval"]["lower"]),
        ("upper", risks["treated_upper"], entry["interval"]["upper"]),
    )
    return [
        _check(
            f"relative_from_absolute_{part}",
            "treated_over_control_risk",
            judge(relative, number(treated) / number(control), value_range(ratio, [box(treated), box(control)])),
        )
        for part, treated, relative in pairs
        if relative is not None
    ]


def arm_checks(entry: dict[str, Any]) -> list[dict[str, Any]]:
    """Counts, percentages and effects that the printed arm sizes and event counts allow."""
    arms = entry.get("arms")
    if not arms:
        return []
    checks = []
    n_t, n_c = int(arms["treated"]), int(arms["control"])
    if entry["patients"] is not None:
        checks.append(_check("arms_total", "treated_plus_control", judge(str(entry["patients"]), float(n_t + n_c))))
    if "treated_events" not in arms:
        return checks
    e_t, e_c = int(arms["treated_events"]), int(arms["control_events"])
    for arm, e, n in (("treated", e_t, n_t), ("control", e_c, n_c)):
        if f"{arm}_percent" in arms:
            checks.append(_check(f"{arm}_percent", "events_over_patients", judge(arms[f"{arm}_percent"], 100 * e / n)))
    if entry["measure"] == "RD" and entry["value"] is not None:
        checks.append(
            _check(
                "rd_from_counts",
                "difference_of_percentages",
                judge(entry["value"], 100 * (e_t / n_t - e_c / n_c)),
            )
        )
        checks.append(rd_interval_check(entry, e_t, n_t, e_c, n_c))
    if entry["measure"] == "OR" and entry["value"] is not None:
        sample_or = (e_t * (n_c - e_c)) / ((n_t - e_t) * e_c)
        checks.append(
            _check(
                "or_from_counts",
                "sample_odds_ratio",
                judge(entry["value"], sample_or),
                "source_may_adjust",
            )
        )
    return checks


def rd_interval_check(entry: dict[str, Any], e_t: int, n_t: int, e_c: int, n_c: int) -> dict[str, Any]:
    """Which standard interval for a difference of proportions (statsmodels) prints as reported.

    The method is not printed, so each of Wald, Agresti-Caffo, Newcombe and score is tried; the
    check is consistent if one of them reproduces both printed limits. ``printed`` is the pair of
    printed limits, ``recomputed_printed`` the methods that reproduce them (best verdict first),
    ``intervals`` each method's limits in percentage points.
    """
    from statsmodels.stats.proportion import confint_proportions_2indep

    interval = entry["interval"]
    alpha = 1 - interval["level"]
    labels, intervals = {}, {}
    for method in RD_METHODS:
        low, high = (
            100 * float(x)
            for x in confint_proportions_2indep(e_t, n_t, e_c, n_c, compare="diff", method=method, alpha=alpha)
        )
        both = (verdict(interval["lower"], low)[0], verdict(interval["upper"], high)[0])
        labels[method] = (
            "mismatch" if "mismatch" in both else "match" if both == ("match", "match") else "match_other_rounding"
        )
        intervals[method] = [low, high]
    best = next((v for v in ("match", "match_other_rounding") if v in labels.values()), "mismatch")
    return {
        "check": "rd_interval_from_counts",
        "method": "confint_proportions_2indep",
        "note": None,
        "printed": [interval["lower"], interval["upper"]],
        "recomputed": None,
        "recomputed_printed": [m for m, label in labels.items() if label == best != "mismatch"],
        "intervals": intervals,
        "verdict": best,
        "range": None,
        "within_input_rounding": None,
        "consistent": best != "mismatch",
    }


def posterior_checks(entry: dict[str, Any]) -> list[dict[str, Any]]:
    """The printed posterior probability of superiority against a normal approximation to the
    posterior of the log odds ratio (median and SE from the credible interval). With a median
    below one, a probability below one half can only be that of an odds ratio above one."""
    text = entry.get("posterior_superiority")
    if not text or entry["interval"] is None or entry["value"] is None:
        return []
    level = entry["interval"]["level"]
    f = lambda e, l, u: 100 * float(normal().sf(-math.log(e) / se_from_interval(l, u, level)))  # noqa: E731
    lo_text, hi_text = entry["interval"]["lower"], entry["interval"]["upper"]
    args = (number(entry["value"]), number(lo_text), number(hi_text))
    span = value_range(f, [box(entry["value"]), box(lo_text), box(hi_text)], [[1.0], [], []])
    return [
        _check(
            "posterior_probability_or_above_1",
            "normal_log_or_posterior",
            judge(text, f(*args), span),
            "posterior_may_not_be_normal",
        )
    ]


def derived_numbers(entry: dict[str, Any]) -> dict[str, Any]:
    """Numbers the printed ones imply but nobody printed: log estimate and its SE; for an
    estimate printed with P only, the implied 95% interval (Altman and Bland 2011, d2090)."""
    out: dict[str, Any] = {"log_estimate": None, "se_log": None, "implied_interval": None}
    ratio = entry["measure"] in RATIO_MEASURES
    if entry["value"] is not None and ratio:
        out["log_estimate"] = math.log(number(entry["value"]))
    if entry["interval"] is not None and ratio:
        out["se_log"] = se_from_interval(
            number(entry["interval"]["lower"]), number(entry["interval"]["upper"]), entry["interval"]["level"]
        )
    if entry["interval"] is None and entry["p_value"] and entry["p_value"][0] not in "<>" and ratio:
        low, high = interval_from_p(number(entry["value"]), number(entry["p_value"]))
        out["implied_interval"] = {
            "ci_lower": low,
            "ci_upper": high,
            "level": 0.95,
            "method": "from_estimate_and_p",
        }
    return out


def entry_checks(entry: dict[str, Any]) -> list[dict[str, Any]]:
    """Every check the printed numbers of one entry allow."""
    return interval_checks(entry) + absolute_risk_checks(entry) + arm_checks(entry) + posterior_checks(entry)


def register_checks(register: dict[str, Any]) -> dict[str, Any]:
    """The register with, per entry, its derived numbers and checks; a summary of consistency."""
    estimates = []
    for entry in register["estimates"]:
        estimates.append({**entry, "derived": derived_numbers(entry), "checks": entry_checks(entry)})
    checks = [(e["id"], c) for e in estimates for c in e["checks"] if c["verdict"] != "not_checkable"]
    inconsistent = [
        {"id": i, "check": c["check"], "printed": c["printed"], "recomputed_printed": c["recomputed_printed"]}
        for i, c in checks
        if not c["consistent"]
    ]
    summary = {
        "estimates": len(estimates),
        "checks": len(checks),
        "match": sum(c["verdict"] == "match" for _, c in checks),
        "match_other_rounding": sum(c["verdict"] == "match_other_rounding" for _, c in checks),
        "within_input_rounding": sum(c["verdict"] == "mismatch" and c["consistent"] for _, c in checks),
        "consistent": sum(c["consistent"] for _, c in checks),
        "inconsistent": inconsistent,
        "without_point_value": [e["id"] for e in estimates if e["value"] is None],
        "without_interval": [e["id"] for e in estimates if e["interval"] is None],
    }
    return {
        "search_strategy": register["search_strategy"],
        "primary_comparison": register["primary_comparison"],
        "bibliography_gaps": register["bibliography_gaps"],
        "sources": register["sources"],
        "estimates": estimates,
        "without_estimate": register["without_estimate"],
        "summary": summary,
    }


# --- comparison with the cohort ------------------------------------------------------------


def early_risk_ratio(robust: dict[str, Any]) -> dict[str, Any]:
    """The early risk ratio of death from results/robustness.json (``survival.risk.risk_ratio``:
    estimate, ci_lower, ci_upper), read in this one place because that file's layout may change.

    Returns the three numbers with ``available`` and, when they cannot be used, a ``reason`` code:
    ``no_risk_ratio`` (the file holds none) or ``risk_ratio_not_estimable`` (missing, null, zero or
    unbounded), with ``cause``: robustness.json's own reason and its fields, if it gives one.
    """
    try:
        rr = robust["survival"]["risk"]["risk_ratio"]
    except (KeyError, TypeError):
        return {"available": False, "estimate": None, "ci_lower": None, "ci_upper": None, "reason": "no_risk_ratio"}
    values = [rr.get(k) for k in ("estimate", "ci_lower", "ci_upper")]
    usable = all(isinstance(v, (int, float)) and math.isfinite(v) and v > 0 for v in values)
    early = {"available": usable, "estimate": values[0], "ci_lower": values[1], "ci_upper": values[2], "reason": None}
    if not usable:
        early["reason"] = "risk_ratio_not_estimable"
        if rr.get("reason"):
            early["cause"] = {k: v for k, v in rr.items() if k not in ("estimate", "ci_lower", "ci_upper")}
    return early


def is_pooled_randomised_mortality(entry: dict[str, Any]) -> bool:
    """Pooled randomised estimates of death on a risk scale (a risk ratio, or a relative effect
    whose printed absolute risks the check shows to be a risk ratio)."""
    if (
        entry["design"] != "pooled_rcts"
        or entry["outcome"] != "death"
        or entry["value"] is None
        or not entry["interval"]
    ):
        return False
    if entry["measure"] == "RR":
        return True
    risk_checks = [c for c in entry["checks"] if c["check"].startswith("relative_from_absolute")]
    return entry["measure"] == "relative_effect" and bool(risk_checks) and all(c["consistent"] for c in risk_checks)


def time_point_days(time_point: str) -> int | None:
    """The day of a time point printed as "day N", or None for any other ("hospital discharge")."""
    match = re.fullmatch(r"day\s(\d+)", time_point)
    return int(match.group(1)) if match else None


def intervals_overlap(first: tuple[float, float], second: tuple[float, float]) -> bool:
    """Whether two closed intervals share a point."""
    return first[0] <= second[1] and second[0] <= first[1]


def comparison_row(
    entry: dict[str, Any], early: dict[str, Any], level: float, role: str, horizon: int | None
) -> dict[str, Any]:
    """One pooled randomised estimate of death beside the early risk ratio: where the later interval
    lies against one (no difference), the ratio early / later with its interval and P, whether the
    later interval excludes the early estimate, whether the
    two intervals overlap, whether the ratio's interval excludes one, and how many days its time
    point lies from the early study's ``horizon`` (None when either is not a day)."""
    later = {
        "estimate": number(entry["value"]),
        "ci_lower": number(entry["interval"]["lower"]),
        "ci_upper": number(entry["interval"]["upper"]),
        "level": entry["interval"]["level"],
    }
    day = time_point_days(entry["time_point"])
    side = "below" if later["ci_upper"] < 1 else "above" if later["ci_lower"] > 1 else "includes"
    row: dict[str, Any] = {
        **{k: entry[k] for k in ("id", "source", "study", "time_point", "measure", "studies", "patients")},
        "role": role,
        "later_interval_and_1": side,
        "time_point_days": day,
        "days_from_early": None if day is None or horizon is None else abs(day - horizon),
        "later": later,
        "ratio": None,
        "later_interval_excludes_early": None,
        "intervals_overlap": None,
        "ratio_interval_excludes_1": None,
    }
    if not early["available"]:
        return row
    first = (math.log(early["estimate"]), se_from_interval(early["ci_lower"], early["ci_upper"], level))
    second = (math.log(later["estimate"]), se_from_interval(later["ci_lower"], later["ci_upper"], later["level"]))
    ratio = ratio_of_ratios(first, second, level)
    return {
        **row,
        "ratio": ratio,
        "later_interval_excludes_early": not later["ci_lower"] <= early["estimate"] <= later["ci_upper"],
        "intervals_overlap": intervals_overlap(
            (early["ci_lower"], early["ci_upper"]), (later["ci_lower"], later["ci_upper"])
        ),
        "ratio_interval_excludes_1": not ratio["ci_lower"] <= 1 <= ratio["ci_upper"],
    }


def select_primary(rows: list[dict[str, Any]], register: dict[str, Any]) -> list[str]:
    """The ids the register's rule leaves among the comparable rows, applying its codes in order:
    ``risk_ratio`` keeps the estimates printed as a risk ratio; ``most_recent_report`` those of the
    most recent report (its source's ``year``); ``nearest_time_point`` those whose day lies nearest
    the early study's horizon (rows without a day only when no row has one)."""
    years = {key: source["year"] for key, source in register["sources"].items()}
    left = list(rows)
    for code in register["primary_comparison"]["rule"]:
        if code == "risk_ratio":
            left = [r for r in left if r["measure"] == "RR"]
        elif code == "most_recent_report":
            latest = max((years[r["source"]] for r in left), default=None)
            left = [r for r in left if years[r["source"]] == latest]
        elif code == "nearest_time_point":
            dated = [r for r in left if r["days_from_early"] is not None]
            nearest = min((r["days_from_early"] for r in dated), default=None)
            left = [r for r in dated if r["days_from_early"] == nearest] if dated else left
    return [r["id"] for r in left]


def comparison(register: dict[str, Any], robust: dict[str, Any], alpha: float) -> dict[str, Any]:
    """The early risk ratio of death beside each pooled randomised estimate of mortality.

    ``register`` is the output of :func:`register_checks`; ``alpha`` sets the level of the early
    interval (the config's) and of the interval of each ratio. The ratio is early / later. The
    primary comparison is the register's, and the register's rule must select it alone
    (:func:`select_primary`), or the run stops with the estimates the rule leaves.
    """
    early = early_risk_ratio(robust)
    level = 1 - alpha
    horizon = horizon_of(robust)
    primary = register["primary_comparison"]["estimate"]
    rows = [
        comparison_row(entry, early, level, "primary" if entry["id"] == primary else "sensitivity", horizon)
        for entry in register["estimates"]
        if is_pooled_randomised_mortality(entry)
    ]
    if primary not in {r["id"] for r in rows}:
        raise InputError(
            f"later evidence error: primary_comparison/estimate: {primary!r} is not a pooled randomised estimate of "
            "death on a risk scale with an interval (name one that is, or change the register)"
        )
    selected = select_primary(rows, register)
    if selected != [primary]:
        raise InputError(
            f"later evidence error: primary_comparison/rule: the rule {register['primary_comparison']['rule']} "
            f"selects {selected}, not {primary!r} (change the rule or the estimate so that they agree)"
        )
    rows.sort(key=lambda r: r["role"] != "primary")  # the primary first; the others in register order
    return {
        "alpha": alpha,
        "early": {**early, "measure": "RR", "outcome": "death", "horizon_days": horizon, "level": level},
        "primary": primary,
        "comparisons": rows,
        "summary": comparison_summary(rows),
    }


def horizon_of(robust: dict[str, Any]) -> int | None:
    """The follow-up horizon of the early estimate (``settings.horizon_days`` of robustness.json), if given."""
    return (robust.get("settings") or {}).get("horizon_days") if isinstance(robust, dict) else None


def nearest_time_points(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Which comparable estimates lie nearest the early study's horizon, in days (ties kept)."""
    dated = [r for r in rows if r["days_from_early"] is not None]
    if not dated:
        return {"days": None, "ids": []}
    days = min(r["days_from_early"] for r in dated)
    return {"days": days, "ids": [r["id"] for r in dated if r["days_from_early"] == days]}


def comparison_summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The primary comparison's judgements, the time points nearest the early horizon, and the
    sensitivity comparisons counted by report.

    Several estimates of one report (time points of one meta-analysis) share its trials, so they
    are not independent comparisons: each report gets one line, with how many of its estimates'
    intervals exclude the early estimate and how many overlap the early interval.
    """
    done = [r for r in rows if r["ratio"] is not None]
    first = next((r for r in done if r["role"] == "primary"), None)
    reports: dict[str, dict[str, Any]] = {}
    for r in (r for r in done if r["role"] == "sensitivity"):
        report = reports.setdefault(
            r["source"],
            {
                "source": r["source"],
                "study": r["study"],
                "estimates": [],
                "later_excludes_early": 0,
                "intervals_overlap": 0,
                "ratio_excludes_1": 0,
            },
        )
        report["estimates"].append(r["id"])
        report["later_excludes_early"] += r["later_interval_excludes_early"]
        report["intervals_overlap"] += r["intervals_overlap"]
        report["ratio_excludes_1"] += r["ratio_interval_excludes_1"]
    by_report = list(reports.values())
    return {
        "comparisons": len(rows),
        "computed": len(done),
        "primary_computed": first is not None,
        "primary_later_excludes_early": None if first is None else first["later_interval_excludes_early"],
        "primary_intervals_overlap": None if first is None else first["intervals_overlap"],
        "primary_ratio_excludes_1": None if first is None else first["ratio_interval_excludes_1"],
        "nearest": nearest_time_points(rows),
        "sensitivity_estimates": sum(len(r["estimates"]) for r in by_report),
        "sensitivity_reports": len(by_report),
        "sensitivity_reports_all_exclude": sum(r["later_excludes_early"] == len(r["estimates"]) for r in by_report),
        "sensitivity_reports_none_exclude": sum(r["later_excludes_early"] == 0 for r in by_report),
        "sensitivity_by_report": by_report,
    }

"""The workflow's analysis steps run in-process on one cohort file, as the rules chain them, for
tests that need realistic results files without Snakemake (figures, tables, generated text).

Each function calls the same package functions as the rule of the same name; nothing here
computes a statistic of its own.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from conftest import CLAIMS, COHORT_SCHEMA, ROOT


def numbers_and_rows(cohort_path: str | Path, config: dict[str, Any], claims: list[dict[str, Any]]):
    """numbers.json and the verification rows (as read back from the CSV: strings) of a cohort file,
    with the evidence labels the workflow would give it (by content)."""
    from anakinra_replication.cohort import cohort_and_report
    from anakinra_replication.event_days import event_day_table
    from anakinra_replication.implied import implied_counts
    from anakinra_replication.jsonio import check_contract
    from anakinra_replication.numbers import assemble_numbers
    from anakinra_replication.proportions import outcome_numbers
    from anakinra_replication.relations import outcome_relations
    from anakinra_replication.survival import survival_numbers
    from anakinra_replication.verify import verification_rows

    arms, horizon, alpha = config["arms"], config["horizon_days"], config["alpha"]
    cohort, report = cohort_and_report(cohort_path, COHORT_SCHEMA, arms, horizon, config["inclusion_minimum"])
    inputs = {
        "cohort": cohort_path,
        "cohort_schema": COHORT_SCHEMA,
        "claims": CLAIMS,
        "config": ROOT / "config/config.yaml",
    }
    reconstruction = (ROOT / config["reconstruction"]["sha256_file"]).read_text(encoding="utf-8").split()[0]
    numbers = assemble_numbers(
        outcome_numbers(cohort, arms, alpha),
        survival_numbers(cohort, arms, horizon, alpha),
        outcome_relations(cohort, arms, horizon),
        implied_counts(claims, arms),
        inputs,
        {"arms": arms, "horizon_days": horizon, "alpha": alpha},
        reconstruction,
        report,
    )
    check_contract(numbers, "numbers.schema.yaml")  # as the rule checks it when writing
    assumptions = config["reconstruction"]["assumptions"] if numbers["cohort"]["is_reconstruction"] else None
    days = event_day_table(numbers["relations"], arms, horizon)
    rows = verification_rows(claims, numbers["outcomes"], assumptions, days, numbers["cohort"]["read"])
    return numbers, [{k: ("" if v is None else str(v)) for k, v in r.items()} for r in rows], cohort


def robustness(cohort, config: dict[str, Any]) -> dict[str, Any]:
    """robustness.json of a validated cohort (a coarse grid for the posteriors, as in .test/config:
    the tests check wiring, not precision)."""
    from anakinra_replication.jsonio import check_contract
    from anakinra_replication.questions import robustness_results
    from anakinra_replication.robustness import robustness_numbers

    settings = config["robustness"]
    bayes = {**settings["bayes"], "grid_points": 401}
    settings = {**settings, "bayes": bayes}
    numbers = robustness_numbers(cohort, config["arms"], config["horizon_days"], config["alpha"], settings)
    result = robustness_results(numbers)
    check_contract(result, "robustness.schema.yaml")  # as the rule checks it when writing
    return result

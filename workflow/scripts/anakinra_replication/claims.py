"""The reported numbers: data/reported/claims.yaml, and the register of later evidence
(data/context/later_evidence.yaml), each validated against its JSON Schema."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .jsonio import InputError, check_ids_and_sources, read_checked_yaml

NUMERIC_KINDS = ("n", "count", "percent", "p_value", "mean")


def load_claims(path: str | Path, schema_path: str | Path) -> list[dict[str, Any]]:
    """Return the list of claims, after checking the file against the schema.

    Besides the schema, ids must be unique and each claim must cite a listed source.
    """
    document = read_checked_yaml(path, schema_path, "claims")
    check_ids_and_sources(document, "claims", path, "claims")
    return document["claims"]


def load_register(path: str | Path, schema_path: str | Path) -> dict[str, Any]:
    """The register of later evidence, after its schema; ids unique, every entry citing a listed
    source, and the primary comparison naming a registered estimate."""
    document = read_checked_yaml(path, schema_path, "later evidence")
    check_ids_and_sources(document, "estimates", path, "later evidence")
    primary = document["primary_comparison"]["estimate"]
    if primary not in {e["id"] for e in document["estimates"]}:
        raise InputError(
            f"later evidence error: {path}, at primary_comparison/estimate: {primary!r} is not the id of an "
            "estimate (name one of estimates)"
        )
    return document


def reported_number(claim: dict[str, Any]) -> tuple[float, int]:
    """The printed value of a numeric claim as a number, and its number of decimals.

    "72%" -> (72.0, 0); "0.009" -> (0.009, 3).
    """
    text = claim["value"].rstrip("%")
    decimals = len(text.split(".")[1]) if "." in text else 0
    return float(text), decimals


def claim_index(claims: list[dict[str, Any]]) -> dict[tuple[str, str, str], dict[str, Any]]:
    """Claims keyed by (outcome, arm, kind), the coordinates used throughout the workflow."""
    return {(c["outcome"], c["arm"], c["kind"]): c for c in claims}

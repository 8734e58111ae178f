"""The patient-level cohort: reading data/cohort/patients.csv and checking it, loudly.

The columns are described by a Table Schema (data/cohort/patients.schema.json), the standard
machine-readable description of a CSV file. Column checks run through pandera; the rules that
tie columns together (a death day only for patients who died, ...) are checked here.
Every problem becomes one line naming the file, the row and the column.
"""
from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pandas as pd
import pandera.pandas as pa

from .jsonio import InputError

ARM_COLUMN = "arm"
ID_COLUMN = "patient_id"


def load_table_schema(path: str | Path) -> dict[str, Any]:
    """Read the cohort's Table Schema (JSON)."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


def pandera_schema(table_schema: dict[str, Any], arms: list[str], horizon_days: int) -> pa.DataFrameSchema:
    """Translate the Table Schema into a pandera schema, with arm names and horizon from config.

    Written here rather than with pandera's ``from_frictionless_schema`` because that maps
    optional integer fields to ``int64``, which rejects the empty cells they are allowed to have.
    """
    columns = {}
    for field in table_schema["fields"]:
        c = field.get("constraints", {})
        checks = []
        if "enum" in c:
            allowed = arms if field["name"] == ARM_COLUMN else c["enum"]
            checks.append(pa.Check.isin(allowed))
        if "minimum" in c or "maximum" in c:
            high = horizon_days if field.get("unit") == "days" else c.get("maximum")
            checks.append(pa.Check.in_range(c.get("minimum"), high) if high is not None else pa.Check.ge(c["minimum"]))
        dtype = {"integer": "Int64", "number": "Float64", "string": str}[field["type"]]
        columns[field["name"]] = pa.Column(
            dtype, checks, nullable=not c.get("required", False), unique=c.get("unique", False),
            required=not field.get("optional", False), description=field.get("description"))
    return pa.DataFrameSchema(columns, strict=True, coerce=True)


def decode_utf8(path: str | Path) -> str:
    """The file's text; a byte-order mark is dropped, bytes that are not UTF-8 are an error."""
    raw = Path(path).read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise InputError(
            f"cohort error: {path}, line {line}: text is not UTF-8 (byte 0x{raw[err.start]:02x}); "
            "save the file as UTF-8") from None


def read_cohort(path: str | Path, schema_path: str | Path, arms: list[str], horizon_days: int,
                inclusion: dict[str, float]) -> pd.DataFrame:
    """Read and validate the cohort; raise :class:`InputError` naming the first problem found.

    ``inclusion`` gives the inclusion thresholds (column -> minimum); when all those columns are
    present, each patient must reach at least one of them.
    """
    text = decode_utf8(path)
    try:
        raw = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_values=[""])
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as err:
        raise InputError(f"cohort error: {path}: not a readable CSV table ({err})") from None
    table_schema = load_table_schema(schema_path)
    schema = pandera_schema(table_schema, arms, horizon_days)
    where = _Locator(path, raw)
    try:
        cohort = schema.validate(raw, lazy=True)
    except pa.errors.SchemaErrors as err:
        raise InputError(where.describe_failures(err.failure_cases, list(schema.columns))) from None
    _check_row_rules(cohort, where, inclusion)
    return cohort


class _Locator:
    """Turns a data-frame index and a column into 'file, row R (line L, patient_id X), column C'."""

    def __init__(self, path: str | Path, raw: pd.DataFrame) -> None:
        self.path, self.raw = path, raw

    def at(self, index: int, column: str) -> str:
        """Where a cell is: data row (1 = first row after the header), file line, patient id."""
        pid = self.raw[ID_COLUMN].iloc[index] if ID_COLUMN in self.raw else None
        who = f", {ID_COLUMN} {pid}" if isinstance(pid, str) and pid else ""
        return f"cohort error: {self.path}, row {index + 1} (line {index + 2}{who}), column {column}"

    def describe_failures(self, failures: pd.DataFrame, column_order: list[str]) -> str:
        """One line for the first failure (in file order), with a count of the others."""
        failures = failures.copy()
        failures["row"] = pd.to_numeric(failures["index"], errors="coerce")
        failures["col"] = failures["column"].map({c: i for i, c in enumerate(column_order)})
        cell_failures = failures.dropna(subset=["row"])
        table_failures = failures[failures["row"].isna() & (failures["schema_context"] == "DataFrameSchema")]
        if len(table_failures):  # a missing or unexpected column: nothing else is meaningful
            first = table_failures.iloc[0]
            return f"cohort error: {self.path}, column {first['failure_case']}: {_explain(first)}"
        cell_failures = cell_failures.sort_values(["row", "col"], kind="stable").drop_duplicates(["row", "column"])
        first = cell_failures.iloc[0]
        more = len(cell_failures) - 1
        tail = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
        return f"{self.at(int(first['row']), first['column'])}: {_explain(first)}{tail}"


def _explain(failure: pd.Series) -> str:
    """Plain words for one pandera failure case."""
    check, value = str(failure["check"]), failure["failure_case"]
    if check == "column_in_dataframe":
        return "required column is missing"
    if check == "column_in_schema":
        return "unexpected column (the schema does not list it)"
    if check == "not_nullable":
        return "value is empty but required"
    if check == "field_uniqueness":
        return f"value {value!r} appears more than once (must be unique)"
    if check.startswith(("coerce_dtype", "dtype")):
        wanted = "a whole number" if "Int64" in check else "a number" if "Float64" in check else "text"
        return f"value {value!r} is not {wanted}"
    if check.startswith("isin"):
        allowed = check[check.index("[") + 1 : check.rindex("]")].replace("'", "")
        return f"value {value!r} is not one of {allowed}"
    if check.startswith("in_range"):
        bounds = check[check.index("(") + 1 : check.rindex(")")].replace(", ", "..")
        return f"value {value} is outside {bounds}"
    if check.startswith("greater_than_or_equal_to"):
        return f"value {value} is below the minimum {check[check.index('(') + 1 : check.rindex(')')]}"
    return f"value {value!r} fails check {check}"


def _check_row_rules(cohort: pd.DataFrame, where: _Locator, inclusion: dict[str, float]) -> None:
    """Rules across columns (the schema's rowRules), first violation in file order."""
    died, vent = cohort["died"] == 1, cohort["mech_vent"] == 1
    rules = [
        ("death_day", died & cohort["death_day"].isna(), "died = 1 but death_day is empty"),
        ("death_day", ~died & cohort["death_day"].notna(), "death_day is given but died = 0"),
        ("mech_vent_day", vent & cohort["mech_vent_day"].isna(), "mech_vent = 1 but mech_vent_day is empty"),
        ("mech_vent_day", ~vent & cohort["mech_vent_day"].notna(), "mech_vent_day is given but mech_vent = 0"),
        ("followup_days", died & (cohort["followup_days"] != cohort["death_day"]).fillna(False),
         "followup_days differs from death_day for a patient who died"),
        ("mech_vent_day", (cohort["mech_vent_day"] > cohort["death_day"]).fillna(False),
         "mech_vent_day is after death_day"),
    ]
    if set(inclusion) <= set(cohort.columns):
        included = pd.concat([cohort[c] >= low for c, low in inclusion.items()], axis=1).fillna(False).any(axis=1)
        needs = " or ".join(f"{c} >= {low:g}" for c, low in inclusion.items())
        rules.append((next(iter(inclusion)), ~included, f"inclusion rule not met (needs {needs})"))
    broken = [(int(mask.to_numpy().nonzero()[0][0]), column, why) for column, mask, why in rules if mask.any()]
    if broken:
        row, column, why = min(broken)
        raise InputError(f"{where.at(row, column)}: {why}")


def write_validated(cohort: pd.DataFrame, path: str | Path) -> None:
    """Write the validated cohort as plain UTF-8 CSV with LF line ends (byte-stable)."""
    cohort.to_csv(path, index=False, lineterminator="\n")


def read_validated(path: str | Path) -> pd.DataFrame:
    """Read a cohort written by :func:`write_validated` (already checked, so no checks here)."""
    return pd.read_csv(path, dtype={ID_COLUMN: str, ARM_COLUMN: str}).convert_dtypes()

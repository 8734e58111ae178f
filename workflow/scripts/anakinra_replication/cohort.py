"""The patient-level cohort: reading data/cohort/patients.csv and checking it, loudly.

The columns are described by a Table Schema (data/cohort/patients.schema.json), the standard
machine-readable description of a CSV file. Column checks run through pandera; the rules that
tie columns together (a death day only for patients who died, ...) are checked here, and so is
the one thing that makes a cohort comparable at all: patients in every arm. The file is first
read as spreadsheets export it (module ``spreadsheet``). Every problem becomes one line naming
the file, the row and the column.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pandera.pandas as pa

from .jsonio import InputError
from .relations import censored_before_horizon
from .spreadsheet import SEPARATORS, Sheet, binary_columns, read_sheet

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
            dtype,
            checks,
            nullable=not c.get("required", False),
            unique=c.get("unique", False),
            required=not field.get("optional", False),
            description=field.get("description"),
        )
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
            "save the file as UTF-8"
        ) from None


def read_cohort(
    path: str | Path, schema_path: str | Path, arms: list[str], horizon_days: int, inclusion: dict[str, float]
) -> pd.DataFrame:
    """Read and validate the cohort; raise :class:`InputError` naming the first problem found.

    ``inclusion`` gives the inclusion thresholds (column -> minimum); when all those columns are
    present, each patient must reach at least one of them.
    """
    return cohort_and_report(path, schema_path, arms, horizon_days, inclusion)[0]


def cohort_and_report(
    path: str | Path, schema_path: str | Path, arms: list[str], horizon_days: int, inclusion: dict[str, float]
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The validated cohort, and a report of how the file was read (see :func:`input_report`).

    Accepts the file as spreadsheets export it (see the docstring of module ``spreadsheet``): the
    separator is recognised from the header, blank rows and unknown columns are set aside,
    and the usual spellings of numbers and yes/no answers are normalised before validation.
    """
    table_schema = load_table_schema(schema_path)
    sheet = read_sheet(decode_utf8(path), table_schema, path)
    schema = pandera_schema(table_schema, arms, horizon_days)
    where = _Locator(path, sheet.table, sheet.lines, arms, binary_columns(table_schema))
    if sheet.table.empty:
        raise InputError(f"cohort error: {path}: no patient rows (only a header); add one row per patient")
    try:
        cohort = schema.validate(sheet.table, lazy=True)
    except pa.errors.SchemaErrors as err:
        raise InputError(where.describe_failures(err.failure_cases, list(schema.columns))) from None
    _check_both_arms(cohort, path, arms)
    _check_row_rules(cohort, where, inclusion)
    return cohort, input_report(cohort, sheet, arms, horizon_days)


def input_report(cohort: pd.DataFrame, sheet: Sheet, arms: list[str], horizon_days: int) -> dict[str, Any]:
    """How the file was read, for the log and the document's data section.

    ``rows_read``: patient rows; ``blank_rows_ignored``: rows with no value in any cell;
    ``ignored_columns``: columns the schema does not describe, in file order; ``separator``:
    what split the cells; ``decimal_comma``: whether decimal commas were read (semicolon files); ``patients`` and
    ``censored_before_horizon``: per arm, all patients and survivors followed less than the horizon.
    """
    by_arm = {arm: cohort[cohort[ARM_COLUMN] == arm] for arm in arms}
    return {
        "rows_read": len(cohort),
        "blank_rows_ignored": sheet.blank_rows,
        "ignored_columns": sheet.ignored_columns,
        "separator": SEPARATORS[sheet.separator],
        "decimal_comma": sheet.decimal_comma,
        "patients": {arm: len(rows) for arm, rows in by_arm.items()},
        "censored_before_horizon": {arm: censored_before_horizon(rows, horizon_days) for arm, rows in by_arm.items()},
    }


def report_lines(report: dict[str, Any]) -> list[str]:
    """The input report in words, one fact a line (for the rule's log)."""
    ignored = ", ".join(report["ignored_columns"]) or "none"
    censored = ", ".join(f"{arm} {n}" for arm, n in report["censored_before_horizon"].items())
    return [
        f"patient rows read: {report['rows_read']}; blank rows ignored: {report['blank_rows_ignored']}",
        f"separator: {report['separator']}; decimal comma: {'yes' if report['decimal_comma'] else 'no'}",
        f"columns ignored (not in the schema): {ignored}",
        f"survivors censored before the horizon: {censored}",
    ]


def _check_both_arms(cohort: pd.DataFrame, path: str | Path, arms: list[str]) -> None:
    """Both arms need patients: without one of them nothing can be compared."""
    counts = cohort[ARM_COLUMN].value_counts()
    empty = [arm for arm in arms if counts.get(arm, 0) == 0]
    if empty:
        found = ", ".join(f"{arm} {int(counts.get(arm, 0))}" for arm in arms)
        raise InputError(
            f"cohort error: {path}, column {ARM_COLUMN}: no patient in arm {empty[0]!r} "
            f"(patients per arm: {found}); the comparison needs patients in both arms"
        )


class _Locator:
    """Turns a data-frame index and a column into 'file, row R (line L, patient_id X), column C'."""

    def __init__(
        self, path: str | Path, raw: pd.DataFrame, lines: list[int], arms: list[str], binary: set[str]
    ) -> None:
        self.path, self.raw, self.lines, self.arms, self.binary = path, raw, lines, arms, binary

    def at(self, index: int, column: str) -> str:
        """Where a cell is: patient row (1 = first non-blank row after the header), file line
        (as a text editor counts them, blank lines included), patient id."""
        pid = self.raw[ID_COLUMN].iloc[index] if ID_COLUMN in self.raw else None
        who = f", {ID_COLUMN} {pid}" if isinstance(pid, str) and pid else ""
        return f"cohort error: {self.path}, row {index + 1} (line {self.lines[index]}{who}), column {column}"

    def describe_failures(self, failures: pd.DataFrame, column_order: list[str]) -> str:
        """One line for the first failure (in file order), with a count of the others."""
        failures = failures.copy()
        failures["row"] = pd.to_numeric(failures["index"], errors="coerce")
        failures["col"] = failures["column"].map({c: i for i, c in enumerate(column_order)})
        cell_failures = failures.dropna(subset=["row"])
        table_failures = failures[failures["row"].isna() & (failures["schema_context"] == "DataFrameSchema")]
        if len(table_failures):  # a missing or unexpected column: nothing else is meaningful
            first = table_failures.iloc[0]
            return (
                f"cohort error: {self.path}, column {first['failure_case']}: {_explain(first, self.arms, self.binary)}"
            )
        unreadable = cell_failures["check"].astype(str).str.startswith(("coerce_dtype", "dtype"))
        # a column that could not be read as numbers fails its other checks everywhere: show the cause
        consequence = cell_failures["column"].isin(cell_failures.loc[unreadable, "column"]) & ~unreadable
        cell_failures = cell_failures[~consequence]
        cell_failures = cell_failures.sort_values(["row", "col"], kind="stable").drop_duplicates(["row", "column"])
        first = cell_failures.iloc[0]
        more = len(cell_failures) - 1
        tail = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
        return f"{self.at(int(first['row']), first['column'])}: {_explain(first, self.arms, self.binary)}{tail}"


def _explain(failure: pd.Series, arms: list[str], binary: set[str]) -> str:
    """Plain words for one pandera failure case, with the fix when there is an obvious one."""
    check, value, column = str(failure["check"]), failure["failure_case"], failure["column"]
    if check == "column_in_dataframe":
        return "required column is missing"
    if check == "column_in_schema":
        return "unexpected column (the schema does not list it)"
    if check == "not_nullable":
        return "value is empty but required"
    if check == "field_uniqueness":
        return f"value {value!r} appears more than once (must be unique)"
    if check.startswith(("coerce_dtype", "dtype")) and column in binary:
        return f"value {value!r} is not a yes/no answer (write 0/1, true/false or yes/no)"
    if check.startswith(("coerce_dtype", "dtype")):
        wanted = "a whole number" if "Int64" in check else "a number" if "Float64" in check else "text"
        hint = (
            ("; write decimals with a point, or with a comma in a semicolon-separated file, and no thousands separator")
            if "," in str(value)
            else ""
        )
        return f"value {value!r} is not {wanted}{hint}"
    if check.startswith("isin") and column == ARM_COLUMN:
        same = [arm for arm in arms if arm.casefold() == str(value).strip().casefold()]
        hint = f"; did you mean {same[0]!r}? (arm names are matched exactly, case included)" if same else ""
        return f"value {value!r} is not one of {', '.join(arms)}{hint}"
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
    """Rules across columns (the schema's rowRules): the first violation in file order, and on
    one row the first rule of this list; values in braces are filled in from that row."""
    died, vent = cohort["died"] == 1, cohort["mech_vent"] == 1
    death, vent_day, follow = cohort["death_day"], cohort["mech_vent_day"], cohort["followup_days"]
    rules = [
        ("death_day", died & death.isna(), "died = 1 but death_day is empty"),
        ("death_day", ~died & death.notna(), "death_day is given but died = 0"),
        ("mech_vent_day", vent & vent_day.isna(), "mech_vent = 1 but mech_vent_day is empty"),
        ("mech_vent_day", ~vent & vent_day.notna(), "mech_vent_day is given but mech_vent = 0"),
        (
            "death_day",
            (death > follow).fillna(False),
            "death on day {death_day} is after the end of follow-up (followup_days {followup_days}); "
            "for a patient who died, followup_days is the death day",
        ),
        (
            "followup_days",
            died & (follow != death).fillna(False),
            "followup_days {followup_days} differs from death_day {death_day} for a patient who died; "
            "follow-up ends at death",
        ),
        (
            "mech_vent_day",
            (vent_day > follow).fillna(False),
            "ventilation on day {mech_vent_day} is after the end of follow-up (followup_days {followup_days}); "
            "correct one of the two days",
        ),
        (
            "mech_vent_day",
            (vent_day > death).fillna(False),
            "mech_vent_day {mech_vent_day} is after death_day {death_day}",
        ),
    ]
    if set(inclusion) <= set(cohort.columns):
        included = pd.concat([cohort[c] >= low for c, low in inclusion.items()], axis=1).fillna(False).any(axis=1)
        needs = " or ".join(f"{c} >= {low:g}" for c, low in inclusion.items())
        rules.append((next(iter(inclusion)), ~included, f"inclusion rule not met (needs {needs})"))
    broken = [(int(mask.to_numpy().nonzero()[0][0]), order) for order, (_, mask, _) in enumerate(rules) if mask.any()]
    if broken:
        row, order = min(broken)
        column, _, why = rules[order]
        values = {name: _shown(cohort[name].iloc[row]) for name in cohort.columns}
        raise InputError(f"{where.at(row, column)}: {why.format(**values)}")


def _shown(value: Any) -> str:
    """A cell as a person wrote it: whole numbers without '.0', empty for missing."""
    return "" if pd.isna(value) else str(value)


def write_validated(cohort: pd.DataFrame, path: str | Path) -> None:
    """Write the validated cohort as plain UTF-8 CSV with LF line ends (byte-stable)."""
    cohort.to_csv(path, index=False, lineterminator="\n")


def read_validated(path: str | Path) -> pd.DataFrame:
    """Read a cohort written by :func:`write_validated` (already checked, so no checks here)."""
    return pd.read_csv(path, dtype={ID_COLUMN: str, ARM_COLUMN: str}).convert_dtypes()

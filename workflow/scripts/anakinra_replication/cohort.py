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
from .mapping import Mapping, closest, guess_header, load_mapping
from .relations import censored_before_horizon
from .spreadsheet import Sheet, binary_columns, file_kind, read_sheet, read_workbook, shown_name

ARM_COLUMN = "arm"
ID_COLUMN = "patient_id"
# Columns that may be empty although the analysis reads them: a claim that needs the value is
# computed on the patients who have it, and says on how many (the schema's "missing" says the same).
OPTIONAL_WHEN_EMPTY = ("age_years",)


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
            f"cohort error: {shown_name(path)}, line {line}: text is not UTF-8 (byte 0x{raw[err.start]:02x}); "
            "save the file as UTF-8 (or give the .xlsx or .ods workbook itself)"
        ) from None


def load_sheet(path: str | Path, table_schema: dict[str, Any], mapping: Mapping) -> Sheet:
    """The file's cells, whatever it is: CSV text in any dialect, an .xlsx or .ods workbook; any
    other binary file stops with a message naming its type (module ``spreadsheet``)."""
    kind = file_kind(path)
    if kind == "text":
        return read_sheet(decode_utf8(path), table_schema, path, mapping)
    return read_workbook(path, kind, table_schema, mapping)


def read_cohort(
    path: str | Path,
    schema_path: str | Path,
    arms: list[str],
    horizon_days: int,
    inclusion: dict[str, float],
    mapping_path: str | Path | None = None,
) -> pd.DataFrame:
    """Read and validate the cohort; raise :class:`InputError` naming every problem found.

    ``inclusion`` gives the inclusion thresholds (column -> minimum); when all those columns are
    present, each patient must reach at least one of them.
    """
    return cohort_and_report(path, schema_path, arms, horizon_days, inclusion, mapping_path)[0]


def cohort_and_report(
    path: str | Path,
    schema_path: str | Path,
    arms: list[str],
    horizon_days: int,
    inclusion: dict[str, float],
    mapping_path: str | Path | None = None,
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The validated cohort, and a report of how the file was read (see :func:`input_report`).

    Accepts the file as spreadsheets export it (see the docstring of module ``spreadsheet``),
    with the site's own headers, arm labels and yes/no words when a mapping (module ``mapping``)
    is given. Every problem of the file is collected and named at once, one line each (at most
    :data:`MAX_SHOWN`, then a count): missing columns, unreadable cells, broken row rules.
    """
    table_schema = load_table_schema(schema_path)
    mapping = load_mapping(mapping_path, table_schema, arms)
    sheet = load_sheet(path, table_schema, mapping)
    name = shown_name(path)
    missing = _missing_columns(sheet, table_schema, name, mapping)
    if missing:
        raise InputError("\n".join(missing))
    if sheet.table.empty and not sheet.problems:
        raise InputError(f"cohort error: {name}: no patient rows (only a header); add one row per patient")
    schema = pandera_schema(table_schema, arms, horizon_days)
    where = _Locator(name, sheet.table, sheet.lines, arms, binary_columns(table_schema), mapping)
    problems: list[tuple[tuple[int, int], str]] = [((-1, k), text) for k, text in enumerate(sheet.problems)]
    cohort, failures = _validated_rows(schema, sheet.table, where)
    problems += failures
    arm_failed = any(f" column {ARM_COLUMN}:" in text for _, text in failures)
    if cohort is not None and not arm_failed and not sheet.problems:
        problems += _check_both_arms(cohort, name, arms)
    if cohort is not None:
        problems += _check_row_rules(cohort, where, inclusion)
    if problems:
        raise InputError(problem_list([text for _, text in sorted(problems, key=lambda p: p[0])], name))
    report = input_report(cohort, sheet, arms, horizon_days)
    report["mapping"] = mapping.name
    report["inclusion_checked"] = bool(inclusion) and set(inclusion) <= set(cohort.columns)
    return cohort, report


MAX_SHOWN = 30  # problems listed in full; a count says how many more there are


def problem_list(problems: list[str], name: str) -> str:
    """Every problem, one line each, up to :data:`MAX_SHOWN`; with more than one, a last line
    counting them (and those not shown)."""
    if len(problems) == 1:
        return problems[0]
    shown = problems[:MAX_SHOWN]
    rest = len(problems) - len(shown)
    tail = f", the first {len(shown)} listed above ({rest} more not shown)" if rest else ", listed above"
    return "\n".join([*shown, f"cohort error: {name}: {len(problems)} problems in all{tail}; fix them and run again"])


def _missing_columns(sheet: Sheet, table_schema: dict[str, Any], name: str, mapping: Mapping) -> list[str]:
    """One line per required column the file lacks, with the closest header it has and a pointer
    to the mapping; empty when every required column is there."""
    present = set(sheet.table.columns)
    others = [h for h in sheet.headers if h not in present and not h.startswith("(unnamed")]
    lines = []
    for field in table_schema["fields"]:
        column = field["name"]
        if column in present or field.get("optional"):
            continue
        if column in mapping.columns:
            close = closest(mapping.columns[column], others)
            lines.append(
                f"mapping error: {mapping.name}, columns: {column}: the file {name} has no header "
                f"{mapping.columns[column]!r}" + (f"; did you mean {close!r}?" if close else "")
            )
            continue
        guess = guess_header(column, others)
        hint = f"; the closest header in the file is {guess!r}" if guess else ""
        lines.append(f"cohort error: {name}, column {column}: required column is missing{hint}")
    pointer = (
        f"if the file names {'them' if len(lines) > 1 else 'it'} otherwise, map its headers: "
        f"`make mapping COHORT={name}` writes a starting mapping; then run make with MAP=that-file "
        "(README: 'Running on your own data')"
    )
    if len(lines) == 1 and not mapping.name:
        lines[0] += f"; {pointer}"
    elif len(lines) > 1:
        lines.append(f"cohort error: {name}: {len(lines)} required columns are missing; {pointer}")
    return lines


def _validated_rows(
    schema: pa.DataFrameSchema, table: pd.DataFrame, where: _Locator
) -> tuple[pd.DataFrame | None, list[tuple[tuple[int, int], str]]]:
    """The validated rows (those without a cell problem, so that the row rules can run on them)
    and every cell problem, keyed by (row, column) for sorting."""
    try:
        return schema.validate(table, lazy=True), []
    except pa.errors.SchemaErrors as err:
        failures = where.describe_failures(err.failure_cases, list(schema.columns))
    bad_rows = sorted({key[0] for key, _ in failures if key[0] >= 0})
    try:
        return schema.validate(table.drop(index=bad_rows), lazy=True), failures
    except pa.errors.SchemaErrors:
        return None, failures


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
        "separator": sheet.separator,
        "format": sheet.format,
        "missing_values": {c: int(n) for c, n in cohort.isna().sum().items() if n and c in OPTIONAL_WHEN_EMPTY},
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


def _check_both_arms(cohort: pd.DataFrame, name: str, arms: list[str]) -> list[tuple[tuple[int, int], str]]:
    """Both arms need patients: without one of them nothing can be compared."""
    counts = cohort[ARM_COLUMN].value_counts()
    empty = [arm for arm in arms if counts.get(arm, 0) == 0]
    found = ", ".join(f"{arm} {int(counts.get(arm, 0))}" for arm in arms)
    return [
        (
            (-1, 0),
            f"cohort error: {name}, column {ARM_COLUMN}: no patient in arm {arm!r} "
            f"(patients per arm: {found}); the comparison needs patients in both arms",
        )
        for arm in empty
    ]


class _Locator:
    """Turns a data-frame index and a column into 'file, row R (line L, patient_id X), column C'."""

    def __init__(
        self, name: str, raw: pd.DataFrame, lines: list[int], arms: list[str], binary: set[str], mapping: Mapping
    ) -> None:
        self.name, self.raw, self.lines, self.arms, self.binary, self.mapping = name, raw, lines, arms, binary, mapping
        self.labels = [label for arm in arms for label in mapping.arms.get(arm, [])]

    def at(self, index: int, column: str) -> str:
        """Where a cell is: patient row (1 = first non-blank row after the header), file line
        (as a text editor counts them, blank lines included; a workbook's row number), patient id."""
        pid = self.raw[ID_COLUMN].iloc[index] if ID_COLUMN in self.raw else None
        who = f", {ID_COLUMN} {pid}" if isinstance(pid, str) and pid else ""
        header = self.mapping.columns.get(column)
        shown = f"{column} (header {header!r})" if header else column
        return f"cohort error: {self.name}, row {index + 1} (line {self.lines[index]}{who}), column {shown}"

    def describe_failures(self, failures: pd.DataFrame, column_order: list[str]) -> list[tuple[tuple[int, int], str]]:
        """One line per failing cell (in file order), keyed by (row, column position); a column
        that could not be read as numbers is named once per cell for that cause only."""
        failures = failures.copy()
        failures["row"] = pd.to_numeric(failures["index"], errors="coerce")
        failures["col"] = failures["column"].map({c: i for i, c in enumerate(column_order)})
        cell_failures = failures.dropna(subset=["row"])
        table_failures = failures[failures["row"].isna() & (failures["schema_context"] == "DataFrameSchema")]
        found = [
            (
                (-1, 0),
                f"cohort error: {self.name}, column {f['failure_case']}: "
                + _explain(f, self.arms, self.binary, self.labels),
            )
            for _, f in table_failures.iterrows()
        ]
        unreadable = cell_failures["check"].astype(str).str.startswith(("coerce_dtype", "dtype"))
        # a cell that could not be read as a number fails its other checks too: show the cause
        unreadable_cells = set(zip(cell_failures.loc[unreadable, "row"], cell_failures.loc[unreadable, "column"]))
        consequence = pd.Series(
            [(r, c) in unreadable_cells for r, c in zip(cell_failures["row"], cell_failures["column"])],
            index=cell_failures.index,
        )
        cell_failures = cell_failures[~(consequence & ~unreadable)]
        cell_failures = cell_failures.sort_values(["row", "col"], kind="stable").drop_duplicates(["row", "column"])
        for _, f in cell_failures.iterrows():
            row = int(f["row"])
            found.append(
                (
                    (row, int(f["col"])),
                    f"{self.at(row, f['column'])}: {_explain(f, self.arms, self.binary, self.labels)}",
                )
            )
        return found


def _arm_problem(value: str, arms: list[str], labels: list[str]) -> str:
    """Why an arm value is refused, with the closest accepted spelling: a mapping's labels (when
    it lists any) or the package's arm names."""
    accepted = labels or arms
    same = [x for x in accepted if x.casefold() == value.strip().casefold()]
    near = closest(value, accepted)
    hint = (
        f"; did you mean {same[0]!r}? (arm names are matched exactly, case included)"
        if same and not labels
        else f"; did you mean {near!r}?"
        if near
        else ""
    )
    if labels:
        return f"value {value!r} is none of the labels the mapping lists ({', '.join(labels)}){hint}"
    mapped = " (a site's own labels: list them under arms: in a mapping)"
    return f"value {value!r} is not one of {', '.join(arms)}{hint}{mapped}"


def _explain(failure: pd.Series, arms: list[str], binary: set[str], labels: list[str] = ()) -> str:
    """Plain words for one pandera failure case, with the fix when there is an obvious one
    (``labels``: the arm labels a mapping lists, if any)."""
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
        return _arm_problem(str(value), arms, labels)
    if check.startswith("isin"):
        allowed = check[check.index("[") + 1 : check.rindex("]")].replace("'", "")
        return f"value {value!r} is not one of {allowed}"
    if check.startswith("in_range"):
        bounds = check[check.index("(") + 1 : check.rindex(")")].replace(", ", "..")
        return f"value {value} is outside {bounds}"
    if check.startswith("greater_than_or_equal_to"):
        return f"value {value} is below the minimum {check[check.index('(') + 1 : check.rindex(')')]}"
    return f"value {value!r} fails check {check}"


def _check_row_rules(
    cohort: pd.DataFrame, where: _Locator, inclusion: dict[str, float]
) -> list[tuple[tuple[int, int], str]]:
    """Rules across columns (the schema's rowRules): every violation, keyed by (row, column
    position) for file order; values in braces are filled in from that row. ``cohort`` keeps the
    index of the file's rows (rows with a cell problem are left out)."""
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
            died & (follow != death).fillna(False) & ~(death > follow).fillna(False),  # not said twice
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
    order = {c: i for i, c in enumerate(cohort.columns)}
    found = []
    for column, mask, why in rules:
        for index in cohort.index[mask.to_numpy(dtype=bool)]:
            values = {name: _shown(cohort.at[index, name]) for name in cohort.columns}
            found.append(((int(index), order[column]), f"{where.at(int(index), column)}: {why.format(**values)}"))
    return found


def _shown(value: Any) -> str:
    """A cell as a person wrote it: whole numbers without '.0', empty for missing."""
    return "" if pd.isna(value) else str(value)


def write_validated(cohort: pd.DataFrame, path: str | Path) -> None:
    """Write the validated cohort as plain UTF-8 CSV with LF line ends (byte-stable)."""
    cohort.to_csv(path, index=False, lineterminator="\n")


def read_validated(path: str | Path) -> pd.DataFrame:
    """Read a cohort written by :func:`write_validated` (already checked, so no checks here)."""
    return pd.read_csv(path, dtype={ID_COLUMN: str, ARM_COLUMN: str}).convert_dtypes()

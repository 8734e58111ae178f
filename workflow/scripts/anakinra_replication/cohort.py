"""The patient-level cohort: reading data/cohort/patients.csv and checking it, loudly.

The columns are described by a Table Schema (data/cohort/patients.schema.json), the standard
machine-readable description of a CSV file. Column checks run through pandera; the rules that
tie columns together (a death day only for patients who died, ...) are checked here, and so is
the one thing that makes a cohort comparable at all: patients in every arm. The file is first
read as spreadsheets export it (module ``spreadsheet``), translated by the site's mapping (module
``mapping``; day columns computed from dates by module ``dates``), checked here on the user's own
days, and only then censored at the horizon (module ``horizon``). Every problem becomes one line
naming the file, the row and the column (a workbook's sheet and cell; a date's own column).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pandas as pd
import pandera.pandas as pa

from .dates import days_from_dates, looks_like_dates
from .horizon import censor_at_horizon
from .jsonio import InputError
from .labels import censored_at_horizon_words
from .mapping import (
    DATE_MARK,
    START,
    Mapping,
    closest,
    date_key,
    day_fields,
    guess_header,
    load_mapping,
    values_line,
    yes_or_no,
)
from .relations import censored_before_horizon
from .spreadsheet import (
    Sheet,
    binary_columns,
    column_letter,
    decode_text,
    file_kind,
    find_headers,
    read_sheet,
    read_workbook,
    shown_name,
)

ARM_COLUMN = "arm"
ID_COLUMN = "patient_id"
# Columns that may be empty although the analysis reads them: a claim that needs the value is
# computed on the patients who have it, and says on how many (the schema's "missing" says the same).
OPTIONAL_WHEN_EMPTY = ("age_years",)


def load_table_schema(path: str | Path) -> dict[str, Any]:
    """Read the cohort's Table Schema (JSON)."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


def pandera_schema(table_schema: dict[str, Any], arms: list[str]) -> pa.DataFrameSchema:
    """Translate the Table Schema into a pandera schema, with arm names from config.

    Days (unit "days") have no upper bound here: what lies after the horizon is censored at it once
    the rows are checked (module ``horizon``). Written here rather than with pandera's
    ``from_frictionless_schema`` because that maps optional integer fields to ``int64``, which
    rejects the empty cells they are allowed to have.
    """
    columns = {}
    for field in table_schema["fields"]:
        c = field.get("constraints", {})
        checks = []
        if "enum" in c:
            allowed = arms if field["name"] == ARM_COLUMN else c["enum"]
            checks.append(pa.Check.isin(allowed))
        if "minimum" in c or "maximum" in c:
            high = None if field.get("unit") == "days" else c.get("maximum")
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


def load_sheet(path: str | Path, table_schema: dict[str, Any], mapping: Mapping) -> Sheet:
    """The file's cells, whatever it is: CSV text in any dialect and the mapping's encoding, an
    .xlsx or .ods workbook; any other binary file stops with a message naming its type (module
    ``spreadsheet``)."""
    kind = file_kind(path)
    if kind == "text":
        return read_sheet(decode_text(path, mapping.encoding), table_schema, path, mapping)
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
    """The validated cohort, censored at the horizon, and a report of how the file was read (see
    :func:`input_report`).

    Accepts the file as spreadsheets export it (see the docstring of module ``spreadsheet``),
    with the site's own headers, arm labels, yes/no words, encoding, header row and dates when a
    mapping (module ``mapping``) is given. Every problem of the file is collected and named at
    once, one line each (at most :data:`MAX_SHOWN`, then a count): missing columns, unreadable
    cells and dates, broken row rules. Rows are checked on the user's own days; what lies after
    the horizon is censored only then (module ``horizon``).
    """
    table_schema = load_table_schema(schema_path)
    mapping = load_mapping(mapping_path, table_schema, arms)
    sheet = load_sheet(path, table_schema, mapping)
    name = shown_name(path)
    missing = _missing_columns(sheet, table_schema, name, mapping, path)
    if missing:
        raise InputError("\n".join(missing))
    if sheet.table.empty and not sheet.problems:
        raise InputError(f"cohort error: {name}: no patient rows (only a header); add one row per patient")
    cohort, problems = _checked(sheet, table_schema, mapping, arms, inclusion, name)
    if problems:
        raise InputError(problem_list(problems, name))
    cohort, censored = censor_at_horizon(cohort, arms, horizon_days)
    report = input_report(cohort, sheet, arms, horizon_days)
    report["censored_at_horizon"] = censored
    report["dates"] = bool(mapping.day_columns_from_dates())
    report["mapping"] = mapping.name
    report["inclusion_checked"] = bool(inclusion) and set(inclusion) <= set(cohort.columns)
    return cohort, report


def _checked(
    sheet: Sheet,
    table_schema: dict[str, Any],
    mapping: Mapping,
    arms: list[str],
    inclusion: dict[str, float],
    name: str,
) -> tuple[pd.DataFrame | None, list[str]]:
    """The sheet's rows checked on the user's own days (dates made days first): the validated
    rows, and every problem in file order (rows that do not fit the header, dates, unreadable
    cells, the schema's checks, both arms, the row rules). A cell already named is not named
    again for what follows from it."""
    where = _Locator(name, sheet, arms, binary_columns(table_schema), mapping)
    problems: list[tuple[tuple[int, int], str]] = [((-1, k), text) for k, text in enumerate(sheet.problems)]
    date_problems, dated_rows = days_from_dates(sheet.table, sheet.dates, mapping, sheet.table.get("died"))
    problems += [where.date_problem(*p) for p in date_problems]
    known = [f["name"] for f in table_schema["fields"]]
    table, cell_problems, unread = _unreadable_cells(
        sheet.table[[c for c in known if c in sheet.table.columns]], table_schema, where, mapping
    )
    problems += cell_problems
    skip = unread | {(r, c) for r in dated_rows for c in mapping.day_columns_from_dates()} | _consequences(unread)
    cohort, failures = _validated_rows(pandera_schema(table_schema, arms), table, where, skip)
    problems += failures
    arm_failed = any(f" column {ARM_COLUMN}" in text for _, text in failures)
    if not arm_failed and not sheet.problems and ARM_COLUMN not in {c for _, c in unread}:
        problems += _check_both_arms(table, name, arms)
    if cohort is not None:
        problems += _check_row_rules(cohort, where, inclusion)
    return cohort, [text for _, text in sorted(problems, key=lambda p: p[0])]


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


def _missing_columns(
    sheet: Sheet, table_schema: dict[str, Any], name: str, mapping: Mapping, path: str | Path
) -> list[str]:
    """One line per required column the file lacks, with the closest header it has and a pointer
    to the mapping; a mapped header (of a column or a date) that is not in the file is named with
    the headers that were found, their row and sheet. Empty when every required column is there."""
    present = set(sheet.table.columns) | {r for r in mapping.day_columns_from_dates() if date_key(r) in sheet.headers}
    others = [
        original
        for original, name in zip(sheet.original, sheet.headers)
        if name not in present and not name.startswith((DATE_MARK, "(unnamed"))
    ]
    lines, mapped_missing = [], False
    for role, header in mapping.dates.items():
        if date_key(role) not in sheet.headers:
            close = closest(header, others)
            lines.append(
                f"mapping error: {mapping.name}, dates: {role}: the file {name} has no header {header!r}"
                + (f"; did you mean {close!r}?" if close else "")
            )
            mapped_missing = True
    for field in table_schema["fields"]:
        column = field["name"]
        if column in present or field.get("optional") or (column in mapping.dates and lines):
            continue
        if column in mapping.columns:
            close = closest(mapping.columns[column], others)
            lines.append(
                f"mapping error: {mapping.name}, columns: {column}: the file {name} has no header "
                f"{mapping.columns[column]!r}" + (f"; did you mean {close!r}?" if close else "")
            )
            mapped_missing = True
            continue
        guess = guess_header(column, others)
        hint = f"; the closest header in the file is {guess!r}" if guess else ""
        lines.append(f"cohort error: {name}, column {column}: required column is missing{hint}")
    if mapped_missing:
        found = _headers_found(sheet, name, mapping, path)
        return [found] if "add sheet:" in found else [*lines, found]
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


def _key_of(header: str) -> str:
    """A header as the mapping compares it (case and surrounding spaces ignored)."""
    return str(header).strip().casefold()


def _headers_found(sheet: Sheet, name: str, mapping: Mapping, path: str | Path) -> str:
    """The headers the reader found, with their row (or line) and sheet; in a workbook, the sheet
    and row where the mapped headers are, when another sheet holds them."""
    line = f"cohort error: {name}: the headers found are on {sheet.headers_found()}"
    if sheet.sheet_name is None:
        return line + "; correct the mapping's headers (or give header_row: when the header is on another line)"
    wanted = {_key_of(h) for h in [*mapping.columns.values(), *mapping.dates.values()]}
    elsewhere = [
        f for f in find_headers(path, file_kind(path), wanted) if f[:2] != (sheet.sheet_name, sheet.header_line)
    ]
    if elsewhere and elsewhere[0][2] > len({_key_of(h) for h in sheet.original} & wanted):
        other, row, _ = elsewhere[0]
        return (
            f"cohort error: {name}: the mapping's headers are not on sheet {sheet.sheet_name!r} (found there, on "
            f"{sheet.headers_found()}) but on row {row} of sheet {other!r}: add sheet: {other} to the mapping"
        )
    sheets = ", ".join(map(repr, sheet.workbook_sheets))
    return line + f" (the workbook's sheets: {sheets}); correct the mapping's headers, sheet: or header_row:"


def _unreadable_cells(
    table: pd.DataFrame, table_schema: dict[str, Any], where: _Locator, mapping: Mapping
) -> tuple[pd.DataFrame, list[tuple[tuple[int, int], str]], set[tuple[int, str]]]:
    """Cells of numeric columns that do not read as numbers, found before pandera checks the
    values (so that a column with one unreadable cell is still checked as numbers, and no valid
    value is shown as invalid): the table with those cells emptied, one line per cell (per column
    for yes/no answers and for dates in a day column), and the cells as (row, column)."""
    table = table.copy()
    problems: list[tuple[tuple[int, int], str]] = []
    unread: set[tuple[int, str]] = set()
    order = {c: i for i, c in enumerate(table.columns)}
    binary, days = binary_columns(table_schema), set(day_fields(table_schema))
    kinds = {f["name"]: f["type"] for f in table_schema["fields"] if f["type"] in ("integer", "number")}
    wrong = {c: [i for i in table.index if not _readable(table.at[i, c], kinds[c])] for c in table if c in kinds}
    suggestion = _values_suggestion([table.at[i, c] for c in wrong if c in binary for i in wrong[c]], mapping)
    for column, rows in wrong.items():
        if not rows:
            continue
        unread.update((i, column) for i in rows)
        values = [table.at[i, column] for i in rows]
        if column in binary:
            problems.append(((-1, order[column]), where.answers(column, rows, values, suggestion)))
        elif column in days and looks_like_dates(values):
            problems.append(((-1, order[column]), where.dates_in_days(column, values)))
        else:
            problems += [
                ((i, order[column]), f"{where.at(i, column)}: {_not_a_number(v, kinds[column])}")
                for i, v in zip(rows, values)
            ]
        table.loc[rows, column] = float("nan")
    return table, problems, unread


# The day columns whose checks depend on a yes/no cell: when that cell is unreadable, they are not named.
DEPENDENT_DAYS = {"died": ("death_day", "followup_days"), "mech_vent": ("mech_vent_day",)}


def _consequences(unread: set[tuple[int, str]]) -> set[tuple[int, str]]:
    """The cells whose failures follow from an unreadable yes/no cell of their row (a follow-up day
    derived from a death whose answer could not be read, ...)."""
    return {(row, day) for row, column in unread for day in DEPENDENT_DAYS.get(column, ())}


def _readable(value: Any, kind: str) -> bool:
    """Whether a cleaned cell reads as the column's type (an empty cell does)."""
    if pd.isna(value):
        return True
    if kind == "integer":
        return bool(WHOLE.match(str(value)))
    try:
        float(value)
    except ValueError:
        return False
    return True


WHOLE = re.compile(r"^[+-]?\d+$")


def _not_a_number(value: str, kind: str) -> str:
    """Why a cell is not read as a number, with the fix for a decimal comma."""
    wanted = "a whole number" if kind == "integer" else "a number"
    hint = (
        "; write decimals with a point, or with a comma in a semicolon-separated file, and no thousands separator"
        if "," in str(value)
        else ""
    )
    return f"value {value!r} is not {wanted}{hint}"


def _values_suggestion(words: list[str], mapping: Mapping) -> str | None:
    """The mapping's ``values:`` line with the unknown yes/no spellings added to those it has, when
    every unknown spelling is recognisably a yes or a no (else None)."""
    found = list(dict.fromkeys(words))
    if not found or any(yes_or_no(w) is None for w in found):
        return None
    yes = mapping.yes + [w for w in found if yes_or_no(w) == "yes"]
    no = mapping.no + [w for w in found if yes_or_no(w) == "no"]
    return values_line(yes, no, mapping.missing)


def _validated_rows(
    schema: pa.DataFrameSchema, table: pd.DataFrame, where: _Locator, skip: set[tuple[int, str]]
) -> tuple[pd.DataFrame | None, list[tuple[tuple[int, int], str]]]:
    """The validated rows (those without a cell problem, so that the row rules can run on them)
    and every cell problem, keyed by (row, column) for sorting. Failures of the cells in ``skip``
    (already named: unreadable, or a day whose date is wrong) are not named again."""
    try:
        validated, failures = schema.validate(table, lazy=True), []
    except pa.errors.SchemaErrors as err:
        validated, failures = None, where.describe_failures(err.failure_cases, list(schema.columns), skip)
    bad_rows = sorted({key[0] for key, _ in failures if key[0] >= 0} | {row for row, _ in skip})
    if validated is not None and not bad_rows:
        return validated, failures
    try:
        return schema.validate(table.drop(index=bad_rows), lazy=True), failures
    except pa.errors.SchemaErrors:
        return None, failures


def input_report(cohort: pd.DataFrame, sheet: Sheet, arms: list[str], horizon_days: int) -> dict[str, Any]:
    """How the file was read, for the log and the document's data section.

    ``rows_read``: patient rows; ``blank_rows_ignored``: rows with no value in any cell;
    ``ignored_columns``: columns the schema does not describe, in file order; ``separator``:
    what split the cells; ``decimal_comma``: whether decimal commas were read (semicolon files); ``patients`` and
    ``censored_before_horizon``: per arm, all patients and survivors followed less than the horizon
    (after censoring at the horizon; :func:`cohort_and_report` adds ``censored_at_horizon``).
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


def report_lines(report: dict[str, Any], horizon_days: int) -> list[str]:
    """The input report in words, one fact a line (for the rule's log)."""
    ignored = ", ".join(report["ignored_columns"]) or "none"
    censored = ", ".join(f"{arm} {n}" for arm, n in report["censored_before_horizon"].items())
    day = f"day {horizon_days}"
    at_horizon = censored_at_horizon_words(report["censored_at_horizon"], horizon_days) or "none"
    return [
        f"patient rows read: {report['rows_read']}; blank rows ignored: {report['blank_rows_ignored']}",
        f"file: {report['format']}; separator: {report['separator']}; "
        f"decimal comma: {'yes' if report['decimal_comma'] else 'no'}; "
        f"days from dates: {'yes' if report['dates'] else 'no'}",
        f"columns ignored (not in the schema): {ignored}",
        f"survivors censored before the horizon: {censored}",
        f"patients censored at {day} (events or follow-up after it): {at_horizon}",
    ]


def _check_both_arms(table: pd.DataFrame, name: str, arms: list[str]) -> list[tuple[tuple[int, int], str]]:
    """Both arms need patients: without one of them nothing can be compared. Every row whose arm
    was read counts, whatever other problem it has."""
    counts = table[ARM_COLUMN].value_counts()
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
    """Turns a data-frame index and a column into 'file, row R (line L, patient_id X), column C'; in
    a workbook 'row R (sheet S, cell C7, patient_id X)'; for a day computed from a date, the date's
    own column and cell."""

    def __init__(self, name: str, sheet: Sheet, arms: list[str], binary: set[str], mapping: Mapping) -> None:
        self.name, self.sheet, self.raw, self.lines = name, sheet, sheet.table, sheet.lines
        self.arms, self.binary, self.mapping = arms, binary, mapping
        self.labels = [label for arm in arms for label in mapping.arms.get(arm, [])]
        self.dated = set(mapping.day_columns_from_dates())

    def _in_file(self, column: str) -> str:
        """The reader's name of the file column a package column comes from (its date, if dated)."""
        return date_key(column) if column in self.dated else column

    def place(self, index: int, column: str | None = None) -> str:
        """Where a row is: patient row (1 = first non-blank row after the header), file line (as a
        text editor counts them, blank lines included) or a workbook's sheet and cell, patient id."""
        pid = self.raw[ID_COLUMN].iloc[index] if ID_COLUMN in self.raw else None
        who = f", {ID_COLUMN} {pid}" if isinstance(pid, str) and pid else ""
        in_file = self._in_file(column) if column else None
        cell = self.sheet.cell(index, in_file) if in_file else None
        if self.sheet.sheet_name is not None:
            spot = f"sheet {self.sheet.sheet_name!r}, " + (f"cell {cell}" if cell else f"row {self.lines[index]}")
        else:
            dated = in_file is not None and in_file.startswith(DATE_MARK)
            spot = f"line {self.lines[index]}" + (f", cell {cell}" if cell and dated else "")
        return f"row {index + 1} ({spot}{who})"

    def column(self, column: str, letter: bool = False) -> str:
        """A column as the user knows it: its header when mapped, a date column by its header; with
        ``letter``, the spreadsheet's letter of the column (and the sheet)."""
        in_file = self._in_file(column)
        details = []
        if in_file.startswith(DATE_MARK):
            role = in_file[len(DATE_MARK) :]
            name = f"date column {self.mapping.dates[role]!r}"
            details.append("the first day of treatment, day 1" if role == START else role)
        else:
            name = f"column {column}"
            details += [f"header {self.mapping.columns[column]!r}"] if column in self.mapping.columns else []
        position = self.sheet.positions.get(in_file)
        if letter and position is not None:
            sheet = f" of sheet {self.sheet.sheet_name!r}" if self.sheet.sheet_name else ""
            details.append(f"spreadsheet column {column_letter(position)}{sheet}")
        return name + (f" ({', '.join(details)})" if details else "")

    def at(self, index: int, column: str) -> str:
        """The start of a message about one cell: file, row, column."""
        return f"cohort error: {self.name}, {self.place(index, column)}, {self.column(column)}"

    def whole_column(self, column: str) -> str:
        """The start of a message about a whole column: file, column (and its letter in the file)."""
        return f"cohort error: {self.name}, {self.column(column, letter=True)}"

    def date_problem(self, index: int | None, in_file: str, words: str) -> tuple[tuple[int, int], str]:
        """A problem of module ``dates`` (a cell, or a whole date column) as a keyed line."""
        column = in_file[len(DATE_MARK) :]
        column = column if column != START else in_file
        if index is None:
            return (-1, 0), f"{self.whole_column(column)}: {words}"
        return (index, 0), f"{self.at(index, column)}: {words}"

    def shown(self, index: int, column: str, value: Any) -> str:
        """A cell's value in a message; a day computed from a date with the date beside it."""
        text = "" if pd.isna(value) else str(value)
        if column in self.dated and text:
            return f"{text} ({self.sheet.dates.at[index, date_key(column)]})"
        return text

    def answers(self, column: str, rows: list[int], values: list[str], suggestion: str | None) -> str:
        """One line for a yes/no column's answers the reader does not know: each distinct value
        with where it is, and the ``values:`` line that reads them (or the cells to correct)."""
        found = []
        for value in dict.fromkeys(values):
            where = [r for r, v in zip(rows, values) if v == value]
            first = self.place(where[0])
            found.append(f"{value!r} in {first}" if len(where) == 1 else f"{value!r} in {len(where)} rows from {first}")
        if suggestion:
            return (
                f"{self.whole_column(column)}: answers in spellings the reader does not know: {'; '.join(found)}; "
                f"add them to the mapping: {suggestion}"
            )
        return (
            f"{self.whole_column(column)}: answers that are not yes or no as the reader knows them: "
            f"{'; '.join(found)}; correct the cells (yes/no, 1/0, true/false), or list a spelling of yes or no "
            "under the mapping's values: (values: {yes: [...], no: [...]})"
        )

    def dates_in_days(self, column: str, values: list[str]) -> str:
        """One line for a column of day numbers that holds dates: map it under dates: instead."""
        examples = ", ".join(repr(v) for v in list(dict.fromkeys(values))[:3])
        header = self.mapping.columns.get(column, column)
        start = self.mapping.dates.get(START, "<the header of the first day of treatment>")
        return (
            f"{self.whole_column(column)}: holds dates ({examples}), not day numbers; map it under dates: "
            f"instead of columns: (dates: {{start: {start}, {column}: {header}}}); days are counted from the "
            "start of treatment (day 1)"
        )

    def describe_failures(
        self, failures: pd.DataFrame, column_order: list[str], skip: set[tuple[int, str]] = frozenset()
    ) -> list[tuple[tuple[int, int], str]]:
        """One line per failing cell (in file order), keyed by (row, column position); the cells of
        ``skip`` (named already) are left out, and a cell is named once, for its first failure."""
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
        skipped = pd.Series(
            [(int(r), c) in skip for r, c in zip(cell_failures["row"], cell_failures["column"])],
            index=cell_failures.index,
            dtype=bool,
        )
        cell_failures = cell_failures[~skipped]
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
    if check.startswith(("coerce_dtype", "dtype")):
        return f"value {value!r} cannot be read as {check}"  # numbers are read before pandera: a bug if seen
    if check.startswith("isin") and column == ARM_COLUMN:
        return _arm_problem(str(value), arms, labels)
    if check.startswith("isin") and column in binary:
        return f"value {value} is not a yes/no answer (write 1 or 0, yes or no, true or false)"
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
    position) for file order; values in braces are filled in from that row (a day computed from a
    date with its date). ``cohort`` keeps the index of the file's rows (rows with a cell problem
    are left out)."""
    died, vent = cohort["died"] == 1, cohort["mech_vent"] == 1
    death, vent_day, follow = cohort["death_day"], cohort["mech_vent_day"], cohort["followup_days"]
    rules = [
        (
            "death_day",
            died & death.isna(),
            "died = 1 but death_day is empty; give the day (or date) of death, or correct died",
        ),
        ("death_day", ~died & death.notna(), "death_day is given but died = 0; correct died, or clear the day"),
        (
            "mech_vent_day",
            vent & vent_day.isna(),
            "mech_vent = 1 but mech_vent_day is empty; give the day (or date) ventilation started, "
            "or correct mech_vent",
        ),
        (
            "mech_vent_day",
            ~vent & vent_day.notna(),
            "mech_vent_day is given but mech_vent = 0; correct mech_vent, or clear the day",
        ),
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
        rules += _inclusion_rules(cohort, inclusion)
    order = {c: i for i, c in enumerate(cohort.columns)}
    found = []
    for column, mask, why in rules:
        for index in cohort.index[mask.to_numpy(dtype=bool)]:
            values = {name: where.shown(int(index), name, cohort.at[index, name]) or "empty" for name in cohort.columns}
            text = why.format(**values)
            text = text.replace("clear the day", "clear the date") if column in where.dated else text
            found.append(((int(index), order[column]), f"{where.at(int(index), column)}: {text}"))
    return found


def _inclusion_rules(cohort: pd.DataFrame, inclusion: dict[str, float]) -> list[tuple[str, pd.Series, str]]:
    """The inclusion rule: each patient reaches one of the thresholds; a patient with no laboratory
    value at all is named as such (the rule cannot be checked), the others with the thresholds."""
    included = pd.concat([cohort[c] >= low for c, low in inclusion.items()], axis=1).fillna(False).any(axis=1)
    empty = cohort[list(inclusion)].isna().all(axis=1)
    needs = " or ".join(f"{c} >= {low:g}" for c, low in inclusion.items())
    has = ", ".join(f"{c} {{{c}}}" for c in inclusion)
    names = " and ".join(inclusion)
    first = next(iter(inclusion))
    return [
        (first, ~included & ~empty, f"inclusion rule not met (needs {needs}; has {has})"),
        (
            first,
            ~included & empty,
            f"{names} are empty, so the inclusion rule ({needs}) cannot be checked; give at least one value",
        ),
    ]


def write_validated(cohort: pd.DataFrame, path: str | Path) -> None:
    """Write the validated cohort as plain UTF-8 CSV with LF line ends (byte-stable)."""
    cohort.to_csv(path, index=False, lineterminator="\n")


def read_validated(path: str | Path) -> pd.DataFrame:
    """Read a cohort written by :func:`write_validated` (already checked, so no checks here)."""
    return pd.read_csv(path, dtype={ID_COLUMN: str, ARM_COLUMN: str}).convert_dtypes()

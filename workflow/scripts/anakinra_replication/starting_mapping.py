"""`make mapping COHORT=file`: a first mapping for a site's file, written from what the file holds.

The file is read as it is: every sheet of a workbook (the one whose rows look like patients is
chosen), any separator and encoding of a text file, a title above the header. Each column gets a
best guess (:func:`.mapping.guess_header`, difflib) and a comment with three sample values, what it
means and whether it may be empty (from the Table Schema); a column of dates is never guessed as a
column of days but goes under ``dates:`` (with the ``date_format`` its text needs); the arm labels
found are sorted to the arm whose name or usual words they resemble; unfamiliar yes/no words go
into a ``values:`` line. The user checks every line. Kept apart from :mod:`.mapping`, which the
reader imports, because it reads the file with the reader's parts (:mod:`.spreadsheet`).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .dates import ISO_DATE, guess_date_format, looks_like_dates, parse_date
from .jsonio import SAFE_LOADER, InputError
from .mapping import START, _key, day_fields, guess_date_header, guess_header, values_line, yes_or_no
from .spreadsheet import (
    HEADER_SEARCH,
    SEPARATORS,
    binary_columns,
    decode_text,
    file_kind,
    likeliest_encoding,
    open_workbook,
    sheet_rows,
    text_records,
)

KNOWN_ANSWERS = {"1", "0", "true", "false", "yes", "no"}  # read without a values: line
SAMPLES = 3  # sample values in each line's comment


@dataclass
class FoundTable:
    """A table as found in a file: its headers and, for each, its non-empty cells in order."""

    headers: list[str]
    cells: dict[str, list[str]] = field(default_factory=dict)
    sheet: str | None = None  # the workbook's sheet; None for a text file
    header_row: int | None = None  # row (or line) of the header
    encoding: str | None = None  # a text file's encoding when it is not UTF-8
    data_rows: int = 0  # rows below the header that look like patients (most cells filled)


def starting_mapping(found: FoundTable, table_schema: dict[str, Any], arms: list[str]) -> str:
    """A first mapping file (YAML text) for a table: a best guess for each column, commented with
    three sample values and what the column means; date columns under ``dates:``; unguessed
    columns left for the user, with the headers that no guess took."""
    headers = [h for h in found.headers if not h.startswith("(unnamed")]
    date_headers = [h for h in headers if looks_like_dates(found.cells.get(h, []))]
    roles = _date_roles(date_headers)
    columns = _column_guesses(table_schema, [h for h in headers if h not in date_headers], roles)
    lines = [
        "# Mapping of a cohort file to the package's columns (README, 'Running on your own data').",
        "# Check every line: the guesses come from the spelling of your headers and a look at their values.",
        *_where_lines(found),
        "# columns: package column: the header in your file (delete optional columns you do not have).",
        "columns:",
    ]
    for f in table_schema["fields"]:
        meaning = f"{f.get('description', '')} Empty cells: {f.get('missing', '')}".replace("\n", " ")
        header = columns.get(f["name"])
        if header:
            lines.append(f"  {f['name']}: {_quoted(header)}  # {_samples(found, header)}{meaning}")
        elif f["name"] in roles:
            lines.append(f"  # {f['name']}: computed from the dates below (dates: {f['name']})")
        else:
            lines.append(f'  # {f["name"]}: ""  # no header looks like it; {meaning}')
    lines += _date_lines(found, roles, date_headers)
    lines += _arm_lines(found, columns.get("arm"), arms)
    lines += _value_lines(found, [columns[c] for c in sorted(binary_columns(table_schema)) if c in columns])
    taken = set(columns.values()) | set(roles.values())
    rest = [h for h in headers if h not in taken]
    if rest:
        lines.append("# headers of the file that no line above maps (map one above if it is a package column):")
        lines += [f"#   {h!r}: {_samples(found, h).rstrip('; ')}" for h in rest]
    return "\n".join(lines) + "\n"


def _quoted(text: str) -> str:
    """A header as a YAML double-quoted string."""
    return yaml.safe_dump(text, default_style='"', allow_unicode=True, width=1000).strip()


def _samples(found: FoundTable, header: str) -> str:
    """'e.g. P01, P02, P03; ': the first three distinct values of a column, for a line's comment."""
    values = list(dict.fromkeys(found.cells.get(header, [])))[:SAMPLES]
    shown = [_quoted(v) if any(mark in v for mark in ",;#") else v for v in values]
    return f"e.g. {', '.join(shown)}; " if values else "(empty in the file); "


def _where_lines(found: FoundTable) -> list[str]:
    """The lines saying where the table is: sheet, header row, encoding."""
    lines = []
    if found.sheet is not None:
        lines += ["# sheet: the workbook's sheet whose rows look like patients.", f"sheet: {_quoted(found.sheet)}"]
    if found.header_row is not None:
        lines += [
            "# header_row: the row (or line) holding the headers; delete it to let the reader find it.",
            f"header_row: {found.header_row}",
        ]
    if found.encoding:
        lines += [
            "# encoding: the text is not UTF-8; this encoding reads every byte of it.",
            f"encoding: {found.encoding}",
        ]
    return lines


def _date_roles(date_headers: list[str]) -> dict[str, str]:
    """Role of dates: (start, death_day, ...) -> the date header guessed for it, each header once."""
    roles: dict[str, str] = {}
    for role in [START, "death_day", "mech_vent_day", "followup_days"]:
        header = guess_date_header(role, [h for h in date_headers if h not in roles.values()])
        if header:
            roles[role] = header
    return roles


def _column_guesses(table_schema: dict[str, Any], headers: list[str], roles: dict[str, str]) -> dict[str, str]:
    """Package column -> the (non-date) header guessed for it, each header once; a day column given
    by dates gets none."""
    guesses: dict[str, str] = {}
    for f in table_schema["fields"]:
        if f["name"] in roles:
            continue
        header = guess_header(f["name"], [h for h in headers if h not in guesses.values()])
        if header:
            guesses[f["name"]] = header
    return guesses


def _date_lines(found: FoundTable, roles: dict[str, str], date_headers: list[str]) -> list[str]:
    """The dates: block (and date_format: when dates are written as text)."""
    if not date_headers:
        return []
    lines = ["# dates: day columns computed from dates, day = date - start + 1 (day 1 is the first day of treatment)."]
    text = [v for h in date_headers for v in found.cells.get(h, []) if v and not ISO_DATE.match(v)]
    fmt = guess_date_format(text) if text else None
    if fmt:
        other = fmt.replace("%d", "\0").replace("%m", "%d").replace("\0", "%m")
        both = fmt.index("%d") < fmt.index("%m") and all(parse_date(v, other) for v in text) if "%m" in fmt else False
        lines += [
            "# date_format: how the dates written as text read"
            + (" (day first was taken: every date reads both ways; check)" if both else "")
            + ".",
            f"date_format: {_quoted(fmt)}",
        ]
    lines.append("dates:")
    if START not in roles:
        lines.append('  # start: ""  # the header of the date of the first day of treatment (day 1): give it')
    for role, header in roles.items():
        lines.append(f"  {role}: {_quoted(header)}  # {_samples(found, header).rstrip('; ')}")
    return lines


def _arm_lines(found: FoundTable, arm_header: str | None, arms: list[str]) -> list[str]:
    """The arms: block: each label of the guessed arm column under the arm it resembles."""
    labels = sorted(set(found.cells.get(arm_header, []))) if arm_header else []
    lines = ["# arms: package arm: the labels your file uses for it (a list; several allowed).", "arms:"]
    chosen: dict[str, list[str]] = {arm: [] for arm in arms}
    for label in labels:
        arm = best_arm(label, arms)
        if arm:
            chosen[arm].append(label)
    lines += [
        f"  {arm}: {yaml.safe_dump(chosen[arm], default_flow_style=True, allow_unicode=True).strip()}" for arm in arms
    ]
    lines.append(f"# labels found in the guessed arm column: {', '.join(labels) or 'none'}")
    return lines


def _value_lines(found: FoundTable, binary_headers: list[str]) -> list[str]:
    """The values: line for the yes/no spellings the reader does not know, and the help lines."""
    answers = sorted({v for h in binary_headers for v in found.cells.get(h, []) if _key(v) not in KNOWN_ANSWERS})
    yes = [w for w in answers if yes_or_no(w) == "yes"]
    no = [w for w in answers if yes_or_no(w) == "no"]
    unknown = [w for w in answers if yes_or_no(w) is None]
    lines = []
    if yes or no:
        lines += ["# values: spellings of yes and no found in the yes/no columns", values_line(yes, no)]
    if unknown:
        lines.append(f"# answers that are neither yes nor no as far as the guess can tell: {', '.join(unknown)}")
    return lines + [
        "# values (optional): more spellings of yes, no and of an empty cell, e.g.",
        "# values: {yes: [Y, ja], no: [N, nein], missing: [n/a, '-']}",
    ]


def best_arm(label: str, arms: list[str]) -> str | None:
    """The arm whose name or usual words are closest in spelling to a file's label, if any is close."""
    scores = {
        arm: max(difflib.SequenceMatcher(None, _key(label), w).ratio() for w in [arm, *ARM_WORDS.get(arm, [])])
        for arm in arms
    }
    arm = max(scores, key=scores.get)
    return arm if scores[arm] >= 0.5 else None


ARM_WORDS = {
    "anakinra": ["anakinra", "treated", "kineret", "il-1"],
    "standard": ["standard", "control", "soc", "usual care", "terapia standard"],
}


# --- finding the table in a file -------------------------------------------------------------------


def found_table(path: str | Path, table_schema: dict[str, Any]) -> FoundTable:
    """The table of patients in a file: in a workbook, the sheet whose rows look most like
    patients; in a text file, read in its likeliest encoding with the separator that splits it
    widest. The header is the first row nearly as wide as the table (a title above is skipped)."""
    kind = file_kind(path)
    if kind == "text":
        text, encoding = _text(path)
        candidates = [_table(text_records(text, sep), None) for sep in SEPARATORS]
        best = max(candidates, key=lambda t: (len(t.headers) > 1, _guessed(t, table_schema), t.data_rows))
        best.encoding = encoding
        return best
    book = open_workbook(path, kind)
    tables = [_table(sheet_rows(book, str(sheet)), str(sheet)) for sheet in book.sheet_names]
    tables = [t for t in tables if t.headers]
    if not tables:
        raise InputError(f"mapping error: {Path(path).name}: every sheet of the workbook is empty")
    return max(tables, key=lambda t: (_guessed(t, table_schema) >= 2, t.data_rows, _guessed(t, table_schema)))


def _text(path: str | Path) -> tuple[str, str | None]:
    """A text file's text, and its encoding when it is not UTF-8 (the likeliest that reads it)."""
    try:
        return decode_text(path), None
    except InputError:
        encoding = likeliest_encoding(Path(path).read_bytes())
        if encoding is None:
            raise
        return decode_text(path, encoding), encoding


def _table(rows: list[tuple[int, list[str]]], sheet: str | None) -> FoundTable:
    """The table of some rows (text cells with their numbers): header, cells per header, data rows."""
    filled = [(n, [c.strip() for c in cells]) for n, cells in rows if any(c.strip() for c in cells)]
    if not filled:
        return FoundTable([], sheet=sheet)
    widest = max(_width(cells) for _, cells in filled[: HEADER_SEARCH * 2])
    at = next((i for i, (_, cells) in enumerate(filled[:HEADER_SEARCH]) if _width(cells) >= 0.8 * widest), 0)
    number, header = filled[at]
    names = [c or f"(unnamed column {i + 1})" for i, c in enumerate(header)]
    body = [cells for _, cells in filled[at + 1 :] if _width(cells) >= _width(header) / 2]
    cells = {name: [row[i] for row in body if i < len(row) and row[i]] for i, name in enumerate(names)}
    return FoundTable(names, cells, sheet, number, data_rows=len(body))


def _width(cells: list[str]) -> int:
    """How many cells of a row hold something."""
    return sum(bool(c) for c in cells)


def _guessed(table: FoundTable, table_schema: dict[str, Any]) -> int:
    """How many package columns (or roles of dates) some header of the table resembles."""
    columns = [f["name"] for f in table_schema["fields"] if f["name"] not in day_fields(table_schema)]
    return sum(guess_header(c, table.headers) is not None for c in columns) + sum(
        guess_date_header(r, table.headers) is not None for r in (START, *day_fields(table_schema))
    )


def write_starting_mapping(
    cohort: str | Path, out: str | Path | None, schema_path: str | Path, arms: list[str]
) -> Path:
    """Write :func:`starting_mapping` for the cohort file (beside it, ``<stem>.mapping.yaml``, unless
    ``out`` is given); an existing file is never overwritten."""
    from .cohort import load_table_schema

    table_schema = load_table_schema(schema_path)
    target = Path(out) if out else Path(cohort).with_name(Path(cohort).stem + ".mapping.yaml")
    if target.exists():
        raise InputError(f"mapping error: {target.name} exists already; edit it, or remove it to start again")
    found = found_table(cohort, table_schema)
    target.write_text(starting_mapping(found, table_schema, arms), encoding="utf-8")
    return target


def main(argv: list[str] | None = None) -> int:
    """`make mapping COHORT=file [MAP=out.yaml]`: write a starting mapping; problems in one line each."""
    import sys

    args = sys.argv[1:] if argv is None else argv
    if not args or not args[0]:
        print("mapping error: give the cohort file: make mapping COHORT=path/to/file.xlsx")
        return 2
    config = yaml.load(Path("config/config.yaml").read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    try:
        target = write_starting_mapping(
            args[0], args[1] if len(args) > 1 else None, config["cohort_schema"], config["arms"]
        )
    except InputError as err:
        print(err)
        return 2
    import shlex

    command = f"make COHORT={shlex.quote(args[0])} MAP={shlex.quote(str(target))}"
    print(f"Wrote {target}: check each guess and fill in what is empty, then run\n  {command}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""A cohort file as spreadsheets export it, turned into a table of clean text cells.

What is accepted (the README's data dictionary says the same to users):
- columns separated by commas, semicolons or tabs, recognised from the header: the separator
  is the one that splits the header into the most column names the schema knows
  (``csv.Sniffer`` guesses from character counts instead, and a decimal comma can mislead it);
- in a semicolon-separated file, decimal commas (``150,5``), as spreadsheets in such locales write;
- blank rows anywhere (no value in any cell, separators only included), set aside and counted;
- columns the schema does not describe, set aside and listed; unnamed columns that are empty
  everywhere (trailing separators) are dropped silently;
- spaces around a value; whole numbers written ``71.0``; ``NA`` (as R writes a missing value)
  for an empty cell in a numeric column;
- yes/no columns (integer fields whose values are 0 and 1) written 0/1, true/false or yes/no,
  in any case.
Anything else is left as written, for the schema to refuse with a message naming the cell.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .jsonio import InputError
from .mapping import Mapping

SEPARATORS = {",": "comma", ";": "semicolon", "\t": "tab"}
TRUE_WORDS, FALSE_WORDS = {"1", "true", "yes"}, {"0", "false", "no"}
WHOLE_WRITTEN_AS_DECIMAL = re.compile(r"^([+-]?\d+)\.0*$")
DECIMAL_COMMA = re.compile(r"^[+-]?\d*,\d+$|^[+-]?\d+,$")
MISSING_WORDS = {"NA"}


@dataclass
class Sheet:
    """The cells of a cohort file, cleaned, with what was set aside on the way."""

    table: pd.DataFrame  # known columns, schema order; text cells, NaN if empty
    lines: list[int]  # file line (1-based) of each row of ``table``; a workbook's row number
    separator: str  # comma, semicolon, tab; none for a workbook
    decimal_comma: bool
    blank_rows: int = 0
    ignored_columns: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # rows that do not fit the header
    headers: list[str] = field(default_factory=list)  # every column name, after the mapping
    format: str = "CSV text"


def shown_name(path: str | Path) -> str:
    """How messages and documents name the user's file: its name only, never the folders above it."""
    return Path(path).name


def binary_columns(table_schema: dict[str, Any]) -> set[str]:
    """Integer fields whose only values are 0 and 1 (answers to a yes/no question)."""
    return {
        f["name"]
        for f in table_schema["fields"]
        if f["type"] == "integer" and sorted(f.get("constraints", {}).get("enum", [])) == [0, 1]
    }


def read_sheet(
    text: str,
    table_schema: dict[str, Any],
    path: str | Path,
    mapping: Mapping | None = None,
) -> Sheet:
    """Split the file's text into cells and clean them (see the module docstring)."""
    mapping = mapping or Mapping()
    known = [f["name"] for f in table_schema["fields"]]
    header_line = next((line for line in text.splitlines() if line.strip(" ,;\t")), None)
    if header_line is None:
        raise InputError(
            f"cohort error: {shown_name(path)}: the file is empty; it needs a header naming the columns "
            "and one row per patient"
        )
    separator = detect_separator(header_line, known + list(mapping.columns.values()), path)
    header, records = _records(text, separator)
    return sheet_from_records(header, records, table_schema, path, separator, mapping)


def sheet_from_records(
    header: list[str],
    records: list[tuple[int, list[str]]],
    table_schema: dict[str, Any],
    path: str | Path,
    separator: str | None,
    mapping: Mapping,
) -> Sheet:
    """The sheet of a header and its records (text cells, each record with its line or spreadsheet
    row), the file's headers renamed by the mapping. Rows that do not fit the header are problems."""
    known = [f["name"] for f in table_schema["fields"]]
    names = [mapping.package_name(n) for n in _column_names(header, path)]
    width = len(names)
    rows, lines, blank, problems = [], [], 0, []
    for line, cells in records:
        cells = [c.strip() for c in cells]
        if not any(cells):
            blank += 1
            continue
        other = [sep for sep in SEPARATORS if sep != separator and sep in cells[0]]
        if separator and width > 1 and len(cells) == 1 and other:
            problems.append(
                f"cohort error: {shown_name(path)}, line {line}: the header is separated by "
                f"{SEPARATORS[separator]}s but this row by {SEPARATORS[other[0]]}s; "
                "use one separator throughout the file"
            )
            continue
        if len(cells) > width and any(cells[width:]):
            problems.append(
                f"cohort error: {shown_name(path)}, line {line}: {len(cells)} cells but the header names {width} "
                "columns; give every value a column in the header"
                + (f" (separator: {SEPARATORS[separator]})" if separator else "")
            )
            continue
        rows.append((cells + [""] * width)[:width])
        lines.append(line)
    raw = pd.DataFrame(rows, columns=names, dtype=object) if rows else pd.DataFrame(columns=names, dtype=object)
    ignored = [n for n in names if n not in known and (not n.startswith("(unnamed") or raw[n].astype(bool).any())]
    table = raw[[n for n in known if n in names]].copy()
    decimal_comma = separator == ";"
    _clean(table, table_schema, decimal_comma, mapping)
    sheet = Sheet(table.reset_index(drop=True), lines, SEPARATORS.get(separator or "", "none"), decimal_comma, blank)
    sheet.ignored_columns, sheet.problems, sheet.headers = ignored, problems, names
    return sheet


def detect_separator(header_line: str, known: list[str], path: str | Path) -> str:
    """The separator that splits the header into the most known column names.

    When two separators find equally many (and some), the file is ambiguous: stop and say so.
    When none finds any (a site's own headers), the one that splits the header into the most
    cells is taken (the comma if none splits it), and the reader reports the missing columns.
    """
    found = {
        sep: len({c.strip() for c in next(csv.reader([header_line], delimiter=sep))} & set(known)) for sep in SEPARATORS
    }
    best = max(found.values())
    winners = [sep for sep, n in found.items() if n == best]
    if best == 0:
        widths = {sep: len(next(csv.reader([header_line], delimiter=sep))) for sep in SEPARATORS}
        return max(SEPARATORS, key=lambda sep: (widths[sep], sep == ","))
    if len(winners) > 1:
        names = " or ".join(SEPARATORS[sep] for sep in winners)
        raise InputError(
            f"cohort error: {shown_name(path)}, line 1: cannot tell whether the columns are separated by {names}; "
            f"write the header with all column names ({', '.join(known[:3])}, ...) "
            "separated by commas (or by semicolons)"
        )
    return winners[0]


def _records(text: str, separator: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header's cells, and each later record with the file line it starts on.

    Lines before the header that hold no value are skipped (they count as blank rows only
    when they follow the header)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    header: list[str] | None = None
    records, previous_end = [], 0
    for cells in reader:
        start, previous_end = previous_end + 1, reader.line_num
        if header is None:
            if any(c.strip() for c in cells):
                header = cells
            continue
        records.append((start, cells))
    return header or [], records


def _column_names(header: list[str], path: str | Path) -> list[str]:
    """Header cells as column names; an empty name becomes '(unnamed column N)'; duplicates are an error."""
    names = [cell.strip() or f"(unnamed column {i + 1})" for i, cell in enumerate(header)]
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise InputError(
                f"cohort error: {shown_name(path)}, line 1, column {name}: "
                "the header names this column twice; keep one of them"
            )
        seen.add(name)
    return names


def _clean(table: pd.DataFrame, table_schema: dict[str, Any], decimal_comma: bool, mapping: Mapping) -> None:
    """Normalise, in place, the spellings listed in the module docstring and those of the mapping
    (arm labels, yes/no and missing-value words); empty cells become NaN."""
    binary = binary_columns(table_schema)
    for f in table_schema["fields"]:
        name = f["name"]
        if name not in table:
            continue
        table[name] = ["" if mapping.is_missing(v) else v for v in table[name]]
        if name in binary:
            table[name] = [mapping.binary_word(v) for v in table[name]]
        if name == "arm":
            table[name] = [mapping.arm_of(v) for v in table[name]]
        if f["type"] in ("integer", "number"):
            table[name] = [_number_text(v, f["type"], name in binary, decimal_comma) for v in table[name]]
        table[name] = table[name].mask(table[name] == "")


def _number_text(value: str, kind: str, binary: bool, decimal_comma: bool) -> str:
    """One numeric cell in the plain form the schema reads ('71.0' -> '71', 'TRUE' -> '1', ...)."""
    if value in MISSING_WORDS:
        return ""
    if decimal_comma and DECIMAL_COMMA.match(value):
        value = value.replace(",", ".")
    if kind == "integer":
        whole = WHOLE_WRITTEN_AS_DECIMAL.match(value)
        value = whole.group(1) if whole else value
    if binary:
        word = value.casefold()
        value = "1" if word in TRUE_WORDS else "0" if word in FALSE_WORDS else value
    return value


# --- any file a user may hand over: text, workbooks, and binary files named by their type ----------

# The first bytes of binary files a cohort is often mistaken for: what the file is, and what to do.
MAGIC = [
    (b"%PDF", "a PDF document", "export the table as .xlsx, .ods or CSV from the program that holds the data"),
    (b"\xd0\xcf\x11\xe0", "an old Office file (.xls, Office 97-2003)", "open it and save it as .xlsx or as CSV"),
    (b"$FL2", "an SPSS data file (.sav)", "export it as CSV (SPSS: File > Export > CSV Data)"),
    (b"$FL3", "an SPSS data file (.sav)", "export it as CSV (SPSS: File > Export > CSV Data)"),
    (b"<stata_dta>", "a Stata data file (.dta)", "export it as CSV (Stata: export delimited)"),
    (b"\x1f\x8b", "a gzip-compressed file", "decompress it and give the file inside"),
    (b"PAR1", "a Parquet file", "write the table as CSV"),
    (b"SQLite format 3\x00", "an SQLite database", "export the patients' table as CSV"),
    (b"\x89PNG", "a PNG image", "give the table itself, as .xlsx, .ods or CSV"),
    (b"\xff\xd8\xff", "a JPEG image", "give the table itself, as .xlsx, .ods or CSV"),
]
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"


def file_kind(path: str | Path) -> str:
    """'text', 'xlsx' or 'ods'; any other binary file is an :class:`InputError` naming its type."""
    import zipfile

    with open(path, "rb") as handle:
        head = handle.read(4096)
    name = shown_name(path)
    if head.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "xl/workbook.xml" in names:
                return "xlsx"
            if "mimetype" in names and archive.read("mimetype").strip() == ODS_MIMETYPE:
                return "ods"
        what = "a Word document (.docx)" if "word/document.xml" in names else "a zip archive"
        raise InputError(
            f"cohort error: {name}: this is {what}, not a table of patients; give a CSV, .xlsx or .ods file"
            + (" (unpack the archive first)" if what == "a zip archive" else "")
        )
    for magic, what, fix in MAGIC:
        if head.startswith(magic):
            raise InputError(f"cohort error: {name}: this is {what}, not a table the package reads; {fix}")
    if b"\x00" in head:
        raise InputError(
            f"cohort error: {name}: a binary file of a kind the package does not know; "
            "save the table as CSV (UTF-8), .xlsx or .ods"
        )
    return "text"


def read_workbook(path: str | Path, kind: str, table_schema: dict[str, Any], mapping: Mapping) -> Sheet:
    """The first sheet (or the mapping's ``sheet``) of an .xlsx or .ods workbook, read with pandas
    (openpyxl, odfpy) as text cells; rows are the workbook's row numbers."""
    engine, label = {"xlsx": ("openpyxl", "Excel workbook (.xlsx)"), "ods": ("odf", "OpenDocument spreadsheet (.ods)")}[
        kind
    ]
    name = shown_name(path)
    try:
        book = pd.ExcelFile(path, engine=engine)
    except Exception as err:  # a damaged workbook: the library's words, without its traceback
        raise InputError(f"cohort error: {name}: the {label} cannot be opened ({err}); save it again") from None
    sheets = [str(s) for s in book.sheet_names]
    wanted = mapping.sheet if mapping.sheet is not None else sheets[0]
    if str(wanted) not in sheets:
        raise InputError(
            f"cohort error: {name}: the workbook has no sheet {wanted!r} (it has {', '.join(map(repr, sheets))}); "
            "name one of them with sheet: in the mapping"
        )
    frame = book.parse(str(wanted), header=None, dtype=object)
    rows = [[_cell_text(v) for v in row] for row in frame.itertuples(index=False)]
    first = next((i for i, cells in enumerate(rows) if any(cells)), None)
    if first is None:
        raise InputError(
            f"cohort error: {name}: sheet {wanted!r} is empty; it needs a header row and one row per patient"
        )
    records = [(i + 1, cells) for i, cells in enumerate(rows) if i > first]
    sheet = sheet_from_records(rows[first], records, table_schema, path, None, mapping)
    sheet.format = f"{label}, sheet {wanted!r}" if len(sheets) > 1 or mapping.sheet is not None else label
    return sheet


def _cell_text(value: Any) -> str:
    """A workbook cell as the text a CSV export would hold: whole numbers without '.0', booleans
    as true/false, dates in ISO form, empty cells as ''."""
    import datetime
    import math

    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return str(value).strip()

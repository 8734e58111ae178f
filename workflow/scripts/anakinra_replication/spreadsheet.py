"""A cohort file as spreadsheets export it, turned into a table of clean text cells.

What is accepted (the README's data dictionary says the same to users):
- text in UTF-8 (a byte-order mark dropped), UTF-16 with its byte-order mark, or the mapping's
  ``encoding``; bytes that do not decode are one error naming the line and the likeliest encoding;
- the header anywhere near the top: the mapping's ``header_row``, else the first row holding the
  most expected headers (the schema's names and the mapping's headers), so a title above it is
  skipped; in a workbook, the first sheet or the mapping's ``sheet``;
- columns separated by commas, semicolons or tabs, recognised from the header: the separator
  is the one that splits a line near the top into the most expected column names
  (``csv.Sniffer`` guesses from character counts instead, and a decimal comma can mislead it);
- in a semicolon-separated file, decimal commas (``150,5``), as spreadsheets in such locales write;
- blank rows anywhere (no value in any cell, separators only included), set aside and counted;
- columns the schema does not describe, set aside and listed; unnamed columns that are empty
  everywhere (trailing separators) are dropped silently;
- spaces around a value; whole numbers written ``71.0``; ``NA`` (as R writes a missing value)
  for an empty cell in a numeric column;
- yes/no columns (integer fields whose values are 0 and 1) written 0/1, true/false or yes/no,
  in any case.
Anything else is left as written, for the schema to refuse with a message naming the cell. The
mapping's date columns are kept apart, as text (a real spreadsheet date written 2020-03-17), for
module ``dates`` to turn into days.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .jsonio import InputError
from .mapping import COMMON_ENCODINGS, DATE_MARK, Mapping, _key

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
    sheet_name: str | None = None  # the workbook's sheet read; None for a text file
    header_line: int = 1  # line (text) or row (workbook) of the header
    positions: dict[str, int] = field(default_factory=dict)  # column name, after the mapping -> position (0-based)
    original: list[str] = field(default_factory=list)  # every header as the file writes it
    dates: pd.DataFrame = field(default_factory=pd.DataFrame)  # the mapping's date columns, text cells
    workbook_sheets: list[str] = field(default_factory=list)  # every sheet of a workbook

    def cell(self, index: int, column: str) -> str | None:
        """The spreadsheet reference (``H7``) of a row of ``table`` in a column of the file, if the file has it."""
        position = self.positions.get(column)
        return None if position is None else f"{column_letter(position)}{self.lines[index]}"

    def headers_found(self) -> str:
        """Where the header is and what it holds, for a message: "row 3 of sheet 'Pazienti': 'ID', 'Arm'"."""
        place = (
            f"row {self.header_line} of sheet {self.sheet_name!r}" if self.sheet_name else f"line {self.header_line}"
        )
        names = [h for h in self.original if not h.startswith("(unnamed")]
        return f"{place}: {', '.join(map(repr, names)) or 'no header'}"


def shown_name(path: str | Path) -> str:
    """How messages and documents name the user's file: its name only, never the folders above it."""
    return Path(path).name


def column_letter(position: int) -> str:
    """A spreadsheet's name of a column: 0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    position += 1
    while position:
        position, rest = divmod(position - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


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
    """Split the file's text into cells and clean them (see the module docstring). The header is
    the mapping's ``header_row``, else the first line holding the most expected headers."""
    mapping = mapping or Mapping()
    if not any(line.strip(" ,;\t") for line in text.splitlines()):
        raise InputError(
            f"cohort error: {shown_name(path)}: the file is empty; it needs a header naming the columns "
            "and one row per patient"
        )
    wanted = mapping.expected_headers([f["name"] for f in table_schema["fields"]])
    separator = detect_separator(text, wanted, path, mapping.header_row)
    records = text_records(text, separator)
    at = header_position(records, wanted, mapping.header_row, f"cohort error: {shown_name(path)}", "line")
    sheet = sheet_from_records(
        records[at][1], records[at + 1 :], table_schema, path, separator, mapping, records[at][0]
    )
    if records[at][0] != 1:
        sheet.format = f"CSV text, header on line {records[at][0]}"
    return sheet


def sheet_from_records(
    header: list[str],
    records: list[tuple[int, list[str]]],
    table_schema: dict[str, Any],
    path: str | Path,
    separator: str | None,
    mapping: Mapping,
    header_line: int = 1,
) -> Sheet:
    """The sheet of a header and its records (text cells, each record with its line or spreadsheet
    row), the file's headers renamed by the mapping. Rows that do not fit the header are problems."""
    known = [f["name"] for f in table_schema["fields"]]
    original = _column_names(header, path, header_line)
    names = [mapping.package_name(n) for n in original]
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
    dated = [n for n in names if n.startswith(DATE_MARK)]
    ignored = [
        n
        for n in names
        if n not in known and n not in dated and (not n.startswith("(unnamed") or raw[n].astype(bool).any())
    ]
    table = raw[[n for n in known if n in names]].copy()
    decimal_comma = separator == ";"
    _clean(table, table_schema, decimal_comma, mapping)
    dates = raw[dated].reset_index(drop=True).copy()
    for column in dated:
        dates[column] = dates[column].map(lambda v: "" if mapping.is_missing(v) else v).replace("", float("nan"))
    sheet = Sheet(table.reset_index(drop=True), lines, SEPARATORS.get(separator or "", "none"), decimal_comma, blank)
    sheet.ignored_columns, sheet.problems, sheet.headers = ignored, problems, names
    sheet.header_line, sheet.positions, sheet.original, sheet.dates = header_line, _positions(names), original, dates
    return sheet


def _positions(names: list[str]) -> dict[str, int]:
    """Each column name's position in the file (0-based)."""
    return {name: i for i, name in enumerate(names)}


HEADER_SEARCH = 30  # rows searched for the header: title rows and notes above it are skipped


def header_matches(cells: list[str], wanted: set[str]) -> int:
    """How many of a row's cells are expected headers (case and surrounding spaces ignored)."""
    return len({_key(c) for c in cells if c.strip()} & wanted)


def header_position(
    records: list[tuple[int, list[str]]], wanted: set[str], header_row: int | None, where: str, unit: str
) -> int:
    """The index in ``records`` of the header: the record numbered ``header_row`` when it is given
    (``unit``: 'line' or 'row'), else the first of the first :data:`HEADER_SEARCH` non-blank records
    holding the most expected headers (the first non-blank record when none holds any)."""
    if header_row is not None:
        found = [i for i, (number, _) in enumerate(records) if number == header_row]
        if not found or not any(c.strip() for c in records[found[0]][1]):
            what = "is empty" if found else "is past the end of the table"
            raise InputError(
                f"{where}: the mapping's header_row: {header_row} names {unit} {header_row}, which {what}; "
                f"give the {unit} that holds the headers, or delete header_row: to let the reader find it"
            )
        return found[0]
    filled = [i for i, (_, cells) in enumerate(records) if any(c.strip() for c in cells)][:HEADER_SEARCH]
    if not filled:
        raise InputError(f"{where}: the table is empty; it needs a header row and one row per patient")
    best = max(filled, key=lambda i: header_matches(records[i][1], wanted))
    return best if header_matches(records[best][1], wanted) else filled[0]


def detect_separator(text: str, wanted: set[str], path: str | Path, header_row: int | None = None) -> str:
    """The separator that splits a line near the top (the ``header_row`` line, when given) into the
    most expected column names.

    When two separators find equally many (and some), the file is ambiguous: stop and say so.
    When none finds any (a site's own headers), the one that splits a line into the most cells is
    taken (the comma if none splits any), and the reader reports the missing columns.
    """
    lines = text.splitlines()
    if header_row is not None:
        candidates = [(header_row, lines[header_row - 1])] if header_row <= len(lines) else []
    else:
        candidates = [(n, line) for n, line in enumerate(lines, start=1) if line.strip(" ,;\t")][:HEADER_SEARCH]
    found = {}
    for sep in SEPARATORS:
        scores = [(header_matches(next(csv.reader([line], delimiter=sep), []), wanted), -n) for n, line in candidates]
        found[sep] = max(scores, default=(0, 0))
    best = max(score for score, _ in found.values())
    winners = [sep for sep, (score, _) in found.items() if score == best]
    if best == 0:
        widths = {
            sep: max((len(next(csv.reader([line], delimiter=sep), [])) for _, line in candidates), default=0)
            for sep in SEPARATORS
        }
        return max(SEPARATORS, key=lambda sep: (widths[sep], sep == ","))
    if len(winners) > 1:
        names = " or ".join(SEPARATORS[sep] for sep in winners)
        line = -found[winners[0]][1]
        raise InputError(
            f"cohort error: {shown_name(path)}, line {line}: cannot tell whether the columns are separated by "
            f"{names}; write the header with all column names separated by commas (or by semicolons)"
        )
    return winners[0]


def text_records(text: str, separator: str) -> list[tuple[int, list[str]]]:
    """Every record of the text, blank ones included, with the file line it starts on."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    records, previous_end = [], 0
    for cells in reader:
        start, previous_end = previous_end + 1, reader.line_num
        records.append((start, cells))
    return records


def _column_names(header: list[str], path: str | Path, header_line: int = 1) -> list[str]:
    """Header cells as column names; an empty name becomes '(unnamed column N)'; duplicates are an error."""
    names = [cell.strip() or f"(unnamed column {i + 1})" for i, cell in enumerate(header)]
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise InputError(
                f"cohort error: {shown_name(path)}, line {header_line}, column {name}: "
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
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with its byte-order mark (Excel's "Unicode text")
        return "text"
    if b"\x00" in head:
        raise InputError(
            f"cohort error: {name}: a binary file of a kind the package does not know; "
            "save the table as CSV (UTF-8), .xlsx or .ods"
        )
    return "text"


WORKBOOKS = {"xlsx": ("openpyxl", "Excel workbook (.xlsx)"), "ods": ("odf", "OpenDocument spreadsheet (.ods)")}


def open_workbook(path: str | Path, kind: str) -> pd.ExcelFile:
    """An .xlsx or .ods workbook opened with pandas (openpyxl, odfpy); a damaged one is an InputError."""
    engine, label = WORKBOOKS[kind]
    try:
        return pd.ExcelFile(path, engine=engine)
    except Exception as err:  # a damaged workbook: the library's words, without its traceback
        raise InputError(
            f"cohort error: {shown_name(path)}: the {label} cannot be opened ({err}); save it again"
        ) from None


def sheet_rows(book: pd.ExcelFile, sheet: str) -> list[tuple[int, list[str]]]:
    """Every row of a sheet as text cells (see :func:`_cell_text`), with its row number (1-based)."""
    frame = book.parse(sheet, header=None, dtype=object)
    return [(i + 1, [_cell_text(v) for v in row]) for i, row in enumerate(frame.itertuples(index=False))]


def read_workbook(path: str | Path, kind: str, table_schema: dict[str, Any], mapping: Mapping) -> Sheet:
    """The first sheet (or the mapping's ``sheet``) of an .xlsx or .ods workbook, read with pandas
    (openpyxl, odfpy) as text cells; rows are the workbook's row numbers. The header is the
    mapping's ``header_row``, else the first row holding the most expected headers (a title above
    it is skipped)."""
    label = WORKBOOKS[kind][1]
    name = shown_name(path)
    book = open_workbook(path, kind)
    sheets = [str(s) for s in book.sheet_names]
    wanted = mapping.sheet if mapping.sheet is not None else sheets[0]
    if str(wanted) not in sheets:
        raise InputError(
            f"cohort error: {name}: the workbook has no sheet {wanted!r} (it has {', '.join(map(repr, sheets))}); "
            "name one of them with sheet: in the mapping"
        )
    rows = sheet_rows(book, str(wanted))
    if not any(any(cells) for _, cells in rows):
        raise InputError(
            f"cohort error: {name}: sheet {wanted!r} is empty; it needs a header row and one row per patient"
        )
    expected = mapping.expected_headers([f["name"] for f in table_schema["fields"]])
    at = header_position(rows, expected, mapping.header_row, f"cohort error: {name}, sheet {wanted!r}", "row")
    header_line = rows[at][0]
    sheet = sheet_from_records(rows[at][1], rows[at + 1 :], table_schema, path, None, mapping, header_line)
    sheet.format = f"{label}, sheet {wanted!r}" if len(sheets) > 1 or mapping.sheet is not None else label
    if header_line != 1:
        sheet.format += f", header on row {header_line}"
    sheet.sheet_name, sheet.workbook_sheets = str(wanted), sheets
    return sheet


def find_headers(path: str | Path, kind: str, wanted: set[str]) -> list[tuple[str, int, int]]:
    """Where a workbook holds the expected headers: (sheet, header row, how many), best first
    (for a message when the sheet read lacks them)."""
    if kind == "text":
        return []
    book = open_workbook(path, kind)
    found = []
    for sheet in map(str, book.sheet_names):
        rows = sheet_rows(book, sheet)
        if any(any(cells) for _, cells in rows):
            at = header_position(rows, wanted, None, "", "row")
            found.append((sheet, rows[at][0], header_matches(rows[at][1], wanted)))
    return sorted((f for f in found if f[2]), key=lambda f: -f[2])


def _cell_text(value: Any) -> str:
    """A workbook cell as the text a CSV export would hold: whole numbers without '.0', booleans
    as true/false, dates in ISO form (2020-03-17, with the time only when it is not midnight),
    empty cells as ''."""
    import datetime
    import math

    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time(0) else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


# --- text: its encoding ------------------------------------------------------------------------


def decode_text(path: str | Path, encoding: str | None = None) -> str:
    """The file's text in ``encoding`` (default UTF-8, a byte-order mark dropped; a UTF-16 file
    with its byte-order mark is recognised). Bytes the encoding cannot read are one error naming
    the line, the byte and the likeliest encoding, with the ``encoding:`` line to write."""
    raw = Path(path).read_bytes()
    given = encoding
    if encoding is None:
        encoding = "utf-16" if raw.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8-sig"
    elif codecs.lookup(encoding).name == "utf-8":
        encoding = "utf-8-sig"
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        likely = likeliest_encoding(raw)
        what = f"the mapping's encoding {given}" if given else "UTF-8"
        shown = f" in {_word_around(raw, err.start).decode(likely)!r} as {likely} reads it" if likely else ""
        fix = (
            f"add encoding: {likely} to the mapping (`make mapping` writes one) or save the file as UTF-8"
            if likely
            else "save the file as UTF-8 (or give the .xlsx or .ods workbook itself)"
        )
        raise InputError(
            f"cohort error: {shown_name(path)}, line {line}: text is not {what} (byte 0x{raw[err.start]:02x}"
            f"{shown}); {fix}"
        ) from None


def _word_around(raw: bytes, at: int) -> bytes:
    """The bytes of the cell (or word) holding position ``at``: between the separators around it."""
    stops = re.compile(rb'[,;\t\r\n" ]')
    start = max((m.end() for m in stops.finditer(raw, max(0, at - 40), at)), default=max(0, at - 40))
    end = next((m.start() for m in stops.finditer(raw, at, at + 40)), min(len(raw), at + 40))
    return raw[start:end]


def likeliest_encoding(raw: bytes) -> str | None:
    """The first of the usual encodings of spreadsheet exports (:data:`.mapping.COMMON_ENCODINGS`,
    UTF-8 aside) that reads every byte; Windows-1252 is tried first (Excel on Windows in Western
    Europe and the Americas)."""
    for encoding in COMMON_ENCODINGS:
        if encoding in ("utf-8", "utf-16"):
            continue
        try:
            raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        return encoding
    return None

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

SEPARATORS = {",": "comma", ";": "semicolon", "\t": "tab"}
TRUE_WORDS, FALSE_WORDS = {"1", "true", "yes"}, {"0", "false", "no"}
WHOLE_WRITTEN_AS_DECIMAL = re.compile(r"^([+-]?\d+)\.0*$")
DECIMAL_COMMA = re.compile(r"^[+-]?\d*,\d+$|^[+-]?\d+,$")
MISSING_WORDS = {"NA"}


@dataclass
class Sheet:
    """The cells of a cohort file, cleaned, with what was set aside on the way."""

    table: pd.DataFrame  # known columns, schema order; text cells, NaN if empty
    lines: list[int]  # file line (1-based) of each row of ``table``
    separator: str
    decimal_comma: bool
    blank_rows: int = 0
    ignored_columns: list[str] = field(default_factory=list)


def binary_columns(table_schema: dict[str, Any]) -> set[str]:
    """Integer fields whose only values are 0 and 1 (answers to a yes/no question)."""
    return {
        f["name"]
        for f in table_schema["fields"]
        if f["type"] == "integer" and sorted(f.get("constraints", {}).get("enum", [])) == [0, 1]
    }


def read_sheet(text: str, table_schema: dict[str, Any], path: str | Path) -> Sheet:
    """Split the file's text into cells and clean them (see the module docstring)."""
    known = [f["name"] for f in table_schema["fields"]]
    header_line = next((line for line in text.splitlines() if line.strip(" ,;\t")), None)
    if header_line is None:
        raise InputError(
            f"cohort error: {path}: the file is empty; it needs a header naming the columns and one row per patient"
        )
    separator = detect_separator(header_line, known, path)
    header, records = _records(text, separator)
    names = _column_names(header, path)
    width = len(names)
    rows, lines, blank = [], [], 0
    for line, cells in records:
        cells = [c.strip() for c in cells]
        if not any(cells):
            blank += 1
            continue
        other = [sep for sep in SEPARATORS if sep != separator and sep in cells[0]]
        if width > 1 and len(cells) == 1 and other:
            raise InputError(
                f"cohort error: {path}, line {line}: the header is separated by {SEPARATORS[separator]}s "
                f"but this row by {SEPARATORS[other[0]]}s; use one separator throughout the file"
            )
        if len(cells) > width and any(cells[width:]):
            raise InputError(
                f"cohort error: {path}, line {line}: {len(cells)} cells but the header names {width} "
                f"columns; give every value a column in the header (separator: {SEPARATORS[separator]})"
            )
        rows.append((cells + [""] * width)[:width])
        lines.append(line)
    raw = pd.DataFrame(rows, columns=names, dtype=object) if rows else pd.DataFrame(columns=names, dtype=object)
    ignored = [n for n in names if n not in known and (not n.startswith("(unnamed") or raw[n].astype(bool).any())]
    table = raw[[n for n in known if n in names]].copy()
    decimal_comma = separator == ";"
    _clean(table, table_schema, decimal_comma)
    return Sheet(table.reset_index(drop=True), lines, separator, decimal_comma, blank, ignored)


def detect_separator(header_line: str, known: list[str], path: str | Path) -> str:
    """The separator that splits the header into the most known column names.

    When two separators find equally many (and some), the file is ambiguous: stop and say so.
    When none finds any, the comma is assumed and the schema reports the missing columns.
    """
    found = {
        sep: len({c.strip() for c in next(csv.reader([header_line], delimiter=sep))} & set(known)) for sep in SEPARATORS
    }
    best = max(found.values())
    winners = [sep for sep, n in found.items() if n == best]
    if best == 0:
        return ","
    if len(winners) > 1:
        names = " or ".join(SEPARATORS[sep] for sep in winners)
        raise InputError(
            f"cohort error: {path}, line 1: cannot tell whether the columns are separated by {names}; "
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
                f"cohort error: {path}, line 1, column {name}: the header names this column twice; keep one of them"
            )
        seen.add(name)
    return names


def _clean(table: pd.DataFrame, table_schema: dict[str, Any], decimal_comma: bool) -> None:
    """Normalise, in place, the spellings listed in the module docstring; empty cells become NaN."""
    binary = binary_columns(table_schema)
    for f in table_schema["fields"]:
        name = f["name"]
        if name not in table:
            continue
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

"""Day columns from a site's dates: day = date - start + 1, so day 1 is the first day of treatment.

A hospital export holds dates (of the start of treatment, of death, of intubation, of the last
follow-up) where the package counts days. The mapping's ``dates:`` names the date columns
(module ``mapping``); this module turns each into the package's day column, once, where the file
is read, and every problem names the user's own date cell (sheet, row, column letter) and the fix.

Dates are read as real spreadsheet dates (the reader writes them in ISO form, 2020-03-17), as ISO
text, or as text in the mapping's ``date_format``. Without a ``date_format``, a column of dates
written as text gets one line (not one per cell) with the format that reads them all.
A patient who died has a follow-up that ends at death: with the dates of both, the follow-up day
is the death day (an empty last follow-up date is allowed; a later one is an error).
Events and follow-up after the horizon stay as the user's days here; module ``horizon`` censors them.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable

import pandas as pd

from .mapping import START, Mapping, date_key

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$")
NUMBER = re.compile(r"^[+-]?\d+([.,]\d+)?$")
# Formats tried when dates are written as text and the mapping gives none (day first, then month first).
USUAL_FORMATS = (
    "%d/%m/%Y",
    "%m/%d/%Y",
    "%d.%m.%Y",
    "%d-%m-%Y",
    "%Y/%m/%d",
    "%d/%m/%y",
    "%m/%d/%y",
    "%d.%m.%y",
    "%d-%b-%Y",
    "%d %b %Y",
    "%b %d, %Y",
)

# A problem: (row index, the date column of the reader) -> the words after the cell's place.
Problem = tuple[int | None, str, str]


def parse_date(text: str, date_format: str | None) -> datetime.date | None:
    """The date a cell holds: ISO text (a real spreadsheet date is written so by the reader), or
    text in ``date_format`` (a time after the date is ignored); None when it reads as neither."""
    text = text.strip()
    if ISO_DATE.match(text):
        try:
            return datetime.datetime.fromisoformat(text).date()
        except ValueError:
            return None
    if not date_format:
        return None
    candidates = [text] + ([text.split(" ")[0]] if " " in text and " " not in date_format else [])
    for candidate in candidates:
        try:
            return datetime.datetime.strptime(candidate, date_format).date()
        except ValueError:
            continue
    return None


def guess_date_format(values: list[str]) -> str | None:
    """The first of :data:`USUAL_FORMATS` that reads every one of ``values`` (day before month
    when both would), or None."""
    for fmt in USUAL_FORMATS:
        if values and all(parse_date(v, fmt) for v in values):
            return fmt
    return None


def looks_like_dates(values: list[str]) -> bool:
    """Whether a column's cells are dates (ISO, or text in one usual format): at least four in five."""
    values = [v for v in values if v]
    if not values:
        return False
    iso = [v for v in values if ISO_DATE.match(v.strip())]
    text = [v for v in values if not ISO_DATE.match(v.strip())]
    fmt = guess_date_format(text) if text else None
    readable = len(iso) + (len(text) if fmt else 0)
    return readable >= 0.8 * len(values)


def days_from_dates(
    table: pd.DataFrame, dates: pd.DataFrame, mapping: Mapping, died: pd.Series | None
) -> tuple[list[Problem], set[int]]:
    """Fill, in place, each day column of ``table`` that the mapping computes from dates (as text:
    '8'); return the problems and the rows that have one. ``died`` holds the cleaned yes/no cells
    ('1' for a death) used to end a dead patient's follow-up at death."""
    problems: list[Problem] = []
    readable, bad = _readable_dates(dates, mapping, problems)
    start = readable.get(date_key(START))
    if start is not None and mapping.day_columns_from_dates():
        for index in dates.index[dates[date_key(START)].isna()]:
            problems.append(
                (
                    index,
                    date_key(START),
                    "the date of the first day of treatment is empty; days are counted from it (day 1), give it",
                )
            )
            bad.add(index)
    for role in mapping.day_columns_from_dates():
        table[role] = pd.Series([float("nan")] * len(table), dtype=object)
        column = readable.get(date_key(role))
        if start is None or column is None:
            continue
        for index in table.index:
            day = _day(start.at[index], column.at[index])
            if day is None:
                continue
            if day < 1:
                problems.append(_before_start(index, role, dates, mapping))
                bad.add(index)
                continue
            table.at[index, role] = str(day)
    if died is not None and {"death_day", "followup_days"} <= set(mapping.day_columns_from_dates()):
        _end_followup_at_death(table, died, mapping, problems, bad)
    return problems, bad


def _day(start: datetime.date | None, date: datetime.date | None) -> int | None:
    """Day number of ``date`` counted from ``start`` (day 1), None when either is missing."""
    return None if start is None or date is None else (date - start).days + 1


def _readable_dates(
    dates: pd.DataFrame, mapping: Mapping, problems: list[Problem]
) -> tuple[dict[str, pd.Series], set[int]]:
    """Each date column as dates (None where empty or unreadable), and the rows with a cell that
    does not read as a date; one problem per unreadable cell, or one per column when its dates are
    written as text and the mapping gives no ``date_format`` (or when it holds numbers only)."""
    bad: set[int] = set()
    unformatted = {
        column: [v for v in dates[column].dropna() if parse_date(v, None) is None]
        for column in dates.columns
        if mapping.date_format is None
    }
    suggestion = guess_date_format([v for values in unformatted.values() for v in values])
    readable = {}
    for column in dates.columns:
        cells = dates[column]
        parsed = cells.map(lambda v: None if pd.isna(v) else parse_date(v, mapping.date_format))
        wrong = [i for i in cells.index if pd.notna(cells.at[i]) and parsed.at[i] is None]
        bad.update(wrong)
        if wrong and all(NUMBER.match(cells.at[i]) for i in wrong) and len(wrong) == cells.notna().sum():
            problems.append((None, column, _numbers_not_dates(column, mapping)))
        elif wrong and mapping.date_format is None and suggestion:
            examples = ", ".join(repr(cells.at[i]) for i in wrong[:3])
            problems.append(
                (
                    None,
                    column,
                    f"dates written as text ({examples}{', ...' if len(wrong) > 3 else ''}) need their format; "
                    f'add date_format: "{suggestion}" to the mapping (real spreadsheet dates need none)',
                )
            )
        else:
            problems += [(i, column, _unreadable(cells.at[i], mapping.date_format)) for i in wrong]
        readable[column] = parsed
    return readable, bad


def _numbers_not_dates(column: str, mapping: Mapping) -> str:
    """Why a date column of numbers only is refused, and the two fixes."""
    role = column.removeprefix(date_key(""))
    return (
        "holds numbers, not dates; if they are day numbers, map the column under columns: "
        f"({role}: {mapping.dates[role]!r}) instead of dates:, else format the cells as dates in the spreadsheet"
    )


def _unreadable(value: str, date_format: str | None) -> str:
    """Why one cell is not a date, and how to write it."""
    example = datetime.date(2020, 3, 17)
    if date_format:
        return (
            f"value {value!r} is not a date in the mapping's date_format {date_format!r} "
            f"(which writes 17 March 2020 as {example.strftime(date_format)}); correct the cell"
        )
    return (
        f"value {value!r} is not a date; write a date (a spreadsheet date, 2020-03-17, or text in "
        "the mapping's date_format)"
    )


def _before_start(index: int, role: str, dates: pd.DataFrame, mapping: Mapping) -> Problem:
    """A date before the first day of treatment: the two dates and the fix."""
    start = dates.at[index, date_key(START)]
    return (
        index,
        date_key(role),
        f"{dates.at[index, date_key(role)]} is before the start of treatment ({mapping.dates[START]!r} {start}); "
        "day 1 is the first day of treatment: correct one of the two dates",
    )


def _end_followup_at_death(
    table: pd.DataFrame, died: pd.Series, mapping: Mapping, problems: list[Problem], bad: set[int]
) -> None:
    """For a patient who died (with a date of death), follow-up ends at death: the follow-up day is
    the death day; a last follow-up date after the death is an error."""
    number: Callable[[object], int | None] = lambda v: None if pd.isna(v) else int(v)  # noqa: E731
    for index in table.index:
        death, follow = number(table.at[index, "death_day"]), number(table.at[index, "followup_days"])
        if died.at[index] != "1" or death is None:
            continue
        if follow is not None and follow > death:
            problems.append(
                (
                    index,
                    date_key("followup_days"),
                    f"the last follow-up (day {follow}) is after the death (day {death}, "
                    f"{mapping.dates['death_day']!r}); correct one of the two dates, or leave the follow-up "
                    "date empty for a patient who died",
                )
            )
            bad.add(index)
            continue
        table.at[index, "followup_days"] = str(death)

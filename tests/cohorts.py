"""Deterministic test cohorts, as the CSV text a user would hand to the workflow.

Every builder returns the file's text (``str``; write it with :func:`write`, which keeps line
ends and byte-order marks as given); :func:`frame` reads one through the package's reader.
The same seedless rules always give the same bytes, so a failing test can be replayed.

- ``VALID``: cohorts the workflow must analyse to the end (edge cases included);
- ``SPREADSHEET``: the shipped reconstruction as spreadsheets and R export it; each reads
  to the same cohort as the reconstruction (``semicolon_decimal_comma`` to ``with_labs``'s);
- ``REFUSED``: files that must stop the run, each with words its one-line error must contain.

Used by tests/test_cohort.py, test_survival.py, test_proportions.py, test_edge_cohorts.py
and the end-to-end tests.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
RECONSTRUCTION = ROOT / "data/cohort/patients.csv"
SCHEMA = ROOT / "data/cohort/patients.schema.json"
ARMS, HORIZON, INCLUSION = ["anakinra", "standard"], 21, {"crp_mg_l": 100, "ferritin_ng_ml": 900}
COLUMNS = [
    "patient_id",
    "arm",
    "age_years",
    "died",
    "death_day",
    "mech_vent",
    "mech_vent_day",
    "resp_improved",
    "bacteremia",
    "followup_days",
]
BINARY = ["died", "mech_vent", "resp_improved", "bacteremia"]


# --- making cohorts ---------------------------------------------------------------------------


def spread_day(k: int, m: int, last: int = HORIZON) -> int:
    """Day of the k-th of m events spread evenly over 1..last (halves rounded up)."""
    day = Decimal(last * k) / Decimal(m + 1)
    return max(1, int(day.quantize(Decimal(1), rounding=ROUND_HALF_UP)))


def arm_rows(
    arm: str,
    prefix: str,
    n: int,
    deaths: int = 0,
    ventilated: int = 0,
    ventilated_died: int = 0,
    censored: int = 0,
    bacteremia: int = 0,
    age: int = 62,
) -> list[dict[str, Any]]:
    """One arm's patients, in this order: deaths without ventilation, ventilated then died,
    ventilated survivors, survivors censored before the horizon, survivors followed to the horizon.

    Event and censoring days are spread evenly; improved = never ventilated and alive at the horizon;
    bacteraemia is spread evenly through the arm's list.
    """
    kinds = ["death"] * deaths + ["vent_death"] * ventilated_died + ["vent"] * ventilated + ["censored"] * censored
    if len(kinds) > n:
        raise ValueError(f"{arm}: {len(kinds)} patients with events or censoring, but n = {n}")
    kinds += ["survivor"] * (n - len(kinds))
    with_bacteremia = {(2 * j + 1) * n // (2 * bacteremia) for j in range(bacteremia)} if bacteremia else set()
    rows, seen, totals = [], {kind: 0 for kind in set(kinds)}, {kind: kinds.count(kind) for kind in set(kinds)}
    for i, kind in enumerate(kinds):
        seen[kind] += 1
        k, total = seen[kind], totals[kind]
        row = {
            "patient_id": f"{prefix}{i + 1:0{len(str(n))}d}",
            "arm": arm,
            "age_years": age,
            "died": 0,
            "death_day": "",
            "mech_vent": 0,
            "mech_vent_day": "",
            "resp_improved": 0,
            "bacteremia": int(i in with_bacteremia),
            "followup_days": HORIZON,
        }
        if kind == "death":
            row.update(died=1, death_day=spread_day(k, total), followup_days=spread_day(k, total))
        elif kind == "vent_death":
            vent = spread_day(k, total, HORIZON - 3)
            row.update(mech_vent=1, mech_vent_day=vent, died=1, death_day=vent + 3, followup_days=vent + 3)
        elif kind == "vent":
            row.update(mech_vent=1, mech_vent_day=spread_day(k, total))
        elif kind == "censored":
            row.update(followup_days=spread_day(k, total, HORIZON - 1))
        else:
            row.update(resp_improved=1)
        rows.append(row)
    return rows


def csv_text(
    rows: list[dict[str, Any]], columns: list[str] = COLUMNS, separator: str = ",", line_end: str = "\n"
) -> str:
    """Rows as CSV text with a header."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, delimiter=separator, lineterminator=line_end)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def rows_of(text: str) -> list[dict[str, str]]:
    """A comma-separated cohort's rows, as text cells."""
    return list(csv.DictReader(io.StringIO(text)))


def two_arms(treated: dict[str, int], standard: dict[str, int]) -> str:
    """A cohort of an anakinra arm (ids A...) and a standard arm (ids S...), from arm_rows' counts."""
    return csv_text(arm_rows("anakinra", "A", **treated) + arm_rows("standard", "S", **standard))


def write(path: str | Path, text: str) -> Path:
    """Write a builder's text as UTF-8, byte for byte (line ends and byte-order mark kept)."""
    path = Path(path)
    path.write_bytes(text.encode("utf-8"))
    return path


def frame(text: str) -> pd.DataFrame:
    """A builder's text read and validated by the package's reader, with the shipped config."""
    from anakinra_replication.cohort import read_cohort

    with tempfile.TemporaryDirectory() as folder:
        return read_cohort(write(Path(folder) / "patients.csv", text), SCHEMA, ARMS, HORIZON, INCLUSION)


# --- cohorts the workflow must analyse ----------------------------------------------------------


def reconstruction() -> str:
    """The shipped reconstruction (29 vs 16 patients), exactly as committed."""
    return RECONSTRUCTION.read_text(encoding="utf-8")


def larger() -> str:
    """A larger cohort with other counts: 31 vs 18 patients, 4 vs 8 deaths, 3 vs 4 ventilated."""
    return two_arms(dict(n=31, deaths=4, ventilated=3, bacteremia=4), dict(n=18, deaths=8, ventilated=4, bacteremia=2))


def zero_deaths_one_arm() -> str:
    """Nobody dies on anakinra (0 of 29), 7 of 16 die on standard treatment."""
    return two_arms(dict(n=29, ventilated=6, bacteremia=4), dict(n=16, deaths=7, ventilated=3, bacteremia=2))


def zero_deaths_both() -> str:
    """Nobody dies in either arm; some are ventilated (so ventilation-free survival has events)."""
    return two_arms(dict(n=29, ventilated=5, bacteremia=4), dict(n=16, ventilated=5, bacteremia=2))


def no_events() -> str:
    """Nobody dies and nobody is ventilated: neither log-rank test exists."""
    return two_arms(dict(n=29, bacteremia=4), dict(n=16, bacteremia=2))


def nobody_ventilated() -> str:
    """Deaths in both arms (3 and 7) but nobody ventilated."""
    return two_arms(dict(n=29, deaths=3, bacteremia=4), dict(n=16, deaths=7, bacteremia=2))


def everybody_ventilated() -> str:
    """Every patient ventilated; some die afterwards (3 of 29, 7 of 16)."""
    return two_arms(
        dict(n=29, ventilated=26, ventilated_died=3, bacteremia=4),
        dict(n=16, ventilated=9, ventilated_died=7, bacteremia=2),
    )


def censored_survivors() -> str:
    """Reconstruction-like counts, with 3 and 2 survivors followed less than 21 days (censored)."""
    return two_arms(
        dict(n=29, deaths=3, ventilated=5, censored=3, bacteremia=4),
        dict(n=16, deaths=7, ventilated=5, censored=2, bacteremia=2),
    )


def censored_arm() -> str:
    """Every standard patient who survives is censored before day 21: survival at day 21 is not estimable there."""
    return two_arms(dict(n=29, deaths=3, ventilated=5, bacteremia=4), dict(n=16, deaths=7, censored=9, bacteremia=2))


def one_per_arm() -> str:
    """One patient per arm: the treated one survives, the standard one dies on day 11."""
    return two_arms(dict(n=1), dict(n=1, deaths=1))


def twenty_thousand() -> str:
    """20,000 patients, 10,000 per arm: 1,000 vs 1,500 deaths, 800 vs 1,200 ventilated, 50 censored each."""
    return two_arms(
        dict(n=10_000, deaths=1_000, ventilated=800, censored=50, bacteremia=900),
        dict(n=10_000, deaths=1_500, ventilated=1_200, censored=50, bacteremia=1_100),
    )


VALID: dict[str, Callable[[], str]] = {
    f.__name__: f
    for f in (
        reconstruction,
        larger,
        zero_deaths_one_arm,
        zero_deaths_both,
        no_events,
        nobody_ventilated,
        everybody_ventilated,
        censored_survivors,
        censored_arm,
        one_per_arm,
        twenty_thousand,
    )
}


# --- the reconstruction as spreadsheets export it --------------------------------------------------


def with_labs(text: str | None = None) -> str:
    """The reconstruction with the optional laboratory columns (decimals, all meeting the inclusion rule)."""
    rows = rows_of(text or reconstruction())
    for i, row in enumerate(rows):
        row.update(crp_mg_l=f"{100 + 7.25 * i:.2f}", ferritin_ng_ml=f"{880.5 + 3 * i:.1f}")
    return csv_text(rows, COLUMNS + ["crp_mg_l", "ferritin_ng_ml"])


def semicolon_decimal_comma() -> str:
    """with_labs() as a spreadsheet in a decimal-comma locale saves it: ';' between cells, ',' in decimals."""
    rows = rows_of(with_labs())
    for row in rows:
        row.update(crp_mg_l=row["crp_mg_l"].replace(".", ","), ferritin_ng_ml=row["ferritin_ng_ml"].replace(".", ","))
    return csv_text(rows, COLUMNS + ["crp_mg_l", "ferritin_ng_ml"], separator=";")


def _binary_words(true: list[str], false: list[str]) -> str:
    """The reconstruction with 0/1 answers written as words, cycling through the given spellings."""
    rows = rows_of(reconstruction())
    for i, row in enumerate(rows):
        for column in BINARY:
            words = true if row[column] == "1" else false
            row[column] = words[i % len(words)]
    return csv_text(rows)


def true_false() -> str:
    """Yes/no columns written TRUE/FALSE as spreadsheets do, with a few True/false in other cases."""
    return _binary_words(["TRUE", "TRUE", "True", "true"], ["FALSE", "FALSE", "False", "false"])


def yes_no() -> str:
    """Yes/no columns written yes/no in mixed case (yes, Yes, YES / no, No, NO)."""
    return _binary_words(["yes", "Yes", "YES"], ["no", "No", "NO"])


def whole_numbers_as_decimals() -> str:
    """Every whole number written with '.0' (71.0), as pandas writes integer columns holding gaps."""
    rows = rows_of(reconstruction())
    for row in rows:
        for column in COLUMNS[2:]:
            row[column] = f"{row[column]}.0" if row[column] else ""
    return csv_text(rows)


def blank_rows() -> str:
    """A blank line after patient 10, and three trailing rows: empty, separators only, spaces."""
    lines = reconstruction().splitlines()
    return "\n".join(lines[:11] + [""] + lines[11:] + ["", ",,,,,,,,,", " , ,"]) + "\n"


BLANK_ROWS_IN_BLANK_ROWS = 4


def extra_columns() -> str:
    """Two columns the schema does not know (site, notes with commas and quotes), placed among the others."""
    rows = rows_of(reconstruction())
    for i, row in enumerate(rows):
        row.update(site=["Milan", "Rome"][i % 2], notes='checked, "ok"' if i % 3 == 0 else "")
    return csv_text(rows, COLUMNS[:2] + ["site"] + COLUMNS[2:] + ["notes"])


def pandas_index() -> str:
    """As pandas' to_csv writes it without index=False: a first, unnamed column of row numbers."""
    rows = [{"": str(i), **row} for i, row in enumerate(rows_of(reconstruction()))]
    return csv_text(rows, [""] + COLUMNS)


def r_write_csv() -> str:
    """As R's write.csv writes it: quoted text and header, NA for missing, a first column of row names."""
    out = ['"",' + ",".join(f'"{c}"' for c in COLUMNS)]
    for i, row in enumerate(rows_of(reconstruction()), start=1):
        cells = [f'"{row[c]}"' if c in ("patient_id", "arm") else (row[c] or "NA") for c in COLUMNS]
        out.append(f'"{i}",' + ",".join(cells))
    return "\n".join(out) + "\n"


def crlf_bom() -> str:
    """Windows line ends and a UTF-8 byte-order mark, as Excel's 'CSV UTF-8' saves."""
    return "\ufeff" + reconstruction().replace("\n", "\r\n")


SPREADSHEET: dict[str, Callable[[], str]] = {
    f.__name__: f
    for f in (
        semicolon_decimal_comma,
        true_false,
        yes_no,
        whole_numbers_as_decimals,
        blank_rows,
        extra_columns,
        pandas_index,
        r_write_csv,
        crlf_bom,
    )
}


# --- files that must be refused ------------------------------------------------------------------


def _edited(edit: Callable[[list[dict[str, str]]], list[dict[str, str]]]) -> str:
    """The reconstruction with ``edit`` applied to its rows."""
    return csv_text(edit(rows_of(reconstruction())))


def _set(rows: list[dict[str, str]], patient: str, **cells: str) -> list[dict[str, str]]:
    """Rows with some cells of one patient changed."""
    return [{**row, **cells} if row["patient_id"] == patient else row for row in rows]


def arm_case() -> str:
    """The standard arm written 'Standard' (capital S) on every standard row."""
    return _edited(lambda rows: [{**r, "arm": "Standard"} if r["arm"] == "standard" else r for r in rows])


def empty_arm() -> str:
    """Only the anakinra patients: the standard arm is missing."""
    return _edited(lambda rows: [r for r in rows if r["arm"] == "anakinra"])


def header_only() -> str:
    """The header and no patient."""
    return reconstruction().splitlines()[0] + "\n"


def death_after_followup() -> str:
    """Patient A02 dies on day 15 but is followed for 11 days only."""
    return _edited(lambda rows: _set(rows, "A02", death_day="15"))


def vent_after_followup() -> str:
    """Surviving patient A04, ventilated on day 4 in the reconstruction, is followed 3 days only."""
    return _edited(lambda rows: _set(rows, "A04", followup_days="3"))


def binary_word() -> str:
    """Patient A05's bacteremia written 'maybe'."""
    return _edited(lambda rows: _set(rows, "A05", bacteremia="maybe"))


def mixed_separators() -> str:
    """Semicolons in the header and in the first rows, commas from patient A04 on (a hand edit)."""
    lines = csv_text(rows_of(reconstruction()), separator=";").splitlines()
    commas = reconstruction().splitlines()
    return "\n".join(lines[:4] + commas[4:]) + "\n"


def ambiguous_separator() -> str:
    """A hand-edited header that commas and semicolons split into equally many known names (4 each)."""
    header = (
        "patient_id,arm,age_years,died,death_day;mech_vent;mech_vent_day;resp_improved;bacteremia;followup_days,notes"
    )
    return header + "\n" + "\n".join(line + "," for line in reconstruction().splitlines()[1:]) + "\n"


REFUSED: dict[str, tuple[Callable[[], str], str]] = {
    "arm_case": (
        arm_case,
        "row 30 (line 31, patient_id S01), column arm: value 'Standard' is not one of anakinra, "
        "standard; did you mean 'standard'?",
    ),
    "empty_arm": (empty_arm, "column arm: no patient in arm 'standard' (patients per arm: anakinra 29, standard 0)"),
    "header_only": (header_only, "no patient rows"),
    "death_after_followup": (
        death_after_followup,
        "row 2 (line 3, patient_id A02), column death_day: death on day 15 "
        "is after the end of follow-up (followup_days 11)",
    ),
    "vent_after_followup": (
        vent_after_followup,
        "row 4 (line 5, patient_id A04), column mech_vent_day: ventilation "
        "on day 4 is after the end of follow-up (followup_days 3)",
    ),
    "binary_word": (
        binary_word,
        "column bacteremia (spreadsheet column I): answers that are not yes or no as the reader knows them: "
        "'maybe' in row 5 (line 6, patient_id A05); correct the cells",
    ),
    "mixed_separators": (mixed_separators, "line 5: the header is separated by semicolons but this row by commas"),
    "ambiguous_separator": (
        ambiguous_separator,
        "line 1: cannot tell whether the columns are separated by comma or semicolon",
    ),
}


# --- a site's own spreadsheet (R9): own headers, arm labels and yes/no words, with a mapping ------

OWN_HEADERS = {
    "patient_id": "Patient ID",
    "arm": "Treatment",
    "age_years": "Age (years)",
    "died": "Died",
    "death_day": "Day of death",
    "mech_vent": "Mechanical ventilation",
    "mech_vent_day": "Day of ventilation",
    "resp_improved": "Respiratory improvement",
    "bacteremia": "Bacteraemia",
    "followup_days": "Follow-up (days)",
}
OWN_ARMS = {"anakinra": "Anakinra", "standard": "Standard of care"}
OWN_MAPPING = (
    "columns:\n"
    + "".join(f'  {column}: "{header}"\n' for column, header in OWN_HEADERS.items())
    + "arms:\n"
    + "".join(f'  {arm}: ["{label}"]\n' for arm, label in OWN_ARMS.items())
    + "values:\n  yes: [Y]\n  no: [N]\n"
)


def own_headers(text: str | None = None) -> str:
    """A cohort (the reconstruction by default) as a site would keep it: its own headers, arm
    labels and Y/N for yes/no; read with OWN_MAPPING it is the same cohort."""
    rows = rows_of(text or reconstruction())
    renamed = [
        {
            OWN_HEADERS[c]: (OWN_ARMS[v] if c == "arm" else {"1": "Y", "0": "N"}[v] if c in BINARY else v)
            for c, v in row.items()
        }
        for row in rows
    ]
    return csv_text(renamed, list(OWN_HEADERS.values()))


def write_xlsx(path: str | Path, text: str) -> Path:
    """The cohort of a CSV text as an Excel workbook (numbers as numbers, as Excel keeps them)."""
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    typed = frame.apply(
        lambda col: pd.to_numeric(col, errors="coerce").where(col != "", None) if _numeric(col) else col
    )
    typed.to_excel(path, index=False, engine="openpyxl")
    return Path(path)


def _numeric(column: pd.Series) -> bool:
    """Whether every non-empty cell of a text column reads as a number."""
    cells = column[column != ""]
    return bool(len(cells)) and pd.to_numeric(cells, errors="coerce").notna().all()


def missing_age() -> str:
    """The reconstruction with one patient's age left empty (age may be empty: data dictionary)."""
    return _edited(lambda rows: _set(rows, "A03", age_years=""))


def several_bad_rows() -> str:
    """Problems in four rows and two kinds: two misspelled arms, a death after follow-up, a word for a number."""
    return _edited(
        lambda rows: _set(
            _set(_set(_set(rows, "A04", arm="anakinar"), "S05", arm="standrad"), "A02", death_day="15"),
            "S09",
            age_years="sixty",
        )
    )


# --- a hospital's own export (R14): Italian headers, dates, a title row, a second sheet, cp1252 ----

ITALIAN_HEADERS = {
    "patient_id": "ID paziente",
    "arm": "Braccio",
    "age_years": "Età",
    "died": "Decesso",
    "mech_vent": "Intubazione",
    "resp_improved": "Miglioramento respiratorio",
    "bacteremia": "Batteriemia",
    "crp_mg_l": "PCR (mg/L)",
    "ferritin_ng_ml": "Ferritina (ng/mL)",
}
ITALIAN_DATES = {
    "start": "Data inizio trattamento",
    "death_day": "Data decesso",
    "mech_vent_day": "Data intubazione",
    "followup_days": "Data ultimo follow-up",
}
ITALIAN_ARMS = {"anakinra": "Anakinra", "standard": "Terapia standard"}
# The file's columns, in its own order (a ward column the package does not use among them).
ITALIAN_ORDER = [
    "ID paziente",
    "Braccio",
    "Reparto",
    "Età",
    "Data inizio trattamento",
    "Decesso",
    "Data decesso",
    "Intubazione",
    "Data intubazione",
    "Miglioramento respiratorio",
    "Batteriemia",
    "Data ultimo follow-up",
    "PCR (mg/L)",
    "Ferritina (ng/mL)",
]
# The mapping of the issue (R14), word for word.
ISSUE_MAPPING = """\
sheet: Pazienti
header_row: 3                 # optional: found by itself when omitted (the first row holding the mapped headers)
encoding: cp1252              # optional, text files only; default UTF-8
date_format: "%d/%m/%Y"       # optional, for dates written as text; real spreadsheet dates need none
columns: {patient_id: "ID paziente", arm: Braccio, age_years: "Età", died: Decesso, mech_vent: Intubazione,
          resp_improved: "Miglioramento respiratorio", bacteremia: Batteriemia,
          crp_mg_l: "PCR (mg/L)", ferritin_ng_ml: "Ferritina (ng/mL)"}
dates:                        # day = date - start + 1 (day 1 is the first day of treatment)
  start: "Data inizio trattamento"
  death_day: "Data decesso"
  mech_vent_day: "Data intubazione"
  followup_days: "Data ultimo follow-up"
arms: {anakinra: [Anakinra], standard: ["Terapia standard"]}
values: {yes: ["Sì"], no: ["No"]}
"""


def without_lines(mapping: str, *keys: str) -> str:
    """A mapping's text without the top-level lines of ``keys`` (sheet, header_row, ...)."""
    return "".join(line for line in mapping.splitlines(keepends=True) if line.split(":")[0] not in keys)


def dated_rows(text: str | None = None) -> list[dict[str, Any]]:
    """A day-based cohort with laboratory values (``with_labs``) as an Italian hospital exports it:
    dates instead of days (each patient starting treatment on a date of their own; day 1 is that
    date), Sì/No, the arms' Italian labels, numbers as numbers. A dead patient's last follow-up
    date is left empty on every other row and is the death date on the others (both are read)."""
    import datetime

    rows = []
    for i, row in enumerate(rows_of(with_labs(text))):
        start = datetime.date(2020, 3, 10) + datetime.timedelta(days=i % 11)

        def on(day: str, start: datetime.date = start) -> datetime.date | None:
            return start + datetime.timedelta(days=int(day) - 1) if day else None

        died = row["died"] == "1"
        rows.append(
            {
                "ID paziente": row["patient_id"],
                "Braccio": ITALIAN_ARMS[row["arm"]],
                "Reparto": ["Malattie infettive", "Medicina interna"][i % 2],
                "Età": int(row["age_years"]),
                "Data inizio trattamento": start,
                "Decesso": "Sì" if died else "No",
                "Data decesso": on(row["death_day"]),
                "Intubazione": "Sì" if row["mech_vent"] == "1" else "No",
                "Data intubazione": on(row["mech_vent_day"]),
                "Miglioramento respiratorio": "Sì" if row["resp_improved"] == "1" else "No",
                "Batteriemia": "Sì" if row["bacteremia"] == "1" else "No",
                "Data ultimo follow-up": None if died and i % 2 else on(row["followup_days"]),
                "PCR (mg/L)": float(row["crp_mg_l"]),
                "Ferritina (ng/mL)": float(row["ferritin_ng_ml"]),
            }
        )
    return rows


def write_dated_workbook(path: str | Path, rows: list[dict[str, Any]], title: bool = True) -> Path:
    """An Excel workbook as a hospital exports it: a first sheet of notes, the patients on the
    second sheet ('Pazienti') under a title row and an empty row (header on row 3), real dates."""
    import openpyxl

    book = openpyxl.Workbook()
    notes = book.active
    notes.title = "Note"
    notes.append(["Esportazione del registro COVID-19"])
    notes.append(["Dati aggiornati al 30/04/2020"])
    sheet = book.create_sheet("Pazienti")
    if title:
        sheet.append(["Pazienti trattati - esportazione del 30/04/2020"])
        sheet.append([])
    sheet.append(ITALIAN_ORDER)
    for row in rows:
        sheet.append([row[h] for h in ITALIAN_ORDER])
    for cells in sheet.iter_rows():
        for cell in cells:
            if cell.is_date:
                cell.number_format = "DD/MM/YYYY"
    book.save(path)
    return Path(path)


def dated_csv_bytes(rows: list[dict[str, Any]], title: bool = False) -> bytes:
    """The same export as Excel on Windows saves 'CSV (separato da punto e virgola)': semicolons,
    decimal commas, dates written dd/mm/yyyy, Windows line ends, Windows-1252 bytes."""

    def text(value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, float):
            return f"{value:g}".replace(".", ",")
        if hasattr(value, "strftime"):
            return value.strftime("%d/%m/%Y")
        return str(value)

    lines = (["Pazienti trattati;;;", ";;;"] if title else []) + [";".join(ITALIAN_ORDER)]
    lines += [";".join(text(row[h]) for h in ITALIAN_ORDER) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def set_patient(rows: list[dict[str, Any]], patient: str, **cells: Any) -> list[dict[str, Any]]:
    """Rows of :func:`dated_rows` with some cells of one patient changed (keys: the Italian headers,
    spaces and hyphens written as underscores: Data_decesso=..., Data_ultimo_follow_up=...)."""
    headers = {h.replace(" ", "_").replace("-", "_"): h for h in ITALIAN_ORDER}
    changes = {headers.get(k, k): v for k, v in cells.items()}
    return [{**row, **changes} if row["ID paziente"] == patient else row for row in rows]

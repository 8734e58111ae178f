"""A mapping from a site's own spreadsheet to the package's columns, arms and yes/no spellings.

A data holder keeps the file as the hospital exports it and writes a small YAML file beside it
(checked against workflow/schemas/mapping.schema.yaml)::

    columns:              # package column: the file's header
      patient_id: Patient ID
      arm: Treatment
    arms:                 # package arm: the file's labels (several allowed)
      anakinra: [Anakinra, "Anakinra IV"]
      standard: ["Standard of care"]
    values:               # optional: more spellings of yes, no and of an empty cell
      yes: [Y, ja]
      no: [N, nein]
      missing: ["n/a", "-"]
    sheet: Patients       # optional: the sheet of an .xlsx/.ods workbook (default: the first)
    header_row: 3         # optional: the header's row (or a text file's line); found by itself if omitted
    encoding: cp1252      # optional, text files only: how the bytes are written (default UTF-8)
    date_format: "%d/%m/%Y"   # optional: how dates written as text read (real spreadsheet dates need none)
    dates:                # optional: day columns computed from dates, day = date - start + 1
      start: Start of treatment           # day 1 is the first day of treatment
      death_day: Date of death

Headers and labels are matched ignoring case and spaces around them; :func:`guess_header` and
:func:`closest` guess a header or a spelling (difflib). The command that writes a first mapping
from a file's headers is :mod:`.starting_mapping`; days from dates are computed in :mod:`.dates`.
"""

from __future__ import annotations

import codecs
import datetime
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .jsonio import SAFE_LOADER, SCHEMAS, InputError

SCHEMA = "mapping.schema.yaml"
START = "start"  # the key of dates: naming the first day of treatment (day 1)


def _word(value: Any) -> str:
    """A label or spelling from the YAML file as text (a YAML boolean as true/false)."""
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def _key(text: str) -> str:
    """A header or label as it is compared: case and surrounding spaces ignored."""
    return str(text).strip().casefold()


DATE_MARK = "date of "  # prefix of a date column's name inside the reader (never a header of the package)


def date_key(role: str) -> str:
    """The reader's name of the date column of a role of dates: ('start', 'death_day', ...)."""
    return DATE_MARK + role


@dataclass
class Mapping:
    """The parts of a mapping file; an empty mapping leaves the file as it is."""

    columns: dict[str, str] = field(default_factory=dict)  # package column -> file header
    arms: dict[str, list[str]] = field(default_factory=dict)  # package arm -> file labels
    yes: list[str] = field(default_factory=list)
    no: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    sheet: str | None = None
    name: str | None = None  # the mapping file's name (never its path)
    header_row: int | None = None  # the header's row or line (1-based); None: found by itself
    encoding: str | None = None  # a text file's encoding; None: UTF-8
    date_format: str | None = None  # strptime format of dates written as text
    dates: dict[str, str] = field(default_factory=dict)  # 'start' or a day column -> the file's date header

    def package_name(self, header: str) -> str:
        """The package's name of a file header (the header itself when the mapping does not name it);
        a date header becomes :func:`date_key` of its role."""
        by_header = {_key(h): column for column, h in self.columns.items()}
        by_header.update({_key(h): date_key(role) for role, h in self.dates.items()})
        return by_header.get(_key(header), header)

    def header_of(self, column: str) -> str | None:
        """The file's header of a package column or date role (None when the mapping does not name it)."""
        if column.startswith(DATE_MARK):
            return self.dates.get(column[len(DATE_MARK) :])
        return self.columns.get(column)

    def expected_headers(self, known: list[str]) -> set[str]:
        """The headers the file should have, compared as :func:`_key` does: the package's own column
        names and the mapping's headers (columns and dates)."""
        return {_key(h) for h in [*known, *self.columns.values(), *self.dates.values()]}

    def day_columns_from_dates(self) -> list[str]:
        """The day columns the mapping computes from dates (its dates: without start)."""
        return [role for role in self.dates if role != START]

    def arm_of(self, label: str) -> str:
        """The package arm of a file label (the label itself when the mapping does not list it)."""
        for arm, labels in self.arms.items():
            if _key(label) in {_key(x) for x in labels}:
                return arm
        return label

    def binary_word(self, value: str) -> str:
        """'1' or '0' for a mapped spelling of yes or no, else the value as it is."""
        if _key(value) in {_key(x) for x in self.yes}:
            return "1"
        if _key(value) in {_key(x) for x in self.no}:
            return "0"
        return value

    def is_missing(self, value: str) -> bool:
        """Whether the value is a mapped spelling of an empty cell."""
        return _key(value) in {_key(x) for x in self.missing}


def day_fields(table_schema: dict[str, Any]) -> list[str]:
    """The columns that count days (unit "days" in the Table Schema): those dates: may compute."""
    return [f["name"] for f in table_schema["fields"] if f.get("unit") == "days"]


def load_mapping(path: str | Path | None, table_schema: dict[str, Any], arms: list[str]) -> Mapping:
    """Read and check a mapping file (``None``: no mapping). Every problem of the file is named at once."""
    if not path:
        return Mapping()
    path = Path(path)
    name = path.name
    if not path.is_file():
        raise InputError(f"mapping error: {name}: no such file; give the mapping's path with MAP=path/to/mapping.yaml")
    try:
        content = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    except (yaml.YAMLError, UnicodeDecodeError) as err:
        where = getattr(err, "problem_mark", None)
        line = f", line {where.line + 1}" if where else ""
        raise InputError(f"mapping error: {name}{line}: not readable as YAML ({type(err).__name__}); fix it") from None
    content = _yaml_words(content or {})
    problems = _schema_problems(content, name) or _meaning_problems(content, name, table_schema, arms)
    if problems:
        raise InputError("\n".join(problems))
    values = content.get("values", {})
    return Mapping(
        columns={k: str(v) for k, v in content.get("columns", {}).items()},
        arms={k: [_word(x) for x in (v if isinstance(v, list) else [v])] for k, v in content.get("arms", {}).items()},
        yes=[_word(x) for x in values.get("yes", [])],
        no=[_word(x) for x in values.get("no", [])],
        missing=[_word(x) for x in values.get("missing", [])],
        sheet=None if content.get("sheet") is None else str(content["sheet"]),
        name=name,
        header_row=content.get("header_row"),
        encoding=content.get("encoding"),
        date_format=content.get("date_format"),
        dates={k: str(v) for k, v in content.get("dates", {}).items()},
    )


def _yaml_words(content: Any) -> Any:
    """Undo YAML 1.1's reading of yes/no as booleans: the keys ``yes:`` and ``no:`` under values,
    and bare yes/no/true/false among labels, come back as words."""
    if not isinstance(content, dict):
        return content
    values = content.get("values")
    if isinstance(values, dict):
        content["values"] = {
            {True: "yes", False: "no"}.get(k, k) if isinstance(k, bool) else k: v for k, v in values.items()
        }
    return content


def _schema_problems(content: Any, name: str) -> list[str]:
    """Every place where the mapping breaks workflow/schemas/mapping.schema.yaml, one line each."""
    import jsonschema

    schema = yaml.load((SCHEMAS / SCHEMA).read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(content), key=lambda e: list(e.path))
    return [
        f"mapping error: {name}, at {'/'.join(str(p) for p in e.absolute_path) or 'top level'}: {e.message}"
        for e in errors
    ]


def _meaning_problems(content: dict[str, Any], name: str, table_schema: dict[str, Any], arms: list[str]) -> list[str]:
    """Names the package does not know (columns, arms), each with the closest known one."""
    known = [f["name"] for f in table_schema["fields"]]
    problems = []
    for column in content.get("columns", {}):
        if column not in known:
            problems.append(
                f"mapping error: {name}, columns: {column!r} is not a column of the package{_hint(column, known)}"
            )
    for arm in content.get("arms", {}):
        if arm not in arms:
            problems.append(f"mapping error: {name}, arms: {arm!r} is not an arm of the package{_hint(arm, arms)}")
    return problems + _date_problems(content, name, table_schema)


def _date_problems(content: dict[str, Any], name: str, table_schema: dict[str, Any]) -> list[str]:
    """What is wrong with dates:, date_format and encoding: roles the package does not know, a
    day column given both as days and as dates, dates without a start, a format that reads no
    date, an encoding Python does not know."""
    dates, roles = content.get("dates", {}), [START, *day_fields(table_schema)]
    problems = [
        f"mapping error: {name}, dates: {role!r} is not a day column of the package{_hint(role, roles)}"
        for role in dates
        if role not in roles
    ]
    problems += [
        f"mapping error: {name}, dates: {role}: {role} is mapped under columns: too; keep it in one place "
        "(columns: for a column of day numbers, dates: for a column of dates)"
        for role in dates
        if role in content.get("columns", {})
    ]
    twice = {_key(h) for h in content.get("columns", {}).values()} & {_key(h) for h in dates.values()}
    problems += [
        f"mapping error: {name}, dates: the header {h!r} is mapped under columns: too; a column is either "
        "a package column or a date"
        for h in sorted(twice)
    ]
    if dates and START not in dates:
        problems.append(
            f"mapping error: {name}, dates: days are counted from the first day of treatment (day 1); "
            "add start: with the header of the column holding that date"
        )
    problems += _format_problems(content, name)
    return problems


def _format_problems(content: dict[str, Any], name: str) -> list[str]:
    """A date_format that does not read back the date it writes; an unknown encoding."""
    problems = []
    fmt = content.get("date_format")
    if fmt is not None:
        example = datetime.date(2020, 3, 17)
        try:
            readable = datetime.datetime.strptime(example.strftime(fmt), fmt).date() == example
        except ValueError:
            readable = False
        if not readable:
            problems.append(
                f"mapping error: {name}, date_format: {fmt!r} does not read a whole date (day, month and year); "
                'write it with %d, %m and %Y, for example "%d/%m/%Y" for 17/03/2020'
            )
    encoding = content.get("encoding")
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            near = closest(encoding, list(COMMON_ENCODINGS))
            hint = f"; did you mean {near!r}?" if near else f" (for example {', '.join(COMMON_ENCODINGS)})"
            problems.append(f"mapping error: {name}, encoding: {encoding!r} is not an encoding Python knows{hint}")
    return problems


# Encodings spreadsheets commonly save text in, likeliest first (for hints and for guessing).
COMMON_ENCODINGS = {
    "utf-8": "UTF-8",
    "cp1252": "Windows-1252, Western Europe",
    "cp1250": "Windows-1250, Central Europe",
    "latin-1": "ISO-8859-1",
    "mac_roman": "Mac OS Roman",
    "utf-16": "UTF-16, as Excel's Unicode text",
}


def _hint(word: str, choices: list[str]) -> str:
    """'; did you mean X?' for the closest of ``choices``, or the list of them."""
    close = closest(word, choices)
    return f"; did you mean {close!r}?" if close else f" (they are: {', '.join(choices)})"


def closest(word: str, choices: list[str], cutoff: float = 0.6) -> str | None:
    """The choice closest in spelling to ``word`` (case and punctuation ignored), if any is close."""
    plain = {re.sub(r"[^a-z0-9]", "", _key(c)): c for c in choices}
    found = difflib.get_close_matches(re.sub(r"[^a-z0-9]", "", _key(word)), list(plain), n=1, cutoff=cutoff)
    return plain[found[0]] if found else None


# Spellings of yes and no in the languages hospitals export in, for suggesting a values: line.
YES_WORDS = {"yes", "y", "si", "sì", "sí", "s", "ja", "j", "oui", "o", "sim", "true", "t", "vero", "wahr", "positive"}
NO_WORDS = {"no", "n", "non", "nein", "não", "nao", "false", "f", "falso", "falsch", "negative"}


def yes_or_no(word: str) -> str | None:
    """'yes' or 'no' when ``word`` is a usual spelling of one of them in some language, else None."""
    key = _key(word).rstrip(".")
    return "yes" if key in YES_WORDS else "no" if key in NO_WORDS else None


def values_line(yes: list[str], no: list[str], missing: list[str] = ()) -> str:
    """The mapping's ``values:`` line (flow style) for these spellings; empty lists left out."""
    parts = [f"{k}: {_flow(v)}" for k, v in (("yes", yes), ("no", no), ("missing", list(missing))) if v]
    return "values: {" + ", ".join(parts) + "}"


def _flow(words: list[str]) -> str:
    """A YAML flow list of words, quoted only where YAML needs it."""
    return yaml.safe_dump(list(words), default_flow_style=True, allow_unicode=True, width=1000).strip()


# Words a site is likely to use for a column, beside the column's own name (for the first guesses).
# (a few Italian words too: the language of the study's hospital)
SYNONYMS = {
    "patient_id": ["patient", "id", "subject", "record id", "patient number", "id paziente"],
    "arm": ["treatment", "group", "arm", "therapy", "allocation", "braccio"],
    "age_years": ["age", "age years", "età"],
    "died": ["death", "dead", "deceased", "died", "decesso"],
    "death_day": ["day of death", "death day", "days to death"],
    "mech_vent": ["ventilation", "mechanical ventilation", "intubated", "ventilated", "intubazione"],
    "mech_vent_day": ["day of ventilation", "ventilation day", "intubation day"],
    "resp_improved": ["improvement", "improved", "respiratory improvement", "miglioramento respiratorio"],
    "bacteremia": ["bacteraemia", "bacteremia", "bloodstream infection", "batteriemia"],
    "followup_days": ["follow-up", "follow up days", "followup", "days followed"],
    "crp_mg_l": ["crp", "c-reactive protein", "pcr"],
    "ferritin_ng_ml": ["ferritin", "ferritina"],
}
# Words a site is likely to use for a date column, for each role of dates:.
DATE_SYNONYMS = {
    START: ["start", "start of treatment", "treatment start", "first dose", "day 1", "inizio trattamento"],
    "death_day": ["death", "date of death", "died", "decesso"],
    "mech_vent_day": ["ventilation", "intubation", "date of ventilation", "date of intubation", "intubazione"],
    "followup_days": ["follow-up", "last follow-up", "last contact", "last seen", "ultimo follow-up"],
}


def guess_header(column: str, headers: list[str], words: list[str] | None = None) -> str | None:
    """The file header most like the package column or one of its usual names (or ``words``), if
    any is close."""
    best, score = None, 0.0
    for header in headers:
        plain = re.sub(r"\(.*?\)", "", _key(header)).strip()
        for word in words if words is not None else [column.replace("_", " "), *SYNONYMS.get(column, [])]:
            ratio = difflib.SequenceMatcher(None, plain, word).ratio()
            if ratio > score:
                best, score = header, ratio
    return best if score >= 0.6 else None


def guess_date_header(role: str, headers: list[str]) -> str | None:
    """The date header most like a role of dates: (start, death_day, ...): one naming it in full
    ("Data decesso" holds "decesso"), else the closest in spelling."""
    words = DATE_SYNONYMS[role]
    holding = [h for h in headers if any(re.search(rf"\b{re.escape(w)}\b", _key(h)) for w in words)]
    return holding[0] if holding else guess_header(role, headers, words)

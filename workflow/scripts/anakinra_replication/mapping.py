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

Headers and labels are matched ignoring case and spaces around them; :func:`guess_header` and
:func:`closest` guess a header or a spelling (difflib). The command that writes a first mapping
from a file's headers is :mod:`.starting_mapping`.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .jsonio import SAFE_LOADER, SCHEMAS, InputError

SCHEMA = "mapping.schema.yaml"


def _word(value: Any) -> str:
    """A label or spelling from the YAML file as text (a YAML boolean as true/false)."""
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def _key(text: str) -> str:
    """A header or label as it is compared: case and surrounding spaces ignored."""
    return str(text).strip().casefold()


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

    def package_name(self, header: str) -> str:
        """The package's name of a file header (the header itself when the mapping does not name it)."""
        by_header = {_key(h): column for column, h in self.columns.items()}
        return by_header.get(_key(header), header)

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
    return problems


def _hint(word: str, choices: list[str]) -> str:
    """'; did you mean X?' for the closest of ``choices``, or the list of them."""
    close = closest(word, choices)
    return f"; did you mean {close!r}?" if close else f" (they are: {', '.join(choices)})"


def closest(word: str, choices: list[str], cutoff: float = 0.6) -> str | None:
    """The choice closest in spelling to ``word`` (case and punctuation ignored), if any is close."""
    plain = {re.sub(r"[^a-z0-9]", "", _key(c)): c for c in choices}
    found = difflib.get_close_matches(re.sub(r"[^a-z0-9]", "", _key(word)), list(plain), n=1, cutoff=cutoff)
    return plain[found[0]] if found else None


# Words a site is likely to use for a column, beside the column's own name (for the first guesses).
SYNONYMS = {
    "patient_id": ["patient", "id", "subject", "record id", "patient number"],
    "arm": ["treatment", "group", "arm", "therapy", "allocation"],
    "age_years": ["age", "age years"],
    "died": ["death", "dead", "deceased", "died"],
    "death_day": ["day of death", "death day", "days to death"],
    "mech_vent": ["ventilation", "mechanical ventilation", "intubated", "ventilated"],
    "mech_vent_day": ["day of ventilation", "ventilation day", "intubation day"],
    "resp_improved": ["improvement", "improved", "respiratory improvement"],
    "bacteremia": ["bacteraemia", "bacteremia", "bloodstream infection"],
    "followup_days": ["follow-up", "follow up days", "followup", "days followed"],
    "crp_mg_l": ["crp", "c-reactive protein"],
    "ferritin_ng_ml": ["ferritin"],
}


def guess_header(column: str, headers: list[str]) -> str | None:
    """The file header most like the package column or one of its usual names, if any is close."""
    best, score = None, 0.0
    for header in headers:
        plain = re.sub(r"\(.*?\)", "", _key(header)).strip()
        for word in [column.replace("_", " "), *SYNONYMS.get(column, [])]:
            ratio = difflib.SequenceMatcher(None, plain, word).ratio()
            if ratio > score:
                best, score = header, ratio
    return best if score >= 0.6 else None

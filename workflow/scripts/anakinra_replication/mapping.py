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

Headers and labels are matched ignoring case and spaces around them. :func:`starting_mapping`
writes a first mapping from a file's headers, with a best guess for each column (difflib) and a
comment saying what the column means (from the Table Schema).
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


def starting_mapping(
    headers: list[str],
    labels: list[str],
    table_schema: dict[str, Any],
    arms: list[str],
    answers: list[str] = (),
) -> str:
    """A first mapping file (YAML text) for a file with these headers and arm labels: a best guess
    for each column, commented with what the column means; unguessed columns are left for the user.
    ``answers``: the words of the yes/no columns that the reader does not know (Y, N, ja, ...)."""
    lines = [
        "# Mapping of a cohort file to the package's columns (README, 'Running on your own data').",
        "# Check every line: the guesses come from the spelling of your headers only.",
        "# columns: package column: the header in your file (delete optional columns you do not have).",
        "columns:",
    ]
    for f in table_schema["fields"]:
        guess = guess_header(f["name"], headers)
        meaning = f.get("description", "").replace("\n", " ")
        empty = f.get("missing", "")
        if guess:
            quoted = yaml.safe_dump(guess, default_style='"').strip()
            lines.append(f"  {f['name']}: {quoted}  # {meaning} Empty cells: {empty}")
        else:
            lines.append(f'  # {f["name"]}: ""  # no header looks like it; {meaning} Empty cells: {empty}')
    lines += ["# arms: package arm: the labels your file uses for it (a list; several allowed).", "arms:"]
    chosen = {arm: [] for arm in arms}
    for label in labels:
        arm = best_arm(label, arms)
        if arm:
            chosen[arm].append(label)
    for arm in arms:
        lines.append(f"  {arm}: {yaml.safe_dump(chosen[arm], default_flow_style=True).strip()}")
    lines.append(f"# labels found in the guessed arm column: {', '.join(labels) or 'none'}")
    yes = [w for w in answers if _key(w)[:1] in "yjsot"]
    no = [w for w in answers if _key(w)[:1] in "nf"]
    if yes or no:
        lines += [
            "# values: spellings of yes and no found in the yes/no columns (add missing: [...] for empty cells)",
            f"values: {{yes: {yaml.safe_dump(yes, default_flow_style=True).strip()}, "
            f"no: {yaml.safe_dump(no, default_flow_style=True).strip()}}}",
        ]
    lines += [
        "# values (optional): more spellings of yes, no and of an empty cell, e.g.",
        "# values: {yes: [Y, ja], no: [N, nein], missing: [n/a, '-']}",
        "# sheet (optional): the sheet of an .xlsx or .ods workbook; the first one when not given.",
    ]
    return "\n".join(lines) + "\n"


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
    "standard": ["standard", "control", "soc", "usual care"],
}


def write_starting_mapping(
    cohort: str | Path, out: str | Path | None, schema_path: str | Path, arms: list[str]
) -> Path:
    """Write :func:`starting_mapping` for the cohort file (beside it, ``<stem>.mapping.yaml``, unless
    ``out`` is given); an existing file is never overwritten."""
    from .cohort import load_sheet, load_table_schema
    from .spreadsheet import binary_columns

    table_schema = load_table_schema(schema_path)
    sheet = load_sheet(cohort, table_schema, Mapping())
    headers = [h for h in sheet.headers if not h.startswith("(unnamed")]
    arm_header = guess_header("arm", headers)
    guessed = {c: h for c in [f["name"] for f in table_schema["fields"]] if (h := guess_header(c, headers))}
    raw = load_sheet(cohort, table_schema, Mapping(columns=guessed)).table
    labels = sorted({str(v) for v in raw.get("arm", pd_empty()).dropna()}) if arm_header else []
    known = {"1", "0", "true", "false", "yes", "no"}
    answers = sorted(
        {str(v) for c in binary_columns(table_schema) if c in raw for v in raw[c].dropna() if _key(v) not in known}
    )
    target = Path(out) if out else Path(cohort).with_name(Path(cohort).stem + ".mapping.yaml")
    if target.exists():
        raise InputError(f"mapping error: {target.name} exists already; edit it, or remove it to start again")
    target.write_text(starting_mapping(headers, labels, table_schema, arms, answers), encoding="utf-8")
    return target


def pd_empty():  # noqa: ANN201 - an empty series, imported late (pandas is slow to import)
    """An empty pandas Series."""
    import pandas as pd

    return pd.Series(dtype=object)


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

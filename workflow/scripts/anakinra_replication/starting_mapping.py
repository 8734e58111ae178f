"""`make mapping COHORT=file`: a first mapping for a site's file, written from its headers.

Each column gets a best guess (:func:`.mapping.guess_header`, difflib) and a comment saying what it
means and whether it may be empty (from the Table Schema); the arm labels found are sorted to the
arm whose name or usual words they resemble; unfamiliar yes/no words are listed. The user checks
every line. Kept apart from :mod:`.mapping`, which the reader imports, because it reads the file
with the reader (:mod:`.cohort`).
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

import yaml

from .cohort import load_sheet, load_table_schema
from .jsonio import SAFE_LOADER, InputError
from .mapping import Mapping, _key, guess_header
from .spreadsheet import binary_columns


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

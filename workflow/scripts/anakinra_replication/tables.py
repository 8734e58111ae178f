"""Tables for readers (Markdown for the manuscript, CSV for machines), built from results files.

Cells are words, not identifiers: a claim is named by its outcome, arm and kind
(:mod:`.labels`), its id kept only as an anchor and a hover title. Numbers are right-aligned,
text left-aligned; every caption ends with a link to the script and rule that made the table,
filled in from the provenance metadata (key ``provenance.links.<label>``).
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path
from typing import Any

from .aspects import check_fixes, dependent_claims
from .event_days import event_day_table
from .jsonio import InputError
from .labels import (
    EVIDENCE_DEFINITIONS,
    EVIDENCE_NAMES,
    IMPOSED,
    TEST_NAMES,
    TWO_SIDED,
    VERDICT_NAMES,
    and_list,
    arm_name,
    aspect_words,
    claim_label,
    claims_in_words,
    outcome_name,
    p_reason,
    short_reference,
    test_over,
)
from .outcomes import BINARY_OUTCOMES, ENDPOINTS, LABELS
from .outputs import Output, link_key, load_outputs
from .provenance_words import (
    contributors_words,
    licence_words,
    machine_words,
    run_words,
    seed_words,
    tool_key,
)
from .questions import answers_with_every_cohort
from .rounding import printed, printed_or, printed_range, printed_range_or
from .statistic_words import missing_words, reason_words
from .verify import checked_by_reader


def provenance_shortcode(label: str) -> str:
    """The shortcode a caption ends with; rule provenance writes the link it resolves to."""
    return f"{{{{< meta provenance.links.{link_key(label)} >}}}}"


LONG_TABLE_ROWS = 15  # a table of more rows may break across PDF pages; a shorter one is kept whole
NOT_ESTIMABLE = "–"  # a statistic the data cannot give: a dash, with the reason in a note


def outcome_rows(numbers: dict[str, Any], claims: list[dict[str, Any]], arms: list[str]) -> list[dict[str, str]]:
    """Day-horizon outcomes: per outcome and arm, the reported value beside the reproduced one.
    A statistic the data cannot give is a dash, and ``note`` says why (the Markdown table makes
    it a footnote; the CSV keeps it as a column)."""
    reported = {(c["outcome"], c["arm"], c["kind"]): c["value"] for c in claims}
    outcomes, rows = numbers["outcomes"], []
    for outcome in BINARY_OUTCOMES + ENDPOINTS:
        for arm in arms:
            x = outcomes[outcome][arm]
            if outcome in BINARY_OUTCOMES:
                shown = f"{x['count']}/{x['n']} ({printed_or(x['percent'], 1, NOT_ESTIMABLE, suffix='%')})"
                interval = printed_range_or(x["ci_lower_percent"], x["ci_upper_percent"], 1, NOT_ESTIMABLE)
                said = f"{reported.get((outcome, arm, 'count'), '-')} ({reported.get((outcome, arm, 'percent'), '-')})"
            else:
                shown = printed_or(x["percent"], 1, NOT_ESTIMABLE, suffix="%")
                interval = printed_range_or(x["ci_lower"], x["ci_upper"], 1, NOT_ESTIMABLE, 100)
                said = reported.get((outcome, arm, "percent"), "-")
            note = missing_words(x)
            rows.append(
                {
                    "outcome": LABELS[outcome],
                    "arm": arm_name(arm),
                    "reported": said,
                    "reproduced": shown,
                    "ci_percent": interval,
                    "note": note,
                }
            )
        if outcome in ENDPOINTS:
            test = outcomes[outcome]["both"]
            shown = (
                NOT_ESTIMABLE
                if test["p_value"] is None
                else f"{printed(test['p_value'], 4)} (chi-square {printed(test['chi2'], 2)})"
            )
            rows.append(
                {
                    "outcome": LABELS[outcome],
                    "arm": "Log-rank P",
                    "reported": reported.get((outcome, "both", "p_value"), "-"),
                    "reproduced": shown,
                    "ci_percent": "",
                    "note": missing_words(test),
                }
            )
    return rows


def with_footnotes(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """Rows for a Markdown table: each dash of a row with a ``note`` gets the note as a footnote."""
    marked = []
    for row in rows:
        note = footnote(row["note"]) if row.get("note") else ""
        marked.append({k: (v + note if v == NOT_ESTIMABLE else v) for k, v in row.items() if k != "note"})
    return marked


def write_csv(rows: list[dict[str, str]], path: str | Path) -> None:
    """Rows of dicts as CSV (UTF-8, LF)."""
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def markdown(
    rows: list[dict[str, str]],
    header: dict[str, str],
    caption: str,
    label: str,
    widths: list[int] | None = None,
    align: str | None = None,
) -> str:
    """A pipe table with a Quarto caption, cross-reference label (``tbl-...``), relative column
    widths (percent) and alignments (one letter per column, ``l`` or ``r``; left by default, so
    that no cell is centred). The caption ends with the table's provenance link. (No ``column-page``
    classes: in the PDF they make Typst reserve a wide margin on every page.) A table of more than
    ``LONG_TABLE_ROWS`` rows may break across PDF pages; a shorter one is kept whole."""
    keys = list(header)
    align = align or "l" * len(keys)
    escape = lambda s: str(s).replace("|", "\\|")  # noqa: E731 - one-line cell escaping
    rule = {"l": ":---", "r": "---:"}
    lines = ["| " + " | ".join(header[k] for k in keys) + " |", "|" + "|".join(rule[a] for a in align) + "|"]
    lines += ["| " + " | ".join(escape(r[k]) for k in keys) + " |" for r in rows]
    width = f' tbl-colwidths="{widths}"' if widths else ""
    table = "\n".join(lines) + f"\n\n: {caption} {provenance_shortcode(label)} {{#{label}{width}}}\n"
    return long_table(table) if len(rows) > LONG_TABLE_ROWS else table


@cache
def _declared_tables() -> dict[str, Output]:
    """The declared tables by name (workflow/outputs.yaml, read once)."""
    return {item.name: item for item in load_outputs() if item.kind == "table"}


def declared_table(
    name: str,
    rows: list[dict[str, str]],
    header: dict[str, str],
    widths: list[int] | None = None,
    align: str | None = None,
    note: str = "",
) -> str:
    """The table ``name`` of workflow/outputs.yaml as Markdown (:func:`markdown`), with the
    declared caption and label; ``note`` is a sentence the data add to the caption."""
    item = _declared_tables()[name]
    return markdown(rows, header, item.caption + note, item.label, widths, align)


def anchored(text: str, anchor: str, title: str = "") -> str:
    """``text`` as a Pandoc span with an id (a link target) and, optionally, a hover title."""
    hover = f' title="{title}"' if title else ""
    return f"[{text}]{{#{anchor}{hover}}}"


def footnote(text: str) -> str:
    """An inline note: a hover pop-up in the HTML, a footnote in the PDF (empty text: nothing)."""
    return f"^[{text}]" if text else ""


def claim_source(claim: dict[str, Any], sources: dict[str, str], quotes: dict[str, int] | None = None) -> str:
    """Where a claim is printed ("Brooks 2020, paragraph 5"), followed by the number of its quoted
    passage ("quote 3", a link to the list of :func:`quoted_passages`) when claims.yaml gives one:
    a passage quoted for several claims is printed once, and no note marker touches a number."""
    where = f"{short_reference(sources.get(claim['source'], claim['source']))}, {claim['location']}"
    quote = claim.get("quote", "")
    if not quote or quotes is None:
        return where
    return f"{where}; [quote {quotes[quote]}](#quote-{quotes[quote]})"


def quote_numbers(claims: list[dict[str, Any]]) -> dict[str, int]:
    """Each distinct quoted passage of ``claims`` (in order) numbered from 1, once."""
    numbers: dict[str, int] = {}
    for claim in claims:
        if claim.get("quote") and claim["quote"] not in numbers:
            numbers[claim["quote"]] = len(numbers) + 1
    return numbers


def quoted_passages(quotes: dict[str, int]) -> str:
    """The numbered list of the passages the tables cite, each once, as the source words them."""
    if not quotes:
        return ""
    items = [f"{n}. [“{text}”]{{#quote-{n}}}" for text, n in quotes.items()]
    return "\n**Quoted passages.** The source's own words for the items of the tables above, each passage once:\n\n" + (
        "\n".join(items) + "\n"
    )


def shown_claims(rows: list[dict[str, Any]], claims: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The claims in the order the verification table, then the statements table, show them."""
    by_id = {c["id"]: c for c in claims}
    numeric = [by_id[r["claim_id"]] for r in rows if r["verdict"] != "not_checkable"]
    return numeric + [by_id[r["claim_id"]] for r in rows if r["verdict"] == "not_checkable"]


def verification_table(
    rows: list[dict[str, Any]],
    claims: list[dict[str, Any]],
    sources: dict[str, str],
    quotes: dict[str, int] | None = None,
) -> str:
    """The numeric claims, each named in words beside its recomputed value, with verdict, evidence
    and where the source prints it (with the number of its quoted passage); the id is the row's
    anchor and hover title, the note a footnote."""
    by_id = {c["id"]: c for c in claims}
    quotes = quote_numbers(shown_claims(rows, claims)) if quotes is None else quotes
    shown = []
    for r in rows:
        if r["verdict"] == "not_checkable":
            continue
        claim = by_id[r["claim_id"]]
        shown.append(
            {
                "claim": anchored(claim_label(claim), f"claim-{r['claim_id']}", r["claim_id"]) + footnote(r["note"]),
                "reported": r["reported"],
                "reproduced": r["reproduced_printed"],
                "verdict": VERDICT_NAMES[r["verdict"]],
                "evidence": EVIDENCE_NAMES[r["evidence"]],
                "source": claim_source(claim, sources, quotes),
            }
        )
    header = {
        "claim": "Claim",
        "reported": "Reported",
        "reproduced": "Reproduced",
        "verdict": "Verdict",
        "evidence": "Evidence",
        "source": "Source",
    }
    return declared_table("verification", shown, header, [32, 10, 12, 9, 15, 22], "lrrlll")


def statements_table(
    rows: list[dict[str, Any]],
    claims: list[dict[str, Any]],
    sources: dict[str, str],
    quotes: dict[str, int] | None = None,
) -> str:
    """The reported statements that patient-level data of this kind cannot check, followed by the
    numbered list of every quoted passage the verification and statements tables cite."""
    by_id = {c["id"]: c for c in claims}
    quotes = quote_numbers(shown_claims(rows, claims)) if quotes is None else quotes
    shown = [
        {
            "topic": anchored(outcome_name(r["outcome"]), f"claim-{r['claim_id']}", r["claim_id"]),
            "arm": arm_name(r["arm"]),
            "reported": r["reported"],
            "source": claim_source(by_id[r["claim_id"]], sources, quotes),
        }
        for r in rows
        if r["verdict"] == "not_checkable" and not checked_by_reader(r)
    ]
    checked = [outcome_name(r["outcome"]).lower() for r in rows if checked_by_reader(r)]
    note = (
        f" The {' and the '.join(checked)} was checked by the reader on every patient of this cohort."
        if checked
        else ""
    )
    header = {"topic": "Topic", "arm": "Arm", "reported": "What the source says (paraphrased)", "source": "Source"}
    return declared_table("statements", shown, header, [20, 16, 44, 20], note=note) + quoted_passages(quotes)


def assumptions_table(
    assumptions: list[dict[str, Any]],
    claims: list[dict[str, Any]],
    rows: list[dict[str, Any]],
    cohort: dict[str, Any] | None = None,
) -> str:
    """The reconstruction's assumptions, each with its reason and the reported numbers whose match
    depends on it, computed from what it fixes (:mod:`.aspects`), with the evidence of those
    matches (``rows``: the verification rows); the assumption's id is the anchor of its row, not a
    column. ``cohort`` (numbers.json's block of that name), when given, must be the reconstruction:
    the table is true of it alone, and a user's cohort gets none (its scope in workflow/outputs.yaml
    is ``reconstruction``)."""
    if cohort is not None and not cohort["is_reconstruction"]:
        raise InputError(
            f"table error: the assumptions table describes the shipped reconstruction only; the cohort "
            f"{cohort['path']} is not it (its SHA-256 differs), so its document has no such table"
        )
    check_fixes(assumptions, claims)
    shown = [
        {
            "statement": anchored(a["statement"], f"assumption-{a['id']}"),
            "justification": a["justification"],
            "claims": depends_words(a, claims, rows),
        }
        for a in assumptions
    ]
    header = {
        "statement": "What is assumed",
        "justification": "Why",
        "claims": "Reported numbers whose match depends on it",
    }
    return declared_table("assumptions", shown, header, [32, 30, 38])


def depends_words(assumption: dict[str, Any], claims: list[dict[str, Any]], rows: list[dict[str, Any]]) -> str:
    """The reported numbers whose match depends on an assumption, grouped, and how many of them
    fall in each evidence class; or "none", with what the assumption fixes that no number reads."""
    dependent = dependent_claims(assumption, claims)
    if not dependent:
        fixed = and_list([aspect_words(x) for x in assumption["fixes"]])
        return f"none: no reported number depends on {fixed}"
    evidence = {r["claim_id"]: r["evidence"] for r in rows}
    classes = [evidence[c["id"]] for c in dependent]
    split = ", ".join(f"{classes.count(e)} {EVIDENCE_NAMES[e]}" for e in EVIDENCE_NAMES if e in classes)
    return f"{claims_in_words(dependent)}: {split}"


def evidence_table(rows: list[dict[str, Any]]) -> str:
    """Verdicts by evidence class: how many items of each class match, and the class's definition
    (``labels.EVIDENCE``, the one place it is written). Only the classes this cohort's items fall in
    are shown: on a cohort that was not built from the report, every number is derived."""
    shown = []
    for label in EVIDENCE_NAMES:
        group = [r for r in rows if r["evidence"] == label]
        if not group:
            continue
        numeric = [r for r in group if r["verdict"] != "not_checkable"]
        matching = sum(r["verdict"] in ("match", "match_other_rounding") for r in numeric)
        shown.append(
            {
                "evidence": EVIDENCE_NAMES[label],
                "claims": str(len(group)),
                "match": str(matching) if numeric else "–",
                "other": str(len(numeric) - matching) if numeric else "–",
                "meaning": EVIDENCE_DEFINITIONS[label],
            }
        )
    header = {
        "evidence": "Evidence",
        "claims": "Items",
        "match": "Match",
        "other": "Do not match",
        "meaning": "Definition",
    }
    return declared_table("evidence", shown, header, [20, 9, 9, 12, 50], "lrrrl")


def tested_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The verification rows that were not imposed on the cohort (evidence outside
    ``labels.IMPOSED``): what a match on this cohort tests; on a user's cohort, every row."""
    return [r for r in rows if r["evidence"] not in IMPOSED]


READER_CHECKED_VERDICT = "every patient meets it"  # a statement the reader checked (it refuses a file otherwise)


def tested_table(rows: list[dict[str, Any]], claims: list[dict[str, Any]]) -> str:
    """Every reported item that was not imposed on the cohort, with its verdict and evidence: the
    numbers a match tests and the statements. A number the data cannot give is a dash whose note
    says why."""
    by_id = {c["id"]: c for c in claims}
    shown = []
    for r in tested_rows(rows):
        numeric = r["verdict"] != "not_checkable"
        missing = NOT_ESTIMABLE + (footnote(r["note"]) if numeric else "")
        checked = r["evidence"] == "checked_by_reader"
        shown.append(
            {
                "claim": claim_label(by_id[r["claim_id"]]),
                "reported": r["reported"],
                "recomputed": r["reproduced_printed"] or missing,
                "verdict": READER_CHECKED_VERDICT if checked else VERDICT_NAMES[r["verdict"]],
                "evidence": EVIDENCE_NAMES[r["evidence"]],
            }
        )
    header = {
        "claim": "Item",
        "reported": "Reported",
        "recomputed": "Recomputed",
        "verdict": "Verdict",
        "evidence": "Evidence",
    }
    return declared_table("tested", shown, header, [28, 30, 12, 14, 16], "lrrll")


def event_days_table(numbers: dict[str, Any]) -> str:
    """The days of death and of the start of ventilation in the cohort, per arm. On the
    reconstruction, beside them, the evenly spread days it starts from and how far each lies from
    them; a user's cohort has observed days, and its table shows those alone."""
    settings = numbers["settings"]
    table = event_day_table(numbers["relations"], settings["arms"], settings["horizon_days"])
    words = {"death": "Death", "mech_vent": "Start of ventilation"}
    listed = lambda days: ", ".join(map(str, days)) or "none"  # noqa: E731
    shown = [
        {
            "event": words[event],
            "arm": arm_name(arm),
            "count": str(len(x["days"])),
            "days": listed(x["days"]),
            "even": listed(x["even_spread"]),
            "moved": listed(x["moved"]),
            "total": str(sum(x["moved"])),
        }
        for event, entry in table.items()
        for arm, x in entry["arms"].items()
    ]
    if not numbers["cohort"]["is_reconstruction"]:
        header = {"event": "Event", "arm": "Arm", "count": "Events", "days": "Days in the cohort"}
        return declared_table("event_days", shown, header, [25, 25, 10, 40], "llrl")
    header = {
        "event": "Event",
        "arm": "Arm",
        "days": "Days in the cohort",
        "even": "Evenly spread days",
        "moved": "Days moved, each",
        "total": "Total moved",
    }
    note = " Beside them, the evenly spread days the reconstruction starts from, and how far each lies from them."
    return declared_table("event_days", shown, header, [18, 17, 22, 20, 15, 8], "llllll", note=note)


def hash_cell(digest: str) -> str:
    """A SHA-256 as code, exactly its 64 characters in both formats (no break character is
    inserted, so a copied hash equals ``sha256sum``): the HTML wraps it with CSS
    (``overflow-wrap: anywhere``); the PDF gives it a column wide enough for one line."""
    return f'`<code class="sha256">{digest}</code>`{{=html}}`#raw("{digest}")`{{=typst}}'


def build_date_words(record: dict[str, Any]) -> str:
    """The build date as a reader needs it: the run's, or the one SOURCE_DATE_EPOCH fixed."""
    if record["build_date_fixed"]:
        return f"{record['build_date']} (fixed by SOURCE_DATE_EPOCH, not the day it ran)"
    return f"{record['build_date']} (the date of this run)"


def commit_date_words(source: dict[str, Any]) -> str:
    """The commit's date, said to be the commit's (not the build's), or why there is none."""
    if not source["commit_date"]:
        return "none (not a git checkout)"
    return f"{source['commit_date']} (the date of the commit, not of this run)"


def provenance_table(numbers: dict[str, Any], record: dict[str, Any]) -> str:
    """How this document was built: commit (and its date) and repository; the package's licence,
    contributors and version (CITATION.cff); build date (the run's), the time its jobs took, the
    machine and the Monte Carlo's seed; the tools, the SHA-256 of every input, then the Python
    packages used. The outputs' hashes are in :func:`manifest_table`. No instruction to a
    developer: a missing fact is said to be missing."""
    source, tools, package = record["source"], record["tools"], record["package"]
    commit = source["commit"] or "not a git checkout"
    if source["commit"]:
        commit = f"`{source['commit']}`" + (
            " with uncommitted changes to the files it is built from"
            if source["dirty"]
            else ", no uncommitted changes to the files it is built from"
        )
    repository = (
        f"<{source['repository']}>"
        if source["repository"]
        else "none named; the links under each figure and table lead into this copy of the package"
    )
    rows = [
        {"kind": "Source", "item": "Commit", "value": commit},
        {"kind": "Source", "item": "Commit date", "value": commit_date_words(source)},
        {"kind": "Source", "item": "Repository", "value": repository},
        {"kind": "Citation", "item": "Licence", "value": licence_words(package)},
        {"kind": "Citation", "item": "Contributors", "value": contributors_words(package)},
        {"kind": "Citation", "item": "Version", "value": package["version"] or "none given in CITATION.cff"},
        {"kind": "Build", "item": "Build date", "value": build_date_words(record)},
        {"kind": "Build", "item": "Time taken", "value": run_words(record["run"])},
        {"kind": "Build", "item": "Machine", "value": machine_words(record["machine"])},
        {"kind": "Build", "item": "Monte Carlo seed", "value": seed_words(record["monte_carlo"])},
    ]
    rows += [{"kind": "Tool", "item": name, "value": version} for name, version in tools.items()]
    rows += [
        {"kind": "Input", "item": f"`{v['path']}`", "value": hash_cell(v["sha256"])} for v in numbers["inputs"].values()
    ]
    tool_names = {tool_key(name) for name in tools}
    rows += [
        {"kind": "Package", "item": name, "value": v}
        for name, v in sorted(numbers["software"].items())
        if name.lower() not in tool_names
    ]
    return declared_table(
        "provenance", rows, {"kind": "Kind", "item": "Item", "value": "SHA-256, version or value"}, [10, 30, 60]
    )


def manifest_table(files: list[tuple[str, str]]) -> str:
    """Every output with its SHA-256: ``files`` are (path relative to the certificate's folder,
    digest) pairs, as codecheck.yml lists them."""
    rows = [{"file": f"`{path}`", "sha256": hash_cell(digest)} for path, digest in files]
    return declared_table(
        "manifest", rows, {"file": "File (in the cohort's results folder)", "sha256": "SHA-256"}, [36, 64]
    )


def long_table(table: str) -> str:
    """A table allowed to break across PDF pages (shorter ones are kept whole, see _quarto.yml):
    Typst rules around it switch breaking on, then off again."""
    on = "```{=typst}\n#show figure: set block(breakable: true)\n```\n\n"
    off = "\n```{=typst}\n#show figure: set block(breakable: false)\n```\n"
    return on + table + off


def write_tables(
    numbers: dict[str, Any],
    rows: list[dict[str, Any]],
    claims: list[dict[str, Any]],
    sources: dict[str, str],
    out: Any,
) -> None:
    """Write the outcomes table (CSV and Markdown) and the verification, statements, evidence,
    tested and event-days tables (Markdown), the tables of every cohort; ``out`` maps each name to its path.
    ``sources`` are the references of claims.yaml, keyed as the claims cite them."""
    settings = numbers["settings"]
    outcomes = outcome_rows(numbers, claims, settings["arms"])
    write_csv(outcomes, out["outcomes_csv"])
    header = {
        "outcome": "Outcome",
        "arm": "Arm",
        "reported": "Reported",
        "reproduced": "Reproduced",
        "ci_percent": f"{printed(100 * (1 - settings['alpha']), 0)}% CI (%)",
    }
    tables = {
        "outcomes": declared_table("outcomes", with_footnotes(outcomes), header, [34, 17, 13, 20, 16], "llrrr"),
        "verification": verification_table(rows, claims, sources),
        "statements": statements_table(rows, claims, sources),
        "evidence": evidence_table(rows),
        "tested": tested_table(rows, claims),
        "event_days": event_days_table(numbers),
    }
    for name, text in tables.items():
        Path(out[name]).write_text(text, encoding="utf-8")


RULE_WORDS = {"half_up": "rounded half up", "half_even": "rounded half to even", "truncate": "truncated"}


def _footnoted(text: str, reason: str, notes: list[str], key: str) -> str:
    """A dash (or ``text``) with a footnote giving ``reason``; the note is added to ``notes``."""
    label = f"{key}{len(notes) + 1}"
    notes.append(f"[^{label}]: {reason}")
    return f"{text}[^{label}]"


def _with_notes(table: str, notes: list[str]) -> str:
    return table + ("\n" + "\n".join(notes) + "\n" if notes else "")


def p_value_tests_table(ident: dict[str, Any]) -> str:
    """Which test gives the reported P: each test, its P or range, and whether it prints so.

    A single P is judged by the verification's rules (the row's ``verdict``); a range over
    layouts gives the share of layouts whose P prints as reported rounded half up.
    """
    rows, notes = [], []
    for r in ident["tests"]:
        decimals = len(r["reported"].split(".")[1]) + 2
        if r["kind"] == "single":
            if r["p_min"] is None:
                p, prints = _footnoted("–", p_reason(r), notes, "pv"), "–"
            else:
                p = printed(r["p_min"], decimals)
                if "p_fisher_ordering" in r:
                    p = _footnoted(
                        p,
                        f"Two-sided as {TWO_SIDED[r['two_sided']]}; with the tables ordered by Fisher's two-sided P "
                        f"instead, P = {printed(r['p_fisher_ordering'], decimals)}.",
                        notes,
                        "pv",
                    )
                if "p_doubled_one_sided" in r:
                    p = _footnoted(
                        p,
                        f"Two-sided as {TWO_SIDED[r['two_sided']]}; as twice the smaller one-sided mid-P "
                        f"instead (R's epitools), P = {printed(r['p_doubled_one_sided'], decimals)}.",
                        notes,
                        "pv",
                    )
                prints = {
                    "match": "yes, rounded half up",
                    "match_other_rounding": "only " + " or ".join(RULE_WORDS[x] for x in r["rules"]),
                    "mismatch": "no",
                }[r["verdict"]]
        else:
            p = printed_range(r["p_min"], r["p_max"], decimals)
            prints = f"in {printed(100 * r['fraction_printing_as_reported'], 1)}% of them, rounded half up"
        rows.append(
            {
                "endpoint": LABELS[r["endpoint"]].split(" (")[0],
                "test": TEST_NAMES[r["test"]],
                "reported": r["reported"],
                "p": p,
                "over": test_over(r),
                "prints": prints,
            }
        )
    header = {
        "endpoint": "Endpoint",
        "test": "Test",
        "reported": "Reported P",
        "p": "P (or range)",
        "over": "Computed over",
        "prints": "Prints as reported?",
    }
    return _with_notes(declared_table("p_value_tests", rows, header, [14, 22, 10, 16, 20, 18]), notes)


def _ci(x: dict[str, Any], decimals: int = 2, scale: float = 1.0) -> str:
    return printed_range(scale * x["ci_lower"], scale * x["ci_upper"], decimals)


def _result_text(a: dict[str, Any], notes: list[str]) -> str:
    """The numbers an answer rests on, printed at a reader's precision."""
    n, qid = a["numbers"], a["id"]
    if a["holds"] is None and a["answer"].startswith("not estimable"):
        return _footnoted("–", a["answer"].removeprefix("not estimable: "), notes, "rb")
    if qid in ("mortality_lower", "vent_free"):
        rr = n["risk_ratio"]
        corrected = f" ({rr['continuity_correction']:g} added to every cell)" if "continuity_correction" in rr else ""
        return f"RR {printed(rr['estimate'], 2)} ({_ci(rr)}){corrected}"
    if qid == "difference_size":
        rd = n["risk_difference"]
        return f"RD {printed(100 * rd['estimate'], 1)} points ({_ci(rd, 1, 100)})"
    if qid == "exact_test":
        odds = n["odds_ratio"]
        shown = (
            f"OR {printed(odds['conditional_mle'], 2)} ({_ci(odds)})"
            if odds["conditional_mle"] is not None and odds["ci_upper"] is not None
            else _footnoted("OR –", missing_words(odds), notes, "rb")
        )
        return f"Fisher P {printed(n['fisher_p'], 3)}; {shown}"
    if qid == "fragility":
        f = n["fragility"]
        if f["fragility_index"] is not None:
            return f"index {f['fragility_index']} (quotient {printed(f['fragility_quotient'], 3)})"
        if f["reverse_fragility_index"] is not None:
            return (
                _footnoted("index –", reason_words(f), notes, "rb") + f"; reverse index {f['reverse_fragility_index']}"
            )
        return _footnoted("–", missing_words(f), notes, "rb")
    if qid == "confounding":
        ev = n["e_value"]
        return f"E-value {printed(ev['e_value'], 1)} (estimate), {printed(ev['e_value_ci'], 2)} (interval)"
    if qid == "time_to_event":
        cox = n["cox"]
        return f"HR {printed(cox['hazard_ratio'], 2)} ({_ci(cox)}), P {printed(cox['p_value'], 3)}"
    if qid == "proportional_hazards":
        return f"P {printed(n['ph_test']['p_value'], 2)}"
    if qid == "rmst":
        return f"{printed(n['rmst']['difference'], 1)} days ({_ci(n['rmst'], 1)})"
    if qid.startswith("bayes_"):
        return (
            f"P(RR < 1) {printed(n['p_rr_below_1'], 3)}; P(RR < {printed(n['threshold_rr'], 2)}) "
            f"{printed(n['p_rr_below_threshold'], 3)}; RR {printed(n['median'], 2)} ({_ci(n)})"
        )
    if qid == "prior_sensitivity":
        probs = n["p_rr_below_1"]
        return (
            f"P(RR < 1) {printed(probs[n['lowest']], 3)} to {printed(probs[n['highest']], 3)}; above 0.5 under "
            f"{len(n['above_half'])} of {n['priors']} priors, at least {n['level']:g} under {len(n['reaching_level'])}"
        )
    if qid == "every_cohort":
        e = n["effects"]
        if not e["layouts"]:
            return NOT_ESTIMABLE
        return (
            f"RMST difference {printed(e['rmst_difference_min'], 3)} to {printed(e['rmst_difference_max'], 2)} "
            f"days, below 0 in {e['rmst_below_zero']:,} of {e['layouts']:,} layouts; HR 1 or more in "
            f"{e['hr_not_below_one']:,}"
        )
    raise ValueError(f"no printed form for answer {qid!r}")


def robustness_rows(robust: dict[str, Any], ident: dict[str, Any]) -> tuple[list[dict[str, str]], list[str]]:
    """The questions a statistical reviewer asks, each with its analysis, result and answer, as
    computed in the analysis (robustness.json's answers, and identifiability.json's answer about
    every cohort consistent with the report); and the footnotes of the table."""
    rows, notes = [], []
    for a in answers_with_every_cohort(robust, ident):
        analysis = a["analysis"] if a["over"] == "this cohort" else f"{a['analysis']}; over {a['over']}"
        rows.append(
            {
                "question": a["question"],
                "analysis": analysis,
                "result": _result_text(a, notes),
                "holds": a["answer"] if not a["answer"].startswith("not estimable") else "not estimable",
            }
        )
    return rows, notes


def robustness_table(robust: dict[str, Any], ident: dict[str, Any]) -> str:
    """Markdown of :func:`robustness_rows`, footnotes after the table."""
    header = {"question": "Question", "analysis": "Analysis", "result": "Result", "holds": "Answer"}
    rows, notes = robustness_rows(robust, ident)
    return _with_notes(declared_table("robustness", rows, header, [22, 26, 27, 25]), notes)

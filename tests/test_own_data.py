"""A data holder's own file (R9): a mapping of headers and labels, spreadsheets, every problem in
one run, missing ages, the terminal's verdict, and nothing private leaked into the results."""

import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import cohorts
from anakinra_replication.cohort import cohort_and_report, write_validated
from anakinra_replication.jsonio import InputError
from anakinra_replication.mapping import load_mapping
from anakinra_replication.numbers import shown_path
from anakinra_replication.starting_mapping import FoundTable, starting_mapping
from anakinra_replication.terminal import verdict_lines
from anakinra_replication.verify import verification_rows, write_rows
from conftest import COHORT_SCHEMA, ROOT

ARMS, HORIZON, INCLUSION = cohorts.ARMS, cohorts.HORIZON, cohorts.INCLUSION


def read(path, mapping=None):
    return cohort_and_report(path, COHORT_SCHEMA, ARMS, HORIZON, INCLUSION, mapping)


def refused(path, mapping=None) -> list[str]:
    with pytest.raises(InputError) as err:
        read(path, mapping)
    return str(err.value).splitlines()


@pytest.fixture
def own(tmp_path):
    """The reconstruction with a site's own headers, labels and Y/N, and its mapping."""
    mapping = tmp_path / "site.mapping.yaml"
    mapping.write_text(cohorts.OWN_MAPPING, encoding="utf-8")
    return cohorts.write(tmp_path / "site.csv", cohorts.own_headers()), mapping


def test_own_headers_with_a_mapping_read_as_the_plain_cohort(own, tmp_path):
    cohort, report = read(*own)
    plain, _ = read(cohorts.write(tmp_path / "plain.csv", cohorts.reconstruction()))
    pd.testing.assert_frame_equal(cohort, plain)
    assert report["mapping"] == "site.mapping.yaml"


def test_without_the_mapping_every_missing_column_is_named_with_its_closest_header(own):
    lines = refused(own[0])
    for column, header in cohorts.OWN_HEADERS.items():
        assert any(f"column {column}: required column is missing" in line and repr(header) in line for line in lines)
    assert "make mapping COHORT=site.csv" in lines[-1] and "MAP=" in lines[-1]
    assert "no patient rows" not in "\n".join(lines)


def test_the_same_cohort_as_xlsx_ods_and_csv_gives_identical_results(own, tmp_path, config, claims):
    path, mapping = own
    outputs = []
    for variant in (path, cohorts.write_xlsx(tmp_path / "site.xlsx", path.read_text(encoding="utf-8"))):
        cohort, report = read(variant, mapping)
        folder = tmp_path / variant.suffix.lstrip(".")
        folder.mkdir()
        write_validated(cohort, folder / "validated.csv")
        from anakinra_replication.proportions import outcome_numbers
        from anakinra_replication.survival import survival_numbers

        outcomes = {**outcome_numbers(cohort, ARMS, 0.05), **survival_numbers(cohort, ARMS, HORIZON, 0.05)}
        write_rows(verification_rows(claims, outcomes, None), folder / "verification.csv")
        outputs.append([(folder / name).read_bytes() for name in ("validated.csv", "verification.csv")])
        assert report["rows_read"] == 45
    assert outputs[0] == outputs[1]
    assert read(cohorts.write_xlsx(tmp_path / "again.xlsx", path.read_text(encoding="utf-8")), mapping)[1][
        "format"
    ].startswith("Excel workbook")


def test_an_ods_workbook_and_a_named_sheet_are_read(own, tmp_path):
    path, mapping = own
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    ods = tmp_path / "site.ods"
    with pd.ExcelWriter(ods, engine="odf") as writer:
        pd.DataFrame({"notes": ["nothing"]}).to_excel(writer, sheet_name="Notes", index=False)
        frame.to_excel(writer, sheet_name="Patients", index=False)
    named = tmp_path / "named.yaml"
    named.write_text(cohorts.OWN_MAPPING + "sheet: Patients\n", encoding="utf-8")
    cohort, report = read(ods, named)
    assert len(cohort) == 45 and "sheet 'Patients'" in report["format"]
    (line,) = refused(ods, mapping)  # first sheet: none of the mapped headers there; the sheet that has them
    assert line == (
        "cohort error: site.ods: the mapping's headers are not on sheet 'Notes' (found there, on row 1 of sheet "
        "'Notes': 'notes') but on row 1 of sheet 'Patients': add sheet: Patients to the mapping"
    )


@pytest.mark.parametrize(
    "magic, words",
    [(b"%PDF-1.7", "a PDF document"), (b"\xd0\xcf\x11\xe0\xa1\xb1", "old Office file (.xls"), (b"$FL2", "SPSS")],
)
def test_other_binary_files_are_named_by_type(tmp_path, magic, words):
    path = tmp_path / "cohort.bin"
    path.write_bytes(magic + b"\x00" * 64)
    (line,) = refused(path)
    assert words in line and line.startswith("cohort error: cohort.bin: this is")


def test_several_bad_rows_are_named_in_one_run_with_did_you_mean(tmp_path):
    lines = refused(cohorts.write(tmp_path / "bad.csv", cohorts.several_bad_rows()))
    text = "\n".join(lines)
    assert "patient_id A04), column arm: value 'anakinar'" in text and "did you mean 'anakinra'?" in text
    assert "patient_id S05), column arm: value 'standrad'" in text and "did you mean 'standard'?" in text
    assert "patient_id A02), column death_day: death on day 15" in text
    assert "patient_id S09), column age_years: value 'sixty' is not a whole number" in text
    assert lines[-1].startswith("cohort error: bad.csv: 4 problems in all")
    assert not any("followup_days 11 differs" in line for line in lines)  # one inconsistency, said once


def test_a_misspelled_label_of_a_mapped_file_gets_the_mappings_label_as_did_you_mean(own, tmp_path):
    path, mapping = own
    label = cohorts.OWN_ARMS["anakinra"]
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(f",{label},", f",{label[:-1]},", 1), encoding="utf-8")
    (line,) = [line for line in refused(path, mapping) if "column " in line and "arm" in line]
    assert f"value {label[:-1]!r} is none of the labels the mapping lists" in line
    assert f"did you mean {label!r}?" in line


def test_many_problems_are_capped_with_a_count(tmp_path):
    rows = [{**row, "arm": "placebo"} for row in cohorts.rows_of(cohorts.reconstruction())]
    lines = refused(cohorts.write(tmp_path / "many.csv", cohorts.csv_text(rows)))
    assert len(lines) == 31 and "45 problems in all, the first 30 listed above (15 more not shown)" in lines[-1]


def test_one_missing_age_is_allowed_and_the_mean_says_on_how_many(tmp_path, claims):
    cohort, report = read(cohorts.write(tmp_path / "age.csv", cohorts.missing_age()))
    assert report["missing_values"] == {"age_years": 1}
    from anakinra_replication.proportions import outcome_numbers

    outcomes = outcome_numbers(cohort, ARMS, 0.05)
    assert outcomes["age_years"]["all"] == {"mean": pytest.approx(62), "n": 44, "patients": 45}
    (row,) = [r for r in verification_rows(claims, outcomes, None) if r["outcome"] == "age_years"]
    assert "computed on 44 of 45 patients" in row["note"]


def test_a_mapping_with_unknown_names_is_refused_with_every_problem(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("columns: {patiend_id: ID, arm: T}\narms: {anakinar: [A]}\nextra: 1\n", encoding="utf-8")
    schema = {"fields": [{"name": "patient_id"}, {"name": "arm"}]}
    with pytest.raises(InputError) as err:
        load_mapping(bad, schema, ARMS)
    assert "at top level: Additional properties are not allowed ('extra' was unexpected)" in str(err.value)
    bad.write_text("columns: {patiend_id: ID, arm: T}\narms: {anakinar: [A]}\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_mapping(bad, schema, ARMS)
    assert "did you mean 'patient_id'?" in str(err.value) and "did you mean 'anakinra'?" in str(err.value)


def test_the_starting_mapping_guesses_every_column_and_arm_and_reads_back(own, tmp_path):
    import json

    schema = json.loads(COHORT_SCHEMA.read_text(encoding="utf-8"))
    found = FoundTable(list(cohorts.OWN_HEADERS.values()), {"Treatment": list(cohorts.OWN_ARMS.values())})
    text = starting_mapping(found, schema, ARMS)
    written = tmp_path / "start.yaml"
    written.write_text(text + "values: {yes: [Y], no: [N]}\n", encoding="utf-8")
    mapping = load_mapping(written, schema, ARMS)
    assert mapping.columns == cohorts.OWN_HEADERS
    assert mapping.arms == {arm: [label] for arm, label in cohorts.OWN_ARMS.items()}
    assert len(read(own[0], written)[0]) == 45


def test_results_name_a_users_file_by_its_name_only():
    assert shown_path("/home/someone/hospital/patients.xlsx", in_package=False) == "patients.xlsx"
    assert shown_path("/abs/data/cohort/patients.csv", in_package=True) == "patients.csv"
    assert shown_path("data/cohort/patients.csv", in_package=True) == "data/cohort/patients.csv"


def test_data_private_is_ignored_by_git_but_its_readme():
    import subprocess

    def ignored(path):
        return subprocess.run(["git", "-C", str(ROOT), "check-ignore", "-q", path]).returncode == 0

    assert ignored("data/private/patients.xlsx") and not ignored("data/private/README.md")
    assert (ROOT / "data/private/README.md").exists()


def test_schema_missing_policy_matches_the_reader():
    import json

    from anakinra_replication.cohort import OPTIONAL_WHEN_EMPTY

    fields = json.loads(COHORT_SCHEMA.read_text(encoding="utf-8"))["fields"]
    assert all("missing" in f for f in fields)
    allowed = {f["name"] for f in fields if f["missing"].startswith("allowed:")}
    assert allowed == set(OPTIONAL_WHEN_EMPTY)


def _results(tmp_path, verdicts: dict[str, str]) -> Path:
    folder = tmp_path / "results" / "mine"
    folder.mkdir(parents=True)
    rows = [
        {
            "claim_id": cid,
            "outcome": "died",
            "arm": "anakinra",
            "reported": "13%",
            "reproduced_exact": "0.2",
            "reproduced_printed": "20%",
            "verdict": v,
            "evidence": "derived",
            "note": "",
        }
        for cid, v in verdicts.items()
    ]
    write_rows(rows, folder / "verification.csv")
    return tmp_path / "results"


EXCEPTION_TEXT = ("Traceback", "RuleException", "CalledProcessError", "WorkflowError", "Error in rule")


def test_terminal_verdict_on_a_mismatch_is_a_table_and_ends_with_mismatch(tmp_path):
    results = _results(tmp_path, {"died_anakinra_percent": "mismatch", "died_standard_percent": "match"})
    log = "Error in rule verification_gate:\nRuleException: CalledProcessError\nTraceback (most recent call last):\n"
    lines, word = verdict_lines(1, log, ["mine"], results)
    assert word == "mismatch"
    text = "\n".join(lines)
    assert "Died, anakinra: " in text or "Died, anakinra" in text
    assert "13%" in text and "20%" in text and "mismatch" in text
    assert not any(e in text for e in EXCEPTION_TEXT)


def test_terminal_verdict_on_bad_input_lists_the_problems_and_ends_with_input_error(tmp_path):
    log = (
        "cohort error: x.csv, row 1 (line 2), column arm: value 'a' is not one of anakinra, standard\n"
        "RuleException:\nCalledProcessError in file ...\nWorkflowError:\n"
        "cohort error: x.csv, row 1 (line 2), column arm: value 'a' is not one of anakinra, standard\n"
        "warning: x.csv is tracked by git: ...\n"
    )
    lines, word = verdict_lines(1, log, ["mine"], tmp_path / "results")
    assert word == "input error"
    assert sum("cohort error: x.csv" in line for line in lines) == 1
    assert lines[0].startswith("warning: x.csv is tracked by git")
    assert not any(e in "\n".join(lines) for e in EXCEPTION_TEXT)


FAKE_SNAKEMAKE = {  # case: (what the stand-in for Snakemake prints, its exit status)
    "match": ("1 of 1 steps (100%) done", 0),
    "mismatch": ("1 of 1 steps (100%) done\nError in rule verification_gate:\nRuleException: x", 1),
    "input error": (
        "cohort error: mine.csv, row 1 (line 2), column arm: value 'a' is not one of anakinra, standard\n"
        "Traceback (most recent call last):\nWorkflowError: x",
        1,
    ),
}


@pytest.mark.parametrize("case", list(FAKE_SNAKEMAKE))
def test_make_prints_the_verdict_as_its_very_last_line(tmp_path, case):
    # The real Makefile and terminal, with a stand-in for Snakemake (its output and exit status),
    # in a folder of its own: the last line make prints, on stdout or stderr, names the case.
    _results(tmp_path, {"died_anakinra_percent": "mismatch" if case == "mismatch" else "match"})
    for name in ("Makefile", "workflow"):
        (tmp_path / name).symlink_to(ROOT / name)
    text, status = FAKE_SNAKEMAKE[case]
    (tmp_path / "fake").write_text(f"#!/bin/bash\ncat <<'END'\n{text}\nEND\nexit {status}\n", encoding="utf-8")
    (tmp_path / "fake").chmod(0o755)
    command = ["make", "-s", "-o", "env", "-o", "quarto", f"VENV={sys.prefix}", "SNAKEMAKE=./fake", "COHORT=mine.csv"]
    result = subprocess.run(command, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    last = result.stdout.strip().splitlines()[-1]
    assert re.search(r"verdict: (match|mismatch|input error|run error)\b", last)[1] == case, result.stdout
    assert (result.returncode == 0) is (case == "match")
    assert not any(e in result.stdout for e in EXCEPTION_TEXT), result.stdout


def test_a_cohort_tracked_by_git_is_warned_about_but_not_the_shipped_ones(tmp_path):
    from anakinra_replication.privacy import tracked_by_git

    assert tracked_by_git(ROOT / "data/cohort/patients.csv", ROOT) is None  # the shipped reconstruction
    assert tracked_by_git(tmp_path / "outside.csv", ROOT) is None  # not in the package
    assert tracked_by_git(ROOT / "data/private/patients.csv", ROOT) is None  # ignored, so never tracked
    warning = tracked_by_git(ROOT / "config/config.yaml", ROOT)  # any tracked file stands for a user's cohort
    assert warning.startswith("warning: config.yaml is tracked by git") and "data/private/" in warning
    import subprocess

    checkout = tmp_path / "checkout"  # a checkout of its own: a file in it that git does not ignore
    subprocess.run(["git", "init", "-q", str(checkout)], check=True)
    loose = checkout / "patients.csv"
    loose.write_text("patient_id\n", encoding="utf-8")
    warning = tracked_by_git(loose, checkout)
    assert warning.startswith("warning: patients.csv lies in the package where git does not ignore it")
    (checkout / ".gitignore").write_text("*.csv\n", encoding="utf-8")
    assert tracked_by_git(loose, checkout) is None


def test_make_mapping_on_a_workbook_writes_a_mapping_that_reads_it_as_it_is(tmp_path):
    from anakinra_replication.starting_mapping import write_starting_mapping

    workbook = cohorts.write_xlsx(tmp_path / "Site export.xlsx", cohorts.own_headers(cohorts.larger()))
    written = write_starting_mapping(workbook, None, COHORT_SCHEMA, ARMS)
    assert written.name == "Site export.mapping.yaml" and "values: {yes: [Y], no: [N]}" in written.read_text()
    cohort, report = read(workbook, written)
    assert report["patients"] == {"anakinra": 31, "standard": 18}
    with pytest.raises(InputError, match="exists already"):
        write_starting_mapping(workbook, None, COHORT_SCHEMA, ARMS)

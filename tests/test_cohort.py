"""The cohort reader: the committed cohort is valid; files as people export them are read; every kind
of bad input is named precisely, in one line."""

import pandas as pd
import pytest

import cohorts
from anakinra_replication.cohort import cohort_and_report, read_cohort, report_lines
from anakinra_replication.jsonio import InputError, check_contract
from conftest import COHORT, COHORT_SCHEMA

ARMS, HORIZON, INCLUSION = ["anakinra", "standard"], 21, {"crp_mg_l": 100, "ferritin_ng_ml": 900}


def read(path):
    return read_cohort(path, COHORT_SCHEMA, ARMS, HORIZON, INCLUSION)


def test_committed_cohort_is_valid():
    cohort = read(COHORT)
    assert len(cohort) == 45 and cohort["patient_id"].is_unique


def corrupted(tmp_path, edit, name="patients.csv"):
    """A copy of the committed cohort with ``edit`` applied to its lines (header is line 0)."""
    lines = COHORT.read_text(encoding="utf-8").splitlines()
    path = tmp_path / name
    path.write_text("\n".join(edit(lines)) + "\n", encoding="utf-8")
    return path


def set_cell(lines, line, column, value):
    header = lines[0].split(",")
    cells = lines[line].split(",")
    cells[header.index(column)] = value
    return lines[:line] + [",".join(cells)] + lines[line + 1 :]


def drop_column(lines, column):
    index = lines[0].split(",").index(column)
    return [",".join(c for i, c in enumerate(line.split(",")) if i != index) for line in lines]


# (edit, expected words): each message must name the file, and where it applies row and column.
BAD = {
    "missing column": (lambda l: drop_column(l, "bacteremia"), "column bacteremia: required column is missing"),
    "unknown arm": (
        lambda l: set_cell(l, 3, "arm", "placebo"),
        "row 3 (line 4, patient_id A03), column arm: value 'placebo' is not one of anakinra, standard",
    ),
    "death day before the first day": (
        lambda l: set_cell(set_cell(l, 2, "death_day", "0"), 2, "followup_days", "0"),
        "row 2 (line 3, patient_id A02), column death_day: value 0 is below the minimum 1",
    ),
    "died without death day": (
        lambda l: set_cell(l, 1, "death_day", ""),
        "row 1 (line 2, patient_id A01), column death_day: died = 1 but death_day is empty",
    ),
    "duplicated patient id": (
        lambda l: set_cell(l, 5, "patient_id", "A01"),
        "column patient_id: value 'A01' appears more than once",
    ),
    "non-numeric age": (
        lambda l: set_cell(l, 7, "age_years", "sixty"),
        "row 7 (line 8, patient_id A07), column age_years: value 'sixty' is not a whole number",
    ),
    "fractional age": (
        lambda l: set_cell(l, 7, "age_years", "62.5"),
        "column age_years: value '62.5' is not a whole number",
    ),
    "ventilation day without ventilation": (
        lambda l: set_cell(l, 10, "mech_vent_day", "3"),
        "row 10 (line 11, patient_id A10), column mech_vent_day: mech_vent_day is given but mech_vent = 0",
    ),
}


def assert_refused_in_one_line(path, words: str) -> None:
    """Reading ``path`` stops with lines that each name the file by its name (never its folder)
    and that contain ``words``; a file with one problem gets one line."""
    with pytest.raises(InputError) as err:
        read(path)
    message = str(err.value)
    assert all(line.startswith(f"cohort error: {path.name}") for line in message.splitlines()), message
    assert words in message, message
    assert str(path.parent) not in message
    if "problems in all" not in message:
        assert "\n" not in message


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_input_names_file_row_and_column(tmp_path, case):
    edit, words = BAD[case]
    assert_refused_in_one_line(corrupted(tmp_path, edit), words)


def test_text_that_is_not_utf8_names_the_line(tmp_path):
    path = tmp_path / "latin1.csv"
    text = COHORT.read_text(encoding="utf-8").replace("A05,", "A0\u00e9,")
    path.write_bytes(text.encode("latin-1"))
    with pytest.raises(InputError) as err:
        read(path)
    assert str(err.value) == (
        "cohort error: latin1.csv, line 6: text is not UTF-8 (byte 0xe9 in 'A0é' as cp1252 reads it); "
        "add encoding: cp1252 to the mapping (`make mapping` writes one) or save the file as UTF-8"
    )


def test_spreadsheet_export_with_bom_and_crlf_is_accepted(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(b"\xef\xbb\xbf" + COHORT.read_bytes().replace(b"\n", b"\r\n"))
    assert read(path).equals(read(COHORT))


def test_optional_laboratory_columns_must_meet_the_inclusion_rule(tmp_path):
    def add_labs(lines):
        return [lines[0] + ",crp_mg_l,ferritin_ng_ml"] + [line + ",150,300" for line in lines[1:]]

    assert len(read(corrupted(tmp_path, add_labs))) == 45
    low = corrupted(tmp_path, lambda l: set_cell(add_labs(l), 4, "crp_mg_l", "50"), "low.csv")
    with pytest.raises(InputError, match=r"row 4 \(line 5, patient_id A04\), column crp_mg_l: inclusion rule not met"):
        read(low)
    negative = corrupted(tmp_path, lambda l: set_cell(add_labs(l), 4, "ferritin_ng_ml", "-1"), "negative.csv")
    with pytest.raises(InputError, match=r"column ferritin_ng_ml: value -1.0 is below the minimum 0"):
        read(negative)


# --- files as people export them (tests/cohorts.py builds each) ---------------------------------


def read_text(tmp_path, text, name="export.csv"):
    """Write a builder's text and read it with its report."""
    path = cohorts.write(tmp_path / name, text)
    return path, cohort_and_report(path, COHORT_SCHEMA, ARMS, HORIZON, INCLUSION)


@pytest.mark.parametrize("variant", sorted(cohorts.SPREADSHEET))
def test_spreadsheet_exports_read_as_the_plain_file(tmp_path, variant):
    _, (cohort, report) = read_text(tmp_path, cohorts.SPREADSHEET[variant]())
    plain = cohorts.with_labs() if variant == "semicolon_decimal_comma" else cohorts.reconstruction()
    expected = read(cohorts.write(tmp_path / "plain.csv", plain))
    pd.testing.assert_frame_equal(cohort, expected)
    assert report["rows_read"] == 45 and report["patients"] == {"anakinra": 29, "standard": 16}


def test_semicolons_and_decimal_commas_are_recognised(tmp_path):
    _, (cohort, report) = read_text(tmp_path, cohorts.semicolon_decimal_comma())
    assert (report["separator"], report["decimal_comma"]) == ("semicolon", True)
    assert cohort["crp_mg_l"].iloc[1] == 107.25 and cohort["ferritin_ng_ml"].iloc[0] == 880.5


def test_blank_rows_are_counted_and_lines_still_point_at_the_file(tmp_path):
    _, (_, report) = read_text(tmp_path, cohorts.blank_rows())
    assert report["blank_rows_ignored"] == cohorts.BLANK_ROWS_IN_BLANK_ROWS
    # patient 11 sits on line 13 once a blank line precedes it; the message gives both numbers
    text = cohorts.blank_rows().replace("A11,anakinra,62", "A11,anakinra,sixty")
    with pytest.raises(InputError, match=r"row 11 \(line 13, patient_id A11\), column age_years: value 'sixty'"):
        read(cohorts.write(tmp_path / "bad.csv", text))


@pytest.mark.parametrize(
    "variant, ignored",
    [
        ("extra_columns", ["site", "notes"]),
        ("pandas_index", ["(unnamed column 1)"]),
        ("r_write_csv", ["(unnamed column 1)"]),
        ("crlf_bom", []),
    ],
)
def test_unknown_columns_are_set_aside_and_listed(tmp_path, variant, ignored):
    _, (cohort, report) = read_text(tmp_path, cohorts.SPREADSHEET[variant]())
    assert report["ignored_columns"] == ignored
    assert list(cohort.columns) == cohorts.COLUMNS


def test_unnamed_empty_columns_from_trailing_separators_are_dropped_silently(tmp_path):
    text = "".join(line + ",,\n" for line in cohorts.reconstruction().splitlines())
    _, (_, report) = read_text(tmp_path, text)
    assert report["ignored_columns"] == []


def test_report_counts_survivors_censored_before_the_horizon(tmp_path):
    _, (cohort, report) = read_text(tmp_path, cohorts.censored_survivors())
    assert report["censored_before_horizon"] == {"anakinra": 3, "standard": 2}
    survivors = cohort[cohort["died"] == 0]
    # spread over days 1..20: 20k/4 for k = 1..3 (5, 10, 15) and 20k/3 for k = 1, 2 (6.7 -> 7, 13.3 -> 13)
    assert sorted(survivors.loc[survivors["followup_days"] < 21, "followup_days"]) == [5, 7, 10, 13, 15]
    check_contract(report, "input_report.schema.yaml")
    assert "survivors censored before the horizon: anakinra 3, standard 2" in report_lines(report, HORIZON)


@pytest.mark.parametrize("case", sorted(cohorts.REFUSED))
def test_refused_files_stop_with_one_line_naming_the_fix(tmp_path, case):
    build, words = cohorts.REFUSED[case]
    assert_refused_in_one_line(cohorts.write(tmp_path / "patients.csv", build()), words)


def test_a_missing_arm_column_value_and_an_empty_file_are_named(tmp_path):
    with pytest.raises(InputError, match="the file is empty"):
        read(cohorts.write(tmp_path / "empty.csv", "\n\n"))
    text = cohorts.csv_text([{**r, "arm": "anakinra"} for r in cohorts.rows_of(cohorts.reconstruction())])
    with pytest.raises(InputError, match=r"no patient in arm 'standard' \(patients per arm: anakinra 45, standard 0\)"):
        read(cohorts.write(tmp_path / "one_arm.csv", text))


def test_decimal_comma_in_a_comma_separated_file_says_how_to_write_it(tmp_path):
    text = cohorts.with_labs().replace("107.25", '"107,25"')
    with pytest.raises(
        InputError, match=r"column crp_mg_l: value '107,25' is not a number; write decimals with a point"
    ):
        read(cohorts.write(tmp_path / "comma.csv", text))


def test_a_fraction_in_a_whole_number_column_is_still_refused(tmp_path):
    text = cohorts.whole_numbers_as_decimals().replace("A02,anakinra,62.0", "A02,anakinra,62.5")
    with pytest.raises(
        InputError, match=r"row 2 \(line 3, patient_id A02\), column age_years: value '62.5' is not a whole number"
    ):
        read(cohorts.write(tmp_path / "fraction.csv", text))


def test_duplicated_column_is_named(tmp_path):
    text = cohorts.csv_text(cohorts.rows_of(cohorts.reconstruction()), cohorts.COLUMNS).replace(
        "followup_days\n", "arm\n", 1
    )
    with pytest.raises(InputError, match=r"line 1, column arm: the header names this column twice"):
        read(cohorts.write(tmp_path / "twice.csv", text))


def test_valid_edge_cohorts_are_accepted(tmp_path):
    for name in ("zero_deaths_both", "no_events", "everybody_ventilated", "one_per_arm", "censored_arm"):
        _, (cohort, report) = read_text(tmp_path, cohorts.VALID[name](), f"{name}.csv")
        check_contract(report, "input_report.schema.yaml")
        assert report["rows_read"] == len(cohort) == sum(report["patients"].values())

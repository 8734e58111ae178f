"""The cohort reader: the committed cohort is valid; every kind of bad input is named precisely."""
import pytest

from anakinra_replication.cohort import read_cohort
from anakinra_replication.jsonio import InputError

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
    return lines[:line] + [",".join(cells)] + lines[line + 1:]


def drop_column(lines, column):
    index = lines[0].split(",").index(column)
    return [",".join(c for i, c in enumerate(line.split(",")) if i != index) for line in lines]


# (edit, expected words): each message must name the file, and where it applies row and column.
BAD = {
    "missing column": (lambda l: drop_column(l, "bacteremia"), "column bacteremia: required column is missing"),
    "unknown arm": (lambda l: set_cell(l, 3, "arm", "placebo"), "row 3 (line 4, patient_id A03), column arm: value 'placebo' is not one of anakinra, standard"),
    "death day outside follow-up": (lambda l: set_cell(set_cell(l, 2, "death_day", "24"), 2, "followup_days", "24"),
                                    "row 2 (line 3, patient_id A02), column death_day: value 24 is outside 1..21"),
    "died without death day": (lambda l: set_cell(l, 1, "death_day", ""), "row 1 (line 2, patient_id A01), column death_day: died = 1 but death_day is empty"),
    "duplicated patient id": (lambda l: set_cell(l, 5, "patient_id", "A01"), "column patient_id: value 'A01' appears more than once"),
    "non-numeric age": (lambda l: set_cell(l, 7, "age_years", "sixty"), "row 7 (line 8, patient_id A07), column age_years: value 'sixty' is not a whole number"),
    "fractional age": (lambda l: set_cell(l, 7, "age_years", "62.5"), "column age_years: value '62.5' is not a whole number"),
    "ventilation day without ventilation": (lambda l: set_cell(l, 10, "mech_vent_day", "3"), "row 10 (line 11, patient_id A10), column mech_vent_day: mech_vent_day is given but mech_vent = 0"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_input_names_file_row_and_column(tmp_path, case):
    edit, words = BAD[case]
    path = corrupted(tmp_path, edit)
    with pytest.raises(InputError) as err:
        read(path)
    message = str(err.value)
    assert message.startswith(f"cohort error: {path}"), message
    assert words in message, message
    assert "\n" not in message


def test_text_that_is_not_utf8_names_the_line(tmp_path):
    path = tmp_path / "latin1.csv"
    text = COHORT.read_text(encoding="utf-8").replace("A05,", "A0\u00e9,")
    path.write_bytes(text.encode("latin-1"))
    with pytest.raises(InputError, match=r"latin1.csv, line 6: text is not UTF-8 \(byte 0xe9\)"):
        read(path)


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

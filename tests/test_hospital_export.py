"""A hospital's own export goes in as it is (R14): dates instead of days, a title row, a second
sheet, a Windows-1252 semicolon file, answers in Italian, follow-up past the horizon; every
problem named at the user's own cell, in one run. The files are made by tests/cohorts.py."""

import datetime
import json

import pandas as pd
import pytest

import cohorts
from anakinra_replication.cohort import cohort_and_report, report_lines
from anakinra_replication.jsonio import InputError, check_contract
from anakinra_replication.mapping import load_mapping
from anakinra_replication.settings import settings_text
from anakinra_replication.starting_mapping import write_starting_mapping
from anakinra_replication.terminal import verdict_lines
from anakinra_replication.verify import write_rows
from conftest import COHORT_SCHEMA

ARMS, HORIZON, INCLUSION = cohorts.ARMS, cohorts.HORIZON, cohorts.INCLUSION
ISSUE = cohorts.ISSUE_MAPPING
TEXT_MAPPING = cohorts.without_lines(ISSUE, "sheet", "header_row")  # the same mapping for the CSV export


def read(path, mapping_text=None, horizon=HORIZON, tmp=None):
    """Read a cohort file with a mapping given as text (written beside the file)."""
    mapping = None
    if mapping_text is not None:
        mapping = path.with_name("hospital.mapping.yaml")
        mapping.write_text(mapping_text, encoding="utf-8")
    return cohort_and_report(path, COHORT_SCHEMA, ARMS, horizon, INCLUSION, mapping)


def refused(path, mapping_text=None) -> list[str]:
    with pytest.raises(InputError) as err:
        read(path, mapping_text)
    return str(err.value).splitlines()


@pytest.fixture
def day_file(tmp_path):
    """The same cohort as a plain file of days (with the laboratory columns), read: what every
    export of it must read as."""
    return read(cohorts.write(tmp_path / "days.csv", cohorts.with_labs()))[0]


def workbook(tmp_path, rows=None, name="export.xlsx", title=True):
    return cohorts.write_dated_workbook(tmp_path / name, rows or cohorts.dated_rows(), title=title)


def csv_export(tmp_path, rows=None, name="export.csv", title=True):
    path = tmp_path / name
    path.write_bytes(cohorts.dated_csv_bytes(rows or cohorts.dated_rows(), title=title))
    return path


# --- 1, 3, 4: dates, where the table is, encoding ------------------------------------------------


def test_the_issues_mapping_reads_a_dated_workbook_with_a_title_row_on_its_second_sheet(tmp_path, day_file):
    cohort, report = read(workbook(tmp_path), ISSUE)
    pd.testing.assert_frame_equal(cohort, day_file)
    assert report["dates"] is True and report["ignored_columns"] == ["Reparto"]
    assert report["format"] == "Excel workbook (.xlsx), sheet 'Pazienti', header on row 3"
    assert report["censored_at_horizon"] == {
        arm: dict.fromkeys(("patients", "death", "mech_vent", "followup"), 0) for arm in ARMS
    }
    check_contract(report, "input_report.schema.yaml")


def test_the_header_row_is_found_by_itself_below_a_title(tmp_path, day_file):
    assert read(workbook(tmp_path), cohorts.without_lines(ISSUE, "header_row"))[0].equals(day_file)
    cohort, report = read(csv_export(tmp_path, title=True), TEXT_MAPPING)  # two title lines above the header
    pd.testing.assert_frame_equal(cohort, day_file)
    assert report["format"] == "CSV text, header on line 3"
    # a header row that holds nothing is named with the fix
    (line,) = refused(workbook(tmp_path, name="w.xlsx"), ISSUE.replace("header_row: 3", "header_row: 2"))
    assert "sheet 'Pazienti': the mapping's header_row: 2 names row 2, which is empty" in line


def test_a_cp1252_semicolon_csv_with_decimal_commas_and_text_dates_reads_as_the_day_file(tmp_path, day_file):
    path = csv_export(tmp_path, title=False)
    assert b"Et\xe0" in path.read_bytes() and b"107,25" in path.read_bytes() and b"10/03/2020" in path.read_bytes()
    cohort, report = read(path, TEXT_MAPPING)
    pd.testing.assert_frame_equal(cohort, day_file)
    assert (report["separator"], report["decimal_comma"], report["dates"]) == ("semicolon", True, True)


def test_a_file_that_is_not_utf8_gets_one_line_naming_the_line_and_the_encoding(tmp_path):
    lines = refused(csv_export(tmp_path, title=False), cohorts.without_lines(TEXT_MAPPING, "encoding"))
    assert lines == [
        "cohort error: export.csv, line 1: text is not UTF-8 (byte 0xe0 in 'Età' as cp1252 reads it); "
        "add encoding: cp1252 to the mapping (`make mapping` writes one) or save the file as UTF-8"
    ]


def test_a_utf16_export_with_its_byte_order_mark_is_read(tmp_path):
    path = tmp_path / "unicode.txt"
    path.write_bytes(cohorts.reconstruction().replace(",", "\t").encode("utf-16"))
    assert read(path)[1]["separator"] == "tab"


def test_dates_written_as_text_without_a_format_get_one_line_per_column_with_the_format(tmp_path):
    lines = refused(csv_export(tmp_path), cohorts.without_lines(TEXT_MAPPING, "date_format"))
    assert len(lines) == 5 and lines[-1].startswith("cohort error: export.csv: 4 problems in all")
    for header in cohorts.ITALIAN_DATES.values():
        (line,) = [x for x in lines if f"date column {header!r}" in x]
        assert 'add date_format: "%d/%m/%Y" to the mapping' in line and "spreadsheet column" in line


def test_an_unreadable_date_and_a_date_before_the_start_name_the_dates_own_cell(tmp_path):
    rows = cohorts.set_patient(cohorts.dated_rows(), "A04", Data_intubazione="31/02/2020")
    rows = cohorts.set_patient(rows, "S03", Data_ultimo_follow_up=datetime.date(2020, 1, 5))
    lines = refused(workbook(tmp_path, rows), ISSUE)
    assert lines[0] == (
        "cohort error: export.xlsx, row 4 (sheet 'Pazienti', cell I7, patient_id A04), date column "
        "'Data intubazione' (mech_vent_day): value '31/02/2020' is not a date in the mapping's date_format "
        "'%d/%m/%Y' (which writes 17 March 2020 as 17/03/2020); correct the cell"
    )
    assert lines[1].startswith(
        "cohort error: export.xlsx, row 32 (sheet 'Pazienti', cell L35, patient_id S03), date column "
        "'Data ultimo follow-up' (followup_days): 2020-01-05 is before the start of treatment "
        "('Data inizio trattamento' 2020-03-19); day 1 is the first day of treatment"
    )
    assert len(lines) == 3  # nothing else: the rows' other checks are not consequences named again


def test_a_yes_without_its_date_and_a_date_with_no_are_errors_naming_the_date_cell(tmp_path):
    rows = cohorts.set_patient(cohorts.dated_rows(), "S10", Decesso="Sì", Data_decesso=None)
    rows = cohorts.set_patient(rows, "S11", Data_decesso=datetime.date(2020, 3, 20))
    rows = cohorts.set_patient(rows, "A20", Data_intubazione=datetime.date(2020, 3, 25))
    lines = refused(workbook(tmp_path, rows), ISSUE)
    assert len(lines) == 4
    for line, words in zip(
        lines,
        [
            "row 20 (sheet 'Pazienti', cell I23, patient_id A20), date column 'Data intubazione' (mech_vent_day): "
            "mech_vent_day is given but mech_vent = 0",
            "row 39 (sheet 'Pazienti', cell G42, patient_id S10), date column 'Data decesso' (death_day): "
            "died = 1 but death_day is empty",
            "row 40 (sheet 'Pazienti', cell G43, patient_id S11), date column 'Data decesso' (death_day): "
            "death_day is given but died = 0",
        ],
    ):
        assert line.startswith(f"cohort error: export.xlsx, {words}"), line
    assert lines[0].endswith("correct mech_vent, or clear the date")


def test_a_last_follow_up_after_the_death_is_an_error(tmp_path):
    rows = cohorts.dated_rows()
    death = next(r for r in rows if r["ID paziente"] == "A01")["Data decesso"]
    rows = cohorts.set_patient(rows, "A01", Data_ultimo_follow_up=death + datetime.timedelta(days=3))
    (line,) = refused(workbook(tmp_path, rows), ISSUE)
    assert "cell L4, patient_id A01), date column 'Data ultimo follow-up'" in line
    assert "the last follow-up (day 8) is after the death (day 5" in line


def test_a_column_of_dates_mapped_as_days_gets_one_line_saying_to_map_it_under_dates(tmp_path):
    mapping = ISSUE.replace('  death_day: "Data decesso"\n', "").replace(
        'crp_mg_l: "PCR (mg/L)"', 'death_day: "Data decesso", crp_mg_l: "PCR (mg/L)"'
    )
    lines = [line for line in refused(workbook(tmp_path), mapping) if "Data decesso" in line]
    assert len(lines) == 1 and "holds dates ('2020-03-14', '2020-03-21', '2020-03-27'), not day numbers" in lines[0]
    assert "map it under dates:" in lines[0]


def test_a_date_column_of_day_numbers_gets_one_line_saying_to_map_it_under_columns(tmp_path):
    rows = [{**row, "Data intubazione": 5 if row["Data intubazione"] else None} for row in cohorts.dated_rows()]
    lines = [line for line in refused(workbook(tmp_path, rows), ISSUE) if "Data intubazione" in line]
    assert lines == [
        "cohort error: export.xlsx, date column 'Data intubazione' (mech_vent_day, spreadsheet column I of sheet "
        "'Pazienti'): holds numbers, not dates; if they are day numbers, map the column under columns: "
        "(mech_vent_day: 'Data intubazione') instead of dates:, else format the cells as dates in the spreadsheet"
    ]


# --- 2: the horizon ---------------------------------------------------------------------------------


def past_the_horizon() -> str:
    """The reconstruction with what a day-28 follow-up adds: a survivor seen on day 28 (A10), a
    death on day 26 (S12, alive at day 21), ventilation started on day 24 (A12, seen on day 30)."""
    rows = cohorts.rows_of(cohorts.reconstruction())
    rows = cohorts._set(rows, "A10", followup_days="28")
    rows = cohorts._set(rows, "S12", died="1", death_day="26", followup_days="26")
    rows = cohorts._set(rows, "A12", mech_vent="1", mech_vent_day="24", followup_days="30")
    return cohorts.csv_text(rows)


def test_events_and_follow_up_after_the_horizon_are_censored_at_it(tmp_path):
    assert {r["patient_id"]: r["died"] + r["mech_vent"] for r in cohorts.rows_of(cohorts.reconstruction())}[
        "A12"
    ] == "00"  # A12 and S12 are survivors followed to day 21 in the reconstruction
    cohort, report = read(cohorts.write(tmp_path / "day28.csv", past_the_horizon()))
    pd.testing.assert_frame_equal(cohort, read(cohorts.write(tmp_path / "plain.csv", cohorts.reconstruction()))[0])
    assert cohort[["death_day", "mech_vent_day", "followup_days"]].max().max() == HORIZON
    assert report["censored_at_horizon"] == {
        "anakinra": {"patients": 2, "death": 0, "mech_vent": 1, "followup": 2},
        "standard": {"patients": 1, "death": 1, "mech_vent": 0, "followup": 0},
    }
    check_contract(report, "input_report.schema.yaml")
    assert (
        "patients censored at day 21 (events or follow-up after it): 2 patients in the anakinra arm (1 ventilation "
        "started after day 21, counted as not ventilated by then; 2 survivors followed beyond day 21, cut at day 21) "
        "and 1 patient in the standard treatment arm (1 death after day 21, counted as a survivor followed to day 21)"
    ) in report_lines(report, HORIZON)


def test_the_horizon_comes_from_the_configuration(tmp_path):
    cohort, report = read(cohorts.write(tmp_path / "day28.csv", past_the_horizon()), horizon=28)
    assert cohort.set_index("patient_id").loc["S12", "death_day"] == 26
    assert report["censored_at_horizon"]["anakinra"] == {"patients": 1, "death": 0, "mech_vent": 0, "followup": 1}


def test_an_ever_death_in_a_dated_file_counts_by_the_horizon(tmp_path, day_file):
    rows = cohorts.dated_rows()
    starts = {r["ID paziente"]: r["Data inizio trattamento"] for r in rows}

    def day(patient, n):
        return starts[patient] + datetime.timedelta(days=n - 1)

    # S12 died on day 26 (its follow-up date left empty), A12 was intubated on day 24 and seen on
    # day 30, A13 was seen on day 41: the export's "ever" answers, with the dates that date them
    rows = cohorts.set_patient(rows, "S12", Decesso="Sì", Data_decesso=day("S12", 26), Data_ultimo_follow_up=None)
    rows = cohorts.set_patient(
        rows, "A12", Intubazione="Sì", Data_intubazione=day("A12", 24), Data_ultimo_follow_up=day("A12", 30)
    )
    rows = cohorts.set_patient(rows, "A13", Data_ultimo_follow_up=day("A13", 41))
    cohort, report = read(workbook(tmp_path, rows), ISSUE)
    pd.testing.assert_frame_equal(cohort, day_file)  # each is a survivor followed to day 21, as in the day file
    assert report["censored_at_horizon"]["standard"] == {"patients": 1, "death": 1, "mech_vent": 0, "followup": 0}
    assert report["censored_at_horizon"]["anakinra"] == {"patients": 2, "death": 0, "mech_vent": 1, "followup": 2}


def test_the_terminal_says_per_arm_who_was_censored_at_the_horizon_and_why(tmp_path):
    _, report = read(cohorts.write(tmp_path / "day28.csv", past_the_horizon()))
    folder = tmp_path / "results" / "mine"
    (folder / "cohort").mkdir(parents=True)
    (folder / "cohort/input_report.json").write_text(json.dumps(report), encoding="utf-8")
    (folder / "numbers.json").write_text(json.dumps({"settings": {"horizon_days": HORIZON}}), encoding="utf-8")
    write_rows([], folder / "verification.csv")
    lines, word = verdict_lines(0, "", ["mine"], tmp_path / "results")
    (line,) = [x for x in lines if x.startswith("Censored at")]
    assert line.startswith("Censored at day 21, as an analysis at day 21 does: 2 patients in the anakinra arm (")
    assert "1 ventilation started after day 21" in line and "1 patient in the standard treatment arm (1 death" in line


# --- 5, 6, 9: answers, arm counts, a dirty workbook ---------------------------------------------------


def test_unknown_yes_no_spellings_give_one_line_per_column_with_the_values_line(tmp_path):
    lines = refused(csv_export(tmp_path), cohorts.without_lines(TEXT_MAPPING, "values"))
    columns = ["died", "mech_vent", "resp_improved", "bacteremia"]
    assert len(lines) == len(columns) + 1
    for column, line in zip(columns, lines):
        assert line.startswith(f"cohort error: export.csv, column {column} (header ")
        assert "'Sì' in " in line and line.endswith("add them to the mapping: values: {yes: [Sì]}")
    assert not any("is not one of 0, 1" in line or "no patient in arm" in line for line in lines)


def test_no_valid_answer_is_shown_as_invalid(tmp_path):
    rows = cohorts.rows_of(cohorts.reconstruction())
    for i, row in enumerate(rows):  # half the answers 0/1, half Sì/No: the 0s and 1s are valid
        row["died"] = {"1": "Sì", "0": "No"}[row["died"]] if i % 2 else row["died"]
    lines = refused(cohorts.write(tmp_path / "mixed.csv", cohorts.csv_text(rows)))
    assert len(lines) == 1 and "'Sì' in " in lines[0] and "values: {yes: [Sì]}" in lines[0]
    rows[0]["died"] = "2"  # a number that is not an answer is named, once, in its own cell
    lines = refused(cohorts.write(tmp_path / "two.csv", cohorts.csv_text(rows)))
    assert lines[1] == (
        "cohort error: two.csv, row 1 (line 2, patient_id A01), column died: value 2 is not a yes/no answer "
        "(write 1 or 0, yes or no, true or false)"
    )
    assert not any("'0'" in line or "'1'" in line for line in lines)


def test_arm_counts_count_every_row_whose_arm_was_read(tmp_path):
    rows = [{**r, "age_years": "sixty"} for r in cohorts.rows_of(cohorts.reconstruction()) if r["arm"] == "anakinra"]
    lines = refused(cohorts.write(tmp_path / "one_arm.csv", cohorts.csv_text(rows)))
    assert "no patient in arm 'standard' (patients per arm: anakinra 29, standard 0)" in "\n".join(lines)
    assert "no patient in arm 'anakinra'" not in "\n".join(lines)


def test_a_dirty_workbook_names_every_problem_in_one_run(tmp_path):
    rows = cohorts.set_patient(cohorts.dated_rows(), "A03", ID_paziente="A01")  # a duplicate id
    rows = cohorts.set_patient(rows, "A05", Data_decesso=datetime.date(2020, 3, 1))  # death before the start
    rows = cohorts.set_patient(rows, "S02", Età="sessanta")  # an age in words
    rows = cohorts.set_patient(rows, "S04", Braccio="Terapia standrad")  # an arm typo
    rows = cohorts.set_patient(rows, "A07", **{"PCR (mg/L)": None})  # a missing laboratory value
    lines = refused(workbook(tmp_path, rows, name="dirty.xlsx"), ISSUE)
    expected = [
        "row 1 (sheet 'Pazienti', cell A4, patient_id A01), column patient_id (header 'ID paziente'): value 'A01' "
        "appears more than once",
        "row 3 (sheet 'Pazienti', cell A6, patient_id A01), column patient_id (header 'ID paziente'): value 'A01' "
        "appears more than once",
        "row 5 (sheet 'Pazienti', cell G8, patient_id A05), date column 'Data decesso' (death_day): 2020-03-01 is "
        "before the start of treatment ('Data inizio trattamento' 2020-03-14)",
        "row 7 (sheet 'Pazienti', cell M10, patient_id A07), column crp_mg_l (header 'PCR (mg/L)'): inclusion rule "
        "not met (needs crp_mg_l >= 100 or ferritin_ng_ml >= 900; has crp_mg_l empty, ferritin_ng_ml 898.5)",
        "row 31 (sheet 'Pazienti', cell D34, patient_id S02), column age_years (header 'Età'): value 'sessanta' is "
        "not a whole number",
        "row 33 (sheet 'Pazienti', cell B36, patient_id S04), column arm (header 'Braccio'): value 'Terapia "
        "standrad' is none of the labels the mapping lists (Anakinra, Terapia standard); did you mean 'Terapia "
        "standard'?",
    ]
    assert len(lines) == len(expected) + 1 and lines[-1].startswith("cohort error: dirty.xlsx: 6 problems in all")
    for line, words in zip(lines, expected):
        assert line.startswith(f"cohort error: dirty.xlsx, {words}"), line


# --- 3: mapped headers not found; make mapping ----------------------------------------------------------


def test_a_mapped_header_not_found_is_named_with_the_headers_found_their_row_and_sheet(tmp_path):
    lines = refused(workbook(tmp_path), ISSUE.replace('"Data decesso"', '"Data del decesso"'))
    assert lines[0] == (
        "mapping error: hospital.mapping.yaml, dates: death_day: the file export.xlsx has no header "
        "'Data del decesso'; did you mean 'Data decesso'?"
    )
    assert lines[-1].startswith(
        "cohort error: export.xlsx: the headers found are on row 3 of sheet 'Pazienti': 'ID paziente', 'Braccio', "
    )


def test_a_mapping_without_the_sheet_is_told_which_sheet_holds_its_headers(tmp_path):
    (line,) = refused(workbook(tmp_path), cohorts.without_lines(ISSUE, "sheet", "header_row"))
    assert line == (
        "cohort error: export.xlsx: the mapping's headers are not on sheet 'Note' (found there, on row 1 of sheet "
        "'Note': 'Esportazione del registro COVID-19') but on row 3 of sheet 'Pazienti': add sheet: Pazienti to "
        "the mapping"
    )


@pytest.mark.parametrize("export", ["xlsx", "csv"])
def test_make_mapping_finds_the_sheet_header_dates_and_encoding_and_its_mapping_reads_the_file(
    tmp_path, export, day_file
):
    path = workbook(tmp_path) if export == "xlsx" else csv_export(tmp_path)
    written = write_starting_mapping(path, None, COHORT_SCHEMA, ARMS)
    text = written.read_text(encoding="utf-8")
    assert "header_row: 3\n" in text
    assert ('sheet: "Pazienti"\n' in text) is (export == "xlsx")
    assert ("encoding: cp1252\n" in text and 'date_format: "%d/%m/%Y"\n' in text) is (export == "csv")
    mapping = load_mapping(written, json.loads(COHORT_SCHEMA.read_text(encoding="utf-8")), ARMS)
    assert mapping.dates == cohorts.ITALIAN_DATES
    assert not set(mapping.columns.values()) & set(cohorts.ITALIAN_DATES.values())  # a date is never a day column
    assert mapping.columns == cohorts.ITALIAN_HEADERS
    block = (
        text.split("\ncolumns:\n")[1].split("\n# ")[0].splitlines()
        + text.split("\ndates:\n")[1].split("\n# ")[0].splitlines()
    )
    mapped = [line for line in block if not line.startswith("  #")]
    assert len(mapped) == len(cohorts.ITALIAN_HEADERS) + len(cohorts.ITALIAN_DATES)
    assert all("  # e.g. " in line for line in mapped)  # every mapped line shows the column's values
    assert '  crp_mg_l: "PCR (mg/L)"  # e.g. 100' in text
    cohort, _ = cohort_and_report(path, COHORT_SCHEMA, ARMS, HORIZON, INCLUSION, written)
    pd.testing.assert_frame_equal(cohort, day_file)


# --- the mapping file itself ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, words",
    [
        ("dates: {death_day: D}\n", "dates: days are counted from the first day of treatment (day 1); add start:"),
        (
            "dates: {start: S, death: D}\n",
            "dates: 'death' is not a day column of the package; did you mean 'death_day'?",
        ),
        ("columns: {death_day: D}\ndates: {start: S, death_day: D}\n", "death_day is mapped under columns: too"),
        ('date_format: "%d/%m"\n', "date_format: '%d/%m' does not read a whole date"),
        ("encoding: cp1525\n", "encoding: 'cp1525' is not an encoding Python knows; did you mean 'cp1252'?"),
        ("header_row: 0\n", "at header_row: 0 is less than the minimum of 1"),
    ],
)
def test_a_mapping_with_wrong_dates_format_or_encoding_is_refused(tmp_path, text, words):
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_mapping(path, json.loads(COHORT_SCHEMA.read_text(encoding="utf-8")), ARMS)
    assert words in str(err.value)


def test_shared_settings_record_no_mapping_path(config):
    own = {**config, "cohort": "/home/someone/private/export.xlsx", "mapping": "/home/someone/private/m.yaml"}
    assert settings_text(own) == settings_text(config)
    assert "private" not in settings_text(own)

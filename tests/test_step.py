"""The harness of the workflow scripts: one line for the user, the details in the log."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from anakinra_replication.jsonio import InputError
from anakinra_replication.step import run


def fail_with(error: Exception):
    def main(sm):
        print("working")
        raise error

    return main


@pytest.mark.parametrize(
    "error, line",
    [
        (
            InputError("cohort error: x.csv, row 2, column arm: value 'x' is not one of a, b"),
            "cohort error: x.csv, row 2, column arm: value 'x' is not one of a, b",
        ),
        (
            ZeroDivisionError("division by zero"),
            "internal error: ZeroDivisionError: division by zero (a bug, not your input",
        ),
    ],
)
def test_a_failing_step_exits_with_one_line_and_keeps_details_in_its_log(tmp_path, capsys, error, line):
    log = tmp_path / "step.log"
    with pytest.raises(SystemExit) as stopped:
        run(fail_with(error), SimpleNamespace(log=[str(log)]))
    assert stopped.value.code == 1
    stderr = capsys.readouterr().err
    assert stderr.count("\n") == 1 and stderr.startswith(line)
    assert "Traceback" not in stderr
    text = log.read_text(encoding="utf-8")
    assert "working" in text and line.split(" (")[0] in text
    assert ("Traceback" in text) is isinstance(error, ZeroDivisionError)


def test_a_successful_step_writes_its_output_to_the_log(tmp_path):
    log = tmp_path / "step.log"
    run(lambda sm: print("done"), SimpleNamespace(log=[str(log)]))
    assert log.read_text(encoding="utf-8") == "done\n"

"""numbers.json: its contract, and which cohort it says it describes (decided by content)."""

from __future__ import annotations

import copy

import pytest

from cohorts import larger, reconstruction, write
from pipeline import numbers_and_rows


@pytest.fixture(scope="module")
def shipped(config, claims, tmp_path_factory):
    """numbers.json of the shipped cohort, written elsewhere than data/cohort/."""
    path = write(tmp_path_factory.mktemp("copy") / "anywhere.csv", reconstruction())
    return numbers_and_rows(path, config, claims)[0]


def test_the_reconstruction_is_recognised_by_its_bytes_wherever_it_lies(shipped):
    assert shipped["cohort"]["is_reconstruction"] is True


def test_other_data_at_the_reconstruction_path_is_a_users_cohort(config, claims, tmp_path):
    (tmp_path / "data/cohort").mkdir(parents=True)
    path = write(tmp_path / "data/cohort/patients.csv", larger())  # real data copied over the shipped file
    numbers, rows, _ = numbers_and_rows(path, config, claims)
    assert numbers["cohort"]["is_reconstruction"] is False
    assert {r["evidence"] for r in rows} <= {"derived", "not_verifiable"}


@pytest.mark.parametrize(
    "change, where",
    [
        (lambda n: n["outcomes"]["died"]["anakinra"].update(percent="10%"), "outcomes/died/anakinra/percent"),
        (lambda n: n["cohort"].pop("sha256"), "cohort"),
        (lambda n: n["outcomes"]["survival"]["both"].update(p_value=1.5), "outcomes/survival/both/p_value"),
        (lambda n: n.update(extra={}), "top level"),
    ],
)
def test_the_contract_refuses_a_changed_shape(shipped, change, where):
    from anakinra_replication.jsonio import check_contract

    broken = copy.deepcopy(shipped)
    change(broken)
    with pytest.raises(ValueError, match=f"numbers.schema.yaml, at {where}"):
        check_contract(broken, "numbers.schema.yaml")

"""Rule outcome_relations: consistency relations between outcomes in the cohort."""

from anakinra_replication.cohort import read_validated
from anakinra_replication.jsonio import write_json
from anakinra_replication.relations import outcome_relations
from anakinra_replication.step import run


def main(sm):
    write_json(outcome_relations(read_validated(sm.input[0]), sm.params.arms, sm.params.horizon_days), sm.output[0])


run(main, snakemake)  # noqa: F821

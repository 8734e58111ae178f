"""Rule codecheck: results/codecheck.yml, a CODECHECK-style manifest of every output with its SHA-256."""

from anakinra_replication.certificate import codecheck, cohort_identity, write_codecheck
from anakinra_replication.jsonio import read_json, read_yaml
from anakinra_replication.step import run


def main(sm):
    i = sm.input
    cohort = cohort_identity(read_json(i.numbers))
    documents = {
        i.html: "the replication document (HTML, self-contained)",
        i.pdf: "the same document (PDF, Typst)",
        i.record: "provenance record: commit, tools, build date and the hashes above",
    }
    content = codecheck(read_json(i.record), read_yaml(i.citation, "citation"), cohort, documents, sm.output[0])
    write_codecheck(content, sm.output[0])


run(main, snakemake)  # noqa: F821

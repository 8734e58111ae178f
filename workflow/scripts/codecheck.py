"""Rule codecheck: codecheck.yml, the certificate (or, without a codechecker, a manifest saying it
is not one) of every output with its SHA-256; the shared results are copied beside it."""

from pathlib import Path

from anakinra_replication.certificate import codecheck, cohort_identity, copy_shared, write_codecheck
from anakinra_replication.jsonio import read_json, read_yaml
from anakinra_replication.step import run


def main(sm):
    i, p = sm.input, sm.params
    record = read_json(i.record)
    cohort = cohort_identity(read_json(i.numbers))
    documents = {
        i.html: "the report of the replication (HTML, self-contained)",
        i.pdf: "the same report (PDF, Typst)",
        i.supplement_html: "its supplement (HTML, self-contained)",
        i.supplement_pdf: "the same supplement (PDF, Typst)",
        i.record: "provenance record: commit, tools, build date and the hashes above",
    }
    copy_shared([o["path"] for o in record["outputs"]], Path(sm.output.certificate).parent, p.shared)
    citation = read_yaml(i.citation, "citation")
    content = codecheck(record, citation, cohort, documents, sm.output.certificate, p.given, p.shared)
    write_codecheck(content, sm.output.certificate)


run(main, snakemake)  # noqa: F821

"""Rule provenance_pages: the provenance table, the manifest table, the captions' links and the
certificate section."""

from pathlib import Path

from anakinra_replication.certificate import bundle_path, certificate_text, cohort_identity
from anakinra_replication.jsonio import read_json, write_yaml
from anakinra_replication.provenance import link_metadata
from anakinra_replication.step import run
from anakinra_replication.tables import manifest_table, provenance_table


def main(sm):
    record, numbers = read_json(sm.input.record), read_json(sm.input.numbers)
    cohort, p = cohort_identity(numbers), sm.params
    folder = Path(p.codecheck).parent
    files = [
        (bundle_path(o["path"], folder, p.shared).relative_to(folder).as_posix(), o["sha256"])
        for o in record["outputs"]
    ]
    Path(sm.output.provenance).write_text(provenance_table(numbers, record), encoding="utf-8")
    Path(sm.output.manifest).write_text(manifest_table(files), encoding="utf-8")
    write_yaml(link_metadata(record), sm.output.metadata)
    Path(sm.output.certificate).write_text(certificate_text(record, cohort, p.codecheck, p.given), encoding="utf-8")


run(main, snakemake)  # noqa: F821

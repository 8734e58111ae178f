"""A CODECHECK-style certificate of the build: codecheck.yml and the document's short section.

The file follows the CODECHECK configuration file specification 1.0
(https://codecheck.org.uk/spec/config/1.0/): ``version``, ``paper`` (title, authors,
reference), ``manifest`` (each output ``file`` relative to codecheck.yml, with a ``comment``;
a ``sha256`` is added per file), ``codechecker``, ``report``, ``summary``, ``repository`` and
``check_time``. No ``certificate`` number is given: none was awarded.

What it certifies is said plainly, in the file and in the document: an automated rebuild by
this package's workflow, on the cohort named, at the commit named. It is not a CODECHECK by an
independent person, and it says nothing about whether the study's data are as reported.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from .numbers import sha256
from .tables import hash_cell

SPECIFICATION = "https://codecheck.org.uk/spec/config/1.0/"
CODECHECKER = "none: an automated rebuild by the package's own workflow, not an independent check"


def cohort_identity(numbers: dict[str, Any]) -> dict[str, Any]:
    """The cohort a certificate speaks of: its file, SHA-256 and whether it is the reconstruction
    (decided by content, in numbers.json)."""
    c = numbers["cohort"]
    return {"path": c["path"], "reconstructed": c["is_reconstruction"], "sha256": c["sha256"]}


def _relative(path: str | Path, start: str | Path) -> str:
    """``path`` relative to the folder ``start``, with forward slashes."""
    return PurePosixPath(os.path.relpath(path, start)).as_posix()


def _commit_phrase(source: dict[str, Any]) -> str:
    """'commit abc123def456' (with a warning when the tree had changes), or 'no git commit'."""
    if not source["commit"]:
        return "a copy that is not a git checkout (no commit recorded)"
    dirty = " with uncommitted changes to the files it is built from" if source["dirty"] else ""
    return f"commit {source['commit'][:12]}{dirty}"


def _cohort_phrase(cohort: dict[str, Any], markdown: bool = False) -> str:
    """The cohort in words: the reconstruction or a user's file, with its SHA-256 (in Markdown,
    as code that may break in the PDF)."""
    kind = (
        "the package's reconstruction from the published numbers, not the study's data"
        if cohort["reconstructed"]
        else "a cohort supplied by the user"
    )
    digest = hash_cell(cohort["sha256"]) if markdown else cohort["sha256"]
    path = f"`{cohort['path']}`" if markdown else cohort["path"]
    return f"{path} ({kind}; SHA-256 {digest})"


def summary(record: dict[str, Any], cohort: dict[str, Any]) -> str:
    """The honest summary: what was rebuilt, from what, at which commit, and what it is not."""
    return (
        f"Automated rebuild, not an independent check. The workflow of this package rebuilt every "
        f"file of the manifest from the cohort {_cohort_phrase(cohort)} at {_commit_phrase(record['source'])}, "
        f"and recorded the SHA-256 of each. No person has rerun or examined the code for this "
        f"certificate. To check it, rerun the workflow on the same inputs and compare the hashes."
    )


def paper(citation: dict[str, Any], document: str) -> dict[str, Any]:
    """``paper`` from CITATION.cff: title, authors and a reference (DOI, URL, or the document)."""
    authors = [
        {"name": a.get("name") or " ".join(filter(None, (a.get("given-names"), a.get("family-names"))))}
        for a in citation.get("authors", [])
    ]
    doi = citation.get("doi")
    reference = f"https://doi.org/{doi}" if doi else citation.get("url") or citation.get("repository-code") or document
    return {"title": citation["title"], "authors": authors, "reference": reference}


def codecheck(
    record: dict[str, Any],
    citation: dict[str, Any],
    cohort: dict[str, Any],
    documents: dict[str, str],
    location: str | Path,
) -> dict[str, Any]:
    """The codecheck.yml content. ``documents`` maps the rendered document's files (and any other
    file made after the provenance record, such as the record itself) to their comments; the
    first of them is the ``report``. Paths are relative to ``location``, codecheck.yml's folder."""
    folder = Path(location).parent
    files = [(o["path"], o["comment"], o["sha256"]) for o in record["outputs"]]
    files += [(path, comment, sha256(path)) for path, comment in documents.items()]
    result = {
        "version": SPECIFICATION,
        "paper": paper(citation, _relative(next(iter(documents)), folder)),
        "manifest": [
            {"file": _relative(path, folder), "comment": comment, "sha256": digest} for path, comment, digest in files
        ],
        "codechecker": [{"name": CODECHECKER}],
        "report": _relative(next(iter(documents)), folder),
        "summary": summary(record, cohort),
        "check_time": record["build_date"],
    }
    if record["source"]["repository"]:
        result["repository"] = record["source"]["repository"]
    return result


def write_codecheck(content: dict[str, Any], path: str | Path) -> None:
    """Write codecheck.yml as an explicit YAML document (``---``), keys in the specification's order."""
    text = yaml.safe_dump(content, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100)
    Path(path).write_text("---\n" + text, encoding="utf-8")


def certificate_text(record: dict[str, Any], cohort: dict[str, Any], codecheck_path: str) -> str:
    """The document's certificate section (Markdown), generated from the same record as
    codecheck.yml so that the two cannot disagree."""
    source = record["source"]
    where = f"in the repository {source['repository']}" if source["repository"] else "in a local copy of the package"
    return (
        f"This document was produced by an automated rebuild: the package's workflow ran {where} at "
        f"{_commit_phrase(source)}, on {record['build_date']}, "
        f"on the cohort {_cohort_phrase(cohort, markdown=True)}.\n\n"
        f"The workflow writes `{codecheck_path}`, a certificate in the format of CODECHECK's configuration "
        f"file (specification 1.0): a manifest of the {len(record['outputs'])} output files listed in "
        f"@tbl-provenance and of this document, each with a comment and its SHA-256, a summary"
        f"{', the repository' if source['repository'] else ''} and the build date.\n\n"
        f"It certifies only that these files came out of this code, on this cohort, at this commit. It is "
        f"not a CODECHECK: no independent person has rerun or examined the work, and no certificate number "
        f"was awarded. Anyone can check it by rerunning the workflow and comparing the hashes.\n"
    )

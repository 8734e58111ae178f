"""A CODECHECK certificate of the build: codecheck.yml, the document's short section, and the
check that recomputes every hash of its manifest.

The file follows the CODECHECK configuration file specification
(https://codecheck.org.uk/spec/config/1.0/) and the MUST rules of the codecheck R package's
``validate_codecheck_yml()``: ``paper`` is the article checked (title, authors, its DOI as an
https URL); ``manifest`` lists every output, each ``file`` relative to codecheck.yml's own folder
(the shared results that the document shows are copied into ``published/`` beside it, so that no
path leaves the folder), with a ``comment``; ``summary``, ``repository`` and ``check_time`` (when
this file was written). Fields of this package's own are namespaced with ``anakinra:``
(``anakinra:sha256`` per file; ``anakinra:status``, ``anakinra:cohort`` and ``anakinra:commit``).

What only a codechecker can give (``certificate``, ``report``, ``codechecker``) comes from the
config's ``codecheck`` key. Without all three the file says plainly that it is not a
certificate: it is then an automated rebuild's manifest, which anyone can check with
``make verify-certificate``.
"""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from .numbers import sha256
from .tables import hash_cell

SPECIFICATION = "https://codecheck.org.uk/spec/config/1.0/"
NAMESPACE = "anakinra:"  # prefix of the fields this package adds to the specification's
SHARED_FOLDER = "published"  # where the shared results are copied, inside codecheck.yml's folder
CODECHECKER_FIELDS = ("certificate", "report", "codechecker")
NOT_A_CERTIFICATE = (
    "NOT A CODECHECK CERTIFICATE: no certificate number, report or codechecker was given "
    "(config key codecheck); this is the manifest of an automated rebuild."
)


def cohort_identity(numbers: dict[str, Any]) -> dict[str, Any]:
    """The cohort a certificate speaks of: its file, SHA-256 and whether it is the reconstruction
    (decided by content, in numbers.json)."""
    c = numbers["cohort"]
    return {"path": c["path"], "reconstructed": c["is_reconstruction"], "sha256": c["sha256"]}


def is_certificate(given: dict[str, Any] | None) -> bool:
    """Whether the config gives every field only a codechecker can give."""
    return bool(given) and all(given.get(key) for key in CODECHECKER_FIELDS)


def _relative(path: str | Path, start: str | Path) -> str:
    """``path`` relative to the folder ``start``, with forward slashes."""
    return PurePosixPath(os.path.relpath(path, start)).as_posix()


def _commit_phrase(source: dict[str, Any], dated: bool = False) -> str:
    """'commit abc123def456' (with its own date if ``dated``, and a warning when the tree had
    changes), or 'no git commit'."""
    if not source["commit"]:
        return "a copy that is not a git checkout (no commit recorded)"
    date = f" (committed on {source['commit_date']})" if dated and source.get("commit_date") else ""
    dirty = " with uncommitted changes to the files it is built from" if source["dirty"] else ""
    return f"commit {source['commit'][:12]}{date}{dirty}"


def _when(record: dict[str, Any]) -> str:
    """When the workflow ran: the build date, the run's own unless SOURCE_DATE_EPOCH fixed it."""
    if record["build_date_fixed"]:
        return f"with its build date fixed at {record['build_date']} by SOURCE_DATE_EPOCH (not the day it ran)"
    return f"on {record['build_date']}"


def _cohort_phrase(cohort: dict[str, Any], markdown: bool = False) -> str:
    """The cohort in words: the reconstruction or a user's file, with its SHA-256 (in Markdown,
    as code that wraps without any inserted character)."""
    kind = (
        "the package's reconstruction from the published numbers, not the study's data"
        if cohort["reconstructed"]
        else "a cohort supplied by the user"
    )
    digest = hash_cell(cohort["sha256"]) if markdown else cohort["sha256"]
    path = f"`{cohort['path']}`" if markdown else cohort["path"]
    return f"{path} ({kind}; SHA-256 {digest})"


def summary(record: dict[str, Any], cohort: dict[str, Any], certified: bool) -> str:
    """The honest summary: what was rebuilt, from what, at which commit, and what it is not."""
    rebuilt = (
        f"The workflow of this package rebuilt every file of the manifest from the cohort "
        f"{_cohort_phrase(cohort)} at {_commit_phrase(record['source'])}, and recorded the SHA-256 of each."
    )
    if certified:
        return f"{rebuilt} The certificate number, the report and the codechecker are those given in the configuration."
    return (
        f"{NOT_A_CERTIFICATE} {rebuilt} No person has rerun or examined the code for this file. "
        f"To check it, rerun the workflow on the same inputs and compare the hashes (make verify-certificate)."
    )


def article(citation: dict[str, Any]) -> dict[str, Any]:
    """The article checked, from CITATION.cff's first reference of type article: title, authors
    (``name`` each) and its DOI as an https URL."""
    ref = next(r for r in citation.get("references", []) if r.get("type") == "article")
    authors = [
        {"name": a.get("name") or " ".join(filter(None, (a.get("given-names"), a.get("family-names"))))}
        for a in ref.get("authors", [])
    ]
    title = " ".join(str(ref["title"]).split())
    return {"title": title, "authors": authors, "reference": f"https://doi.org/{ref['doi']}"}


def bundle_path(path: str, folder: Path, shared: str | Path) -> Path:
    """Where a file lies inside the certificate's folder: a shared result (under ``shared``) is
    copied to ``published/`` beside codecheck.yml; a cohort's own file stays where it is."""
    if Path(path).is_relative_to(shared):
        return folder / SHARED_FOLDER / Path(path).relative_to(shared)
    return Path(path)


def copy_shared(paths: list[str], folder: Path, shared: str | Path) -> None:
    """Copy the shared results among ``paths`` into the certificate's folder (``published/``)."""
    for path in paths:
        target = bundle_path(path, folder, shared)
        if target != Path(path):
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)


def check_time(environ: dict[str, str] | None = None) -> str:
    """When this file is written (the time of the check), UTC; SOURCE_DATE_EPOCH wins when set."""
    environ = os.environ if environ is None else environ
    epoch = environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), tz=UTC) if epoch else datetime.now(UTC)
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def codecheck(
    record: dict[str, Any],
    citation: dict[str, Any],
    cohort: dict[str, Any],
    documents: dict[str, str],
    location: str | Path,
    given: dict[str, Any] | None = None,
    shared: str | Path = "results/published",
    environ: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The codecheck.yml content. ``documents`` maps the rendered document's files (and any other
    file made after the provenance record, such as the record itself) to their comments. Paths are
    relative to ``location``'s folder; files under ``shared`` are listed at their copies in
    ``published/`` (see :func:`copy_shared`). ``given`` is the config's ``codecheck``."""
    folder = Path(location).parent
    files = [(o["path"], o["comment"], o["sha256"]) for o in record["outputs"]]
    files += [(path, comment, sha256(path)) for path, comment in documents.items()]
    certified = is_certificate(given)
    result: dict[str, Any] = {"version": SPECIFICATION}
    if certified:
        result["certificate"] = str(given["certificate"])
    result["paper"] = article(citation)
    result["manifest"] = [
        {"file": _relative(bundle_path(path, folder, shared), folder), "comment": comment, f"{NAMESPACE}sha256": digest}
        for path, comment, digest in files
    ]
    if certified:
        result["codechecker"] = [dict(c) for c in given["codechecker"]]
        result["report"] = str(given["report"])
    result["summary"] = summary(record, cohort, certified)
    if record["source"]["repository"]:
        result["repository"] = record["source"]["repository"]
    result["check_time"] = check_time(environ)
    result[f"{NAMESPACE}status"] = "certificate" if certified else NOT_A_CERTIFICATE
    result[f"{NAMESPACE}cohort"] = dict(cohort)
    result[f"{NAMESPACE}commit"] = record["source"]["commit"]
    return result


def write_codecheck(content: dict[str, Any], path: str | Path) -> None:
    """Write codecheck.yml as an explicit YAML document (``---``), keys in the specification's order."""
    text = yaml.safe_dump(content, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100)
    Path(path).write_text("---\n" + text, encoding="utf-8")


def changed_files(path: str | Path) -> tuple[list[str], int]:
    """Recompute the SHA-256 of every manifest file of codecheck.yml at ``path``: one line per file
    that is missing or whose bytes changed, and the number of files checked."""
    content = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    folder = Path(path).parent
    problems = []
    manifest = content.get("manifest") or []
    for item in manifest:
        target, recorded = folder / item["file"], item.get(f"{NAMESPACE}sha256")
        if not target.is_file():
            problems.append(f"missing: {item['file']} (listed in {path}, not found)")
        elif sha256(target) != recorded:
            problems.append(f"changed: {item['file']} (SHA-256 {sha256(target)}, the certificate records {recorded})")
    return problems, len(manifest)


def certificate_text(record: dict[str, Any], cohort: dict[str, Any], codecheck_path: str, given: dict | None) -> str:
    """The document's certificate section (Markdown), generated from the same record as
    codecheck.yml so that the two cannot disagree."""
    source = record["source"]
    where = f"in the repository {source['repository']}" if source["repository"] else "in a local copy of the package"
    certified = is_certificate(given)
    head = (
        f"This document was produced by an automated rebuild: the package's workflow ran {where} "
        f"{_when(record)}, at {_commit_phrase(source, dated=True)}, "
        f"on the cohort {_cohort_phrase(cohort, markdown=True)}.\n\n"
        f"The workflow writes `{codecheck_path}` in the format of CODECHECK's configuration file "
        f"(specification 1.0): the article checked, and a manifest of the {len(record['outputs'])} output files "
        f"listed in @tbl-manifest and of this document, each with a comment and its SHA-256.\n\n"
    )
    if certified:
        names = ", ".join(c["name"] for c in given["codechecker"])
        return head + (
            f"It is CODECHECK certificate {given['certificate']}, by {names}; the report is at "
            f"<{given['report']}>. To check that the files you hold are the ones certified, run "
            f"`make verify-certificate NAME={Path(codecheck_path).parent.name}`: it recomputes every hash and names "
            f"each file that changed.\n"
        )
    return head + (
        f"**It is not a certificate.** No codechecker, certificate number or report was given: no "
        f"independent person has rerun or examined the work. It certifies only that these files came out of "
        f"this code, on this cohort, at this commit. Anyone can check it: "
        f"`make verify-certificate NAME={Path(codecheck_path).parent.name}` recomputes every hash and names "
        f"each file that changed.\n"
    )

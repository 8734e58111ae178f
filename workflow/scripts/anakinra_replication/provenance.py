"""Provenance of a build: which code, which tools, when, and the SHA-256 of what came out.

- the source: git commit, whether the files the build reads had uncommitted changes (documentation,
  tests and CI aside: ``NOT_READ_BY_THE_BUILD``), and the repository URL (the config's
  ``repository``, else CITATION.cff's ``repository-code``); outside a git checkout the commit and
  the flag are absent;
- the build date: the time of the run that recorded the outputs (UTC), unless SOURCE_DATE_EPOCH
  fixes it (the reproducible-builds convention, for byte-identical rebuilds); and, labelled as
  such, the commit's date;
- the tools: Python, Snakemake, Quarto and Typst (the one bundled with Quarto) versions;
- the outputs: path, SHA-256 and a one-line comment each;
- ``made_by``: for each figure and table label, the script and the rule that made it, as
  permalinks (``<repository>/blob/<commit>/<path>#L<line>``) when the repository and the commit
  are known; otherwise as links relative to the document whose text still names the path, the
  line and the commit, so that a printed or e-mailed copy says where to look.
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import time
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from .numbers import sha256

NOT_RECORDED = "not recorded"


def _git(root: str | Path, *args: str) -> str | None:
    """Output of one git command in ``root``, or None when git or the checkout is missing."""
    if shutil.which("git") is None:
        return None
    result = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True)
    return result.stdout.strip() if result.returncode == 0 else None


# Files and folders that no rule reads: documentation, tests and CI. An uncommitted change to them
# does not make a build "from uncommitted changes", so editing the README reruns nothing.
NOT_READ_BY_THE_BUILD = ("README.md", "CONTRIBUTING.md", "tests", ".github", ".ci", ".pre-commit-config.yaml")


def git_state(root: str | Path = ".", unread: tuple[str, ...] = ()) -> dict[str, Any]:
    """Commit, uncommitted changes (tracked or untracked, ignored files aside, and those under the
    paths ``unread`` too) and commit time (Unix seconds) of the checkout at ``root``; all None
    outside a git checkout."""
    inside = _git(root, "rev-parse", "--is-inside-work-tree") == "true"
    top = _git(root, "rev-parse", "--show-toplevel") if inside else None
    if not top or Path(top).resolve() != Path(root).resolve():  # a copy inside another repository is not a checkout
        return {"commit": None, "dirty": None, "commit_time": None}
    status = _git(root, "status", "--porcelain", "--", ".", *(f":(exclude){path}" for path in unread))
    return {
        "commit": _git(root, "rev-parse", "HEAD"),
        "dirty": bool(status),
        "commit_time": int(_git(root, "log", "-1", "--format=%ct") or 0) or None,
    }


def repository_url(citation: str | Path, configured: str | None = None) -> str | None:
    """The code repository: ``configured`` (the config's ``repository``) if given, else the one
    named in CITATION.cff (``repository-code``), else None."""
    if configured:
        return str(configured).rstrip("/")
    cff = yaml.safe_load(Path(citation).read_text(encoding="utf-8")) or {}
    url = cff.get("repository-code")
    return str(url).rstrip("/") if url else None


def main_line(script: str | Path) -> int:
    """The line of a script's ``def main`` (where its work starts), or 1 when it has none."""
    lines = Path(script).read_text(encoding="utf-8").splitlines()
    return next((k for k, line in enumerate(lines, 1) if line.startswith("def main(")), 1)


def _iso(seconds: float) -> str:
    """Unix seconds as ISO 8601 UTC, to the second."""
    return datetime.fromtimestamp(seconds, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def build_date(source_date_epoch: str | None, now: float) -> str:
    """The build date as ISO 8601 UTC: the time of this run (``now``, Unix seconds), unless
    SOURCE_DATE_EPOCH (the reproducible-builds convention) is set, which fixes it so that a
    rebuild gives the same bytes."""
    return _iso(int(source_date_epoch) if source_date_epoch not in (None, "") else now)


def commit_date(commit_time: int | None) -> str | None:
    """The commit's date as ISO 8601 UTC, or None outside a git checkout (never the build date)."""
    return None if commit_time is None else _iso(commit_time)


def _first_line(command: list[str]) -> str:
    """First line of a command's output, or ``NOT_RECORDED`` when it cannot run."""
    if shutil.which(command[0]) is None:
        return f"{NOT_RECORDED} ({command[0]} not found)"
    result = subprocess.run(command, capture_output=True, text=True)
    lines = result.stdout.strip().splitlines()
    return lines[0] if result.returncode == 0 and lines else NOT_RECORDED


def tool_versions(quarto: str = "quarto") -> dict[str, str]:
    """Versions of the tools that are not Python packages of the analysis."""
    typst = _first_line([quarto, "typst", "--version"])
    return {
        "Python": platform.python_version(),
        "Snakemake": version("snakemake"),
        "Quarto": _first_line([quarto, "--version"]),
        "Typst (bundled with Quarto)": typst.removeprefix("typst "),
    }


def source_link(path: str, line: int | None, source: dict[str, Any], document_dir: str | Path) -> str:
    """Link to a file of the repository: at the commit on the repository's site when both are
    known, else the path relative to the document's folder."""
    if source.get("repository") and source.get("commit"):
        return f"{source['repository']}/blob/{source['commit']}/{path}" + (f"#L{line}" if line else "")
    return PurePosixPath(os.path.relpath(path, document_dir)).as_posix()


def made_by_link(made: dict[str, Any], source: dict[str, Any], document_dir: str | Path) -> str:
    """A caption's provenance sentence in Markdown, as a span of class ``provenance``: permalinks
    to the script and the rule at the commit and line when the repository is known; otherwise
    links relative to the document whose text names path, line and commit."""
    script_line = made.get("script_line", 1)
    script = source_link(made["script"], script_line, source, document_dir)
    rule = source_link(made["rules_file"], made["line"], source, document_dir)
    if source.get("repository") and source.get("commit"):
        return (
            f"[Made by [`{PurePosixPath(made['script']).name}`]({script}), "
            f"rule [`{made['rule']}`]({rule}).]{{.provenance}}"
        )
    commit = f"commit {source['commit'][:12]}" if source.get("commit") else "no commit recorded"
    return (
        f"[Made by [`{made['script']}` line {script_line}]({script}), rule `{made['rule']}` at "
        f"[`{made['rules_file']}` line {made['line']}]({rule}) ({commit}; no repository named).]{{.provenance}}"
    )


def output_manifest(outputs: dict[str, str]) -> list[dict[str, str]]:
    """Path, SHA-256 and comment of each output, in the given order."""
    return [{"path": path, "sha256": sha256(path), "comment": comment} for path, comment in outputs.items()]


def provenance_record(
    root: str | Path,
    citation: str | Path,
    outputs: dict[str, str],
    made_by: dict[str, dict[str, Any]],
    document: str | Path,
    environ: dict[str, str] | None = None,
    quarto: str = "quarto",
    repository: str | None = None,
    now: float | None = None,
) -> dict[str, Any]:
    """Everything the provenance table, the captions' links and codecheck.yml read; ``repository``
    is the config's, which wins over CITATION.cff's; ``now`` is the time of the run (Unix seconds;
    the clock's by default)."""
    environ = os.environ if environ is None else environ
    state = git_state(root, NOT_READ_BY_THE_BUILD)
    source = {
        "commit": state["commit"],
        "dirty": state["dirty"],
        "repository": repository_url(citation, repository),
        "commit_date": commit_date(state["commit_time"]),
    }
    document_dir = Path(document).parent
    fixed = environ.get("SOURCE_DATE_EPOCH") not in (None, "")
    return {
        "source": source,
        "build_date": build_date(environ.get("SOURCE_DATE_EPOCH"), time.time() if now is None else now),
        "build_date_fixed": fixed,
        "tools": tool_versions(quarto),
        "outputs": output_manifest(outputs),
        "made_by": {
            label: {**made, "link": made_by_link(made, source, document_dir)} for label, made in sorted(made_by.items())
        },
    }


def link_metadata(record: dict[str, Any]) -> dict[str, Any]:
    """The manuscript's metadata under ``provenance``: one caption link per figure and table
    (keys with ``_`` for ``-``), and the commit, its date and the build date for the prose."""
    commit = record["source"]["commit"]
    built = f"This run was built on {record['build_date'][:10]}"
    sentence = (
        f"{built} from commit {commit[:12]} (committed on {record['source']['commit_date'][:10]})."
        if commit
        else f"{built} outside a git checkout, so no commit is recorded."
    )
    return {
        "provenance": {
            "links": {label.replace("-", "_"): made["link"] for label, made in record["made_by"].items()},
            "commit": commit[:12] if commit else "none (not a git checkout)",
            "commit_date": record["source"]["commit_date"] or "none (not a git checkout)",
            "build_date": record["build_date"],
            "sentence": sentence,
        }
    }

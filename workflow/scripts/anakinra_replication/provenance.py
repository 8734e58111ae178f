"""Provenance of a build: which code, which tools, when, and the SHA-256 of what came out.

- the source: git commit, whether the files the build reads had uncommitted changes (documentation,
  tests and CI aside: ``NOT_READ_BY_THE_BUILD``), and the repository URL (the config's
  ``repository``, else CITATION.cff's ``repository-code``); outside a git checkout the commit and
  the flag are absent;
- the build date: the time of the run that recorded the outputs (UTC), unless SOURCE_DATE_EPOCH
  fixes it (the reproducible-builds convention, for byte-identical rebuilds); and, labelled as
  such, the commit's date;
- the package as CITATION.cff cites it: its licence, contributors and version;
- the run: the Monte Carlo's seed (stream k is seeded with seed + k), the time its jobs took (the
  sum of the wall-clock seconds of Snakemake's benchmark files of the jobs this record's outputs
  come from; none when SOURCE_DATE_EPOCH asks for a byte-identical rebuild) and the machine that
  wrote the record (logical cores, operating system and release, architecture, Python; nothing
  that names the host or the user);
- the tools: Python, Snakemake, Quarto, and the Typst and Pandoc that Quarto runs. Typst's
  version is the one the compiler writes into a PDF it makes (a one-line probe, compiled with
  ``quarto typst compile``), as the rendered PDF names it: a Typst run through a wrapper (such as
  the typst Python package) may report the wrapper's version to ``--version``, which is then
  given beside it. Quarto's ``quarto typst`` passes Typst's output on through its logger, on
  stderr, so a version is read from both streams;
- the outputs: path, SHA-256 and a one-line comment each;
- ``made_by``: for each figure and table label, the script and the rule that made it, as
  permalinks (``<repository>/blob/<commit>/<path>#L<line>``) when the repository and the commit
  are known; otherwise as links relative to the document whose text still names the path, the
  line and the commit, so that a printed or e-mailed copy says where to look.
"""

from __future__ import annotations

import csv
import itertools
import os
import platform
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterable
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from .numbers import sha256
from .provenance_words import (
    NOT_RECORDED,
    contributors_words,
    duration_words,
    licence_words,
    listed,
    machine_words,
    os_words,
    provenance_sentence,
    tool_key,
)


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


def unconstrained(pattern: Any) -> str:
    """A Snakemake path pattern without its wildcards' constraints: {cohort,x} -> {cohort}."""
    return re.sub(r"\{(\w+),[^{}]*\}", r"{\1}", str(pattern))


def writes_any(rule: Any, paths: Iterable[str], cohort: str | None = None) -> bool:
    """Whether a Snakemake rule writes one of ``paths``: patterns with {cohort} unfilled, or
    files of the cohort named."""
    wanted = set(paths)
    outputs = (unconstrained(o) for o in rule.output)
    return any((o if cohort is None else o.replace("{cohort}", cohort)) in wanted for o in outputs)


def benchmark_files(
    rules: Iterable[Any], feeds: Iterable[str], hashed: Iterable[str], cohort: str, values: dict[str, Iterable]
) -> list[str]:
    """The benchmark files of the jobs one cohort's record comes from: those of the benchmarked
    ``rules`` that write one of its ``hashed`` files or are named in ``feeds`` (they write files
    those are made from), each wildcard but {cohort} taking every one of its ``values``."""
    hashed, feeds, files = set(hashed), set(feeds), set()
    for rule in rules:
        if not rule.benchmark or not (rule.name in feeds or writes_any(rule, hashed, cohort)):
            continue
        pattern = unconstrained(rule.benchmark).replace("{cohort}", cohort)
        names = [name for name in values if f"{{{name}}}" in pattern]
        for combination in itertools.product(*(list(values[name]) for name in names)):
            files.add(pattern.format(**dict(zip(names, combination, strict=True))))
    return sorted(files)


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


VERSION = re.compile(r"\b\d+(?:\.\d+)+(?:[-+][0-9A-Za-z.]+)?\b")


def version_in(text: str, name: str | None = None) -> str | None:
    """The first version number (``1.11.0``, ``0.15.2``) in ``text``, on the first line that
    starts with ``name`` when a name is given; None when there is none."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if name is not None:
        lines = [line for line in lines if line.lower().startswith(name.lower())]
    found = next((VERSION.search(line) for line in lines if VERSION.search(line)), None)
    return found.group(0) if found else None


def command_version(command: list[str], name: str | None = None, timeout: float = 300) -> str:
    """The version a command prints (``quarto typst --version``), read from its stdout and its
    stderr together (Quarto hands Typst's output on through stderr); else ``NOT_RECORDED`` with
    the reason."""
    shown = " ".join(command)
    if shutil.which(command[0]) is None:
        return f"{NOT_RECORDED} ({command[0]} not found)"
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired) as err:
        return f"{NOT_RECORDED} ({shown}: {type(err).__name__})"
    found = version_in(result.stdout + "\n" + result.stderr, name)
    if result.returncode != 0:
        return f"{NOT_RECORDED} ({shown} exited with status {result.returncode})"
    return found or f"{NOT_RECORDED} ({shown} printed no version)"


TYPST_SIGNATURE = re.compile(rb"Typst (\d+\.\d+(?:\.\d+)?)")


def typst_compiler_version(quarto: str = "quarto", timeout: float = 300) -> str | None:
    """The version of the Typst compiler that ``quarto typst`` runs, as it signs a PDF it makes
    (its XMP CreatorTool, "Typst 0.13.1"): a one-line probe compiled in a temporary folder;
    None when the probe cannot be compiled or names no version."""
    if shutil.which(quarto) is None:
        return None
    with tempfile.TemporaryDirectory() as folder:
        source, pdf = Path(folder, "probe.typ"), Path(folder, "probe.pdf")
        source.write_text("#sys.version\n", encoding="utf-8")
        try:
            result = subprocess.run(
                [quarto, "typst", "compile", str(source), str(pdf)], capture_output=True, timeout=timeout
            )
        except (OSError, subprocess.TimeoutExpired):
            return None
        found = TYPST_SIGNATURE.search(pdf.read_bytes()) if result.returncode == 0 and pdf.is_file() else None
    return found.group(1).decode() if found else None


def typst_version(quarto: str = "quarto") -> str:
    """Typst's version as the compiler signs its PDFs; with what ``quarto typst --version`` says
    beside it when that differs (a wrapper's own version); that answer alone when no probe can
    be compiled."""
    said = command_version([quarto, "typst", "--version"], "typst")
    compiler = typst_compiler_version(quarto)
    if compiler is None or compiler == said:
        return said if compiler is None else compiler
    if said.startswith(NOT_RECORDED):
        return compiler
    return f"{compiler} (as it signs its PDFs; `quarto typst --version` says {said})"


def tool_versions(quarto: str = "quarto") -> dict[str, str]:
    """Versions of the tools that are not Python packages of the analysis: Python (with its
    implementation), Snakemake, Quarto, and the Typst and Pandoc that this Quarto runs."""
    return {
        "Python": f"{platform.python_version()} ({platform.python_implementation()})",
        "Snakemake": version("snakemake"),
        "Quarto": command_version([quarto, "--version"]),
        "Typst (run by Quarto)": typst_version(quarto),
        "Pandoc (run by Quarto)": command_version([quarto, "pandoc", "--version"], "pandoc"),
    }


def person(author: dict[str, Any]) -> str:
    """A CITATION.cff author as a name: an entity's ``name``, or a person's given names, name
    particle, family names and suffix."""
    if author.get("name"):
        return str(author["name"])
    parts = ("given-names", "name-particle", "family-names")
    name = " ".join(str(author[key]) for key in parts if author.get(key))
    return f"{name}, {author['name-suffix']}" if author.get("name-suffix") else name


def citation_facts(citation: str | Path) -> dict[str, Any]:
    """The package as CITATION.cff cites it: its licence (an SPDX identifier, or several joined
    with "OR"; None when it names none), contributors (``authors``, in order) and version."""
    cff = yaml.safe_load(Path(citation).read_text(encoding="utf-8")) or {}
    licence = cff.get("license")
    if isinstance(licence, list):
        licence = " OR ".join(map(str, licence))
    return {
        "licence": str(licence) if licence else None,
        "contributors": [name for name in map(person, cff.get("authors") or []) if name],
        "version": str(cff["version"]) if cff.get("version") is not None else None,
    }


def monte_carlo_seeds(monte_carlo: dict[str, Any]) -> dict[str, Any]:
    """The Monte Carlo's seeding (config identifiability.monte_carlo): the seed, the number of
    streams and each stream's seed (stream k: seed + k), and the draws kept per stream."""
    seed, streams = int(monte_carlo["seed"]), int(monte_carlo["streams"])
    return {
        "seed": seed,
        "streams": streams,
        "stream_seeds": [seed + k for k in range(streams)],
        "draws_per_stream": int(monte_carlo["draws_per_stream"]),
    }


def machine() -> dict[str, Any]:
    """The machine that runs this: logical cores, operating system (name, release and, where the
    system says, its distribution), architecture and Python implementation; no host or user name."""
    try:
        distribution = platform.freedesktop_os_release().get("PRETTY_NAME")
    except OSError:
        distribution = None
    return {
        "logical_cores": os.cpu_count(),
        "os": platform.system() or None,
        "os_release": platform.release() or None,
        "distribution": distribution,
        "architecture": platform.machine() or None,
        "python": f"{platform.python_implementation()} {platform.python_version()}",
    }


def benchmark_seconds(path: str | Path) -> float:
    """The wall-clock seconds of one Snakemake benchmark file (TSV; column ``s``), summed over
    its rows (one per repetition)."""
    with open(path, encoding="utf-8", newline="") as handle:
        return sum(float(row["s"]) for row in csv.DictReader(handle, delimiter="\t"))


def run_time(benchmarks: list[str], fixed: bool) -> dict[str, Any]:
    """The time the jobs behind this record took: the sum of their benchmark files' wall-clock
    seconds (jobs that ran side by side count each), and how many jobs were timed. Not recorded
    when SOURCE_DATE_EPOCH is set (``fixed``): a byte-identical rebuild records no time."""
    if fixed:
        return {"seconds": None, "jobs": len(benchmarks), "why_not": "SOURCE_DATE_EPOCH is set"}
    if not benchmarks:
        return {"seconds": None, "jobs": 0, "why_not": "no job was timed"}
    return {"seconds": round(sum(map(benchmark_seconds, benchmarks)), 2), "jobs": len(benchmarks), "why_not": None}


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
    monte_carlo: dict[str, Any] | None = None,
    benchmarks: list[str] | tuple[str, ...] = (),
) -> dict[str, Any]:
    """Everything the provenance table, the captions' links and codecheck.yml read; ``repository``
    is the config's, which wins over CITATION.cff's; ``now`` is the time of the run (Unix seconds;
    the clock's by default); ``monte_carlo`` the config's identifiability.monte_carlo (None: no
    Monte Carlo); ``benchmarks`` the benchmark files of the jobs the outputs come from."""
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
        "package": citation_facts(citation),
        "monte_carlo": None if monte_carlo is None else monte_carlo_seeds(monte_carlo),
        "run": run_time(sorted(benchmarks), fixed),
        "machine": machine(),
        "tools": tool_versions(quarto),
        "outputs": output_manifest(outputs),
        "made_by": {
            label: {**made, "link": made_by_link(made, source, document_dir)} for label, made in sorted(made_by.items())
        },
    }


def link_metadata(record: dict[str, Any]) -> dict[str, Any]:
    """The manuscript's metadata under ``provenance``: one caption link per figure and table
    (keys with ``_`` for ``-``); the commit, its date and the build date; the licence, the
    contributors and the version from CITATION.cff; the Monte Carlo's seed, the run's time and
    machine; and each tool's version (``tools.<name>``), all as text for the prose."""
    commit, run, facts = record["source"]["commit"], record["run"], record["machine"]
    mc = record["monte_carlo"]
    meta = {
        "provenance": {
            "links": {label.replace("-", "_"): made["link"] for label, made in record["made_by"].items()},
            "commit": commit[:12] if commit else "none (not a git checkout)",
            "commit_date": record["source"]["commit_date"] or "none (not a git checkout)",
            "build_date": record["build_date"],
            "licence": licence_words(record["package"]),
            "contributors": contributors_words(record["package"]),
            "version": record["package"]["version"] or NOT_RECORDED,
            "seed": str(mc["seed"]) if mc else "none",
            "streams": str(mc["streams"]) if mc else "0",
            "stream_seeds": listed([str(s) for s in mc["stream_seeds"]]) if mc else "none",
            "run_seconds": str(round(run["seconds"])) if run["seconds"] is not None else NOT_RECORDED,
            "run_time": duration_words(run["seconds"]) if run["seconds"] is not None else NOT_RECORDED,
            "run_jobs": str(run["jobs"]),
            "cores": str(facts["logical_cores"]) if facts["logical_cores"] else NOT_RECORDED,
            "os": os_words(facts),
            "machine": machine_words(facts),
            "tools": {tool_key(name): version_in(value) or value for name, value in record["tools"].items()},
        }
    }
    meta["provenance"]["sentence"] = provenance_sentence(record, meta["provenance"])
    return meta

"""The provenance record in words, for the provenance table and the manuscript's metadata: the
licence and contributors, the Monte Carlo's seeding, the time the jobs took and the machine. A
fact that is missing is said to be missing; no text tells a developer what to set."""

from __future__ import annotations

from typing import Any

NOT_RECORDED = "not recorded"


def listed(items: list[str]) -> str:
    """Items in words: "a", "a and b", "a, b and c"."""
    return " and ".join(filter(None, [", ".join(items[:-1]), items[-1]])) if items else ""


def duration_words(seconds: float) -> str:
    """Seconds as hours, minutes and seconds, rounded to the second: "13 min 32 s", "45 s"."""
    total = round(seconds)
    hours, minutes, rest = total // 3600, total // 60 % 60, total % 60
    parts = [f"{hours} h" if hours else "", f"{minutes} min" if hours or minutes else "", f"{rest} s"]
    return " ".join(filter(None, parts))


def licence_words(package: dict[str, Any]) -> str:
    """The licence as CITATION.cff gives it, or that it names none."""
    return package["licence"] or "none named in CITATION.cff"


def contributors_words(package: dict[str, Any]) -> str:
    """The contributors as CITATION.cff lists them, or that it lists none."""
    return listed(package["contributors"]) or "none listed in CITATION.cff"


def seed_words(monte_carlo: dict[str, Any] | None) -> str:
    """The Monte Carlo's seeding in words: the seed, then how each stream is seeded."""
    if monte_carlo is None:
        return "no Monte Carlo in this run"
    seed, seeds = monte_carlo["seed"], [str(s) for s in monte_carlo["stream_seeds"]]
    streams = "stream" if monte_carlo["streams"] == 1 else "streams"
    return (
        f"{seed}; {monte_carlo['streams']} {streams}, stream k seeded with {seed} + k ({listed(seeds)}), "
        f"{monte_carlo['draws_per_stream']:,} kept draws each"
    )


def run_words(run: dict[str, Any]) -> str:
    """The time the jobs took, with what it is: the sum of the wall-clock seconds of the jobs
    Snakemake timed (its benchmark files), up to this record; or why it is not recorded."""
    if run["seconds"] is None:
        return f"{NOT_RECORDED} ({run['why_not']})"
    jobs = "job" if run["jobs"] == 1 else "jobs"
    return (
        f"{duration_words(run['seconds'])} ({round(run['seconds']):,} s): the wall-clock times of the "
        f"{run['jobs']} {jobs} behind these outputs that Snakemake timed (benchmark files), added up; jobs "
        f"without a benchmark file are not counted, and jobs that ran side by side count each"
    )


def os_words(facts: dict[str, Any]) -> str:
    """Operating system, release and distribution: "Linux 6.8.0 (Debian GNU/Linux 12 (bookworm))"."""
    name = " ".join(filter(None, (facts["os"], facts["os_release"]))) or "operating system not recorded"
    return f"{name} ({facts['distribution']})" if facts.get("distribution") else name


def machine_words(facts: dict[str, Any]) -> str:
    """The machine in words: logical cores, operating system, architecture and Python."""
    cores = facts["logical_cores"]
    cores_words = f"{cores} logical {'core' if cores == 1 else 'cores'}" if cores else "cores not recorded"
    return "; ".join(filter(None, (cores_words, os_words(facts), facts["architecture"], facts["python"])))


def tool_key(name: str) -> str:
    """A tool's metadata key: its name's first word in lower case ("Typst (run by Quarto)": typst)."""
    return name.split(" ")[0].lower()


def provenance_sentence(record: dict[str, Any], meta: dict[str, Any]) -> str:
    """The report's provenance in two sentences, from the record and its metadata (``meta``: the
    words of link_metadata): when and from which commit it was built, on what machine, in how much
    timed job time, with which renderer, from which Monte Carlo seed; and under which licence and
    by whom the package is released."""
    commit = record["source"]["commit"]
    source = (
        f"from commit {meta['commit']} (committed on {meta['commit_date'][:10]})"
        if commit
        else "outside a git checkout"
    )
    timed = f", in {meta['run_time']} of timed job time" if meta["run_time"] != NOT_RECORDED else ""
    tools = meta["tools"]
    renderer = ", ".join(
        f"{name} {tools[key]}" for name, key in (("Quarto", "quarto"), ("Typst", "typst")) if key in tools
    )
    seeded = f"; the Monte Carlo draws were seeded with {meta['stream_seeds']}" if record["monte_carlo"] else ""
    return (
        f"This run was built on {record['build_date'][:10]} {source} on a machine with {meta['machine']}{timed}, "
        f"rendered with {renderer}{seeded}. The package is released under the {meta['licence']} licence by "
        f"{meta['contributors']}."
    )

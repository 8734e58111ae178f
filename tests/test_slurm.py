"""The scatter/gather on a real scheduler: a single-node SLURM started for this test.

The README's SLURM command, read from the README, runs the identifiability jobs (two enumeration
chunks and their gather, a Monte Carlo stream and its gather, the analysis that reads both) with
the SLURM profile of workflow/profiles/ through snakemake-executor-plugin-slurm, each as its own
SLURM job, with the time limit the profile sets and the memory its rule declares; the local
rules (the claims, the implied counts) run in the Snakemake process. Appended to the command,
only what this cluster and test need: the small configuration with two chunks, the status
command for a cluster without accounting, and quicker polling. The daemons (munged, slurmctld,
slurmd) run from a temporary state directory and are stopped by pid. Needs root and the Debian
packages slurm-wlm and munge (.ci/run installs them); skips, saying why, where either is missing.

The job steps that the plugin starts inside a job (srun) read the default configuration file
/etc/slurm/slurm.conf (the plugin strips SLURM_CONF from their environment), so the test writes
one there, marked as its own, and removes it afterwards; it never replaces a file it did not write.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from workflow_runs import ROOT, copy_repo

pytestmark = pytest.mark.slurm

SNAKEMAKE = Path(sys.executable).with_name("snakemake")
SBIN = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/sbin"])
PROGRAMS = ["munged", "mungekey", "slurmctld", "slurmd", "sbatch", "squeue", "srun", "scontrol", "sinfo"]
SLURM_CONF = Path("/etc/slurm/slurm.conf")
MARK = "# written by tests/test_slurm.py; removed when it ends\n"
GATHERED = ["results/published/identifiability/death_days.json", "results/published/identifiability/joint.json"]
EXPECTED_JOBS = [
    "rule_death_day_chunk_wildcards_0",
    "rule_death_day_chunk_wildcards_1",
    "rule_death_day_space",
    "rule_joint_stream_wildcards_0",
    "rule_joint_space",
    "rule_identifiability",
]
PROFILE = ROOT / "workflow/profiles/slurm/config.yaml"


def readme_command() -> list[str]:
    """The README's SLURM command (its line that starts the workflow with the SLURM profile)."""
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    found = [line for line in lines if line.startswith(".venv/bin/snakemake --profile workflow/profiles/slurm")]
    assert len(found) == 1, found
    return shlex.split(found[0])


def expected_resources(rule: str) -> tuple[int, int]:
    """Time limit (minutes) and memory (MB) a job of ``rule`` should get: the profile's
    set-resources or default runtime, and the memory the rule declares (else the profile's default)."""
    profile = yaml.safe_load(PROFILE.read_text(encoding="utf-8"))
    runtime = profile.get("set-resources", {}).get(rule, {}).get("runtime", profile["default-resources"]["runtime"])
    rules = "".join(path.read_text(encoding="utf-8") for path in (ROOT / "workflow/rules").glob("*.smk"))
    body = re.search(rf"^rule {rule}:\n(.*?)(?=^rule |\Z)", rules, re.S | re.M)[1]
    declared = re.search(r"resources:\s+mem_mb=(\d+)", body)
    return runtime, int(declared[1]) if declared else profile["default-resources"]["mem_mb"]


def minutes(limit: str) -> int:
    """SLURM's TimeLimit ([days-]hours:minutes:seconds) in minutes."""
    days, _, clock = limit.rpartition("-")
    hours, mins, secs = (int(part) for part in clock.split(":"))
    return (int(days or 0) * 24 + hours) * 60 + mins + (secs > 0)


def test_readme_command_keeps_the_profiles_resources():
    # --default-resources on the command line would replace the profile's whole list.
    command = readme_command()
    assert command[:3] == [".venv/bin/snakemake", "--profile", "workflow/profiles/slurm"]
    assert not any(arg.startswith(("--default-resources", "--set-resources", "--resources")) for arg in command)


def program(name: str) -> str:
    """Full path of a program, looking in the sbin folders too."""
    path = shutil.which(name, path=SBIN)
    assert path, name
    return path


def why_not() -> str | None:
    """The reason this machine cannot run the test, or None."""
    if os.geteuid() != 0:
        return "starting munged, slurmctld and slurmd needs root"
    missing = [p for p in PROGRAMS if shutil.which(p, path=SBIN) is None]
    if missing:
        return f"SLURM or munge is not installed (missing {', '.join(missing)}; Debian: slurm-wlm munge)"
    if SLURM_CONF.exists() and not SLURM_CONF.read_text(encoding="utf-8").startswith(MARK):
        return f"{SLURM_CONF} exists (a SLURM of this machine); the test does not replace it"
    if not SNAKEMAKE.exists():
        return "snakemake is not installed beside this Python"
    try:
        import snakemake_executor_plugin_slurm  # noqa: F401
    except ImportError:
        return "snakemake-executor-plugin-slurm is not installed (uv sync installs the dev group)"
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(condition, seconds: float, what: str) -> None:
    """Poll ``condition`` until it holds; fail naming ``what`` after ``seconds``."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


def slurm_conf(state: Path) -> str:
    """A minimal configuration: this machine as the one node of one default partition, no
    accounting, no cgroups; every path inside ``state``."""
    host = socket.gethostname().split(".")[0]
    node = subprocess.run([program("slurmd"), "-C"], capture_output=True, text=True, check=True).stdout.splitlines()[0]
    return (
        MARK
        + "\n".join(
            [
                "ClusterName=testcluster",
                f"SlurmctldHost={host}",
                f"SlurmctldPort={free_port()}",
                f"SlurmdPort={free_port()}",
                "SlurmUser=root",
                "SlurmdUser=root",
                "AuthType=auth/munge",
                "CredType=cred/munge",
                f"AuthInfo=socket={state}/munge.socket",
                f"StateSaveLocation={state}/ctld",
                f"SlurmdSpoolDir={state}/spool",
                f"SlurmctldPidFile={state}/slurmctld.pid",
                f"SlurmdPidFile={state}/slurmd.pid",
                f"SlurmctldLogFile={state}/slurmctld.log",
                f"SlurmdLogFile={state}/slurmd.log",
                "ProctrackType=proctrack/linuxproc",
                "TaskPlugin=task/none",
                "MpiDefault=none",
                "JobAcctGatherType=jobacct_gather/none",
                "AccountingStorageType=accounting_storage/none",
                "JobCompType=jobcomp/none",
                "SchedulerType=sched/builtin",
                "SelectType=select/cons_tres",
                "SelectTypeParameters=CR_CPU",
                "ReturnToService=2",
                node,  # NodeName=<short hostname> CPUs=... RealMemory=..., as slurmd finds this machine
                f"PartitionName=main Nodes={host} Default=YES MaxTime=INFINITE State=UP",
            ]
        )
        + "\n"
    )


def stop(process: subprocess.Popen) -> None:
    """Stop one daemon this test started, by its pid."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """munged, slurmctld and slurmd, started from a temporary state directory; stopped by pid."""
    reason = why_not()
    if reason:
        pytest.skip(reason)
    state = tmp_path_factory.mktemp("slurm")
    for sub in ("ctld", "spool"):
        (state / sub).mkdir()
    key = state / "munge.key"
    subprocess.run([program("mungekey"), "--create", f"--keyfile={key}"], check=True, capture_output=True)
    key.chmod(0o600)
    daemons = []
    try:
        daemons.append(
            subprocess.Popen(
                [
                    program("munged"),
                    "--foreground",
                    "--force",
                    f"--key-file={key}",
                    f"--socket={state}/munge.socket",
                    f"--pid-file={state}/munged.pid",
                    f"--log-file={state}/munged.log",
                    f"--seed-file={state}/munged.seed",
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        wait_for(lambda: (state / "munge.socket").exists(), 10, "munged")
        SLURM_CONF.parent.mkdir(parents=True, exist_ok=True)
        SLURM_CONF.write_text(slurm_conf(state), encoding="utf-8")
        daemons.append(
            subprocess.Popen([program("slurmctld"), "-D"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        )
        daemons.append(
            subprocess.Popen(
                [program("slurmd"), "-D", "-N", socket.gethostname().split(".")[0]],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )

        def idle() -> bool:
            out = subprocess.run([program("sinfo"), "-h", "-o", "%T"], capture_output=True, text=True)
            return out.stdout.strip() == "idle"

        wait_for(idle, 30, "the SLURM node to be idle")
        yield state
    finally:
        for daemon in reversed(daemons):
            stop(daemon)
        if SLURM_CONF.exists() and SLURM_CONF.read_text(encoding="utf-8").startswith(MARK):
            SLURM_CONF.unlink()


def test_scatter_and_gather_run_as_separate_slurm_jobs(cluster, tmp_path):
    repo = copy_repo(tmp_path)  # keeps mtimes, so numba's compiled cache stays valid
    (repo / "chunks.yaml").write_text("identifiability:\n  chunks: 2\n", encoding="utf-8")
    config = ["--configfile", ".test/config/config.yaml", "chunks.yaml"]
    command = readme_command()
    result = subprocess.run(
        [
            str(SNAKEMAKE),  # the README's .venv/bin/snakemake (the copy has no .venv of its own)
            *command[1:],
            "--slurm-status-command",
            "squeue",
            "--slurm-no-account",
            "--slurm-init-seconds-before-status-checks",
            "1",
            "--seconds-between-status-checks",
            "1",
            "--latency-wait",
            "5",
            "--retries",
            "0",
            *config,
        ],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-4000:]

    submitted = re.findall(r"has been submitted with SLURM jobid (\d+)", output)
    assert len(submitted) == len(set(submitted)) == len(EXPECTED_JOBS), output[-4000:]
    # The controller's own record: one completed job per Snakemake job, named by rule and wildcards.
    jobs = subprocess.run(
        [program("scontrol"), "show", "job", "--oneliner"], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    record = {
        re.search(r"JobId=(\d+)", j)[1]: {
            key: re.search(rf"{key}=(\S+)", j)[1] for key in ("Comment", "JobState", "TimeLimit", "MinMemoryNode")
        }
        for j in jobs
    }
    assert sorted(record) == sorted(submitted)
    assert sorted(job["Comment"] for job in record.values()) == sorted(EXPECTED_JOBS)
    assert {job["JobState"] for job in record.values()} == {"COMPLETED"}
    for job in record.values():  # each with the profile's time limit and its rule's memory
        runtime, mem_mb = expected_resources(re.match(r"rule_(\w+?)(?:_wildcards_\d+)?$", job["Comment"])[1])
        assert (minutes(job["TimeLimit"]), job["MinMemoryNode"]) == (runtime, f"{mem_mb}M"), job

    space = json.loads((repo / GATHERED[0]).read_text(encoding="utf-8"))
    folder = repo / "results/published/identifiability/death_days"
    chunks = [json.loads((folder / f"chunk_{k}.json").read_text()) for k in (0, 1)]
    assert space["layouts"] == sum(c["pairs"] for c in chunks) == 1_572_701_130  # both halves, gathered
    assert json.loads((repo / GATHERED[1]).read_text(encoding="utf-8"))["kept"] == 5000  # .test draws_per_stream

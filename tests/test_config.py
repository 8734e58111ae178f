"""The committed configuration: a malformed value stops Snakemake with the schema's message, the
recorded hash of the reconstruction is that of the committed file, and a comment added to it
reruns nothing but the config check; and a test session without end-to-end tests starts no
workflow. (Not marked e2e: the Snakemake runs here are dry runs, which take seconds.)"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys

import yaml

from conftest import ROOT
from workflow_runs import copy_repo, snakemake


def test_malformed_config_is_reported(tmp_path):
    repo = copy_repo(tmp_path)
    config = (repo / "config/config.yaml").read_text(encoding="utf-8").replace("horizon_days: 21", "horizon_days: soon")
    (repo / "config/config.yaml").write_text(config, encoding="utf-8")
    result = snakemake(repo, "--dry-run")
    out = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Error validating config file" in out and "'soon' is not of type 'integer'" in out


def test_committed_hash_is_that_of_the_committed_reconstruction():
    config = yaml.safe_load((ROOT / "config/config.yaml").read_text(encoding="utf-8"))["reconstruction"]
    recorded = (ROOT / config["sha256_file"]).read_text(encoding="utf-8").split()[0]
    assert hashlib.sha256((ROOT / config["output"]).read_bytes()).hexdigest() == recorded


def test_a_comment_changes_no_setting(config):
    from anakinra_replication.settings import settings_sha256, settings_text

    text = (ROOT / "config/config.yaml").read_text(encoding="utf-8")
    commented = yaml.safe_load("# a comment added by hand\n" + text.replace("\n\n", "\n\n# another\n", 1) + "# last\n")
    assert settings_text(commented) == settings_text(config) and settings_sha256(commented) == settings_sha256(config)
    other = {**config, "cohort": "elsewhere.csv", "name": "other"}  # choosing cohorts is not a setting
    assert settings_sha256(other) == settings_sha256(config)
    assert settings_sha256({**config, "alpha": 0.01}) != settings_sha256(config)


def test_the_shared_settings_record_no_users_file_or_mapping(config):
    # results/published/config.json is shared by every cohort: a user's file and mapping (whose
    # hashes numbers.json records) are not settings, and their paths must not reach it.
    from anakinra_replication.settings import settings_sha256, settings_text

    user = {**config, "cohort": "/home/site/private/export.xlsx", "mapping": "/home/site/private/export.mapping.yaml"}
    assert settings_text(user) == settings_text(config) and settings_sha256(user) == settings_sha256(config)
    assert "private" not in settings_text(user)


def test_only_the_config_check_reads_the_config_file(tmp_path):
    # Every other rule takes its settings as params, which a comment does not change: so a comment
    # reruns the config check alone (the settings it writes are unchanged, so nothing after it).
    repo = copy_repo(tmp_path)
    result = snakemake(repo, "--dry-run", "--forceall", targets=["verification_gate", "reconstruct"])
    assert result.returncode == 0, result.stderr[-3000:]
    jobs = re.findall(r"^(?:local)?rule (\w+):\n((?:    .*\n)*)", result.stdout, re.M)
    assert len(jobs) > 20 and {"reconstruct", "assemble_numbers", "render_manuscript"} <= {rule for rule, _ in jobs}
    readers = {rule for rule, block in jobs if re.search(r"^    input: .*\bconfig/config\.yaml\b", block, re.M)}
    assert readers == {"check_config"}


def test_a_session_without_end_to_end_tests_starts_no_workflow(tmp_path):
    # An end-to-end run starts only when a test reads it (conftest's session fixtures), in a folder
    # of the temporary directory (e2e_folder) that a session of other tests never makes.
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_step.py"]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-2000:]
    assert not list(tmp_path.glob("anakinra-e2e-*"))

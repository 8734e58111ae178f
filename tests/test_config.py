"""The committed configuration: a malformed value stops Snakemake with the schema's message, and
the recorded hash of the reconstruction is that of the committed file. (Not marked e2e: they run
among the fast tests, while the end-to-end runs go on in the background.)"""

from __future__ import annotations

import hashlib

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

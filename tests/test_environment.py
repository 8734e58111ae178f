"""The two software doors (uv lock file, conda environment) name the same packages and pins."""

import re
import tomllib

import yaml

from conftest import ROOT


def pins_in_pyproject() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return dict(re.match(r"([A-Za-z0-9_.-]+)\s*([=<>!~].*)", spec).groups() for spec in project["dependencies"])


def pins_in_conda_env() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "workflow/envs/replication.yaml").read_text(encoding="utf-8"))
    specs = [d for d in env["dependencies"] if isinstance(d, str)]
    return dict(re.match(r"([A-Za-z0-9_.-]+)\s*([=<>!~].*)", s).groups() for s in specs)


def test_conda_environment_matches_pyproject():
    conda = pins_in_conda_env()
    for name, spec in pins_in_pyproject().items():
        assert name in conda, f"{name} is in pyproject.toml but not in workflow/envs/replication.yaml"
        assert conda[name].lstrip("=") == spec.lstrip("="), f"{name}: {spec} (pyproject) vs {conda[name]} (conda)"


def test_lock_file_pins_what_pyproject_pins():
    lock = tomllib.loads((ROOT / "uv.lock").read_text(encoding="utf-8"))
    locked = {p["name"]: p["version"] for p in lock["package"]}
    for name, spec in pins_in_pyproject().items():
        if spec.startswith("=="):
            assert locked[name] == spec[2:], f"{name}: uv.lock has {locked[name]}, pyproject pins {spec}"

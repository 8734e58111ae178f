"""The settings of a run: its configuration (config files and ``--config`` merged, validated when
the workflow starts) without the keys that only choose which cohorts it builds, in one canonical
text (JSON, sorted keys) with its SHA-256. A comment, a blank line or a reordering in
config/config.yaml changes neither, so such an edit reruns no analysis (rule ``check_config``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

# Keys that say which cohorts a run builds, not how any cohort is analysed: a user's file and its
# mapping (whose hash numbers.json records) stay out of the shared settings, which every cohort reads.
RUN_SELECTION = ("cohort", "name", "cohorts", "mapping")


def run_settings(config: Mapping[str, Any]) -> dict[str, Any]:
    """The configuration without the keys of ``RUN_SELECTION``."""
    return {key: value for key, value in config.items() if key not in RUN_SELECTION}


def settings_text(config: Mapping[str, Any]) -> str:
    """The settings as canonical JSON (sorted keys, two-space indent, final newline): the bytes of
    results/published/config.json."""
    return json.dumps(run_settings(config), indent=2, sort_keys=True, ensure_ascii=False, allow_nan=False) + "\n"


def settings_sha256(config: Mapping[str, Any]) -> str:
    """SHA-256 of :func:`settings_text`: the hash numbers.json records for the configuration."""
    return hashlib.sha256(settings_text(config).encode("utf-8")).hexdigest()

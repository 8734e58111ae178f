"""Deterministic reading and writing of the JSON and YAML files that steps exchange."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import yaml

SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"
# PyYAML's safe loader, in C where PyYAML was built with libyaml (the same documents, ten times faster).
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def check_contract(obj: Any, schema: str) -> None:
    """Raise ``ValueError`` unless ``obj`` satisfies the JSON Schema ``workflow/schemas/<schema>``.

    The results files that later steps read have a written contract; a step that writes a
    different shape fails at once, naming the first offending field, instead of a reader failing later.
    """
    import jsonschema  # here: most steps write no checked file

    error = jsonschema.exceptions.best_match(_contract_validator(schema).iter_errors(obj))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "top level"
        raise ValueError(f"result breaks its contract {schema}, at {where}: {error.message}")


@cache
def _contract_validator(schema: str) -> Any:
    """The validator of ``workflow/schemas/<schema>``, built once per process (tests check many results)."""
    import jsonschema
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    # A schema may refer to another by its file name ($ref: death_days.schema.yaml).
    registry = Registry().with_resources(
        (path.name, Resource.from_contents(read_yaml(path, "schema"), default_specification=DRAFT202012))
        for path in SCHEMAS.glob("*.schema.yaml")
    )
    return jsonschema.Draft202012Validator(read_yaml(SCHEMAS / schema, "schema"), registry=registry)


def write_json(obj: Any, path: str | Path, schema: str | None = None) -> None:
    """Write ``obj`` as JSON with sorted keys and full float precision (byte-stable).

    With ``schema`` (a file name in workflow/schemas/), ``obj`` is checked against it first.
    """
    if schema is not None:
        check_contract(obj, schema)
    text = json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False, allow_nan=False)
    Path(path).write_text(text + "\n", encoding="utf-8")


def read_json(path: str | Path) -> Any:
    """Read a JSON file written by :func:`write_json`."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


def read_yaml(path: str | Path, what: str) -> Any:
    """Read a YAML file, turning a syntax error into one line that names the file and line."""
    try:
        return yaml.load(Path(path).read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f", line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(err, "problem", None) or str(err)
        raise InputError(f"{what} error: {path}{where}: not valid YAML ({problem})") from None
    except UnicodeDecodeError as err:
        raise InputError(f"{what} error: {path}: text is not UTF-8 ({err.reason} at byte {err.start})") from None


def read_checked_yaml(path: str | Path, schema_path: str | Path, what: str) -> Any:
    """Read a YAML input and check it against its JSON Schema; a problem becomes one line naming
    the file and the place in it ("claims error: FILE, at claims/3/value: ...")."""
    import jsonschema  # here, not at the top: steps that only read results skip its import

    document = read_yaml(path, what)
    schema = read_yaml(schema_path, f"{what} schema")
    error = jsonschema.exceptions.best_match(jsonschema.Draft202012Validator(schema).iter_errors(document))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "top level"
        raise InputError(f"{what} error: {path}, at {where}: {error.message}")
    return document


def check_ids_and_sources(document: dict[str, Any], entries: str, path: str | Path, what: str) -> None:
    """Beyond the schema: the ``id`` of each item of ``document[entries]`` is unique, and its
    ``source`` is one of ``document["sources"]``; else one line naming the file and the item."""
    seen: set[str] = set()
    for index, entry in enumerate(document[entries]):
        where = f"{what} error: {path}, at {entries}/{index}"
        if entry["id"] in seen:
            raise InputError(f"{where}/id: duplicated id {entry['id']!r}")
        if entry["source"] not in document["sources"]:
            raise InputError(f"{where}/source: unknown source {entry['source']!r} (add it under sources)")
        seen.add(entry["id"])


def write_yaml(obj: Any, path: str | Path) -> None:
    """Write ``obj`` as block-style YAML with sorted keys."""
    text = yaml.safe_dump(obj, sort_keys=True, allow_unicode=True, default_flow_style=False)
    Path(path).write_text(text, encoding="utf-8")


class InputError(ValueError):
    """An input file is malformed; the message names the file and the place, in one line."""

"""Which local modules a workflow script runs: its imports, followed through the package.

Snakemake reruns a job when its script changes, not when a module the script imports does; the
rules therefore list the modules as inputs (``package_code`` in workflow/rules/common.smk). A
module missed here is a stale result nobody notices, so imports are read from the syntax tree
(``ast``), never by matching text: every ``import`` and ``from ... import`` statement counts,
wherever it stands (inside a function too), in every form (``import a.b as c``,
``from a import b, c``, ``from . import b``, ``from .b import f``), and words in docstrings or
comments do not. Importing ``a.b`` runs ``a/__init__.py`` too, so that counts as well.

Only imports written as statements are seen: a module loaded by ``importlib`` from a computed
name is not. Standard library only: Snakemake calls this while it parses the workflow.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path


def module_file(name: str, root: Path) -> Path | None:
    """The source file of the dotted module ``name`` under ``root`` (a module or a package), if local."""
    base = root.joinpath(*name.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def module_name(path: Path, root: Path) -> str:
    """The dotted name under which ``path`` (below ``root``) is imported."""
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def with_parents(name: str) -> list[str]:
    """``a.b.c`` -> ``a``, ``a.b``, ``a.b.c``: importing a module first imports each package above it."""
    parts = name.split(".")
    return [".".join(parts[: k + 1]) for k in range(len(parts))]


def imported_names(path: Path, root: Path) -> frozenset[str]:
    """Dotted names of the modules that the import statements of ``path`` may load.

    ``from m import x`` may load the module ``m.x`` (if there is one) or take the name ``x``
    from ``m``; both candidates are returned and the caller keeps those that are files.
    Relative imports are resolved against the package of ``path``.
    """
    stat = path.stat()  # a file is parsed once per version: the scripts share most modules
    return _imported_names(path, root, stat.st_mtime_ns, stat.st_size)


@cache
def _imported_names(path: Path, root: Path, mtime_ns: int, size: int) -> frozenset[str]:
    """:func:`imported_names` of ``path`` as it is at that modification time and size."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    is_package = path.name == "__init__.py"
    package = module_name(path, root) if is_package else module_name(path, root).rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                names.update(with_parents(alias.name))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                anchor = package.split(".") if package else []
                if node.level - 1 > len(anchor):
                    continue  # beyond the top of the tree: Python would raise, nothing local to follow
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join(anchor + ([node.module] if node.module else []))
            else:
                base = node.module
            if not base:
                continue
            names.update(with_parents(base))
            names.update(f"{base}.{alias.name}" for alias in node.names if alias.name != "*")
    return frozenset(names)


def local_imports(script: str | Path, root: str | Path) -> list[Path]:
    """The source files under ``root`` that ``script`` imports, directly or through one another.

    ``root`` is the folder on ``sys.path`` where the local modules live (workflow/scripts: the
    package ``anakinra_replication`` and any module beside the scripts). Sorted, ``script`` itself
    excluded, third-party and standard-library modules ignored.
    """
    root = Path(root)
    todo, found = [Path(script)], set()
    while todo:
        for name in imported_names(todo.pop(), root):
            source = module_file(name, root)
            if source is not None and source not in found:
                found.add(source)
                todo.append(source)
    found.discard(Path(script))
    return sorted(found)

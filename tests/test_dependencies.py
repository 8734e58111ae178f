"""Dependency tracking: the modules a workflow script imports, read from its syntax tree.

Three checks: each import form on a small package made here; agreement with Python's own view
(the modules that importing each workflow script really loads, and the standard library's
``modulefinder``, which reads bytecode, not syntax trees); and a small Snakemake workflow in which
editing a module reruns exactly the job that imports it, for every form.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from modulefinder import ModuleFinder
from pathlib import Path

import pytest

from anakinra_replication.dependencies import local_imports
from conftest import ROOT

SCRIPTS = ROOT / "workflow/scripts"
SNAKEMAKE = Path(sys.executable).with_name("snakemake")

# One module per import form; the script ``forms.py`` below imports each in its own way.
PACKAGE = {
    "pkg/__init__.py": '"""A package; importing any module of it runs this file."""\n',
    "pkg/plain.py": "X = 1\n",
    "pkg/aliased.py": "X = 1\n",
    "pkg/first.py": "X = 1\n",
    "pkg/second.py": "X = 1\n",
    "pkg/named.py": "def f():\n    return 1\n",
    "pkg/hub.py": "from . import sibling\nfrom .sibling_named import f\n",
    "pkg/sibling.py": "X = 1\n",
    "pkg/sibling_named.py": "def f():\n    return 1\n",
    "pkg/lazy.py": "X = 1\n",
    "pkg/sub/__init__.py": "from ..upper_named import X\n",
    "pkg/sub/deep.py": "from .. import upper\n",
    "pkg/upper.py": "X = 1\n",
    "pkg/upper_named.py": "X = 1\n",
    "pkg/mentioned.py": "X = 1\n",
    "pkg/unused.py": "X = 1\n",
    "helper.py": "Y = 2\n",
}
FORMS = {
    "import_dotted": "import pkg.plain",
    "import_as": "import pkg.aliased as y",
    "from_package_import_names": "from pkg import first, second",
    "from_module_import_name": "from pkg.named import f",
    "relative_forms": "from pkg import hub",  # hub: `from . import sibling`, `from .sibling_named import f`
    "inside_function": "def g():\n    import pkg.lazy",
    "subpackage": "import pkg.sub.deep",  # sub/__init__: `from ..upper_named import X`; deep: `from .. import upper`
    "sibling_module": "import helper",
    "text_only": '"""import pkg.mentioned; from pkg import mentioned"""\n# from pkg.mentioned import X\nimport os',
}
EXPECTED = {
    "import_dotted": {"pkg/__init__.py", "pkg/plain.py"},
    "import_as": {"pkg/__init__.py", "pkg/aliased.py"},
    "from_package_import_names": {"pkg/__init__.py", "pkg/first.py", "pkg/second.py"},
    "from_module_import_name": {"pkg/__init__.py", "pkg/named.py"},
    "relative_forms": {"pkg/__init__.py", "pkg/hub.py", "pkg/sibling.py", "pkg/sibling_named.py"},
    "inside_function": {"pkg/__init__.py", "pkg/lazy.py"},
    "subpackage": {"pkg/__init__.py", "pkg/sub/__init__.py", "pkg/sub/deep.py", "pkg/upper.py", "pkg/upper_named.py"},
    "sibling_module": {"helper.py"},
    "text_only": set(),
}
# The module whose edit shows that each form is tracked (one per rule, none shared but __init__).
EDITED = {
    "import_dotted": "pkg/plain.py",
    "import_as": "pkg/aliased.py",
    "from_package_import_names": "pkg/second.py",
    "from_module_import_name": "pkg/named.py",
    "relative_forms": "pkg/sibling_named.py",
    "inside_function": "pkg/lazy.py",
    "subpackage": "pkg/upper.py",
    "sibling_module": "helper.py",
}


def write_tree(root: Path) -> None:
    """The package, one script per import form, all under ``root``."""
    for name, text in PACKAGE.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    for form, text in FORMS.items():
        (root / f"{form}.py").write_text(text + "\n", encoding="utf-8")


def found(script: Path, root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in local_imports(script, root)}


def test_every_import_form_is_followed_and_text_is_not(tmp_path):
    write_tree(tmp_path)
    for form in FORMS:
        assert found(tmp_path / f"{form}.py", tmp_path) == EXPECTED[form], form


def test_agrees_with_python_for_each_form(tmp_path):
    """Python itself (running the script, then ``modulefinder``) loads exactly the expected files."""
    write_tree(tmp_path)
    for form in FORMS:
        finder = ModuleFinder(path=[str(tmp_path)])
        finder.run_script(str(tmp_path / f"{form}.py"))
        assert local_files(finder, tmp_path) == EXPECTED[form], form


def local_files(finder: ModuleFinder, root: Path) -> set[str]:
    """The files under ``root`` that ``modulefinder`` found (the script itself is ``__main__``)."""
    return {
        Path(m.__file__).relative_to(root).as_posix()
        for name, m in finder.modules.items()
        if name != "__main__" and m.__file__ and Path(m.__file__).is_relative_to(root)
    }


# Run in one fresh interpreter: for each workflow script, forget the local modules, run the
# script with a stand-in for Snakemake's object (its step fails at once, after the imports) and
# list the local modules then in sys.modules. Third-party modules stay loaded between scripts.
LOADED = textwrap.dedent("""
    import json, os, runpy, sys, types
    root, scripts = sys.argv[1], sys.argv[2:]
    sys.path.insert(0, root)
    stand_in = types.SimpleNamespace(log=[os.devnull])
    def local():
        return {m.__file__ for m in list(sys.modules.values())
                if (getattr(m, "__file__", None) or "").startswith(root + os.sep)}
    loaded = {}
    for script in scripts:
        before = local()
        for name in [n for n, m in sys.modules.items() if getattr(m, "__file__", None) in before]:
            del sys.modules[name]
        try:
            runpy.run_path(script, init_globals={"snakemake": stand_in}, run_name="__snakemake__")
        except BaseException:
            pass  # the step itself fails without inputs; its imports have run
        loaded[script] = sorted(local())
    print(json.dumps(loaded))
""")


def test_every_workflow_script_against_the_real_import_graph():
    """For every script in workflow/scripts: the modules found equal those ``modulefinder``
    finds, and include every module that running the script loads (a module imported only
    inside a function is loaded when that function runs, so the run may load fewer)."""
    scripts = sorted(SCRIPTS.glob("*.py"))
    assert len(scripts) > 10
    result = subprocess.run(
        [sys.executable, "-c", LOADED, str(SCRIPTS), *map(str, scripts)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    loaded = json.loads(result.stdout)
    for script in scripts:
        ours = found(script, SCRIPTS)
        finder = ModuleFinder(path=[str(SCRIPTS)])
        finder.run_script(str(script))
        assert ours == local_files(finder, SCRIPTS), script.name
        ran = {Path(f).relative_to(SCRIPTS).as_posix() for f in loaded[str(script)]}
        assert "anakinra_replication/step.py" in ran, script.name  # the script did run its imports
        assert ran <= ours, script.name


SNAKEFILE = """
import sys
sys.path.insert(0, {package_root!r})
from anakinra_replication.dependencies import local_imports

FORMS = {forms!r}

rule all:
    input: expand("out/{{form}}.txt", form=FORMS)

for form in FORMS:
    rule:
        name: form
        input: script=f"{{form}}.py", code=[str(p) for p in local_imports(f"{{form}}.py", ".")]
        output: f"out/{{form}}.txt"
        shell: "touch {{output}}"
"""


def planned(workdir: Path) -> set[str]:
    """Rules a dry run would run now (from Snakemake's summary of planned jobs)."""
    result = subprocess.run(
        [str(SNAKEMAKE), "--dry-run", "--quiet", "rules", "--cores", "1"],
        cwd=workdir,
        capture_output=True,
        text=True,
        check=True,
    )
    lines = result.stdout.splitlines()
    return {line.split()[0] for line in lines if line.split() and line.split()[0] in FORMS}


def edit(path: Path) -> None:
    """Change a module's text and make it clearly newer than the outputs."""
    stat = path.stat()
    path.write_text(path.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    os.utime(path, (stat.st_atime + 60, stat.st_mtime + 60))


@pytest.mark.skipif(not SNAKEMAKE.exists(), reason="snakemake is not installed beside this Python")
def test_editing_a_module_reruns_its_job_in_every_import_form(tmp_path):
    """A workflow with one job per import form, its outputs made: a module named only in a
    docstring or comment, edited, makes no job out of date; the modules imported in each form,
    edited, make every job out of date. Each edited module is imported by one job only, so
    each job reruns because its own module changed."""
    owners = {module: [f for f in FORMS if module in EXPECTED[f]] for module in EDITED.values()}
    assert all(owners[module] == [form] for form, module in EDITED.items())
    write_tree(tmp_path)
    snakefile = SNAKEFILE.format(package_root=str(SCRIPTS), forms=list(FORMS))
    (tmp_path / "Snakefile").write_text(snakefile, encoding="utf-8")
    (tmp_path / "out").mkdir()
    for form in FORMS:  # the outputs, newer than every input (as if the jobs had run)
        (tmp_path / f"out/{form}.txt").touch()
    assert planned(tmp_path) == set()
    edit(tmp_path / "pkg/mentioned.py")
    assert planned(tmp_path) == set()
    for module in EDITED.values():
        edit(tmp_path / module)
    assert planned(tmp_path) == set(EDITED)


def test_the_package_has_no_import_cycle():
    """No module of the package imports, directly or through others, a module that imports it
    (a cycle makes import order matter and a module half-initialised when read)."""
    from anakinra_replication.dependencies import imported_names, module_file

    package = SCRIPTS / "anakinra_replication"

    def imports(path: Path) -> set[Path]:
        found = {module_file(name, SCRIPTS) for name in imported_names(path, SCRIPTS)}
        return {f for f in found if f is not None and f.parent == package and f.name != "__init__.py"}

    graph = {path: imports(path) for path in package.glob("*.py") if path.name != "__init__.py"}
    cycles = []
    for start in graph:
        stack, seen = list(graph[start]), set()
        while stack:
            module = stack.pop()
            if module == start:
                cycles.append(start.name)
                break
            if module not in seen:
                seen.add(module)
                stack.extend(graph.get(module, ()))
    assert cycles == []

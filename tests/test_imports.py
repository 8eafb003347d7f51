"""No import cycles inside the package, and no import of a later stage of the flow: every import statement counts,
also those inside functions."""

from __future__ import annotations

import ast
import graphlib
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE_ROOT = Path(__file__).resolve().parent.parent / "pipeline"
PACKAGE = "summit_extract"  # the import name of the package folder pipeline/


def module_names(root: Path, package: str | None = None) -> dict[str, Path]:
    """'summit_extract.batch.job' -> its file, for every module below the package folder `root`."""
    names = {}
    for path in sorted(root.rglob("*.py")):
        parts = [package or root.name, *path.relative_to(root).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        names[".".join(parts)] = path
    return names


def import_graph(root: Path, package: str | None = None) -> dict[str, set[str]]:
    """Each module of the package and the package modules it imports (anywhere in its body)."""
    modules = module_names(root, package)
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join(anchor + ([node.module] if node.module else []))
                # `from a import b` imports the module a.b when there is one, else a name of a.
                targets = [
                    f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names
                ]
            else:
                continue
            graph[name].update(target for target in targets if target in modules and target != name)
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    try:
        graphlib.TopologicalSorter(graph).prepare()
    except graphlib.CycleError as error:
        return list(error.args[1])
    return None


def write_package(root: Path, files: dict[str, str]) -> Path:
    package = root / "pkg"
    for relative, source in files.items():
        path = package / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")
    return package


@pytest.mark.parametrize(
    ("files", "cycle"),
    [
        ({"__init__.py": "", "a.py": "from . import b\n", "b.py": "import os\n"}, None),
        ({"__init__.py": "", "a.py": "from .b import x\n", "b.py": "def f():\n    from .a import y\n"}, {"a", "b"}),
        (
            {"__init__.py": "", "a.py": "import pkg.sub.c\n", "sub/__init__.py": "", "sub/c.py": "from ..a import z\n"},
            {"a", "sub.c"},
        ),
        (
            {
                "__init__.py": "",
                "a.py": "from .sub import c\n",
                "sub/__init__.py": "",
                "sub/c.py": "from .. import a\n",
            },
            {"a", "sub.c"},
        ),
    ],
)
def test_cycle_finder_on_hand_made_packages(tmp_path, files, cycle):
    found = find_cycle(import_graph(write_package(tmp_path, files)))
    assert (None if found is None else {name.removeprefix("pkg.") for name in found}) == cycle


def test_the_package_has_no_import_cycle():
    graph = import_graph(PACKAGE_ROOT, PACKAGE)
    assert "summit_extract.batch.job" in graph and "summit_extract.cli.run" in graph
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_the_library_never_imports_the_cli():
    graph = import_graph(PACKAGE_ROOT, PACKAGE)
    offenders = {
        module: sorted(target for target in targets if target.startswith("summit_extract.cli"))
        for module, targets in graph.items()
        if not module.startswith("summit_extract.cli")
    }
    assert {module: targets for module, targets in offenders.items() if targets} == {}


# The stages of the flow, in order: a module may import its own stage, an earlier one, or the shared modules at
# the top of the package (rank 0), never a later stage. The package itself and `run` are faces that re-export.
STAGES = {
    "reading": 1,
    "cleanup": 2,
    "extraction": 3,
    "output": 4,
    "evaluation": 5,
    "reporting": 5,
    "training": 6,
    "batch": 6,
    "benchmarks": 7,
    "cli": 8,
}
FACES = {PACKAGE, f"{PACKAGE}.run"}


def stage_of(module: str) -> int:
    parts = module.split(".")
    return STAGES.get(parts[1], 0) if len(parts) > 1 else 0


def later_stage_imports(graph: dict[str, set[str]]) -> list[str]:
    return sorted(
        f"{module} -> {target}"
        for module, targets in graph.items()
        if module not in FACES
        for target in targets
        if stage_of(target) > stage_of(module)
    )


@pytest.mark.parametrize(
    ("graph", "offenders"),
    [
        ({"pkg.cleanup.steps": {"pkg.reading.reader", "pkg.errors"}, "pkg.reading.reader": set()}, []),
        (
            {"pkg.reading.formats.text": {"pkg.cleanup.steps"}, "pkg.cleanup.steps": set()},
            ["pkg.reading.formats.text -> pkg.cleanup.steps"],
        ),
        ({"pkg.evaluation.evaluate": {"pkg.batch.corpus_ids"}}, ["pkg.evaluation.evaluate -> pkg.batch.corpus_ids"]),
        ({"pkg.records": {"pkg.extraction.identity"}}, ["pkg.records -> pkg.extraction.identity"]),
        ({"pkg.reporting.report": {"pkg.evaluation.gold"}, "pkg.cli.run": {"pkg.batch"}}, []),
    ],
)
def test_later_stage_finder_on_hand_made_graphs(graph, offenders):
    assert later_stage_imports(graph) == offenders


def test_no_module_imports_a_later_stage():
    graph = import_graph(PACKAGE_ROOT, PACKAGE)
    assert set(STAGES) <= {module.split(".")[1] for module in graph if "." in module}
    assert later_stage_imports(graph) == []


# What a command's help must not load: each costs a tenth of a second or more at every start.
HEAVY_LIBRARIES = ("spacy", "pandas", "pyarrow", "dask", "numpy", "jinja2", "tabulate", "tqdm")


@pytest.mark.parametrize("arguments", [["--help"], ["run", "--help"], ["report", "--help"], ["bench", "--help"]])
def test_help_loads_no_heavy_library(arguments):
    script = (
        "import sys\nfrom summit_extract.cli import app\n"
        f"try:\n    app({arguments!r})\nexcept SystemExit:\n    pass\n"
        f"print(' '.join(name for name in {HEAVY_LIBRARIES!r} if name in sys.modules))"
    )
    completed = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert completed.stdout.splitlines()[-1] == ""

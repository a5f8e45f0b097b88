"""Data flows one way: source -> render -> objects -> (images, shell, converge, assets) ->
checks -> findings -> report, with the commands on top. The layers are declared once, as an
import-linter contract in pyproject.toml; CI runs `lint-imports` and so does this file. What
import-linter cannot see is checked here: a module no layer names, and imports by a string
(`importlib.import_module("seatrial.x")`, `__import__`, the lazy `pkg.module:attr` targets)."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "seatrial"


def _layers() -> list[tuple[list[str], bool]]:
    """(top-level names, independent siblings?) from the top layer down."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    (contract,) = [c for c in config["tool"]["importlinter"]["contracts"] if c["id"] == "layers"]
    out = []
    for layer in contract["layers"]:
        names = [n.strip().strip("()").removeprefix("seatrial.") for n in re.split(r"[|:]", layer)]
        out.append((names, "|" in layer))
    return out


def _layer_of(package: str, layers: list[tuple[list[str], bool]]) -> int | None:
    return next((i for i, (names, _) in enumerate(layers) if package in names), None)


def may_import(importer: str, target: str, layers: list[tuple[list[str], bool]]) -> bool:
    """Whether top-level package `importer` may import top-level package `target`."""
    if importer == target:
        return True
    i, j = _layer_of(importer, layers), _layer_of(target, layers)
    if i is None or j is None:
        return False
    return j > i or (j == i and not layers[i][1])


def _string_imports(tree: ast.AST) -> set[str]:
    """Top-level seatrial packages a module imports by name at run time."""
    calls_import = any(
        isinstance(node, ast.Call)
        and (
            (isinstance(node.func, ast.Attribute) and node.func.attr == "import_module")
            or (isinstance(node.func, ast.Name) and node.func.id in {"__import__", "import_module"})
        )
        for node in ast.walk(tree)
    )
    if not calls_import:
        return set()
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            match = re.fullmatch(r"seatrial\.([a-z_]+)[\w.]*(:\w+)?", node.value)
            if match:
                out.add(match[1])
        elif isinstance(node, ast.JoinedStr) and node.values:
            head = node.values[0]
            if isinstance(head, ast.Constant) and isinstance(head.value, str):
                match = re.match(r"seatrial\.([a-z_]+)\.", head.value)
                if match:
                    out.add(match[1])
    return out


def _top_level(path: Path) -> str:
    return path.relative_to(SRC).parts[0].removesuffix(".py")


def test_import_contract_holds() -> None:
    """import-linter sees static imports, relative ones and those inside functions."""
    lint = Path(sys.executable).parent / "lint-imports"
    done = subprocess.run(
        [str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "Contracts: 1 kept, 0 broken." in done.stdout


def test_every_module_is_in_a_layer() -> None:
    layers = _layers()
    named = {n for names, _ in layers for n in names}
    modules = {_top_level(p) for p in SRC.rglob("*.py")} - {"__init__"}
    assert modules - named == set(), "add these to a layer of [tool.importlinter] in pyproject.toml"


def test_imports_by_string_follow_the_layers() -> None:
    layers = _layers()
    bad = []
    for path in sorted(SRC.rglob("*.py")):
        importer = _top_level(path)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        bad += [
            f"{path.relative_to(SRC)} imports seatrial.{target} by name"
            for target in sorted(_string_imports(tree))
            if not may_import(importer, target, layers)
        ]
    assert bad == []


def test_the_string_import_scan_catches_an_upward_import() -> None:
    """The scan above is not vacuous: an upward import by name, in either spelling, and a
    relative `from ..checks import` seen by import-linter's graph are all refused."""
    layers = _layers()
    upward = ast.parse('import importlib\nimportlib.import_module(f"seatrial.checks.{x}")')
    assert _string_imports(upward) == {"checks"}
    assert not may_import("render", "checks", layers)
    lazy = ast.parse('import importlib\nT = {"a": "seatrial.cli:main"}\nimportlib.import_module(T)')
    assert _string_imports(lazy) == {"cli"}
    assert not may_import("objects", "cli", layers)
    assert may_import("cli", "checks", layers) and may_import("cli", "scaffold", layers)
    assert not may_import("images", "shell", layers)  # independent siblings
    # cli's lazy command table is found
    cli = ast.parse((SRC / "cli.py").read_text(encoding="utf-8"))
    assert {"commands", "scaffold", "completion"} <= _string_imports(cli)


def test_import_linter_sees_relative_imports(tmp_path: Path) -> None:
    """A relative upward import in a copy of the package breaks the contract."""
    import shutil

    copy = tmp_path / "src"
    shutil.copytree(SRC, copy / "seatrial", ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "seatrial" / "render" / "upward.py").write_text(
        "def f() -> None:\n    from ..checks import engine  # noqa\n", encoding="utf-8"
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    lint = Path(sys.executable).parent / "lint-imports"
    done = subprocess.run(
        [str(lint), "--no-cache"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        env={"PYTHONPATH": str(copy), "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 1, done.stdout[-2000:] + done.stderr[-2000:]
    assert "seatrial.render.upward -> seatrial.checks.engine" in done.stdout


#: what a check or a fact record has no business importing: I/O modules and the readers
IO_MODULES = {
    "os",
    "io",
    "subprocess",
    "socket",
    "shutil",
    "tempfile",
    "pathlib",
    "urllib",
    "httpx",
    "seatrial.images.gather",
    "seatrial.images.registry",
    "seatrial.images.cache",
    "seatrial.shell.gather",
}
READERS = {
    "read_image_file",
    "read_member",
    "index_layer",
    "gather_images",
    "gather_scripts",
    "Locator",
    "open",
}


def _io_uses(tree: ast.AST) -> set[str]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {
                a.name
                for a in node.names
                if a.name.split(".")[0] in IO_MODULES or a.name in IO_MODULES
            }
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module in IO_MODULES or node.module.split(".")[0] in IO_MODULES:
                found.add(node.module)
            found |= {a.name for a in node.names if a.name in READERS}
        elif isinstance(node, ast.Name) and node.id in READERS:
            found.add(node.id)
    return found


def test_checks_and_facts_receive_data_not_readers() -> None:
    """Checks are pure: a check module and the facts records import no I/O and no reader
    (the engine gathers first; `ImageFacts` has no `read_file`)."""
    from seatrial.facts.image import ImageFacts

    paths = [
        *sorted((SRC / "checks").glob("st*.py")),
        SRC / "checks" / "registry.py",
        *sorted((SRC / "facts").glob("*.py")),
    ]
    bad = {
        str(p.relative_to(SRC)): uses
        for p in paths
        if (uses := _io_uses(ast.parse(p.read_text(encoding="utf-8"))))
    }
    assert bad == {}
    assert not hasattr(ImageFacts, "read_file")
    # the scan is not vacuous
    assert _io_uses(ast.parse("from seatrial.images.index import read_image_file\nimport os")) == {
        "read_image_file",
        "os",
    }


def test_bench_does_not_import_the_tests() -> None:
    """Benchmarks share builders with the tests through testkit/, never through tests/."""
    bad = []
    for path in sorted((ROOT / "bench").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else ([a.name for a in node.names] if isinstance(node, ast.Import) else [])
            )
            bad += [f"{path.name} imports {n}" for n in names if n.split(".")[0] == "tests"]
    assert bad == []
